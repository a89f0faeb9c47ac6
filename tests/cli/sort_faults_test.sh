#!/usr/bin/env bash
# A sorted run (--sort) stopped does what a run without --sort does (a new user's finding):
#  1. SIGINT/SIGTERM cut a write blocked on a slow pipe short, with --sort's decoding
#     thread too (the default 2 threads): it ignored the signals until the reader went away.
#     The exit code is the first signal's.
source "$(dirname "$0")/fault_prologue.sh" "$@"  # DLTDUMP DLTGEN CAPGEN
source "$(dirname "$0")/process_waits.sh"  # catches_stop_signals, blocked_writing_pipe, ended, wait_for

"$DLTGEN" --format file --size 8000000 --seed 11 -o "$work/big.dlt"
"$DLTDUMP" --sort "$work/big.dlt" > "$work/full.txt" || fail "full sorted run"
one_mib=1048576

# --- 1. a stop while the output is blocked ------------------------------------------------
# stop_blocked NAME READS SIGNALS... : dltdump ARGS (set by the caller) writes into a FIFO
# whose reader reads nothing until the signals were sent; READS: then it drains the FIFO,
# else it never reads. The run must end within 5 s with the first signal's exit code, and
# (when the reader drains) leave whole lines, a prefix of the full output.
mkfifo "$work/slow"
stop_blocked() {
  local name=$1 reads=$2 pid reader rc code
  shift 2
  rm -f "$work/signalled" "$work/slow.txt"
  if [ "$reads" = reads ]; then
    { wait_for 60 test -e "$work/signalled"; cat; } < "$work/slow" > "$work/slow.txt" &
  else
    { wait_for 60 test -e "$work/done"; } < "$work/slow" &
  fi
  reader=$!
  "$DLTDUMP" "${args[@]}" > "$work/slow" 2> "$work/err" &
  pid=$!
  wait_for 30 catches_stop_signals $pid
  wait_for 30 blocked_writing_pipe $pid || fail "$name: never blocked on the pipe"
  for signal in "$@"; do kill -"$signal" $pid; done
  touch "$work/signalled"
  if ! wait_for 5 ended $pid; then
    fail "$name: still running 5 s after SIG$1"
    kill -KILL $pid
  fi
  wait $pid
  rc=$?
  touch "$work/done"
  wait $reader
  rm -f "$work/done"
  code=130
  [ "$1" = TERM ] && code=143
  [ $rc -eq $code ] || fail "$name: exit $rc, expected $code"
  grep -q "^Stopped by SIG$1" "$work/err" || fail "$name: standard error: $(head -c 300 "$work/err")"
  [ "$reads" = reads ] || return
  local size
  size=$(stat -c %s "$work/slow.txt")
  cmp -s -n "$size" "$work/slow.txt" "$work/full.txt" || fail "$name: not a prefix of the full output"
  [ "$size" -eq 0 ] || [ "$(tail -c 1 "$work/slow.txt" | od -An -c | tr -d ' ')" == '\n' ] ||
    fail "$name: does not end on a line end"
  # the pipe held 64 KiB when the signal came; without the cut the whole 1 MiB write went on
  [ "$size" -lt $one_mib ] || fail "$name: wrote on after the signal"
}
for threads in 1 2; do
  args=(--sort --threads=$threads "$work/big.dlt")
  stop_blocked "--sort --threads=$threads, reader that never reads, SIGINT" never INT
  stop_blocked "--sort --threads=$threads, slow reader, SIGTERM" reads TERM
  # Both signals at once: SIGINT (the lower number) is handled first and names the stop.
  stop_blocked "--sort --threads=$threads, SIGINT then SIGTERM" never INT TERM
done

[ $fails -eq 0 ] && echo "all sort fault checks passed"
exit $((fails > 0))
