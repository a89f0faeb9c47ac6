#!/usr/bin/env bash
# Context (-B/-A) across several inputs with every output kind, and what outlives an input
# (issue #19, defects 1, 6, 15, 17): a held context line must never be read from its
# input's memory (nor from the next input's file at its position); an output per input
# (%FILE%) starts its context afresh; -B holds at most 64 MiB; a DLT file's storage-header
# ECU survives PCAP-NG output. The DLT output of a run, decoded, must list exactly the lines
# the text output of the same run lists (SKIP messages aside, whose counter follows the
# message before them where the skip line prints -1).
# Usage: context_inputs_test.sh DLTDUMP DLTGEN CAPGEN SOURCE_DIR
# The checks on the files of ../shared/data are skipped, visibly, when they are absent.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
SRC=$4
DATA="$SRC/../shared/data"
# shellcheck source=checks.sh
. "$(dirname "$0")/checks.sh"
# A SKIP message's counter follows the message before it; its skip line's is -1.
norm() { sed -E 's/^([^ ]+ [^ ]+ [^ ]+) [0-9]+  SKIP SKIP /\1 -1  SKIP SKIP /'; }
# same_lines NAME OUTPUT.dlt TEXT: the DLT file decodes to the text's lines.
same_lines() {
  if [ ! -s "$3" ]; then echo "FAIL: $1 (the text run printed nothing: the check would prove nothing)"; fails=$((fails + 1)); return; fi
  "$DLTDUMP" "$2" 2> "$work/decode.err" | norm > "$work/decoded"
  norm < "$3" | cmp -s - "$work/decoded" && [ ! -s "$work/decode.err" ]
  check "$1" $?
}
# run_both NAME OUT.dlt ARGS...: the same run to a DLT file and to text; exit codes 0 and
# the DLT file decodes to the text's lines.
run_both() {
  local name=$1 out=$2
  shift 2
  local rc
  "$DLTDUMP" "$@" -o "$out" 2> "$work/run.err"
  rc=$?
  check "$name: exit 0 with a DLT output (exit $rc) $(head -c 200 "$work/run.err")" $rc
  "$DLTDUMP" "$@" > "$work/text" 2> /dev/null
  check "$name: exit 0 with a text output" $?
  same_lines "$name: the DLT output decodes to the text output's lines" "$out" "$work/text"
}
# cut_at_first_rare IN OUT [--format=net]: OUT = IN from its first message of APP RARE on,
# so that a run's first match comes at the start of an input and its before-context is
# held from the input before.
cut_at_first_rare() {
  local pos
  pos=$("$DLTDUMP" ${3:-} --position "$1" | grep -m1 ' RARE ' | cut -d: -f1)
  tail -c +$((16#$pos + 1)) "$1" > "$2"
}

# Generated inputs: DLT files (one corrupted) and network recordings, every 100th message
# of APP RARE; the first input ends with 50 lines that do not match, the second begins
# with a match.
"$DLTGEN" --format file --count 150 --seed 41 --corrupt 5 --rare-app RARE -o "$work/first.dlt"
"$DLTGEN" --format file --count 150 --seed 42 --rare-app RARE -o "$work/whole.dlt"
cut_at_first_rare "$work/whole.dlt" "$work/second.dlt"
"$DLTGEN" --format net --count 150 --seed 43 --rare-app RARE -o "$work/first.bin"
"$DLTGEN" --format net --count 150 --seed 44 --rare-app RARE -o "$work/whole.bin"
cut_at_first_rare "$work/whole.bin" "$work/second.bin" --format=net
"$CAPGEN" --dlt "$work/first.bin" --flows 1 --no-split --seed 43 -o "$work/first.pcapng" > /dev/null
"$CAPGEN" --dlt "$work/second.bin" --flows 1 --no-split --seed 44 -o "$work/third.pcapng" > /dev/null  # begins with a match
[ "$("$DLTDUMP" --appid=RARE "$work/second.dlt" | head -1)" = "$("$DLTDUMP" "$work/second.dlt" | head -1)" ] &&
  [ "$("$DLTDUMP" --appid=RARE "$work/third.pcapng" | head -1)" = "$("$DLTDUMP" "$work/third.pcapng" | head -1)" ]
check "the second inputs begin with a match (else nothing here tests held lines)" $?

# 1. Defect 1: held lines of an earlier input, released during a later one, written to
#    one DLT output: from their own bytes, framed as their own input was.
run_both "DLT file then DLT file, -B 3" "$work/o1.dlt" -B 3 --appid=RARE "$work/first.dlt" "$work/second.dlt"
run_both "DLT file then DLT file, -B 30 -A 2" "$work/o2.dlt" -B 30 -A 2 --appid=RARE "$work/first.dlt" "$work/second.dlt"
run_both "DLT file then capture, -B 3" "$work/o3.dlt" -B 3 --appid=RARE "$work/first.dlt" "$work/third.pcapng"
run_both "capture then DLT file, -B 3" "$work/o4.dlt" -B 3 --appid=RARE "$work/first.pcapng" "$work/second.dlt"
run_both "recording then recording, -B 3" "$work/o5.dlt" -B 3 --appid=RARE --format=net "$work/first.bin" "$work/second.bin"
# A split output names no file by a line, but is written message by message.
"$DLTDUMP" -B 3 --appid=RARE --split 64k -o "$work/part_%CTR%.dlt" "$work/first.dlt" "$work/third.pcapng"
check "DLT file then capture, split output: exit 0" $?
"$DLTDUMP" -B 3 --appid=RARE "$work/first.dlt" "$work/third.pcapng" > "$work/text"
same_lines "DLT file then capture, split output: decodes to the text output's lines" "$work/part_001.dlt" "$work/text"

# 2. Defect 6 (and 1 with %FILE%): an output per input holds exactly what that input
#    alone gives, context included; the text of a DLT output is that of the text output.
mkdir -p "$work/per_txt" "$work/per_dlt"
"$DLTDUMP" -B 3 -A 2 --appid=RARE -o "$work/per_txt/%FILE%.txt" "$work/first.dlt" "$work/second.dlt" "$work/third.pcapng"
check "-o %FILE%.txt: exit 0" $?
"$DLTDUMP" -B 3 -A 2 --appid=RARE -o "$work/per_dlt/%FILE%.dlt" "$work/first.dlt" "$work/third.pcapng"
check "-o %FILE%.dlt: exit 0" $?
for input in first.dlt second.dlt third.pcapng; do
  "$DLTDUMP" -B 3 -A 2 --appid=RARE "$work/$input" > "$work/alone"
  cmp -s "$work/alone" "$work/per_txt/${input%.*}.txt"
  check "-o %FILE%.txt: ${input%.*}.txt is what $input alone gives" $?
done
"$DLTDUMP" -B 3 -A 2 --appid=RARE "$work/first.dlt" > "$work/alone"
same_lines "-o %FILE%.dlt: first.dlt decodes to what the DLT file alone gives" "$work/per_dlt/first.dlt" "$work/alone"
"$DLTDUMP" -B 3 -A 2 --appid=RARE "$work/third.pcapng" > "$work/alone"
same_lines "-o %FILE%.dlt: third.dlt decodes to what the capture alone gives" "$work/per_dlt/third.dlt" "$work/alone"
# One combined output keeps context across inputs (the held lines of the first input
# before the second's first match).
"$DLTDUMP" -B 3 --appid=RARE "$work/first.dlt" "$work/second.dlt" > "$work/both"
{ "$DLTDUMP" -B 3 --appid=RARE "$work/first.dlt"; "$DLTDUMP" -B 3 --appid=RARE "$work/second.dlt"; } > "$work/apart"
[ "$(wc -l < "$work/both")" -eq $(($(wc -l < "$work/apart") + 3)) ]
check "one combined output carries 3 lines of context from the first input to the second" $?
# JSON and CSV records name each line's own input: the 3 context lines held from the first
# input are released while the second is read, and still name the first (with their
# positions in it).
for out in json csv; do
  "$DLTDUMP" --out=$out -B 3 --appid=RARE "$work/first.dlt" "$work/second.dlt" > "$work/both.$out"
  first=$("$DLTDUMP" --out=$out -B 3 --appid=RARE "$work/first.dlt" | grep -c 'first\.dlt')
  second=$("$DLTDUMP" --out=$out -B 3 --appid=RARE "$work/second.dlt" | grep -c 'second\.dlt')
  [ "$(grep -c 'first\.dlt' "$work/both.$out")" -eq $((first + 3)) ] &&
    [ "$(grep -c 'second\.dlt' "$work/both.$out")" -eq "$second" ]
  check "--out=$out: the 3 context lines held from the first input name it" $?
done

# 3. Defect 15: a DLT file whose messages have their ECU only in the storage header (the
#    generator leaves WEID out of some) exported to PCAP-NG reads back with the same ECUs.
"$DLTGEN" --format file --count 300 --seed 45 -o "$work/ecus.dlt"
"$DLTDUMP" -o "$work/ecus.pcapng" "$work/ecus.dlt"
check "DLT -> PCAP-NG: exit 0" $?
cmp -s <("$DLTDUMP" "$work/ecus.dlt" | cut -d' ' -f5) <("$DLTDUMP" "$work/ecus.pcapng" | cut -d' ' -f5)
check "DLT -> PCAP-NG -> lines: the same ECU column" $?
cmp -s <("$DLTDUMP" "$work/ecus.dlt") <("$DLTDUMP" "$work/ecus.pcapng")
check "DLT -> PCAP-NG -> lines: the same lines" $?

# 4. Defect 17: -B holds at most 64 MiB of lines. 1200 messages of 60 kB before a match
#    (72 MB) with -B 2000: the most recent ones that fit are shown, and stderr says so.
big_message() {  # big_message APP: a DLT file message whose text is 60000 x's
  printf 'DLT\x01\x00\x00\x00\x00\x00\x00\x00\x00STOR\x21\x00\xea\x75\x41\x01%s\x00\x00\x00CTX1\x00\x02\x00\x00\x61\xea' "$1"
  head -c 60000 /dev/zero | tr '\0' x
  printf '\x00'
}
big_message a > "$work/x1"
for k in 2 4 8 16 32 64 128 256 512 1024; do cat "$work/x$((k / 2))" "$work/x$((k / 2))" > "$work/x$k"; done
cat "$work"/x{1024,128,32,16} > "$work/big.dlt"  # 1200 of them
big_message M >> "$work/big.dlt"
rm -f "$work"/x*
lines=$("$DLTDUMP" -B 2000 --appid=M "$work/big.dlt" 2> "$work/big.err" | wc -l)
[ "$lines" -gt 1000 ] && [ "$lines" -le 1119 ]
check "-B 2000 over 60 kB messages shows what fits in 64 MiB ($lines lines)" $?
[ "$(cat "$work/big.err")" = "Option 'before-context': matches shown with fewer lines before them than asked: 1 (the lines held for context are limited to 64 MiB)" ]
check "-B 2000 over 60 kB messages: one line on stderr says the context was cut" $?
"$DLTDUMP" -B 500 --appid=M "$work/big.dlt" 2> "$work/big.err" | tail -1 | grep -q ' M CTX1 .* verbose 1 x' && [ ! -s "$work/big.err" ]
check "-B 500 over 60 kB messages: within the bound, nothing said" $?
rm -f "$work/big.dlt"

# 5. The issue's own commands, on the files of ../shared/data.
if [ -f "$DATA/covesa-daemon-recording.dlt" ] && [ -f "$DATA/covesa-testfile.dlt" ]; then
  for first in covesa-daemon-recording.dlt covesa-testfile.dlt; do
    run_both "issue #19 command with $first" "$work/shared_$first" -B 3 --appid=NAV "$DATA/$first" \
      "$SRC/examples/sample-corrupt.dlt"
  done
  "$DLTDUMP" -B 3 --appid=NAV -o "$work/cov_%FILE%.dlt" "$DATA/covesa-testfile.dlt" "$SRC/examples/sample-corrupt.dlt"
  check "issue #19 command with -o %FILE%.dlt: exit 0" $?
  "$DLTDUMP" -B 3 --appid=NAV "$SRC/examples/sample-corrupt.dlt" > "$work/alone"
  same_lines "issue #19 command with -o %FILE%.dlt: sample-corrupt alone" "$work/cov_sample-corrupt.dlt" "$work/alone"
else
  echo "SKIPPED: the issue's commands on ../shared/data (covesa-*.dlt not found in $DATA)"
fi

# 6. A PCAP-NG output is the same for the same input, whenever and on however many threads
# it is written (its statistics end at the last packet's time, not at the time of writing).
"$DLTDUMP" --threads=1 -o "$work/again1.pcapng" "$SRC/examples/sample.dlt"
sleep 1.1
"$DLTDUMP" --threads=2 -o "$work/again2.pcapng" "$SRC/examples/sample.dlt"
cmp -s "$work/again1.pcapng" "$work/again2.pcapng"
check "a PCAP-NG output written twice is the same file" $?

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
