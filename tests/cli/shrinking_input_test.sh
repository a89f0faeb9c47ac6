#!/usr/bin/env bash
# An input cut by another program while dltdump reads it (logrotate's copytruncate): never a
# signal death; the lines of the bytes before the cut (a prefix of the whole file's lines),
# one line on standard error naming the input, exit 3 (the only input failed).
#
# dltdump is held up by a reader that waits before it reads (a pipe for the console, a FIFO
# named as the output file for DLT and PCAP-NG), so the cut always happens mid-run.
# Usage: shrinking_input_test.sh DLTDUMP DLTGEN CAPGEN
set -u
dltdump=$1 dltgen=$2 capgen=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
export TZ=UTC
source "$(dirname "$0")/process_waits.sh"  # opened, opener, blocked_writing_pipe, wait_for
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Inputs large enough that the run cannot end before the reader starts reading: the output
# buffer, the pipe and the parallel decoders' blocks in flight hold far less.
"$dltgen" --format file --size 24000000 --seed 11 -o in.dlt
"$dltgen" --format net --size 24000000 --seed 12 -o in.net
"$dltgen" --format ser --size 24000000 --seed 13 -o in.ser
"$capgen" --dlt in.net --flows 3 --seed 14 -o in.pcapng > /dev/null
declare -A format=([in.dlt]=file [in.net]=net [in.ser]=ser [in.pcapng]=auto)

# The lines of `file` (an output read back, or text) must be the first lines of `ref`.
check_prefix() {  # what lines ref
  local n
  n=$(wc -l < "$2")
  [ "$n" -gt 0 ] || { fail "$1: no lines"; return; }
  head -n "$n" "$3" | cmp -s - "$2" || fail "$1: its $n lines are not the first lines of the whole input's"
}

check_run() {  # what rc stderr stdout-lines
  local what=$1 rc=$2 err=$3
  [ "$rc" -lt 128 ] || fail "$what: killed by signal $((rc - 128))"
  [ "$rc" -eq 3 ] || fail "$what: exit $rc, expected 3"
  [ "$(wc -l < "$err")" -eq 1 ] && grep -q "shrank from .* to 1048576 bytes" "$err" ||
    fail "$what: stderr is not the one line naming the cut: $(head -c 300 "$err")"
  grep -q "shrank" "$4" && fail "$what: the diagnostic is on standard output"
}

for in in in.dlt in.net in.ser in.pcapng; do
  fmt="--format=${format[$in]}"
  "$dltdump" "$fmt" "$in" > "ref.$in.txt" 2> /dev/null
  for out in console dlt pcapng; do
    if [ "$out" != console ]; then
      "$dltdump" "$fmt" -o "whole.$out" "$in" 2> /dev/null
      "$dltdump" "whole.$out" > "ref.$in.$out.txt" 2> /dev/null
      rm -f "whole.$out"
    fi
    for threads in 1 2; do
      what="$in -> $out, $threads thread(s)"
      cut="cut.${in#in.}"
      cp "$in" "$cut"
      if [ "$out" = console ]; then
        rm -f truncated
        { timeout 60 "$dltdump" "$fmt" --threads=$threads "$cut" 2> err.txt; echo $? > rc.txt; } |
          { wait_for 60 test -e truncated; cat; } > got.txt &
        wait_for 30 opened any "$work/$cut"
        wait_for 30 blocked_writing_pipe "$(opener "$work/$cut")"  # lines are out: the pipe is full
        truncate -s 1M "$cut"
        touch truncated  # the reader drains the pipe from now on
        wait
        check_run "$what" "$(cat rc.txt)" err.txt got.txt
        check_prefix "$what" got.txt "ref.$in.txt"
      else
        rm -f "out.$out" "got.$out"
        mkfifo "out.$out"
        rm -f truncated
        # (the reader opens the FIFO once the input is cut: until then dltdump, which has
        # opened its input, waits to open its output)
        ( wait_for 60 test -e truncated; exec timeout 60 cat "out.$out" > "got.$out" ) &
        timeout 60 "$dltdump" "$fmt" --threads=$threads -f -o "out.$out" "$cut" > so.txt 2> err.txt &
        pid=$!
        wait_for 30 opened any "$work/$cut"
        sleep 0.3
        truncate -s 1M "$cut"
        touch truncated
        wait $pid
        rc=$?
        wait
        check_run "$what" "$rc" err.txt so.txt
        [ -s so.txt ] && fail "$what: standard output is not empty"
        "$dltdump" "got.$out" > got.txt 2> /dev/null
        # A PCAP-NG or DLT stream read back: its lines, but no SKIP line (a cut message).
        grep -q " SKIP " got.txt && fail "$what: the output read back has a skipped region"
        check_prefix "$what" got.txt "ref.$in.$out.txt"
      fi
    done
  done
done

# A gzip input cut while read, the decompressor ahead of the lines (a new user's finding:
# zeros in place of the lost bytes decoded to copies of earlier output, a million lines the
# file never held): the lines of what was read before the cut, then the one line.
gzip -1 -c in.dlt > in.dlt.gz
for threads in 1 2; do
  what="in.dlt.gz cut while read, $threads thread(s)"
  cp in.dlt.gz cut.dlt.gz
  rm -f truncated
  { timeout 60 "$dltdump" --threads=$threads cut.dlt.gz 2> err.txt; echo $? > rc.txt; } |
    { wait_for 60 test -e truncated; cat; } > got.txt &
  wait_for 30 opened any "$work/cut.dlt.gz"
  wait_for 30 blocked_writing_pipe "$(opener "$work/cut.dlt.gz")"
  truncate -s 1M cut.dlt.gz
  touch truncated
  wait
  check_run "$what" "$(cat rc.txt)" err.txt got.txt
  # The whole messages before the cut, as a cut mapped file gives: no SKIP line for the
  # message the cut left partial (a new user's finding: it ended in SKIP lines).
  grep -q " SKIP " got.txt && fail "$what: the output holds a skipped region: $(grep -m 1 " SKIP " got.txt)"
  check_prefix "$what" got.txt ref.in.dlt.txt
done

# An input cut far ahead of what was written (its reader is slow from the start): every
# line of the packets before the cut is printed, on one thread and on two — not only the
# lines written before the cut was found (one thread stopped where its decoder was when it
# saw the cut: a new user's finding, for DLT files and recordings). Those lines are the ones the serial decoder
# prints for the file as cut, up to where its end-of-file lines (the open flows flushed)
# part from the whole file's. Captures whose chunks are guessed right (one whole message
# per datagram), one handed over to the pipelined decoder (messages split across
# datagrams), and a small one decoded pipelined from its start (under 2 blocks).
"$capgen" --dlt in.net --flows 3 --seed 15 --max-messages 1 --no-split -o whole.pcapng > /dev/null
"$dltgen" --format net --size 3000000 --seed 16 -o small.net
"$capgen" --dlt small.net --flows 3 --seed 17 -o small.pcapng > /dev/null
# whole.pcapng is also cut at 3 MiB, inside the chunk decoded ahead while dltdump waits on
# its first lines: that chunk's lines before the cut must go out too.
for case in whole.pcapng:3145728 whole.pcapng:half in.pcapng:half small.pcapng:half in.dlt:half in.net:half \
  in.ser:half; do
  in=${case%:*}
  fmt="--format=${format[$in]:-auto}" ext=${in##*.}
  size=$(stat -c %s "$in")
  half=${case#*:}
  [ "$half" = half ] && half=$((size / 2 / 4096 * 4096))  # a page boundary: every byte past it faults
  "$dltdump" "$fmt" "$in" > ref.txt 2> /dev/null
  head -c "$half" "$in" > "short.$ext"
  "$dltdump" "$fmt" --threads=1 "short.$ext" > short.txt 2> /dev/null
  # The lines the two share from the start: the packets' before the cut.
  differ=$(cmp ref.txt short.txt 2>&1 | sed -n 's/.* differ: .*line \([0-9]*\).*/\1/p')
  if [ -n "$differ" ]; then before=$((differ - 1)); else before=$(wc -l < short.txt); fi
  [ "$before" -gt 1000 ] || fail "$in: only $before lines before the cut at $half bytes"
  for threads in 1 2; do
    what="$in cut to $half bytes, $threads thread(s)"
    cp "$in" "cut.$ext"
    rm -f truncated
    { timeout 60 "$dltdump" "$fmt" --threads=$threads "cut.$ext" 2> err.txt; echo $? > rc.txt; } |
      { wait_for 60 test -e truncated; cat; } > got.txt &
    wait_for 30 opened any "$work/cut.$ext"
    wait_for 30 blocked_writing_pipe "$(opener "$work/cut.$ext")"
    truncate -s "$half" "cut.$ext"
    touch truncated
    wait
    rc=$(cat rc.txt)
    [ "$rc" -eq 3 ] || fail "$what: exit $rc, expected 3"
    [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "shrank from $size to $half bytes" err.txt ||
      fail "$what: stderr is not the one line naming the cut: $(head -c 300 err.txt)"
    check_prefix "$what" got.txt ref.txt
    n=$(wc -l < got.txt)
    [ "$n" -ge "$before" ] || fail "$what: $n lines, not the $before of the packets before the cut"
  done
done

# A cut at a random moment of a run that nothing holds up (the decoder may be anywhere,
# also inside the message the cut takes away): never a line or message with zeros for the
# lost bytes. The cut is at a page boundary, so every lost byte faults (a cut inside a
# page leaves that page's tail readable as zeros: see util/shrink_guard.hpp).
RANDOM=19
for out in txt dlt pcapng; do
  for i in 1 2 3 4 5 6 7 8; do
    what="cut at a random moment, -o $out, run $i"
    cp in.dlt cut.dlt
    rm -f "fast.$out"
    timeout 60 "$dltdump" --threads=1 -o "fast.$out" cut.dlt 2> err.txt &
    pid=$!
    sleep "0.0$((RANDOM % 10))"
    truncate -s 7M cut.dlt
    wait $pid
    rc=$?
    [ $rc -eq 0 ] || [ $rc -eq 3 ] || fail "$what: exit $rc"
    if [ $out = txt ]; then cp fast.txt got.txt; else "$dltdump" "fast.$out" > got.txt 2> /dev/null; fi
    ref="ref.in.dlt.$out.txt"
    [ $out = txt ] && ref=ref.in.dlt.txt
    if [ $rc -eq 0 ]; then
      # Decoded before the cut, or opened after it: a file that simply ends at 7 MiB, whose
      # last message the end cut (one skip line, as for any such file).
      tail -n 1 got.txt | grep -q " SKIP .*Reason: \(End of stream\|Flushing packets at end of stream\)$" &&
        sed -i '$d' got.txt
    fi
    grep -q " SKIP " got.txt && fail "$what: the output holds a skipped region"
    check_prefix "$what" got.txt "$ref"
  done
done

# The mechanism itself: a file that grows while it is read is read as it was when opened.
cp in.dlt grow.dlt
{ "$dltdump" --threads=1 grow.dlt 2> err.txt; echo $? > rc.txt; } | { sleep 1; cat; } > got.txt &
sleep 0.3
cat in.dlt >> grow.dlt
wait
[ "$(cat rc.txt)" -eq 0 ] || fail "grown input: exit $(cat rc.txt)"
cmp -s got.txt ref.in.dlt.txt || fail "grown input: not the lines of the file as it was opened"

if [ "$failures" -gt 0 ]; then
  echo "$failures failed"
  exit 1
fi
echo "shrinking input: all passed"
