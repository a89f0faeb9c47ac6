#!/usr/bin/env bash
# Fault injection (issue #19), scripted and repeatable: a full disk (a 2 MiB tmpfs, root
# only), a file size limit, /dev/full, a broken pipe, SIGINT and SIGTERM at 50 random
# moments, an input truncated and one grown while being read — for text, DLT and PCAP-NG
# output and for 1 and 2 threads. Each run must end with whole lines or messages (what was
# written is a prefix of the full run's output, cut at a line or message end), the
# documented exit code (shared contract 2: 5 output failed, 130/143 stopped by
# SIGINT/SIGTERM, 3 the only input failed part-way, 0 for a broken pipe), one diagnostic
# line on standard error (none for a broken pipe) and nothing on standard output but lines.
#
# Random moments come from bash's $RANDOM seeded with FAULT_SEED (printed; set it to
# repeat a run). Slow consumers are a FIFO drained by a throttled reader, so that the
# signal or the change of the input lands while dltdump is still writing.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3  # unused for now: the inputs are DLT files (captures go through the same output)
: "$CAPGEN"
PYTHON=/usr/bin/python3  # Debian's interpreter, for the throttled reader
export TZ=UTC
SEED=${FAULT_SEED:-19}
RANDOM=$SEED
echo "fault injection: seed $SEED (FAULT_SEED=$SEED repeats this run)"
work=$(mktemp -d)
mnt=$work/tmpfs
mounted=0
cleanup() {
  [ $mounted -eq 1 ] && umount "$mnt"
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
pass=0
skipped=0
check() {  # check NAME EXIT-CODE-OF-THE-CONDITION [DETAIL]
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else
    echo "FAIL: $1${3:+ ($3)} [FAULT_SEED=$SEED]"; fails=$((fails + 1)); fi
}
skip() { echo "SKIPPED: $1"; skipped=$((skipped + 1)); }
source "$(dirname "$0")/../cli/process_waits.sh"  # catches_stop_signals, opened

# The input and the full outputs every cut one must be a prefix of. A sanitizer build
# (DLTDUMP_SANITIZED, tests/CMakeLists.txt) runs 10-20 times slower: a smaller input still
# takes seconds there, and fewer signal runs still cover each kind, thread count and signal.
size=16M signal_runs=50
[ -n "${DLTDUMP_SANITIZED:-}" ] && size=6M signal_runs=24
"$DLTGEN" --format file --size $size --seed 21 --corrupt 1 -o "$work/big.dlt"
"$DLTDUMP" --threads=1 "$work/big.dlt" > "$work/ref.txt"
"$DLTDUMP" --threads=1 -o "$work/ref.dlt" "$work/big.dlt"
"$DLTDUMP" --threads=1 -o "$work/ref.pcapng" "$work/big.dlt"
"$DLTDUMP" "$work/ref.dlt" > "$work/ref.dlt.txt"
"$DLTDUMP" "$work/ref.pcapng" > "$work/ref.pcapng.txt"
declare -A ext=([text]=txt [dlt]=dlt [pcapng]=pcapng)

# whole_prefix KIND OUTPUT [REFERENCE-STEM]: the output is empty or absent, or whole lines or
# messages that begin the full output (ref.txt, ref.dlt, ref.pcapng by default).
# Prints why not; returns 1 then.
whole_prefix() {
  local kind=$1 out=$2 ref=${3:-$work/ref}
  [ -s "$out" ] || return 0
  case $kind in
    text)
      [ "$(tail -c 1 "$out" | od -An -c | tr -d ' ')" = '\n' ] || { echo "  the text does not end in a line end"; return 1; }
      cp "$out" "$work/lines.txt"
      cmp -s -n "$(stat -c %s "$work/lines.txt")" "$work/lines.txt" "$ref.txt" ||
        { echo "  the text is not a prefix of the full output"; return 1; } ;;
    dlt | pcapng)
      "$DLTDUMP" --format="$([ "$kind" = dlt ] && echo file || echo pcap)" "$out" > "$work/back.txt" 2> "$work/back.err" ||
        { echo "  the $kind output does not decode cleanly: $(head -1 "$work/back.err")"; return 1; }
      cp "$work/back.txt" "$work/lines.txt"
      if [ "$kind" = dlt ] &&
         ! cmp -s -n "$(stat -c %s "$out")" "$out" "$ref.dlt"; then
        echo "  the DLT file is not a prefix of the full output"; return 1
      fi
      cmp -s -n "$(stat -c %s "$work/lines.txt")" "$work/lines.txt" "$ref.$kind.txt" ||
        { echo "  the $kind output does not decode to a prefix of the full output's lines"; return 1; } ;;
  esac
}

# complete KIND OUTPUT: the output is the whole of the full run's.
complete() {
  case $1 in
    text) cmp -s "$2" "$work/ref.txt" ;;
    dlt) cmp -s "$2" "$work/ref.dlt" ;;
    pcapng) "$DLTDUMP" --format=pcap "$2" 2> /dev/null | cmp -s - "$work/ref.pcapng.txt" ;;
  esac
}

# one_line FILE: exactly one whole, non-empty line.
one_line() {
  [ "$(wc -l < "$1")" -eq 1 ] && [ "$(wc -c < "$1")" -gt 1 ] && [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]
}

# expect_stop NAME KIND RC WANT-RC OUT: the common checks after a run that had to stop.
expect_stop() {
  local name=$1 kind=$2 rc=$3 want=$4 out=$5 why
  check "$name: exit code" "$([ "$rc" -eq "$want" ]; echo $?)" "exit $rc, expected $want"
  one_line "$work/err"
  check "$name: one line on stderr" $? "stderr: $(head -c 300 "$work/err" | tr '\n' '|')"
  if [ "$kind" != text ]; then
    [ ! -s "$work/stdout" ]
    check "$name: nothing on stdout with -o" $?
  fi
  why=$(whole_prefix "$kind" "$out")
  check "$name: whole lines/messages, a prefix of the full output" $? "$why"
}

# 1. A full disk: a 2 MiB tmpfs (root only).
if [ "$(id -u)" -ne 0 ]; then
  skip "full disk (ENOSPC): needs root to mount a tmpfs"
elif ! mkdir -p "$mnt" || ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2> /dev/null; then
  skip "full disk (ENOSPC): mounting a tmpfs failed (no CAP_SYS_ADMIN?)"
else
  mounted=1
  for kind in text dlt pcapng; do
    for t in 1 2; do
      rm -f "$mnt"/*
      "$DLTDUMP" --threads=$t -o "$mnt/out.${ext[$kind]}" "$work/big.dlt" > "$work/stdout" 2> "$work/err"
      expect_stop "full disk, $kind output, $t thread(s)" $kind $? 5 "$mnt/out.${ext[$kind]}"
    done
  done
  # The console on a full disk.
  rm -f "$mnt"/*
  "$DLTDUMP" "$work/big.dlt" > "$mnt/console.txt" 2> "$work/err"
  expect_stop "full disk, console" text $? 5 "$mnt/console.txt"
  rm -f "$mnt"/*
  # Files by lifecycle (%LC%, up to 16 open at once) on a full disk: the rules of one file,
  # per file. Exit 5 and one line; every file left holds whole lines or messages, a prefix of
  # its file in a run with room; and every file that did not take all it was given (an
  # empty one above all) is named in that line.
  "$DLTGEN" --format file --size 8M --seed 23 --timeline --restart-every 20000 -o "$work/lc.dlt"
  for kind in text dlt pcapng; do
    e=${ext[$kind]}
    rm -rf "$work/lcref" && mkdir "$work/lcref"
    "$DLTDUMP" -o "$work/lcref/%LC%.$e" "$work/lc.dlt"
    for f in "$work"/lcref/*."$e"; do
      [ "$kind" = text ] || "$DLTDUMP" "$f" > "$f.txt"
    done
    rm -f "$mnt"/*
    "$DLTDUMP" -o "$mnt/%LC%.$e" "$work/lc.dlt" > "$work/stdout" 2> "$work/err"
    rc=$?
    check "full disk, files by lifecycle, $kind: exit code" "$([ $rc -eq 5 ]; echo $?)" "exit $rc, expected 5"
    one_line "$work/err"
    check "full disk, files by lifecycle, $kind: one line on stderr" $? "stderr: $(head -c 300 "$work/err" | tr '\n' '|')"
    [ ! -s "$work/stdout" ]
    check "full disk, files by lifecycle, $kind: nothing on stdout" $?
    for f in "$mnt"/*."$e"; do
      lc=$(basename "$f" ".$e")
      why=$(whole_prefix "$kind" "$f" "$work/lcref/$lc")
      check "full disk, files by lifecycle, $kind: $lc.$e whole, a prefix of its file" $? "$why"
      if [ ! -s "$f" ]; then
        grep -qF "$f" "$work/err"
        check "full disk, files by lifecycle, $kind: the empty $lc.$e is named" $? "stderr: $(head -c 300 "$work/err")"
      fi
    done
  done
  rm -f "$mnt"/*
fi

# 2. A file size limit (ulimit -f, in KiB): SIGXFSZ must not kill dltdump mid-line.
for kind in text dlt pcapng; do
  for t in 1 2; do
    rm -f "$work/limit.${ext[$kind]}"
    (ulimit -f 1000; exec "$DLTDUMP" --threads=$t -o "$work/limit.${ext[$kind]}" "$work/big.dlt") > "$work/stdout" 2> "$work/err"
    expect_stop "file size limit, $kind output, $t thread(s)" $kind $? 5 "$work/limit.${ext[$kind]}"
  done
done

# 3. /dev/full: the console, and -o through a symbolic link (its name chooses the kind).
for t in 1 2; do
  "$DLTDUMP" --threads=$t "$work/big.dlt" > /dev/full 2> "$work/err"
  rc=$?
  check "/dev/full as the console, $t thread(s): exit code" "$([ $rc -eq 5 ]; echo $?)" "exit $rc, expected 5"
  one_line "$work/err"
  check "/dev/full as the console, $t thread(s): one line on stderr" $? "stderr: $(head -c 300 "$work/err" | tr '\n' '|')"
  for kind in text dlt pcapng; do
    ln -sf /dev/full "$work/full.${ext[$kind]}"
    "$DLTDUMP" --threads=$t -f -o "$work/full.${ext[$kind]}" "$work/big.dlt" > "$work/stdout" 2> "$work/err"
    expect_stop "/dev/full, $kind output, $t thread(s)" $kind $? 5 /dev/null
  done
done

# 4. A broken pipe on the console: stop at once, quietly, exit 0 (as ripgrep).
for t in 1 2; do
  "$DLTDUMP" --threads=$t "$work/big.dlt" 2> "$work/err" | head -1 > "$work/head.txt"
  rc=${PIPESTATUS[0]}
  check "broken pipe, $t thread(s): exit 0" "$([ "$rc" -eq 0 ]; echo $?)" "exit $rc"
  [ ! -s "$work/err" ]
  check "broken pipe, $t thread(s): nothing on stderr" $? "stderr: $(head -c 300 "$work/err" | tr '\n' '|')"
  cmp -s "$work/head.txt" <(head -1 "$work/ref.txt")
  check "broken pipe, $t thread(s): the first line" $?
done

# A FIFO drained slowly into FILE: opened at once, then 256 KiB every 20 ms after DELAY
# seconds. Its pid is in $reader. -o outputs reach the FIFO through a symbolic link whose
# name chooses the kind.
start_reader() {  # start_reader FILE DELAY
  rm -f "$work/fifo" && mkfifo "$work/fifo"
  timeout 60 "$PYTHON" -c '
import sys, time
with open(sys.argv[3], "rb", buffering=0) as fifo, open(sys.argv[1], "wb") as out:
    time.sleep(float(sys.argv[2]))  # opened at once (a writer may wait for that), read later
    while True:
        chunk = fifo.read(262144)
        if not chunk:
            break
        out.write(chunk)
        time.sleep(0.02)
' "$1" "$2" "$work/fifo" &
  reader=$!
}
# After dltdump ended: a reader still waiting to open the FIFO (no line ever reached it)
# is released, then waited for.
stop_reader() {
  : 1<> "$work/fifo"
  wait "$reader"
}
# launch KIND THREADS INPUT: dltdump into the FIFO in the background (its pid in $pid),
# with SIGINT and SIGTERM at their defaults (a background job of a script ignores SIGINT).
launch() {
  local kind=$1 t=$2 input=$3
  if [ "$kind" = text ]; then
    env --default-signal=INT,TERM "$DLTDUMP" --threads="$t" "$input" > "$work/fifo" 2> "$work/err" &
  else
    ln -sf "$work/fifo" "$work/pipe.${ext[$kind]}"
    env --default-signal=INT,TERM "$DLTDUMP" --threads="$t" -f -o "$work/pipe.${ext[$kind]}" "$input" \
      > "$work/stdout" 2> "$work/err" &
  fi
  pid=$!
}

# while_changing KIND THREADS SOURCE INPUT READER-DELAY CHANGE-DELAY COMMAND…: dltdump
# reads INPUT, a fresh copy of SOURCE, into the slow FIFO while COMMAND changes INPUT
# (CHANGE-DELAY seconds after dltdump opened it: on a loaded machine the start may take a
# while). The exit code is left in $rc, the output in $work/out.
while_changing() {
  local kind=$1 t=$2 source=$3 input=$4 reader_delay=$5 change_delay=$6 i
  shift 6
  cp "$source" "$input"
  rm -f "$work/out"
  start_reader "$work/out" "$reader_delay"
  launch "$kind" "$t" "$input"
  for i in $(seq 500); do
    opened "$pid" "$input" && break
    sleep 0.01
  done
  sleep "$change_delay"
  "$@"
  wait "$pid"
  rc=$?
  stop_reader
}
append() { cat "$1" >> "$2"; }

if [ ! -x "$PYTHON" ]; then
  skip "signals, shrinking and growing inputs: $PYTHON missing (Debian package python3)"
else
  # 5. SIGINT and SIGTERM at 50 random moments (24 under a sanitizer), 50-650 ms into a run.
  kinds=(text dlt pcapng)
  late=0
  for i in $(seq 0 $((signal_runs - 1))); do
    sig=$([ $((i % 2)) -eq 0 ] && echo INT || echo TERM)
    want=$([ $sig = INT ] && echo 130 || echo 143)
    kind=${kinds[$(((i / 2) % 3))]}
    t=$((1 + (i / 6) % 2))
    ms=$((50 + RANDOM % 600))
    rm -f "$work/out"
    start_reader "$work/out" 0
    launch $kind $t "$work/big.dlt"
    # The time counts from when dltdump catches both signals: before that, on a slow
    # machine, the default action ends a process still loading its libraries, silently.
    for _ in $(seq 1000); do
      catches_stop_signals "$pid" && break
      sleep 0.005
    done
    sleep "$(printf '0.%03d' $ms)"
    kill -s $sig $pid 2> /dev/null
    sent=$?
    wait $pid
    rc=$?
    stop_reader
    if [ $sent -ne 0 ] || { [ $rc -eq 0 ] && complete $kind "$work/out"; }; then
      late=$((late + 1))  # finished before the signal came: nothing to check
      continue
    fi
    expect_stop "SIG$sig after $ms ms, $kind output, $t thread(s)" $kind $rc $want "$work/out"
  done
  [ $late -gt 0 ] && echo "note: $late of $signal_runs runs had finished before their signal"

  # 6. An input truncated to 1 MiB while read: the lines up to there (no skip line for a
  # message the new end cut: the input did not end there, it was cut), one line naming the
  # input, exit 3 (the only input failed part-way), whatever the output kind.
  for kind in text dlt pcapng; do
    for t in 1 2; do
      while_changing $kind $t "$work/big.dlt" "$work/shrink.dlt" 0.5 0.1 truncate -s 1M "$work/shrink.dlt"
      name="input truncated while read, $kind output, $t thread(s)"
      expect_stop "$name" $kind $rc 3 "$work/out"
      grep -q shrink.dlt "$work/err"
      check "$name: the diagnostic names the input" $? "stderr: $(head -c 300 "$work/err")"
    done
  done

  # 7. An input grown while read: exit 0, nothing on stderr, at least the original
  # content's lines and at most the grown file's, whole.
  "$DLTGEN" --format file --size 8M --seed 22 -o "$work/orig.dlt"
  "$DLTGEN" --format file --size 2M --seed 23 -o "$work/more.dlt"
  cat "$work/orig.dlt" "$work/more.dlt" > "$work/grown.dlt"
  for f in orig grown; do
    "$DLTDUMP" "$work/$f.dlt" > "$work/$f.txt"
    "$DLTDUMP" -o "$work/$f.pcapng" "$work/$f.dlt"
    "$DLTDUMP" "$work/$f.pcapng" > "$work/$f.pcapng.txt"
    cp "$work/$f.txt" "$work/$f.dlt.txt"
  done
  for kind in text dlt pcapng; do
    for t in 1 2; do
      while_changing $kind $t "$work/orig.dlt" "$work/grow.dlt" 0.3 0.05 append "$work/more.dlt" "$work/grow.dlt"
      name="input grown while read, $kind output, $t thread(s)"
      check "$name: exit 0" "$([ $rc -eq 0 ]; echo $?)" "exit $rc, stderr: $(head -c 300 "$work/err")"
      [ ! -s "$work/err" ]
      check "$name: nothing on stderr" $? "stderr: $(head -c 300 "$work/err")"
      case $kind in
        text) cp "$work/out" "$work/got.txt" ;;
        dlt) "$DLTDUMP" --format=file "$work/out" > "$work/got.txt" 2> /dev/null ;;
        pcapng) "$DLTDUMP" --format=pcap "$work/out" > "$work/got.txt" 2> /dev/null ;;
      esac
      ref=$work/grown.$([ $kind = text ] && echo txt || echo "$kind.txt")
      orig=$work/orig.$([ $kind = text ] && echo txt || echo "$kind.txt")
      [ -s "$work/got.txt" ] && [ "$(tail -c 1 "$work/got.txt" | od -An -c | tr -d ' ')" = '\n' ] &&
        cmp -s -n "$(stat -c %s "$work/got.txt")" "$work/got.txt" "$ref" &&
        [ "$(stat -c %s "$work/got.txt")" -ge "$(stat -c %s "$orig")" ]
      check "$name: the original lines or more, whole" $?
    done
  done
fi

echo "fault injection: $pass passed, $fails failed, $skipped parts skipped (seed $SEED)"
if [ "$pass" -eq 0 ] && [ "$fails" -eq 0 ]; then exit 77; fi
[ "$fails" -eq 0 ]
