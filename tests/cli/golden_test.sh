#!/usr/bin/env bash
# Golden tests of the dltdump binary: generated corpora must decode to exactly the text
# the generator says (its own record of what it wrote), in every format and chunking
# (file, pipe), plus the command-line contract: exit codes, messages, --position, stdin.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
export TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
pass=0
check() {  # check NAME CONDITION-EXIT-CODE
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
expect_eq() {  # expect_eq NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then pass=$((pass + 1)); else
    echo "FAIL: $1"; echo "  expected: $2"; echo "  actual:   $3"; fails=$((fails + 1)); fi
}

# 1. Generated corpora, byte for byte against the generator's expected text.
for fmt in file net ser; do
  for seed in 1 2 3; do
    args=(--format "$fmt" --count 2000 --seed "$seed")
    [ "$seed" -ge 2 ] && args+=(--corrupt 5)
    [ "$seed" -eq 3 ] && args+=(--truncate)
    "$DLTGEN" "${args[@]}" --expect "$work/exp" -o "$work/in"
    "$DLTDUMP" --format="$fmt" "$work/in" > "$work/out"
    check "$fmt seed $seed exit code" $?
    cmp -s "$work/exp" "$work/out"
    check "$fmt seed $seed matches the generator" $?
    # the same bytes through a pipe (read(2) chunks instead of a mapping)
    cat "$work/in" | "$DLTDUMP" --format="$fmt" - > "$work/out2"
    cmp -s "$work/exp" "$work/out2"
    check "$fmt seed $seed through stdin" $?
  done
done

# 1b. A file large enough for parallel decoding: any number of threads, the same text.
"$DLTGEN" --format file --size 9M --seed 4 --corrupt 3 --truncate --expect "$work/big.exp" -o "$work/big.dlt"
for t in 1 2 3; do
  "$DLTDUMP" --threads=$t "$work/big.dlt" > "$work/big.out"
  cmp -s "$work/big.exp" "$work/big.out"
  check "9 MiB corrupted file with --threads=$t matches the generator" $?
done
out=$("$DLTDUMP" --threads=0 x); rc=$?
expect_eq "--threads=0 is an option error" 1 "$rc"

# 1c. Resident memory stays bounded whatever the file size (mapped pages included).
if [ -n "${DLTDUMP_SANITIZED:-}" ]; then
  echo "SKIPPED: peak memory check (sanitizer build: shadow memory makes the bound meaningless)"
elif [ -x /usr/bin/time ]; then
  "$DLTGEN" --format file --size 200M --seed 5 --profile verbose -o "$work/large.dlt"
  for t in 1 2; do
    kib=$( { /usr/bin/time -f '%M' "$DLTDUMP" --threads=$t "$work/large.dlt" > /dev/null; } 2>&1 | tail -1)
    [ "$kib" -lt 65536 ]
    check "200 MB file with --threads=$t: peak RSS ${kib} KiB < 64 MiB" $?
  done
  rm -f "$work/large.dlt"
else
  echo "SKIPPED: peak memory check (/usr/bin/time missing; Debian package time)"
fi

# 2. Several inputs in order, with positions.
"$DLTGEN" --count 3 --seed 9 --expect "$work/a.exp" -o "$work/a.dlt"
"$DLTGEN" --count 2 --seed 10 --expect "$work/b.exp" -o "$work/b.dlt"
"$DLTDUMP" "$work/a.dlt" "file://$work/b.dlt" > "$work/ab"
expect_eq "two inputs concatenate" "$(cat "$work/a.exp" "$work/b.exp")" "$(cat "$work/ab")"
first=$("$DLTDUMP" --position "$work/b.dlt" | head -1)
expect_eq "--position prefix" "00000000: $(head -1 "$work/b.exp")" "$first"
second_pos=$("$DLTDUMP" --position "$work/b.dlt" | sed -n 2p | cut -d: -f1)
size_first=$(( $(stat -c %s "$work/b.dlt") ))
[ $((16#$second_pos)) -gt 0 ] && [ $((16#$second_pos)) -lt "$size_first" ]
check "--position of the second message is inside the file" $?

# 3. Exit codes and messages (spec §1.4, §1.2).
: > "$work/empty.dlt"
out=$("$DLTDUMP" "$work/empty.dlt"); rc=$?
expect_eq "empty file: no output" "" "$out"
expect_eq "empty file: exit 0" 0 "$rc"
out=$("$DLTDUMP" "$work/missing.dlt"); rc=$?
expect_eq "missing file message" "File not found $work/missing.dlt" "$out"
expect_eq "missing file exit 3" 3 "$rc"
"$DLTDUMP" "$work/missing.dlt" "$work/a.dlt" > /dev/null; rc=$?
expect_eq "one of two inputs missing: exit 4" 4 "$rc"
out=$("$DLTDUMP" --bogus x); rc=$?
expect_eq "unknown option" "Problem with the command line.
Option '--bogus' not recognized" "$out"
expect_eq "unknown option exit 1" 1 "$rc"
out=$("$DLTDUMP" --format=xyz x); rc=$?
expect_eq "bad format exit 1" 1 "$rc"
out=$("$DLTDUMP" abc:def); rc=$?
expect_eq "unknown scheme" "Don't know how to interpret abc:def." "$out"
expect_eq "unknown scheme exit 2" 2 "$rc"
"$DLTDUMP" > /dev/null; rc=$?
expect_eq "no input: exit 1" 1 "$rc"
"$DLTDUMP" --help | grep -q -- "--position"; check "--help lists --position" $?
"$DLTDUMP" --help --version | grep -q "^Usage: dltdump"; check "--help wins over --version" $?
"$DLTDUMP" --version | grep -q "^dltdump Version: "; check "--version" $?
"$DLTDUMP" --POSITION -- "$work/a.dlt" > /dev/null; check "case-insensitive long option and --" $?

# 4. Time zone: TIME is local time.
line=$(TZ=CET-1 "$DLTDUMP" "$work/a.dlt" | head -1 | cut -c1-19)
expect_eq "TZ honoured" "$(head -1 "$work/a.exp" | cut -c1-11)$(printf '%02d' $(( (10#$(head -1 "$work/a.exp" | cut -c12-13) + 1) % 24 )))$(head -1 "$work/a.exp" | cut -c14-19)" "$line"

# 5. Captures: by magic whatever the name, --udp-port, a malformed capture, the stream
#    offsets of --position.
"$DLTGEN" --format net --count 500 --seed 31 --expect "$work/c.exp" -o "$work/c.bin"
"$CAPGEN" --dlt "$work/c.bin" --flows 3 --seed 31 -o "$work/c.pcapng"
"$DLTDUMP" "$work/c.pcapng" | cut -d' ' -f3- | sort > "$work/c.got"
expect_eq "capture decodes to the generator's messages" "$(cut -d' ' -f3- "$work/c.exp" | sort)" "$(cat "$work/c.got")"
cp "$work/c.pcapng" "$work/c.bin2"
"$DLTDUMP" --format=pcap "$work/c.bin2" | cut -d' ' -f3- | sort > "$work/c.got2"
expect_eq "--format=pcap reads any name" "$(cat "$work/c.got")" "$(cat "$work/c.got2")"
n=$("$DLTDUMP" --udp-port=3491 "$work/c.pcapng" | wc -l)
expect_eq "--udp-port=3491: no DLT on that port" 0 "$n"
n=$("$DLTDUMP" --udp-port=3491,3490 "$work/c.pcapng" | grep -vc ' SKIP SKIP ')
expect_eq "--udp-port list" 500 "$n"
out=$("$DLTDUMP" --udp-port=70000 "$work/c.pcapng"); rc=$?
expect_eq "bad --udp-port exit 1" 1 "$rc"
head -c 20000 "$work/c.pcapng" > "$work/cut.pcapng"
out=$("$DLTDUMP" "$work/cut.pcapng"); rc=$?
expect_eq "truncated capture: some lines, then exit 4" 4 "$rc"
printf '%s\n' "$out" | tail -1 | grep -q "cut.pcapng: PCAP-NG truncated block .* at offset [0-9]*$"
check "truncated capture: the message names the offset" $?
printf 'not a capture at all' > "$work/bad.pcap"
out=$("$DLTDUMP" "$work/bad.pcap"); rc=$?
expect_eq "not a capture: exit 3" 3 "$rc"
expect_eq "not a capture: message" "$work/bad.pcap: not a PCAP or PCAP-NG file (starts with 6E 6F 74 20)" "$out"
: > "$work/empty.pcapng"
out=$("$DLTDUMP" "$work/empty.pcapng"); rc=$?
expect_eq "empty capture: nothing, exit 0" "0:" "$rc:$out"
# --position: the offset names the message's first byte in the file (its header type byte
# and length field are there).
pos_line=$("$DLTDUMP" --position "$work/c.pcapng" | sed -n 7p)
pos=$((16#${pos_line%%:*}))
len_in_file=$(od -An -tu1 -j $((pos + 2)) -N 2 "$work/c.pcapng" | awk '{ print $1 * 256 + $2 }')
first_byte=$(od -An -tx1 -j "$pos" -N 1 "$work/c.pcapng" | tr -d ' ')
[ "$len_in_file" -ge 4 ] && [ $((16#$first_byte & 0xE0)) -eq 32 ]
check "--position points at a DLT header in the capture (HTYP version 1, offset $pos)" $?

echo "$pass passed, $fails failed"
[ "$fails" -eq 0 ]
