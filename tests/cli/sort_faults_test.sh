#!/usr/bin/env bash
# A sorted run (--sort) stopped or fed a failing capture says what a run without --sort
# says (a new user's findings):
#  1. SIGINT/SIGTERM cut a write blocked on a slow pipe short, with --sort's decoding
#     thread too (the default 2 threads): it ignored the signals until the reader went away.
#     The exit code is the first signal's.
#  2. A capture that fails part-way (truncated) still has its TCP losses said, once, by
#     --sort, --lifecycles and --sort --stats; and --stats names the capture of each flow,
#     not the merged stream `sorted`.
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

# --- 2. a truncated capture's TCP losses ----------------------------------------------------
"$DLTGEN" --count 50000 --seed 8 --format net -o "$work/clean.net"
"$CAPGEN" --tcp "$work/clean.net" --flows 4 --impair -o "$work/tcpimp.pcapng"
head -c 2000000 "$work/tcpimp.pcapng" > "$work/tc2.pcapng"
cd "$work" || exit 1
cap=tc2.pcapng
"$DLTDUMP" -c $cap > plain.out 2> plain.err
grep -q "^$cap: [0-9]* bytes missing from TCP streams" plain.err || fail "-c: no loss line: $(cat plain.err)"
# The loss line, -c's warning of the regions skipped before the fault (a new user's finding:
# a failed input's were not said), the failure.
[ "$(wc -l < plain.err)" -eq 3 ] || fail "-c: $(wc -l < plain.err) lines on standard error, expected 3"
sed -n 2p plain.err | grep -q "^$cap: [0-9]* bytes skipped in [0-9]* regions (in its DLT streams, no message decodes there), not counted by -c" ||
  fail "-c: the skipped regions not said second: $(cat plain.err)"
loss=$(grep "bytes missing from TCP streams" plain.err)
grep -v "not counted by -c" plain.err > plain.said
for opts in "--sort -c" "--lifecycles" "--sort --stats" "--sort --stats=json" "--sort --threads=1 -c"; do
  # shellcheck disable=SC2086 # the options are words
  "$DLTDUMP" $opts $cap > sorted.out 2> sorted.err
  [ "$(grep -c "bytes missing from TCP streams" sorted.err)" -eq 1 ] ||
    fail "$opts: the loss line not said once: $(cat sorted.err)"
  grep -qxF "$loss" sorted.err || fail "$opts: another loss line than without --sort: $(cat sorted.err)"
  # the loss line first, then the failure, as without --sort; -c's warning of the skipped
  # regions after them (the merged stream's, counted after the inputs were surveyed)
  grep -v "not counted by -c" sorted.err > sorted.said
  cmp -s plain.said sorted.said || fail "$opts: standard error differs from -c's: $(cat sorted.err)"
  case $opts in
    *-c*) [ "$(tail -n 1 sorted.err)" == "$cap: $(sed -n 's/.*: \([0-9]* bytes skipped in [0-9]* regions\) .*/\1/p' plain.err) (no message decodes there), not counted by -c; without -c they show as SKIP lines" ] ||
      fail "$opts: the skipped regions not said last, as -c's: $(cat sorted.err)" ;;
    *) [ "$(grep -c "not counted by -c" sorted.err)" -eq 0 ] || fail "$opts: a -c warning: $(cat sorted.err)" ;;
  esac
done
# --stats: the same flows, each named by its capture, as without --sort.
"$DLTDUMP" --stats=json $cap > plain.json 2> /dev/null
"$DLTDUMP" --sort --stats=json $cap > sorted.json 2> /dev/null
/usr/bin/python3 - plain.json sorted.json "$cap" << 'EOF' || fail "--sort --stats=json: capture_losses differ"
import json, sys
plain, sorted_, cap = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
flows = plain["capture_losses"]["flows"]
assert flows and {f["input"] for f in flows} == {cap}, plain["capture_losses"]
assert sorted_.get("capture_losses") == plain["capture_losses"], sorted_.get("capture_losses")
EOF
"$DLTDUMP" --stats $cap > plain.txt 2> /dev/null
"$DLTDUMP" --sort --stats $cap > sorted.txt 2> /dev/null
section() { sed -n '/^Capture losses/,/^$/p' "$1"; }
[ -n "$(section plain.txt)" ] || fail "--stats: no capture losses table"
[ "$(section sorted.txt)" = "$(section plain.txt)" ] ||
  fail "--sort --stats: capture losses table differs: $(section sorted.txt)"
section sorted.txt | grep -q sorted && fail "--sort --stats: a flow of input sorted"

# -o naming a FIFO nobody opens: the open waits for a reader, and SIGINT or SIGTERM ends
# the wait (a new user's finding: it ignored them until a reader came), with and without
# --sort.
rm -f "$work/nobody"
mkfifo "$work/nobody"
for opts in "" "--sort"; do
  for signal in INT TERM; do
    # shellcheck disable=SC2086 # the options are words
    "$DLTDUMP" $opts -o "$work/nobody" "$work/big.dlt" 2> "$work/err" &
    pid=$!
    wait_for 30 catches_stop_signals $pid
    sleep 0.3 # in the open, most likely; before it, the signal stops the run all the same
    kill -$signal $pid
    if ! wait_for 5 ended $pid; then
      fail "-o FIFO without a reader ${opts:-(no --sort)}: still running 5 s after SIG$signal"
      kill -KILL $pid
    fi
    wait $pid
    rc=$?
    code=130
    [ $signal = TERM ] && code=143
    [ $rc -eq $code ] || fail "-o FIFO without a reader ${opts:-(no --sort)}, SIG$signal: exit $rc, expected $code"
  done
done

[ $fails -eq 0 ] && echo "all sort fault checks passed"
exit $((fails > 0))
