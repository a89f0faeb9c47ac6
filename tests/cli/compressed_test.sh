#!/usr/bin/env bash
# Compressed inputs (issue #26): gzip (one member and several), zstd (one frame and
# several), xz and bzip2 made by the standard tools, of a DLT file, network and serial
# recordings and a capture (and the shared data, when present), must print exactly the
# lines of the uncompressed file — on 1 and 2 threads, with a filter, with context, from
# standard input, sorted, below -R, into %FILE% names. A cut or corrupt stream gives a
# prefix of the lines, then one line naming the input and its offsets (exit 3; 4 beside a
# good input); a decompression bomb stops at --max-ratio.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
SHARED_DATA=${4:-}
source "$(dirname "$0")/checks.sh"

for tool in gzip zstd xz bzip2; do
  command -v $tool > /dev/null || { echo "SKIPPED: $tool not installed (every compressed case)"; exit 0; }
done

# The corpora, and the shared files when present.
"$DLTGEN" --format file --count 20000 --seed 61 -o "$work/file.dlt"
"$DLTGEN" --format net --count 3000 --seed 62 -o "$work/net.dlt"
"$DLTGEN" --format ser --count 3000 --seed 63 -o "$work/ser.dlt"
"$CAPGEN" --dlt "$work/net.dlt" --flows 4 --seed 64 -o "$work/cap.pcapng" > /dev/null
corpora=(file.dlt net.dlt ser.dlt cap.pcapng)
if [ -n "$SHARED_DATA" ] && [ -d "$SHARED_DATA" ]; then
  for f in covesa-testfile.dlt capture-2sections.pcapng; do
    [ -f "$SHARED_DATA/$f" ] && cp "$SHARED_DATA/$f" "$work/shared-$f" && corpora+=("shared-$f")
  done
else
  echo "SKIPPED: shared data not found (${SHARED_DATA:-none given}); generated corpora only"
fi

# Each corpus in each variant: VARIANT -> file suffix; two members or frames are the two
# halves of the file compressed apart and concatenated.
pack() {  # pack VARIANT IN OUT
  local half=$(($(stat -c %s "$2") / 2))
  case $1 in
    gz) gzip -c "$2" > "$3" ;;
    gz2) { head -c $half "$2" | gzip -c; tail -c +$((half + 1)) "$2" | gzip -c; } > "$3" ;;
    zst) zstd -q -c "$2" > "$3" ;;
    zst2) { head -c $half "$2" | zstd -q -c; tail -c +$((half + 1)) "$2" | zstd -q -c; } > "$3" ;;
    xz) xz -c "$2" > "$3" ;;
    bz2) bzip2 -c "$2" > "$3" ;;
  esac
}
variants=(gz gz2 zst zst2 xz bz2)
option_sets=("--threads=1" "--threads=2" "--threads=2 --appid=APP1" "--threads=1 -A 2 -B 1 --appid=APP1"
             "--threads=2 --position --out=json")
for c in "${corpora[@]}"; do
  for v in "${variants[@]}"; do pack $v "$work/$c" "$work/$c.$v"; done
  for opts in "${option_sets[@]}"; do
    # shellcheck disable=SC2086
    "$DLTDUMP" $opts "$work/$c" > "$work/ref" 2> "$work/ref.err"; ref_rc=$?
    for v in "${variants[@]}"; do
      # shellcheck disable=SC2086
      "$DLTDUMP" $opts "$work/$c.$v" > "$work/out" 2> "$work/err"; rc=$?
      expect_eq "$c.$v $opts: the exit code and stderr of the file" "$ref_rc:$(cat "$work/ref.err")" \
        "$rc:$(sed "s|$work/$c.$v|$work/$c|g" "$work/err")"
      sed -i "s|$work/$c.$v|$work/$c|g" "$work/out"  # JSON records name the input
      cmp -s "$work/ref" "$work/out"; check "$c.$v $opts: the lines of the file" $?
    done
  done
  # Standard input: compressed, and decompressed by the tool.
  "$DLTDUMP" --threads=2 "$work/$c" > "$work/ref" 2> /dev/null
  for v in gz zst2 xz bz2; do
    cat "$work/$c.$v" | "$DLTDUMP" --threads=2 - > "$work/out" 2> "$work/err"; rc=$?
    expect_eq "$c.$v on a pipe: exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
    cmp -s "$work/ref" "$work/out"; check "$c.$v on a pipe: the lines of the file" $?
  done
  zstd -dc "$work/$c.zst" | "$DLTDUMP" --threads=2 - > "$work/out" 2> /dev/null
  cmp -s "$work/ref" "$work/out"; check "zstd -dc $c.zst | dltdump -: the lines of the file" $?
done

# A zstd stream that begins with a skippable frame (as some tools write metadata).
{ printf '\x50\x2a\x4d\x18\x04\x00\x00\x00meta'; cat "$work/file.dlt.zst"; } > "$work/skippable.zst"
"$DLTDUMP" --threads=1 "$work/file.dlt" > "$work/ref"
"$DLTDUMP" --threads=1 "$work/skippable.zst" > "$work/out" 2>&1
cmp -s "$work/ref" "$work/out"; check "a zstd skippable frame first: the lines of the file" $?

# --sort over compressed inputs; -R over a folder of them; %FILE% names the input without
# its compression's extension.
"$DLTDUMP" --sort "$work/file.dlt" "$work/net.dlt" > "$work/ref" 2>&1
"$DLTDUMP" --sort "$work/file.dlt.xz" "$work/net.dlt.zst2" > "$work/out" 2>&1
cmp -s "$work/ref" "$work/out"; check "--sort over compressed inputs: the lines of the files" $?
mkdir -p "$work/plain" "$work/packed"
cp "$work/file.dlt" "$work/ser.dlt" "$work/plain/"
cp "$work/file.dlt.gz" "$work/packed/file.dlt.gz"
cp "$work/ser.dlt.bz2" "$work/packed/ser.dlt.bz2"
"$DLTDUMP" -R "$work/plain" > "$work/ref" 2>&1
"$DLTDUMP" -R "$work/packed" > "$work/out" 2>&1
cmp -s "$work/ref" "$work/out"; check "-R over a folder of compressed files: the lines of the files" $?
mkdir -p "$work/named"
(cd "$work/named" && "$DLTDUMP" -o '%FILE%.txt' "$work/file.dlt.gz" "$work/cap.pcapng.zst" 2> /dev/null)
expect_eq "%FILE% of trip.dlt.gz and cap.pcapng.zst" "cap.txt file.txt" "$(ls "$work/named" | tr '\n' ' ' | sed 's/ $//')"
"$DLTDUMP" "$work/file.dlt" | cmp -s - "$work/named/file.txt"; check "%FILE%.txt holds the file's lines" $?
# A name that begins with '-' is kept (the manual says so): written as named, not read as an option.
mkdir -p "$work/dash" && cp "$work/file.dlt.gz" "$work/dash/-x.dlt.gz"
(cd "$work/dash" && "$DLTDUMP" -o '%FILE%.txt' ./-x.dlt.gz 2> /dev/null)
expect_eq "%FILE% of ./-x.dlt.gz" "-x.dlt.gz -x.txt" "$(ls -- "$work/dash" | tr '\n' ' ' | sed 's/ $//')"
"$DLTDUMP" "$work/file.dlt" | cmp -s - "$work/dash/-x.txt"; check "%FILE% of ./-x.dlt.gz: -x.txt holds its lines" $?

# Faults. A stream cut at three quarters (past bzip2's first 900 kB block): the lines of the
# whole messages before the cut (no SKIP line for the one it cut: a new user's finding), then
# one line; the same on 1, 2 and 3 threads; exit 3, 4 beside a good input.
"$DLTDUMP" --threads=1 "$work/file.dlt" > "$work/ref"
for v in gz zst xz bz2; do
  head -c $(($(stat -c %s "$work/file.dlt.$v") * 3 / 4)) "$work/file.dlt.$v" > "$work/cut.$v"
  expect_fault_after_lines "cut .$v" 3 "$work/ref" 1000 \
    "^Input $work/cut.$v: (gzip|zstd|xz|bzip2) stream ends early at compressed byte [0-9]+ \(decompressed byte [0-9]+\): the file is cut short; decoding stopped there$" \
    "$work/cut.$v"
  cp "$work/err" "$work/err1"
  for t in 2 3; do
    "$DLTDUMP" --threads=$t "$work/cut.$v" > "$work/out2" 2> "$work/err"; rc=$?
    expect_eq "cut .$v --threads=$t: exit 3, the line of one thread" "3:$(cat "$work/err1")" "$rc:$(cat "$work/err")"
    cmp -s "$work/out" "$work/out2"; check "cut .$v --threads=$t: the lines of one thread" $?
  done
  cat "$work/cut.$v" | "$DLTDUMP" --threads=1 - > "$work/out2" 2> "$work/err"; rc=$?
  expect_eq "cut .$v on a pipe: exit 3, the same lines" "3:0" "$rc:$(cmp -s "$work/out" "$work/out2"; echo $?)"
  grep -q "^Input -: " "$work/err"; check "cut .$v on a pipe: the line names -" $?
  "$DLTDUMP" "$work/cut.$v" "$work/net.dlt" > /dev/null 2>&1
  expect_eq "cut .$v beside a good input: exit 4" 4 $?
done
# Corrupt: bytes changed in the middle (a zstd frame as the tool makes it has a checksum).
for v in gz zst xz bz2; do
  python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(len(d) // 2, len(d) // 2 + 64): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)' "$work/file.dlt.$v" "$work/bad.$v"
  "$DLTDUMP" --threads=2 "$work/bad.$v" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "corrupt .$v: exit 3" 3 $rc
  expect_eq "corrupt .$v: one line" 1 "$(wc -l < "$work/err")"
  grep -qE "^Input $work/bad.$v: (gzip|zstd|xz|bzip2) data corrupt at compressed byte [0-9]+ \(decompressed byte [0-9]+\): .+; decoding stopped there$" "$work/err"
  ok=$?  # before the substitution in the name resets $?
  check "corrupt .$v: the line names the input and the offsets: $(cat "$work/err")" $ok
  # The good bytes before the fault are decoded: about the messages the format's own tool
  # gives before it stops (xz and bzip2 check a block as it ends: the step that finds the
  # fault gave up to a block's good bytes; a deflate stream may yield a few garbled bytes
  # before its check fails, which the tool writes and the framer reads as more messages).
  tool=$(case $v in gz) echo gzip;; zst) echo zstd;; xz) echo xz;; bz2) echo bzip2;; esac)
  theirs=$("$tool" -dc "$work/bad.$v" 2> /dev/null | "$DLTDUMP" --threads=1 - 2> /dev/null | grep -vc SKIP)
  ours=$(grep -vc SKIP "$work/out")
  [ $((ours * 100)) -ge $((theirs * 99)) ]; check "corrupt .$v: the messages before the fault ($ours, $tool -dc: $theirs)" $?
done
# A zstd frame whose checksum alone is wrong (its last byte): the data zstd wrote before it
# checked are decoded too (the last block once went missing: 1 704 messages of 200 000).
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[-1] ^= 0xFF
open(sys.argv[2], "wb").write(d)' "$work/file.dlt.zst" "$work/sum.zst"
"$DLTDUMP" --threads=1 "$work/sum.zst" > "$work/out" 2> "$work/err"
ours=$(grep -vc SKIP "$work/out")
theirs=$(zstd -dc "$work/sum.zst" 2> /dev/null | "$DLTDUMP" --threads=1 - 2> /dev/null | grep -vc SKIP)
grep -q "checksum" "$work/err" && [ "$ours" -ge "$theirs" ]
st=$?
check "a zstd checksum fault: the messages zstd -dc gives ($ours, zstd -dc: $theirs): $(cat "$work/err")" $st
# At a fault the stream ends as a file's end does (a new user's finding: the bytes the
# framer held — the message the fault cut, the skip open there — got no SKIP line and were
# not counted): --stats counts every decompressed byte before the fault as a message's or
# skipped, the lines are those of the tool's output through a pipe, then the one line; the
# same on 1 and 2 threads (app/parallel/dlt_stream_blocks), the 9 MiB stream too.
"$DLTGEN" --format file --size 9M --seed 66 --corrupt 3 --nested 10 --truncate -o "$work/blocks.dlt"
gzip -c "$work/blocks.dlt" > "$work/blocks.dlt.gz"
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(len(d) * 6 // 7, len(d) * 6 // 7 + 64): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)' "$work/blocks.dlt.gz" "$work/bigbad.gz"
# sum.zst: every byte of its frame comes before the checksum that fails, so the lines are
# the whole file's; zstd -dc drops what it made in its last call (deviation Q28).
for f in bad.gz sum.zst bigbad.gz; do
  tool=$(case $f in *.gz) echo gzip;; *.zst) echo zstd;; esac)
  if [ $f = sum.zst ]; then
    "$DLTDUMP" --threads=1 "$work/file.dlt" > "$work/piped"
    like="the lines of the file"
  else
    "$tool" -dc "$work/$f" 2> /dev/null | "$DLTDUMP" --threads=1 - > "$work/piped" 2> /dev/null
    like="the lines of $tool -dc through a pipe, SKIP lines too"
  fi
  for t in 1 2; do
    "$DLTDUMP" --threads=$t "$work/$f" > "$work/out" 2> "$work/err.$t"; rc=$?
    cmp -s "$work/piped" "$work/out"; check "$f --threads=$t: $like" $?
    "$DLTDUMP" --threads=$t --stats=json "$work/$f" 2> /dev/null > "$work/stats.json"
    made=$(sed -n 's/.*(decompressed byte \([0-9]*\)).*/\1/p' "$work/err.$t")
    counted=$(python3 -c 'import json, sys; i = json.load(open(sys.argv[1]))["inputs"][0]; print(i["bytes"] + i["skipped_bytes"])' "$work/stats.json")
    expect_eq "$f --threads=$t: --stats counts every byte before the fault (exit 3)" "3:$made" "$rc:$counted"
  done
  cmp -s "$work/err.1" "$work/err.2"; st=$?; check "$f: the same line on 1 and 2 threads: $(cat "$work/err.2")" $st
done
# --sort too (a new user's finding: it dropped the SKIP line of the bytes before the fault,
# and --stats did not count them): the skip lines of a plain run (in the merged order, so
# compared as sets), every byte counted.
for f in bad.gz cut.gz cut.zst bigbad.gz; do
  "$DLTDUMP" --threads=1 "$work/$f" 2> "$work/err" | grep ' SKIP SKIP ' | sort > "$work/plain.skips"
  "$DLTDUMP" --sort "$work/$f" 2> "$work/err.sorted" | grep ' SKIP SKIP ' | sort > "$work/sorted.skips"
  expect_eq "$f --sort: the plain run's SKIP lines ($(wc -l < "$work/plain.skips")), the same line" \
    "$(cat "$work/plain.skips" "$work/err")" "$(cat "$work/sorted.skips" "$work/err.sorted")"
  made=$(sed -n 's/.*(decompressed byte \([0-9]*\)).*/\1/p' "$work/err")
  counted=$("$DLTDUMP" --sort --stats=json "$work/$f" 2> /dev/null | python3 -c '
import json, sys; i = json.load(sys.stdin)["inputs"][0]; print(i["bytes"] + i["skipped_bytes"])')
  if [[ $f == cut.* ]]; then
    # A cut: the whole messages before it (the message it cut is no skipped region).
    [ "$counted" -le "$made" ] && [ "$counted" -gt $((made - 65536 - 16)) ]
    check "$f --sort --stats: every byte before the cut's message counted ($counted of $made)" $?
  else
    expect_eq "$f --sort --stats: every byte before the fault counted" "$made" "$counted"
  fi
done
# Named as the command line gives it, in the fault's line as in the --stats row (a new
# user's finding: the line named the absolute path), and as an uncompressed input's fault
# is (a cut capture, plain and compressed).
out=$(cd "$work" && "$DLTDUMP" bad.gz 2>&1 > /dev/null)
expect_eq "relative: the fault's line" "Input bad.gz" "${out%%:*}"
out=$(cd "$work" && "$DLTDUMP" --sort bad.gz 2>&1 > /dev/null)
expect_eq "relative: the fault's line under --sort" "Input bad.gz" "${out%%:*}"
out=$(cd "$work" && "$DLTDUMP" --stats=json bad.gz 2> /dev/null | python3 -c '
import json, sys; i = json.load(sys.stdin)["inputs"][0]; print(i["input"], i["reason"][:12])')
expect_eq "relative: the --stats row" "bad.gz Input bad.gz" "$out"
head -c 20000 "$work/cap.pcapng" > "$work/cutcap.pcapng" && gzip -c "$work/cutcap.pcapng" > "$work/cutcap.pcapng.gz"
plain=$(cd "$work" && "$DLTDUMP" cutcap.pcapng 2>&1 > /dev/null)
packed=$(cd "$work" && "$DLTDUMP" cutcap.pcapng.gz 2>&1 > /dev/null)
expect_eq "relative: a cut capture, plain and compressed, named alike" "cutcap.pcapng: PCAP-NG" "${plain:0:22}"
expect_eq "relative: a cut capture, compressed" "${plain/cutcap.pcapng/cutcap.pcapng.gz}" "$packed"
# The offset names where the decoder found the fault: past the first changed byte (a
# decoder finds it there or later, at the block's or stream's check), within the file —
# also in a file small enough to be one decoder step (it once said "compressed byte 0").
"$DLTGEN" --format file --count 1200 --seed 65 -o "$work/small.dlt"
for c in small.dlt file.dlt; do
  for v in gz zst xz bz2; do
    [ -f "$work/$c.$v" ] || pack $v "$work/$c" "$work/$c.$v"
    size=$(stat -c %s "$work/$c.$v")
    python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(len(d) // 2, len(d) // 2 + 50): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)' "$work/$c.$v" "$work/mid.$v"
    "$DLTDUMP" "$work/mid.$v" > /dev/null 2> "$work/err"
    at=$(sed -n 's/.* data corrupt at compressed byte \([0-9]*\) .*/\1/p' "$work/err")
    [ -n "$at" ] && [ "$at" -ge $((size / 2)) ] && [ "$at" -le "$size" ]
    ok=$?  # before the substitution in the name resets $?
    check "$c.$v ($size bytes) corrupt from byte $((size / 2)): the offset is where it was found: $(cat "$work/err")" $ok
  done
done
# Past the end of one member, garbage: corrupt, after the whole first member's lines.
{ cat "$work/file.dlt.gz"; printf 'garbage'; } > "$work/trailing.gz"
"$DLTDUMP" --threads=1 "$work/trailing.gz" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "trailing garbage: exit 3" 3 $rc
cmp -s "$work/ref" "$work/out"; check "trailing garbage: every line of the member" $?
# Zero bytes after the last member or stream (storage padding) are ignored, as gzip and
# bzip2 do; other bytes after them are not.
for v in gz bz2; do
  { cat "$work/file.dlt.$v"; head -c 1000 /dev/zero; } > "$work/padded.$v"
  "$DLTDUMP" --threads=1 "$work/padded.$v" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "zero padding after .$v: exit 0, nothing said" "0:0" "$rc:$(wc -c < "$work/err")"
  cmp -s "$work/ref" "$work/out"; check "zero padding after .$v: every line" $?
  { cat "$work/file.dlt.$v"; head -c 100 /dev/zero; printf 'x'; } > "$work/padjunk.$v"
  "$DLTDUMP" --threads=1 "$work/padjunk.$v" > /dev/null 2> "$work/err"; rc=$?
  grep -q "data after the zero bytes that follow the last" "$work/err"
  check "junk after the zero padding of .$v: exit 3 and said ($rc: $(cat "$work/err"))" $([ $rc -eq 3 ] && echo $? || echo 1)
  grep -q "corrupt at compressed byte $(($(stat -c %s "$work/file.dlt.$v") + 100)) " "$work/err"
  check "junk after the zero padding of .$v: at the junk's byte" $?
done
# The gzip magic alone: a stream that ends early. Four layers of compression: one line.
printf '\x1f\x8b' > "$work/magic.gz"
out=$("$DLTDUMP" "$work/magic.gz" 2>&1); rc=$?
expect_eq "the gzip magic alone: exit 3, one line" \
  "3:Input $work/magic.gz: gzip stream ends early at compressed byte 2 (decompressed byte 0): the file is cut short; decoding stopped there" \
  "$rc:$out"
gzip -c "$work/file.dlt.gz" | xz -c | bzip2 -c > "$work/four.bz2"
out=$("$DLTDUMP" "$work/four.bz2" 2>&1); rc=$?
expect_eq "four layers of compression: exit 3, one line" \
  "3:Input $work/four.bz2: gzip-compressed data inside 3 layers of compression; not read (at most that many are undone)" \
  "$rc:$out"
# A bomb: 100 MiB of zeros is 1030 times smaller in gzip, 3000 in xz.
head -c 100M /dev/zero | gzip -c > "$work/bomb.gz"
head -c 100M /dev/zero | xz -c > "$work/bomb.xz"
for v in gz xz; do
  "$DLTDUMP" "$work/bomb.$v" > /dev/null 2> "$work/err"; rc=$?
  expect_eq "bomb .$v: exit 3" 3 $rc
  grep -qE "^Input $work/bomb.$v: decompressed stream over 500 times the compressed size at compressed byte [0-9]+ \(decompressed byte [0-9]+\): a likely decompression bomb \(see --max-ratio\); decoding stopped there$" "$work/err"
  ok=$?  # before the substitution in the name resets $?
  check "bomb .$v: one line: $(cat "$work/err")" $ok
done
# Past the 64 MiB floor the bound is the ratio times the compressed bytes in whole 64 KiB
# steps, and the stream is cut at it exactly: the same byte and lines from the file, a pipe
# and a pipe written in odd pieces (a new user's finding: 68157440 bytes from the file,
# 67518344 from a pipe). gzip -1 makes zeros 229 times smaller.
head -c 128M /dev/zero | gzip -1 -c > "$work/bomb1.gz"
"$DLTDUMP" --max-ratio=220 "$work/bomb1.gz" > "$work/bomb.ref" 2> "$work/err"; rc=$?
read -r at made < <(sed -nE 's/.* at compressed byte ([0-9]+) \(decompressed byte ([0-9]+)\).*/\1 \2/p' "$work/err")
expect_eq "bomb past the floor: exit 3, cut at 220 times whole 64 KiB steps" "3:0:$((220 * ${at:-1}))" \
  "$rc:$((${at:-1} % 65536)):${made:-}"
[ "${made:-0}" -gt 67108864 ]; check "bomb past the floor: past 64 MiB (${made:-})" $?
sed "s|$work/bomb1.gz|-|" "$work/err" > "$work/err.ref"
cat "$work/bomb1.gz" | "$DLTDUMP" --max-ratio=220 - > "$work/out" 2> "$work/err"
cmp -s "$work/bomb.ref" "$work/out" && cmp -s "$work/err.ref" "$work/err"; st=$?
check "bomb past the floor from a pipe: the file's lines and line: $(cat "$work/err")" $st
python3 -c '
import sys
d, i, n = open(sys.argv[1], "rb").read(), 0, 1
try:
    while i < len(d):
        sys.stdout.buffer.write(d[i:i + n]); sys.stdout.buffer.flush(); i += n; n = (n * 7 + 3) % 5000 + 1
except BrokenPipeError:
    pass' "$work/bomb1.gz" | "$DLTDUMP" --max-ratio=220 - > "$work/out" 2> "$work/err"
cmp -s "$work/bomb.ref" "$work/out" && cmp -s "$work/err.ref" "$work/err"; st=$?
check "bomb past the floor from a pipe in odd pieces: the file's lines and line: $(cat "$work/err")" $st
# A pipe of 1000-byte writes (a new user's finding: the byte named was a read's end).
dd if="$work/bomb1.gz" bs=1000 status=none | "$DLTDUMP" --max-ratio=220 - > "$work/out" 2> "$work/err"
cmp -s "$work/bomb.ref" "$work/out" && cmp -s "$work/err.ref" "$work/err"; st=$?
check "bomb past the floor from dd bs=1000: the file's lines and line: $(cat "$work/err")" $st
"$DLTDUMP" --max-ratio=0 "$work/bomb.xz" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "bomb with --max-ratio=0: read to its end (all skipped, the warning)" "0:1" "$rc:$(wc -l < "$work/err")"
out=$("$DLTDUMP" --max-ratio=x "$work/bomb.xz" 2>&1); rc=$?
expect_eq "--max-ratio=x: exit 1" "1:dltdump: Option 'max-ratio' must be a whole number from 0 to 4294967295, not 'x'" "$rc:$out"
# Nesting does not multiply the ratio: two layers of gzip, each under 500, count against
# the file's bytes (and the offset named is the file's).
head -c 256M /dev/zero | gzip -1 | gzip -9 > "$work/nested.gz"
"$DLTDUMP" -c "$work/nested.gz" > /dev/null 2> "$work/err"; rc=$?
expect_eq "nested bomb: exit 3" 3 $rc
size=$(stat -c %s "$work/nested.gz")
grep -qE "^Input $work/nested.gz: decompressed stream over 500 times the compressed size at compressed byte $size " "$work/err"
ok=$?  # before the substitution in the name resets $?
check "nested bomb: stopped, at a byte of the file ($size): $(cat "$work/err")" $ok
# Compressed data read as --format says: the lines and a warning.
"$DLTDUMP" --format=net "$work/file.dlt.zst" > /dev/null 2> "$work/err"; rc=$?
grep -q "zstd-compressed data read as a network recording, as --format says" "$work/err"
ok=$?  # before the substitution in the name resets $?
check "--format=net on .zst: warned ($rc: $(cat "$work/err"))" $ok
# Archives are read member by member (tests/cli/archive_test.sh); lz4 is named with how
# to get at the data; a zstd frame with a window over 128 MiB is not called corrupt.
{ printf '\x04\x22\x4d\x18'; head -c 100 /dev/zero; } > "$work/x.lz4"
out=$("$DLTDUMP" "$work/x.lz4" 2>&1); rc=$?
expect_eq "lz4: exit 3, named" "3:$work/x.lz4: lz4-compressed data; decompress it first (e.g. lz4 -dc $work/x.lz4 | dltdump -)" "$rc:$out"
zstd -q --long=28 -c < "$work/file.dlt" > "$work/long.zst"
"$DLTDUMP" "$work/long.zst" > /dev/null 2> "$work/err"; rc=$?
grep -q "zstd data not read at compressed byte 0 (decompressed byte 0): a frame needs a window over 128 MiB (made with zstd --long?)" "$work/err"
check "zstd --long=28: exit 3, not corrupt ($rc: $(cat "$work/err"))" $([ $rc -eq 3 ] && echo $? || echo 1)
# The advice names the file (a new user's finding: it said FILE), quoted where a shell needs
# it; standard input has no name to give.
grep -q "; decompress it first, e.g. zstd --long=31 -dc $work/long.zst | dltdump -; decoding stopped there$" "$work/err"
st=$?
check "zstd --long=28: the advice names the file: $(cat "$work/err")" $st
cp "$work/long.zst" "$work/it's long.zst"
(cd "$work" && "$DLTDUMP" "it's long.zst" > /dev/null 2> "$work/err")
grep -qF "zstd --long=31 -dc 'it'\''s long.zst' | dltdump -;" "$work/err"
st=$?
check "zstd --long=28: a name quoted for the shell: $(cat "$work/err")" $st
"$DLTDUMP" - < "$work/long.zst" > /dev/null 2> "$work/err"
grep -q "zstd --long=31 -dc FILE | dltdump -;" "$work/err"
st=$?
check "zstd --long=28 on standard input: FILE: $(cat "$work/err")" $st
# --follow does not follow compressed data.
"$DLTDUMP" --follow "$work/file.dlt.gz" > /dev/null 2>&1
expect_eq "--follow on a compressed file: exit 3" 3 $?
# Named as given, in the advice too (a new user's finding: the absolute path).
out=$(cd "$work" && "$DLTDUMP" --follow file.dlt.gz 2>&1); rc=$?
expect_eq "--follow on a compressed file given relative: named as given" \
  "3:file.dlt.gz: gzip-compressed data; decompress it first (e.g. gzip -dc file.dlt.gz | dltdump -)" "$rc:$out"

# A stream of several blocks (2 MiB), with garbage, damaged headers, packets holding a
# packet and a marker (false cuts) and a cut end, decoded on 2 threads
# (app/parallel/dlt_stream_blocks): exactly the output of one thread and of the file, for
# every output the parallel way takes, with a filter and positions; cut or corrupt at
# several places, the same lines and the same line on stderr.
"$DLTGEN" --format file --size 9M --seed 66 --corrupt 3 --nested 10 --truncate -o "$work/blocks.dlt"
zstd -q -c "$work/blocks.dlt" > "$work/blocks.dlt.zst"
gzip -c "$work/blocks.dlt" > "$work/blocks.dlt.gz"
block_opts=("" "--position" "--appid=APP1 --position" "--out=json" "--out=csv" "-c" "--stats" "--level=warn")
sample_cases block_opts
for opts in "${block_opts[@]}"; do
  # shellcheck disable=SC2086
  "$DLTDUMP" --threads=1 $opts "$work/blocks.dlt" > "$work/ref" 2>&1
  for v in zst gz; do
    for t in 1 2 3; do
      # shellcheck disable=SC2086
      "$DLTDUMP" --threads=$t $opts "$work/blocks.dlt.$v" > "$work/out" 2>&1
      if [ "$opts" = --stats ]; then  # the report tells the compression: one thread's report
        [ $t -eq 1 ] && cp "$work/out" "$work/ref"
      else
        sed -i "s|$work/blocks.dlt.$v|$work/blocks.dlt|g" "$work/out"  # JSON records name the input
      fi
      cmp -s "$work/ref" "$work/out"; check "blocks.dlt.$v --threads=$t $opts: the output of the file" $?
    done
  done
done
size=$(stat -c %s "$work/blocks.dlt.zst")
for cut in 1000 $((size / 5)) $((size / 2)) $((size - 3000)) $((size - 1)); do
  head -c $cut "$work/blocks.dlt.zst" > "$work/bcut.zst"
  "$DLTDUMP" --threads=1 --position "$work/bcut.zst" > "$work/ref" 2> "$work/ref.err"; ref_rc=$?
  "$DLTDUMP" --threads=2 --position "$work/bcut.zst" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "blocks.dlt.zst cut at $cut: the exit code and stderr of one thread" "$ref_rc:$(cat "$work/ref.err")" \
    "$rc:$(cat "$work/err")"
  cmp -s "$work/ref" "$work/out"; st=$?; check "blocks.dlt.zst cut at $cut: the lines of one thread ($(wc -l < "$work/ref"))" $st
done
for at in $((size / 7)) $((size / 2)) $((size * 6 / 7)); do
  python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(int(sys.argv[3]), int(sys.argv[3]) + 64): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)' "$work/blocks.dlt.zst" "$work/bbad.zst" $at
  "$DLTDUMP" --threads=1 "$work/bbad.zst" > "$work/ref" 2> "$work/ref.err"; ref_rc=$?
  "$DLTDUMP" --threads=2 "$work/bbad.zst" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "blocks.dlt.zst corrupt at $at: the exit code and stderr of one thread" "$ref_rc:$(cat "$work/ref.err")" \
    "$rc:$(cat "$work/err")"
  cmp -s "$work/ref" "$work/out"; st=$?; check "blocks.dlt.zst corrupt at $at: the lines of one thread ($(wc -l < "$work/ref"))" $st
done

# -c of a corrupt file whose compressed stream is cut: the warning of the regions skipped
# before the fault (the bytes of the dump's SKIP lines), then the fault's line (a new user's
# finding: a failed input's were not said).
"$DLTGEN" --format file --count 5000 --seed 5 --corrupt 5 -o "$work/cor.dlt"
gzip -c "$work/cor.dlt" > "$work/cor.dlt.gz"
head -c $(($(stat -c %s "$work/cor.dlt.gz") - 100)) "$work/cor.dlt.gz" > "$work/corcut.dlt.gz"
"$DLTDUMP" --threads=1 "$work/corcut.dlt.gz" 2> /dev/null |
  sed -n 's/.* SKIP SKIP .*Skipped: \([0-9]*\) bytes;.*/\1/p' > "$work/skips"
"$DLTDUMP" -c "$work/corcut.dlt.gz" > /dev/null 2> "$work/err"; rc=$?
expect_eq "-c of a cut corrupt .gz: exit 3, two lines" "3:2" "$rc:$(wc -l < "$work/err")"
head -n 1 "$work/err" | grep -qE "^$work/corcut.dlt.gz: $(awk '{s += $1} END {print s + 0}' "$work/skips") bytes skipped in $(wc -l < "$work/skips") regions, the first [0-9]+ at byte [0-9]+ \(read as a DLT file, no message decodes there\), not counted by -c; without -c they show as SKIP lines$"
ok=$?  # before the substitution in the name resets $?
check "-c of a cut corrupt .gz: the skipped regions' warning first: $(head -n 1 "$work/err")" $ok
sed -n 2p "$work/err" | grep -q "^Input $work/corcut.dlt.gz: gzip stream ends early at"
ok=$?
check "-c of a cut corrupt .gz: then the fault's line: $(sed -n 2p "$work/err")" $ok

# A capture whose compressed stream is cut: as the same bytes uncompressed — the partial
# packet at the cut gives no line, each flow's bytes left of a message at the end are a
# `Flushing packets at end of stream` SKIP line (deviation Q12, as at any capture's end),
# counted by --stats.
xz -c "$work/cap.pcapng" > "$work/capx.pcapng.xz"
head -c $(($(stat -c %s "$work/capx.pcapng.xz") * 3 / 5)) "$work/capx.pcapng.xz" > "$work/capcut.pcapng.xz"
xz -dc "$work/capcut.pcapng.xz" > "$work/capcut.pcapng" 2> /dev/null
"$DLTDUMP" --threads=1 "$work/capcut.pcapng" > "$work/ref" 2> /dev/null
"$DLTDUMP" --threads=1 "$work/capcut.pcapng.xz" > "$work/out" 2> /dev/null; rc=$?
cmp -s "$work/ref" "$work/out"; check "a cut .pcapng.xz: the lines of the same bytes uncompressed" $?
flushed=$(grep -c "Reason: Flushing packets at end of stream$" "$work/out")
expect_eq "a cut .pcapng.xz: exit 3, its flows flushed" "3:yes" "$rc:$([ "$flushed" -gt 0 ] && echo yes)"
"$DLTDUMP" --stats=json "$work/capcut.pcapng.xz" 2> /dev/null | python3 -c '
import json, sys; print(json.load(sys.stdin)["inputs"][0]["skipped_regions"])' > "$work/regions"
expect_eq "a cut .pcapng.xz: --stats counts the flushed regions" "$(grep -c " SKIP SKIP " "$work/out")" "$(cat "$work/regions")"

echo "compressed: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
