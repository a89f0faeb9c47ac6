#!/usr/bin/env bash
# Archived inputs (issue #26): a tar (plain, gzip, zstd, xz, bzip2) or zip archive of a DLT
# file, network and serial recordings, a capture, a compressed member and a text file must
# print exactly the lines of `dltdump member1 member2 ...` (archive order) — on 1 and 2
# threads, with a filter, with context, with --position and JSON (the members named
# archive/member) and -c, from a pipe and below -R; the text member is skipped and counted
# on one line, an encrypted zip member apart; links are ignored (a zip's symbolic link on a
# pipe too, known as one only at the archive's end). %FILE% gives
# one output per member. A cut tar or zip gives the lines before the cut, then one line
# naming the archive, the member and the offsets (exit 4: the members before were read); a
# damaged tar header (plain and in gzip) likewise, the offset where the fault was found (not
# the archive's end); a zip with data descriptors cut at its directory or just past a
# descriptor, and a tar cut inside a member's padding, give their members whole and the
# archive's cut (exit 4); a zip member whose data is damaged (a wrong CRC, corrupt or cut deflate
# data) fails alone, the members after it read, from the file and from a pipe (but on a pipe
# not past a member whose size follows its data); a hostile member name forges no
# line, writes no file outside and no hidden one; a sparse member is bounded by
# --max-ratio; members are named after the archive as given (-c, JSON, --stats, faults,
# stdin); --stats lists the skipped members (text, JSON against the schema); a full disk
# under one member's %FILE% output stops the run (exit 5; skipped without root); --sort
# refuses an archive.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
source "$(dirname "$0")/checks.sh"

# at_offset_within NAME ARCHIVE ERR WHERE: the file's byte of the line in file ERR (its
# `compressed byte`, or its `byte` for an archive not compressed)
# names where the fault was found in ARCHIVE — not its end: from the place WHERE says
# (next-member: the second zip member's local header, where the first member's data ends;
# flipped: the first byte flip_bytes changed; header: the second tar header) to at most one
# 64 KiB block of libarchive's past it.
at_offset_within() {
  local at from size
  at=$(grep -oE "at (compressed )?byte [0-9]+" "$3" | grep -oE "[0-9]+$")
  size=$(stat -c %s "$2")
  case $4 in
    next-member) from=$(/usr/bin/python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(d.find(b"PK\x03\x04", 4))' "$2") ;;
    flipped) from=$(cat "$2.flipped") ;;
    header) from=$(cat "$2.header") ;;
  esac
  [ -n "$at" ] && [ "$at" -ge "$from" ] && [ "$at" -le $((from + 65536 + 512)) ] && [ "$at" -lt "$size" ]
  check "$1: the offset is where the fault was found: $from <= ${at:-none} <= $((from + 65536 + 512)), < $size" $?
}
# archive_at NAME AT: the place a line names for archive byte AT of archive NAME (a regular
# expression): `compressed byte N (archive byte AT)` for a compressed one (*.gz), where N is
# the file's byte; `byte AT` for one that is not, the file's byte being the archive's.
archive_at() {
  case $1 in
    *.gz) echo "compressed byte [0-9]+ \\(archive byte $2\\)" ;;
    *) echo "byte $2" ;;
  esac
}
# member_at NAME: the file's byte that a line about a member's data names, for archive NAME.
member_at() {
  case $1 in
    *.gz) echo "compressed byte [0-9]+" ;;
    *) echo "byte [0-9]+" ;;
  esac
}
# The line of a cut inside a member's data (its regular expression, after the place).
cut_in_data="the file is cut short inside the member's data; reading the archive stopped there$"

for tool in tar gzip zstd xz bzip2 zip python3; do
  command -v $tool > /dev/null || { echo "SKIPPED: $tool not installed (every archive case)"; exit 0; }
done

m="$work/m"
mkdir -p "$m/sub" "$m/empty-dir"
"$DLTGEN" --format file --count 20000 --seed 71 -o "$m/file.dlt"
"$DLTGEN" --format net --count 3000 --seed 72 -o "$m/net.dlt"
"$DLTGEN" --format ser --count 3000 --seed 73 -o "$m/sub/ser.dlt"
"$CAPGEN" --dlt "$m/net.dlt" --flows 4 --seed 74 -o "$m/cap.pcapng" > /dev/null
"$DLTGEN" --format file --count 2000 --seed 75 -o "$work/more.dlt"
gzip -c "$work/more.dlt" > "$m/sub/more.dlt.gz"
echo "release notes, not DLT data" > "$m/notes.txt"
members=(file.dlt net.dlt notes.txt sub/ser.dlt sub/more.dlt.gz cap.pcapng)
dlt_members=(file.dlt net.dlt sub/ser.dlt sub/more.dlt.gz cap.pcapng)

# Each archive kind, members in the order given (a directory entry too, ignored).
(cd "$m" && tar cf "$work/a.tar" empty-dir "${members[@]}" && tar czf "$work/a.tar.gz" "${members[@]}" &&
  tar --zstd -cf "$work/a.tar.zst" "${members[@]}" && tar cJf "$work/a.tar.xz" "${members[@]}" &&
  tar cjf "$work/a.tar.bz2" "${members[@]}" && zip -q "$work/a.zip" empty-dir "${members[@]}")
check "archives made" $?
kinds=(a.tar a.tar.gz a.tar.zst a.tar.xz a.tar.bz2 a.zip)
# Read as it is with --format=file: the advice is to drop --format (a new user was told to
# extract an archive that dltdump reads itself). a.tar holds DLT files: lines, then the warning.
"$DLTDUMP" --format=file "$work/a.tar" > /dev/null 2> "$work/err"; rc=$?
expect_eq "a.tar with --format=file: read as it is, the advice to drop --format" \
  "0:$work/a.tar: a tar archive read as a DLT file, as --format says (its headers and padding skipped, its members' bytes read as stored); without --format its members are read one after another" \
  "$rc:$(cat "$work/err")"
option_sets=("--threads=1" "--threads=2" "--threads=2 --appid=APP1" "--threads=1 -A 2 -B 1 --appid=APP1"
             "--threads=2 --position --out=json" "-c")
for opts in "${option_sets[@]}"; do
  # shellcheck disable=SC2086
  (cd "$m" && "$DLTDUMP" $opts "${dlt_members[@]}" > "$work/ref" 2> "$work/ref.err"); ref_rc=$?
  for a in "${kinds[@]}"; do
    # shellcheck disable=SC2086
    "$DLTDUMP" $opts "$work/$a" > "$work/out" 2> "$work/err"; rc=$?
    expect_eq "$a $opts: exit code, the skipped member said" \
      "$ref_rc:$(cat "$work/ref.err"; echo "$work/$a: 1 archive member skipped (not DLT data)")" "$rc:$(cat "$work/err")"
    # The reference names its inputs as given (relative); members are archive/path.
    sed -i "s|$work/$a/||g" "$work/out"
    cmp -s "$work/ref" "$work/out"; check "$a $opts: the lines of the members" $?
  done
done
# JSON records and --position name the member as archive/member.
"$DLTDUMP" --out=json "$work/a.zip" 2> /dev/null | grep -o '"input":"[^"]*"' | sort -u > "$work/names"
expect_eq "JSON input fields name archive/member" \
  "\"input\":\"$work/a.zip/cap.pcapng\" \"input\":\"$work/a.zip/file.dlt\" \"input\":\"$work/a.zip/net.dlt\" \"input\":\"$work/a.zip/sub/more.dlt.gz\" \"input\":\"$work/a.zip/sub/ser.dlt\"" \
  "$(tr '\n' ' ' < "$work/names" | sed 's/ $//')"
# From standard input, and from a folder with -R.
cat "$work/a.tar.xz" | "$DLTDUMP" --threads=2 - > "$work/out" 2> /dev/null
(cd "$m" && "$DLTDUMP" --threads=2 "${dlt_members[@]}" > "$work/ref" 2> /dev/null)
cmp -s "$work/ref" "$work/out"; check "a.tar.xz on a pipe: the lines of the members" $?
cat "$work/a.zip" | "$DLTDUMP" --threads=1 - > "$work/out" 2> /dev/null
cmp -s "$work/ref" "$work/out"; check "a.zip on a pipe (read as a stream): the lines of the members" $?
mkdir -p "$work/folder"
cp "$work/a.tar.gz" "$work/folder/"
"$DLTDUMP" --threads=2 -R "$work/folder" > "$work/out" 2> /dev/null
cmp -s "$work/ref" "$work/out"; check "-R over a folder holding a.tar.gz: the lines of the members" $?

# Links (symbolic and hard: a tar stores the data once) are ignored silently.
mkdir -p "$work/links" && cp "$m/net.dlt" "$work/links/" && ln "$work/links/net.dlt" "$work/links/hard.dlt" &&
  ln -s net.dlt "$work/links/soft.dlt" && tar cf "$work/links.tar" -C "$work/links" net.dlt hard.dlt soft.dlt
"$DLTDUMP" -c "$work/links.tar" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "links: ignored, the one member counted, nothing said" "0:$work/links.tar/net.dlt:3000:" \
  "$rc:$(cat "$work/out"):$(cat "$work/err")"
# A zip's symbolic link likewise, from the file and from a pipe (a new user's finding: on a
# pipe, where the local headers give a link as a file holding its target's path and only the
# central directory at the end says it is a link, it was counted as a skipped member); a
# text member beside it is still skipped and counted.
echo "not DLT data" > "$work/links/notes.txt"
(cd "$work/links" && zip -q --symlinks "$work/links.zip" net.dlt soft.dlt notes.txt)
for how in file pipe; do
  if [ $how = file ]; then name="$work/links.zip" from="$work/links.zip"; else name=- from=-; fi
  "$DLTDUMP" -c "$from" < <(cat "$work/links.zip") > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "a zip's link ($how): ignored, the text member said" \
    "0:$name/net.dlt:3000:$name: 1 archive member skipped (not DLT data)" "$rc:$(cat "$work/out"):$(cat "$work/err")"
  out=$("$DLTDUMP" --stats=json "$from" < <(cat "$work/links.zip") 2> /dev/null | python3 -c '
import json, sys; print(json.dumps(json.load(sys.stdin)["skipped_members"]["archives"][0]["listed"]))')
  expect_eq "a zip's link ($how): --stats lists the text member only" "[{\"member\": \"$name/notes.txt\", \"reason\": \"unrecognised data\"}]" "$out"
done
(cd "$work/links" && zip -q --symlinks "$work/onlylink.zip" net.dlt soft.dlt)
cat "$work/onlylink.zip" | "$DLTDUMP" --stats=json - > "$work/out" 2> "$work/err"; rc=$?
out=$(python3 -c 'import json, sys; print("skipped_members" in json.load(open(sys.argv[1])))' "$work/out")
expect_eq "a zip's link on a pipe: nothing said, no skipped members in --stats" "0::False" "$rc:$(cat "$work/err"):$out"

# An encrypted zip member is skipped and counted apart.
(cd "$m" && zip -q -P secret "$work/enc.zip" file.dlt && zip -q "$work/enc.zip" net.dlt)
"$DLTDUMP" -c "$work/enc.zip" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "an encrypted member: skipped, said" \
  "0:$work/enc.zip/net.dlt:3000:$work/enc.zip: 1 archive member skipped (encrypted)" \
  "$rc:$(cat "$work/out"):$(cat "$work/err")"

# %FILE%: one output per member, named by its base name without compression extensions.
mkdir -p "$work/named"
(cd "$work/named" && "$DLTDUMP" -o '%FILE%.txt' "$work/a.zip" 2> /dev/null)
expect_eq "%FILE% of the members" "cap.txt file.txt more.txt net.txt ser.txt" \
  "$(ls "$work/named" | tr '\n' ' ' | sed 's/ $//')"
(cd "$m" && "$DLTDUMP" sub/more.dlt.gz) | cmp -s - "$work/named/more.txt"
check "%FILE%: more.txt holds the compressed member's lines" $?
# Names beyond ASCII: a zip's flagged UTF-8 (Python's zipfile, Java, 7-Zip) and a pax
# header's. libarchive converts them to the locale's charset, "C" in a program that sets
# none: every member was `_` (a new user's finding).
python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.write(sys.argv[2], "caf\u00e9.dlt")
    z.write(sys.argv[3], "d\u00e9j\u00e0/na\u00efve.dlt")' "$work/utf8.zip" "$m/file.dlt" "$m/net.dlt"
mkdir -p "$work/paxsrc" && cp "$m/net.dlt" "$work/paxsrc/ünï.dlt"
(cd "$work/paxsrc" && tar --format=pax -cf "$work/utf8.tar" ünï.dlt)
for locale in C C.UTF-8; do
  expect_eq "UTF-8 member names under LC_ALL=$locale: -c" \
    "$work/utf8.zip/café.dlt:20000 $work/utf8.zip/déjà/naïve.dlt:3000 $work/utf8.tar/ünï.dlt:3000" \
    "$(LC_ALL=$locale "$DLTDUMP" -c "$work/utf8.zip" "$work/utf8.tar" | tr '\n' ' ' | sed 's/ $//')"
done
expect_eq "UTF-8 member names from a pipe" "-/café.dlt:20000 -/déjà/naïve.dlt:3000" \
  "$("$DLTDUMP" -c - < "$work/utf8.zip" | tr '\n' ' ' | sed 's/ $//')"
mkdir -p "$work/utf8out"
(cd "$work/utf8out" && "$DLTDUMP" -o '%FILE%.txt' "$work/utf8.zip" "$work/utf8.tar")
expect_eq "%FILE% of UTF-8 member names" "café.txt naïve.txt ünï.txt" "$(ls "$work/utf8out" | sort | tr '\n' ' ' | sed 's/ $//')"
# Two members of one base name (a/x.dlt, b/x.dlt): the second fails, the line names both
# members (a new user's finding: it named the output file only), the archive goes on.
mkdir -p "$work/same/a" "$work/same/b" "$work/same/out" && cp "$m/net.dlt" "$work/same/a/x.dlt" &&
  cp "$m/file.dlt" "$work/same/b/x.dlt" && (cd "$work/same" && zip -q "$work/same.zip" a/x.dlt b/x.dlt)
(cd "$work/same/out" && "$DLTDUMP" -o '%FILE%.txt' "$work/same.zip" > /dev/null 2> "$work/err"); rc=$?
expect_eq "two members of one base name: exit 4, one line naming both" \
  "4:Not overwriting previously created file x.txt (the output of $work/same.zip/a/x.dlt) with the output of $work/same.zip/b/x.dlt." \
  "$rc:$(cat "$work/err")"

# Faults. A tar and a zip cut at three quarters: the lines before the cut, then one line.
(cd "$m" && tar cf "$work/two.tar" net.dlt file.dlt && zip -q "$work/two.zip" net.dlt file.dlt)
(cd "$m" && "$DLTDUMP" --threads=1 net.dlt file.dlt > "$work/ref")
for a in two.tar two.zip; do
  head -c $(($(stat -c %s "$work/$a") * 3 / 4)) "$work/$a" > "$work/cut-$a"
  # Exit 4: the first member was read whole.
  expect_fault_after_lines "cut $a" 4 "$work/ref" 10000 \
    "^Input $work/cut-$a/file.dlt: archive ends early at byte [0-9]+ \(member byte [0-9]+\): $cut_in_data" \
    "$work/cut-$a"
done
# Cut inside a compressed member, before the decompressor's first chunk was full: its lines
# before the cut still come first.
gzip -1 -c "$m/file.dlt" > "$work/packed.dlt.gz"
(cd "$work" && tar cf "$work/gzmember.tar" packed.dlt.gz)
head -c $(($(stat -c %s "$work/gzmember.tar") / 2)) "$work/gzmember.tar" > "$work/cut-gzmember.tar"
"$DLTDUMP" --threads=1 "$m/file.dlt" > "$work/ref"
expect_fault_after_lines "cut inside a gzip member" 3 "$work/ref" 1000 \
  "^Input $work/cut-gzmember.tar/packed.dlt.gz: archive ends early at byte [0-9]+ \(member byte [0-9]+\): $cut_in_data" \
  "$work/cut-gzmember.tar"
# A corrupt gzip member after a member skipped (noise): its fault names the member's own
# offset, the one the member alone gives, from a file, a pipe and inside a tar.gz (a new
# user's finding: the archive's offset, which moved with the reads).
cp "$work/packed.dlt.gz" "$work/badcrc.dlt.gz"
size=$(stat -c %s "$work/badcrc.dlt.gz")
printf '\xff\xff\xff\xff' | dd of="$work/badcrc.dlt.gz" bs=1 seek=$((size - 8)) conv=notrunc 2> /dev/null
head -c 300000 /dev/urandom > "$work/noise.bin"
(cd "$work" && tar cf "$work/badcrc.tar" noise.bin badcrc.dlt.gz && gzip -c badcrc.tar > badcrc.tar.gz)
want=$("$DLTDUMP" -c "$work/badcrc.dlt.gz" 2>&1 > /dev/null | grep -o 'gzip data corrupt at compressed byte .*')
case "$want" in *"byte $((size - 8)) "* | *"byte $((size - 4)) "*) ok=0 ;; *) ok=1 ;; esac
check "a gzip file whose CRC is wrong: the CRC's offset ($want)" $ok
for a in badcrc.tar badcrc.tar.gz; do
  got=$("$DLTDUMP" -c "$work/$a" 2>&1 | grep -o 'gzip data corrupt at compressed byte .*')
  expect_eq "$a: the member's own offset, from a file" "$want" "$got"
  got=$(cat "$work/$a" | "$DLTDUMP" -c - 2>&1 | grep -o 'gzip data corrupt at compressed byte .*')
  expect_eq "$a: the member's own offset, from a pipe" "$want" "$got"
done
# A header with a negative size (its checksum right): named where it begins (a new user's
# finding: 512 bytes late, after libarchive read it).
for which in 1; do  # a first header so damaged is no tar to libarchive: "Unrecognized archive format"
  python3 - "$work/two.tar" "$work/negsize.tar" $which << 'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = 0
for _ in range(int(sys.argv[3])):  # past a member: its header, its data rounded to 512
    at += 512 + (int(d[at + 124:at + 135], 8) + 511) // 512 * 512
d[at + 124:at + 136] = b"-0000000001\0"
d[at + 148:at + 156] = b" " * 8
d[at + 148:at + 156] = b"%06o\0 " % sum(d[at:at + 512])
open(sys.argv[2], "wb").write(d)
print(at, file=open(sys.argv[2] + ".at", "w"))
PY
  at=$(cat "$work/negsize.tar.at")
  for name in "$work/negsize.tar" -; do
    "$DLTDUMP" -c "$name" < "$work/negsize.tar" > /dev/null 2> "$work/err"
    grep -q "^Input $name: archive header corrupt at byte $at: " "$work/err"; st=$?
    check "a tar header $which with a negative size, $name: named at its start, byte $at: $(cat "$work/err")" $st
  done
done
# A tar cut inside its first header (sniffed as a tar, too short for libarchive to tell
# one): it ends early, named with the offset, as a cut inside a later header is (a new
# user's finding: "Unrecognized archive format") — plain, in gzip, on a pipe.
head -c 100 "$work/two.tar" > "$work/stub.tar"
printf 'ustar' | dd of="$work/stub.tar" bs=1 seek=257 conv=notrunc 2> /dev/null
gzip -c "$work/stub.tar" > "$work/stub.tar.gz"
for name in "$work/stub.tar" "$work/stub.tar.gz" -; do
  expect_fault "a tar cut in its first header ($name)" 3 \
    "^Input $name: archive ends early at $(archive_at "$name" 0): the file is cut short inside its first header; reading the archive stopped there$" \
    "$name" < "$work/stub.tar"
done
# A corrupt zip: bytes changed inside the second member's deflate data.
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.find(b"file.dlt", 40) + 200
for i in range(at, at + 64): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)
open(sys.argv[2] + ".flipped", "w").write(str(at))' "$work/two.zip" "$work/bad.zip"
expect_fault "corrupt zip" 4 \
  "^Input $work/bad.zip/file.dlt: archive member data not readable at byte [0-9]+ \(member byte [0-9]+\): the member's deflate data is corrupt \(ZIP decompression failed \(-3\)\); reading the member stopped there$" \
  --threads=2 "$work/bad.zip"
at_offset_within "corrupt zip" "$work/bad.zip" "$work/err" flipped
(cd "$m" && "$DLTDUMP" net.dlt) | cmp -s - <(head -n 3000 "$work/out")
check "corrupt zip: the first member's lines" $?
# A tar whose second header is damaged (its checksum wrong): libarchive skips to the next
# header it finds, which passed the members after it over without a word; now a fault at
# that header. Plain, and inside gzip (the offset is then the compressed file's).
(cd "$m" && tar cf "$work/hdr.tar" net.dlt file.dlt)
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = 512 + (int(sys.argv[3]) + 511) // 512 * 512
for i in range(at + 100, at + 160): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)
open(sys.argv[2] + ".header", "w").write(str(at))' "$work/hdr.tar" "$work/badhdr.tar" "$(stat -c %s "$m/net.dlt")"
expect_fault "a damaged tar header" 4 \
  "^Input $work/badhdr.tar: archive header corrupt at byte $(cat "$work/badhdr.tar.header"): .+; reading the archive stopped there$" \
  "$work/badhdr.tar"
gzip -c "$work/badhdr.tar" > "$work/badhdr.tar.gz"
expect_fault "a damaged tar header in a .tar.gz" 4 \
  "^Input $work/badhdr.tar.gz: archive header corrupt at compressed byte [0-9]+ \(archive byte $(cat "$work/badhdr.tar.header")\)" \
  "$work/badhdr.tar.gz"
# The header lies in the tar's first 1 MiB of 1.7: the compressed byte named is within the
# first 2/3 of the file (the decompressor, reading ahead, had used it all).
at=$(grep -oE "at compressed byte [0-9]+" "$work/err" | grep -oE "[0-9]+$")
[ -n "$at" ] && [ "$at" -lt $(($(stat -c %s "$work/badhdr.tar.gz") * 2 / 3)) ]
check "a damaged tar header in a .tar.gz: the offset is where the fault was found, not the end (${at:-none})" $?
# The damaged header after a link (ignored): the fault is the header's, not the link's (a
# new user's finding: the line named the link as the member after which the fault was).
mkdir -p "$work/lk" && cp "$m/net.dlt" "$m/file.dlt" "$work/lk/" && ln -sf net.dlt "$work/lk/soft.dlt" &&
  tar cf "$work/lk.tar" -C "$work/lk" net.dlt soft.dlt file.dlt
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = 512 + (int(sys.argv[3]) + 511) // 512 * 512 + 512  # the header after the link
for i in range(at + 100, at + 160): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)
open(sys.argv[2] + ".header", "w").write(str(at))' "$work/lk.tar" "$work/lkbad.tar" "$(stat -c %s "$m/net.dlt")"
expect_fault "a damaged tar header after a link" 4 \
  "^Input $work/lkbad.tar: archive header corrupt at byte $(cat "$work/lkbad.tar.header"): .+; reading the archive stopped there$" \
  -c "$work/lkbad.tar"
grep -q soft "$work/err"; expect_eq "a damaged tar header after a link: the link not named" 1 $?
# A tar cut exactly between members, its end marker (zero blocks) missing: GNU tar is
# silent, but the file is cut short, as a compressed stream cut there is: the lines of the
# members, then one line naming where the marker should begin (exit 4: members were read)
# — from the file, a pipe and inside gzip (a new user's finding: it ended silently, exit
# 0). An archive of zero blocks alone is still an empty one (below).
read -r second end < <(python3 -c '
import sys, tarfile
m = tarfile.open(sys.argv[1]).getmembers()
print(m[1].offset, m[1].offset_data + (m[1].size + 511) // 512 * 512)' "$work/two.tar")
head -c "$second" "$work/two.tar" > "$work/at-member.tar"
head -c "$end" "$work/two.tar" > "$work/at-end.tar"
gzip -c "$work/at-end.tar" > "$work/at-end.tar.gz"
(cd "$m" && "$DLTDUMP" --threads=1 net.dlt > "$work/ref1" && "$DLTDUMP" --threads=1 net.dlt file.dlt > "$work/ref2")
# cut_tar TITLE INPUT PIPED REASON REF: INPUT (a file, or - for PIPED on standard input)
# fails with exit 4 and the one line `Input <INPUT>: REASON` (a regular expression), after
# the lines of REF.
cut_tar() {
  expect_fault "$1" 4 "^Input $2: $4" --threads=1 "$2" < <(cat "$3")
  cmp -s "$work/out" "$work/$5"
  check "$1: the members' lines" $?
}
ends_early="the file is cut short after a member \(no end-of-archive marker, the zero blocks that end a tar\); reading the archive stopped there$"
ends_at() { echo "archive ends early at $(archive_at "$1" "$2"): $ends_early"; }
cut_tar "a tar cut between members (at-member)" "$work/at-member.tar" /dev/null "$(ends_at at-member.tar "$second")" ref1
for name in "$work/at-end.tar" "$work/at-end.tar.gz" -; do
  cut_tar "a tar cut between members ($name)" "$name" "$work/at-end.tar" "$(ends_at "$name" "$end")" ref2
done
# A tar cut inside a header: a cut, and the line names where that header begins (a new
# user's finding: it said archive byte 0) — plain, in gzip, on a pipe.
head -c $((second + 100)) "$work/two.tar" > "$work/in-header.tar"
gzip -c "$work/in-header.tar" > "$work/in-header.tar.gz"
for name in "$work/in-header.tar" "$work/in-header.tar.gz" -; do
  cut_tar "a tar cut inside a header ($name)" "$name" "$work/in-header.tar" \
    "archive ends early at $(archive_at "$name" "$second"): the file is cut short inside a member's header; reading the archive stopped there$" ref1
done
# The same inside an extended header (pax: a block, its records, then the header it
# extends), in its records or in the header after them (a new user's finding: a corrupt
# header at the pax header's start).
pax_second=$(python3 -c '
import sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    t.add(sys.argv[2], "net.dlt")
    t.add(sys.argv[3], "d\u00e9j\u00e0/file.dlt")  # a name beyond ASCII: a pax header first
print(tarfile.open(sys.argv[1]).getmembers()[1].offset)' \
  "$work/pax.tar" "$m/net.dlt" "$m/file.dlt")
for cut in 700 1200; do
  head -c $((pax_second + cut)) "$work/pax.tar" > "$work/in-pax.tar"
  cut_tar "a tar cut $cut bytes into a pax header" "$work/in-pax.tar" /dev/null \
    "archive ends early at byte $pax_second: the file is cut short inside a member's header; reading the archive stopped there$" ref1
done
# A zip cut inside a local header, the first or the second: a cut too (libarchive's
# "Truncated ZIP file header" was called a corrupt header), from a file and a pipe.
zip_second=$(python3 -c '
import sys, zipfile
print(zipfile.ZipFile(sys.argv[1]).infolist()[1].header_offset)' "$work/two.zip")
for at in 20 $((zip_second + 20)); do
  head -c $at "$work/two.zip" > "$work/zhdr.zip"
  for name in "$work/zhdr.zip" -; do
    "$DLTDUMP" -c "$name" < "$work/zhdr.zip" > /dev/null 2> "$work/err"
    grep -qE "^Input $name: archive ends early at byte $((at < zip_second ? 0 : zip_second)): the file is cut short inside a member's header; reading the archive stopped there$" "$work/err"
    st=$?
    check "a zip cut inside a header at $at ($name): a cut: $(cat "$work/err")" $st
  done
done
# A tar cut right after a member's header, none of its data there: the line, the -c count
# and the --stats row name the member (a new user's finding: -c and --stats named the
# archive) — the first member, and the second after a whole first one (exit 4).
head -c 512 "$work/two.tar" > "$work/athdr.tar"
gzip -c "$work/athdr.tar" > "$work/athdr.tar.gz"
for a in athdr.tar athdr.tar.gz; do
  expect_fault "a tar cut after its first header ($a)" 3 \
    "^Input $work/$a/net.dlt: archive ends early at $(member_at "$a") \(member byte 0\): $cut_in_data" \
    -c "$work/$a"
  expect_eq "a tar cut after its first header ($a): -c names the member" "$work/$a/net.dlt:0" "$(cat "$work/out")"
  "$DLTDUMP" --stats=json "$work/$a" 2> /dev/null | python3 -c '
import json, sys; print(" ".join(i["input"] for i in json.load(sys.stdin)["inputs"]))' > "$work/rows"
  expect_eq "a tar cut after its first header ($a): the --stats row names the member" "$work/$a/net.dlt" "$(cat "$work/rows")"
done
head -c $((second + 512)) "$work/two.tar" > "$work/hdr2.tar"
expect_fault "a tar cut after its second header" 4 \
  "^Input $work/hdr2.tar/file.dlt: archive ends early at byte [0-9]+ \(member byte 0\): $cut_in_data" \
  -c "$work/hdr2.tar"
expect_eq "a tar cut after its second header: -c names both members" \
  "$work/hdr2.tar/net.dlt:$("$DLTDUMP" -c "$m/net.dlt" | sed 's/.*://') $work/hdr2.tar/file.dlt:0" \
  "$(tr '\n' ' ' < "$work/out" | sed 's/ $//')"
# An end marker of one zero block, not two: the archive's end, without a word (every member
# is whole; libarchive, bsdtar and Python's tarfile take it so, GNU tar warns "A lone zero
# block" and exits 0) — from the file, in gzip, on a pipe.
head -c $((end + 512)) "$work/two.tar" > "$work/lone.tar"
gzip -c "$work/lone.tar" > "$work/lone.tar.gz"
for name in "$work/lone.tar" "$work/lone.tar.gz" -; do
  "$DLTDUMP" --threads=1 "$name" < "$work/lone.tar" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "a tar ending in one zero block ($name): exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/out" "$work/ref2"; check "a tar ending in one zero block ($name): the members' lines" $?
done
# Cut inside the data of a member skipped (not DLT data) past what its sniff read: the
# member is named, with the archive byte where the data ends (it was a header's fault, at
# byte 0), from the file and a pipe; then the skipped member's line.
yes "a line of text, not DLT data" | head -c 300000 > "$work/big.txt"
(cd "$work" && tar cf "$work/bigtxt.tar" big.txt -C "$m" net.dlt)
head -c 200000 "$work/bigtxt.tar" > "$work/cut-bigtxt.tar"
for how in file pipe; do
  if [ $how = file ]; then name="$work/cut-bigtxt.tar" from=$name; else name=- from=-; fi
  "$DLTDUMP" "$from" < <(cat "$work/cut-bigtxt.tar") > "$work/out" 2> "$work/err"; rc=$?
  head -n 1 "$work/err" | grep -qE "^Input $name/big.txt: archive ends early at byte 200000: the file is cut short inside a member's data; reading the archive stopped there$"
  ok=$?
  expect_eq "a tar cut inside a skipped member's data ($how): exit 3, two lines" "3:2:$name: 1 archive member skipped (not DLT data)" \
    "$rc:$(wc -l < "$work/err"):$(tail -n 1 "$work/err")"
  check "a tar cut inside a skipped member's data ($how): the line: $(head -n 1 "$work/err")" $ok
done
# A corrupt member inside (its gzip stream): that member fails, the archive goes on.
head -c 20000 "$m/sub/more.dlt.gz" > "$work/cutmember.dlt.gz"
(cd "$work" && tar cf "$work/badmember.tar" cutmember.dlt.gz -C "$m" net.dlt)
expect_fault "a cut gzip member" 4 "^Input $work/badmember.tar/cutmember.dlt.gz: gzip stream ends early" \
  "$work/badmember.tar"
(cd "$m" && "$DLTDUMP" net.dlt) | cmp -s - <(tail -n 3000 "$work/out")
check "a cut gzip member: the next member is read" $?
# A compressed tar whose checksum (after the tar's end marker) is wrong, and a zip member
# whose CRC is wrong: reported, not passed as good (a new user's finding).
python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read()); d[-8] ^= 0xFF; open(sys.argv[2], "wb").write(d)' "$work/a.tar.gz" "$work/crc.tar.gz"
# Then the line of the member it skipped (notes.txt), as after a whole archive.
"$DLTDUMP" -c "$work/crc.tar.gz" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "a .tar.gz with a wrong checksum: exit 4, the fault's line, then the skipped member's" \
  "4:Input $work/crc.tar.gz: gzip data corrupt:$work/crc.tar.gz: 1 archive member skipped (not DLT data)" \
  "$rc:$(head -n 1 "$work/err" | grep -o '^Input .*: gzip data corrupt'):$(tail -n +2 "$work/err")"
grep -q "incorrect data check" "$work/err"; check "a .tar.gz with a wrong checksum: the reason" $?
# Bytes changed inside a .tar.gz's deflate data: what gzip -t finds is the fault named, not
# a tar header the garbage made unreadable (a new user's finding: "Damaged tar archive"
# for a gzip CRC error). Flips at spread offsets: some make the deflate data invalid at
# once, others decode to garbage that only gzip's check at the end can tell.
size=$(stat -c %s "$work/a.tar.gz")
blamed_tar=0 by_check=0
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
  python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = int(sys.argv[3])
for i in range(at, at + 4): d[i] ^= 0xFF
open(sys.argv[2], "wb").write(d)' "$work/a.tar.gz" "$work/flip.tar.gz" $((size * k / 13))
  gzip -t "$work/flip.tar.gz" 2> /dev/null && continue
  "$DLTDUMP" -c "$work/flip.tar.gz" > /dev/null 2> "$work/err"
  grep -q "archive header corrupt" "$work/err" && blamed_tar=$((blamed_tar + 1))
  grep -q "gzip data corrupt.*incorrect data check" "$work/err" && by_check=$((by_check + 1))
done
expect_eq "a .tar.gz with corrupt deflate data: no tar header blamed" 0 $blamed_tar
[ $by_check -gt 0 ]; check "a .tar.gz with corrupt deflate data: gzip's check found after garbage ($by_check of 12)" $?
if [ -f "$work/two.zip" ]; then
  python3 -c '
import sys, struct
d = bytearray(open(sys.argv[1], "rb").read())
at = d.find(b"PK\x03\x04"); d[at + 14] ^= 0xFF  # the first local header CRC
c = d.find(b"PK\x01\x02"); d[c + 16] ^= 0xFF   # and the central directory one
open(sys.argv[2], "wb").write(d)' "$work/two.zip" "$work/crc.zip"
  # Found at the member's end, its data read (as a gzip stream's check); the member after it
  # is read: exit 4.
  expect_fault "a zip member with a wrong CRC" 4 \
    "^Input $work/crc.zip/net.dlt: archive member data not readable at byte [0-9]+ \(member byte $(stat -c %s "$m/net.dlt")\): ZIP bad CRC.*; reading the member stopped there$" \
    -c "$work/crc.zip"
  at_offset_within "a zip member with a wrong CRC" "$work/crc.zip" "$work/err" "next-member"
  expect_eq "a zip member with a wrong CRC: the next member read" "$work/crc.zip/net.dlt:3000 $work/crc.zip/file.dlt:20000" \
    "$(tr '\n' ' ' < "$work/out" | sed 's/ $//')"
fi
# A zip member whose data is damaged fails alone: its wrong CRC, bytes of its deflate data
# changed, its deflate data cut (the headers agreeing), from the file (read through its
# central directory) and from a pipe (read as a stream: past a member whose local header
# gives its size, as zip writes a file): the lines of the members before it and after it,
# one line naming it (a new user's finding: the members after it were not read).
for i in 1 2 3 4; do "$DLTGEN" --format file --count 3000 --seed $((90 + i)) -o "$work/m$i.dlt"; done
(cd "$work" && zip -q "$work/four.zip" m1.dlt m2.dlt m3.dlt m4.dlt && zip -q - m1.dlt m2.dlt m3.dlt m4.dlt | cat > "$work/piped.zip")
(cd "$work" && "$DLTDUMP" --threads=1 m1.dlt > "$work/ref1" && "$DLTDUMP" --threads=1 m3.dlt m4.dlt > "$work/ref34")
cat > "$work/damage.py" << 'PY'
import struct, sys
# damage.py IN OUT KIND: member m2.dlt of zip IN with its CRC wrong (both headers), 64 bytes
# of its data changed (flip), or its data cut to half (cut: its sizes and the offsets after
# it moved to agree), into OUT.
d = bytearray(open(sys.argv[1], "rb").read())
kind = sys.argv[3]
end = d.rfind(b"PK\x05\x06")
directory = struct.unpack_from("<I", d, end + 16)[0]
entries, at = [], directory
while d[at:at + 4] == b"PK\x01\x02":
    n, e, c = struct.unpack_from("<HHH", d, at + 28)
    entries.append((at, bytes(d[at + 46:at + 46 + n])))
    at += 46 + n + e + c
central = dict((name, at) for at, name in entries)[b"m2.dlt"]
local = struct.unpack_from("<I", d, central + 42)[0]
n, e = struct.unpack_from("<HH", d, local + 26)
data = local + 30 + n + e
size = struct.unpack_from("<I", d, central + 20)[0]
if kind == "crc":
    d[local + 14] ^= 0xFF
    d[central + 16] ^= 0xFF
elif kind == "flip":
    for i in range(data + size // 2, data + size // 2 + 64):
        d[i] ^= 0x5A
else:
    drop = size - size // 2
    for at, name in entries:
        offset = struct.unpack_from("<I", d, at + 42)[0]
        if offset > local:
            struct.pack_into("<I", d, at + 42, offset - drop)
    struct.pack_into("<I", d, local + 18, size // 2)
    struct.pack_into("<I", d, central + 20, size // 2)
    struct.pack_into("<I", d, end + 16, directory - drop)
    del d[data + size // 2:data + size]
open(sys.argv[2], "wb").write(d)
PY
for kind in crc flip cut; do
  python3 "$work/damage.py" "$work/four.zip" "$work/$kind.zip" $kind
  for how in file pipe; do
    if [ $how = file ]; then name="$work/$kind.zip" from="$work/$kind.zip"; else name=- from=-; fi
    expect_fault "a zip member's $kind ($how)" 4 \
      "^Input $name/m2.dlt: archive member data not readable at byte [0-9]+ \(member byte [0-9]+\): .+; reading the member stopped there$" \
      --threads=1 "$from" < <(cat "$work/$kind.zip")
    head -n 3000 "$work/out" | cmp -s - "$work/ref1"; check "a zip member's $kind ($how): the first member's lines" $?
    tail -n 6000 "$work/out" | cmp -s - "$work/ref34"; check "a zip member's $kind ($how): the members after it" $?
  done
done
# A zip whose end of central directory record is damaged — its signature, its entry count,
# its directory offset, or cut short — gives the lines of every member, then one line
# naming the archive and the damage (exit 4: its members were read), the same from the
# file and from a pipe (a new user's finding: nothing was said, and the file, read through
# a directory its record misplaced, gave nothing while the pipe gave every member).
python3 - "$work/four.zip" "$work/eocd" << 'PY'
import sys
d = bytes(open(sys.argv[1], "rb").read())
e = d.rfind(b"PK\x05\x06")
for kind, at in (("signature", 1), ("count", 10), ("offset", 16)):
    b = bytearray(d); b[e + at] ^= 0x55; open(sys.argv[2] + "-" + kind + ".zip", "wb").write(b)
open(sys.argv[2] + "-cut.zip", "wb").write(d[:e + 10])
PY
(cd "$work" && "$DLTDUMP" --threads=1 m1.dlt m2.dlt m3.dlt m4.dlt > "$work/ref1234")
for kind in signature count offset cut; do
  for how in file pipe; do
    if [ $how = file ]; then name="$work/eocd-$kind.zip" from="$work/eocd-$kind.zip"; else name=- from=-; fi
    expect_fault "a zip's end record damaged ($kind, $how)" 4 \
      "^Input $name: archive end record damaged at byte [0-9]+: .+; reading the archive stopped there$" \
      --threads=1 "$from" < <(cat "$work/eocd-$kind.zip")
    cmp -s "$work/out" "$work/ref1234"; check "a zip's end record damaged ($kind, $how): every member's lines" $?
    sed "s|^Input $name:|Input ARCHIVE:|" "$work/err" > "$work/err.$how"
  done
  cmp -s "$work/err.file" "$work/err.pipe"; check "a zip's end record damaged ($kind): the same line from the file and the pipe" $?
done
# zip writing to a pipe gives each member's sizes after its data: from the file, the central
# directory says where the next member begins; on a pipe libarchive cannot pass the
# damaged member, and the archive stops there (one line).
python3 - "$work/piped.zip" "$work/piped-bad.zip" << 'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
at = d.find(b"m2.dlt") + 200
for i in range(at, at + 64): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)
PY
expect_fault "a damaged member of zip - (file)" 4 "^Input $work/piped-bad.zip/m2.dlt: .*; reading the member stopped there$" \
  --threads=1 "$work/piped-bad.zip"
tail -n 6000 "$work/out" | cmp -s - "$work/ref34"; check "a damaged member of zip - (file): the members after it" $?
expect_fault "a damaged member of zip - (pipe)" 4 "^Input -/m2.dlt: .*; reading the archive stopped there$" \
  --threads=1 - < <(cat "$work/piped-bad.zip")
head -n 3000 "$work/out" | cmp -s - "$work/ref1"; check "a damaged member of zip - (pipe): the first member's lines" $?
# Hostile names: a newline and an escape in a member's name, a ../ path: one line each,
# escaped; %FILE% writes inside the output folder only.
python3 - "$work/hostile.tar" "$m/net.dlt" << 'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as t:
    for name in ["../../evil\nInput forged.dlt", "x/\x1b[31mred.dlt", "a/..", "l" * 5000 + ".dlt"]:
        t.add(sys.argv[2], arcname=name)
PY
mkdir -p "$work/h/out"
(cd "$work/h/out" && "$DLTDUMP" -c "$work/hostile.tar" > "$work/out" 2> "$work/err"); rc=$?
expect_eq "hostile names: exit 0, 4 counts, nothing on stderr" "0:4:" "$rc:$(wc -l < "$work/out"):$(cat "$work/err")"
grep -q "^$work/hostile.tar/../../evil?Input forged.dlt:3000$" "$work/out"
ok=$?  # before the substitution in the name resets $?
check "hostile names: control bytes shown as ?: $(head -c 300 "$work/out")" $ok
(cd "$work/h/out" && "$DLTDUMP" -o '%FILE%.txt' "$work/hostile.tar" 2> "$work/err"); rc=$?
expect_eq "hostile names: %FILE% outputs (exit 0)" "0:" "$rc:$(cat "$work/err")"
expect_eq "hostile names: nothing written outside the output folder" "out" "$(ls "$work/h")"
expect_eq "hostile names: the files written" 4 "$(ls -A "$work/h/out" | wc -l)"
# `a/..` wrote `..txt`, hidden (a new user's finding): every file is visible.
expect_eq "hostile names: no hidden file" "" "$(ls -A "$work/h/out" | grep '^[.-]')"
# A sparse member (a DLT file followed by 1 GiB of holes) is bounded by --max-ratio.
cp "$m/net.dlt" "$work/sparse.dlt" && truncate -s 1G "$work/sparse.dlt"
(cd "$work" && tar cSf "$work/sparse.tar" sparse.dlt) && rm -f "$work/sparse.dlt"
# Exit 3: no member was read whole.
expect_fault "sparse bomb" 3 \
  "^Input $work/sparse.tar/sparse.dlt: archive members over 500 times the compressed size at byte [0-9]+ \(member byte [0-9]+\): a likely decompression bomb \(see --max-ratio\); reading the archive stopped there$" \
  "$work/sparse.tar"
# Members are named after the archive as the command line gives it, in -c counts, lines,
# JSON, --stats and the lines on standard error alike (a new user's finding: -c named
# them by the archive's absolute path).
(cd "$m" && zip -q "$work/rel.zip" net.dlt notes.txt)
out=$(cd "$work" && "$DLTDUMP" -c rel.zip 2>&1)
expect_eq "relative: -c" "rel.zip/net.dlt:3000 rel.zip: 1 archive member skipped (not DLT data)" "$(echo $out)"
out=$(cd "$work" && "$DLTDUMP" --out=json rel.zip 2> /dev/null | grep -o '"input":"[^"]*"' | sort -u)
expect_eq "relative: JSON" '"input":"rel.zip/net.dlt"' "$out"
out=$(cd "$work" && "$DLTDUMP" --stats=json rel.zip 2> /dev/null | python3 -c '
import json, sys; r = json.load(sys.stdin); print(r["inputs"][0]["input"], r["skipped_members"]["archives"][0]["input"])')
expect_eq "relative: --stats" "rel.zip/net.dlt rel.zip" "$out"
out=$(cd "$work" && "$DLTDUMP" -c ./cut-two.tar 2>&1 > /dev/null)
expect_eq "relative: a member's fault" "Input ./cut-two.tar/file.dlt" "${out%%:*}"
out=$(cd "$work" && "$DLTDUMP" -c ./lkbad.tar 2>&1 > /dev/null)
expect_eq "relative: the archive's own fault" "Input ./lkbad.tar" "${out%%:*}"
out=$(cd "$work" && cat rel.zip | "$DLTDUMP" -c - 2> /dev/null)
expect_eq "standard input: -/member" "-/net.dlt:3000" "$out"

# --stats lists the skipped members: per archive how many and what they held, then by
# name (at most 100 per archive), in text and JSON (against the schema).
mkdir -p "$work/skip/texts"
: > "$work/skip/empty.dlt"
(cd "$m" && tar cf "$work/skip/inner.tar" net.dlt)
for i in $(seq 1 102); do echo "note $i" > "$work/skip/texts/t$i.txt"; done
(cd "$work/skip" && cp "$m/net.dlt" . && cp net.dlt secret.dlt && zip -q -P secret "$work/skip.zip" secret.dlt &&
  zip -q "$work/skip.zip" net.dlt empty.dlt inner.tar texts/*.txt)
"$DLTDUMP" --stats=json "$work/skip.zip" > "$work/stats.json" 2> "$work/err"; rc=$?
expect_eq "--stats of skipped members: exit 0, the line" \
  "0:$work/skip.zip: 104 archive members skipped (not DLT data), 1 archive member skipped (encrypted)" \
  "$rc:$(cat "$work/err")"
out=$(/usr/bin/python3 - "$work/stats.json" "$(dirname "$0")/../../docs/stats.schema.json" "$work/skip.zip" << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))
try:
    import jsonschema
    jsonschema.validate(r, json.load(open(sys.argv[2])))
except ImportError:
    pass
s = r["skipped_members"]
a = s["archives"][0]
z = sys.argv[3]
ok = (s["members"] == 105 and len(s["archives"]) == 1 and a["input"] == z and a["members"] == 105 and
      a["reasons"] == [{"reason": "encrypted", "members": 1}, {"reason": "empty", "members": 1},
                       {"reason": "a tar archive", "members": 1}, {"reason": "unrecognised data", "members": 102}] and
      len(a["listed"]) == 100 and a["not_listed"] == 5 and
      a["listed"][:3] == [{"member": z + "/secret.dlt", "reason": "encrypted"},
                          {"member": z + "/empty.dlt", "reason": "empty"},
                          {"member": z + "/inner.tar", "reason": "a tar archive"}] and
      a["listed"][3] == {"member": z + "/texts/t1.txt", "reason": "unrecognised data"} and
      [i["input"] for i in r["inputs"]] == [z + "/net.dlt"])
print("ok" if ok else json.dumps(s)[:600])
PY
)
expect_eq "--stats=json: skipped_members" ok "$out"
"$DLTDUMP" --stats "$work/skip.zip" 2> /dev/null |
  grep -A2 "^Skipped archive members$" | sed 's/  */ /g' | tr '\n' '|' > "$work/out"
expect_eq "--stats: the table of skipped members" \
  "Skipped archive members|archive skipped what they held|$work/skip.zip 105 1 encrypted, 1 empty, 1 a tar archive, 102 unrecognised data|" \
  "$(cat "$work/out")"
"$DLTDUMP" --stats "$work/skip.zip" 2> /dev/null |
  grep -cE "^$work/skip.zip/.*  (encrypted|empty|a tar archive|unrecognised data)$" > "$work/out"
expect_eq "--stats: 100 skipped members by name, the others counted" 100 "$(cat "$work/out")"
"$DLTDUMP" --stats "$work/skip.zip" 2> /dev/null | grep -q "^(5 more skipped members of $work/skip.zip not listed)$"
check "--stats: the members not listed counted" $?

# A full disk while one member's %FILE% output is written: every output goes to that disk,
# so the run stops, as for any input (exit 5, one line), not the member alone; the file
# holds whole lines. Needs root for a small tmpfs.
mkdir -p "$work/full"
if mount -t tmpfs -o size=64k tmpfs "$work/full" 2> /dev/null; then
  (cd "$work/full" && "$DLTDUMP" -o '%FILE%.txt' "$work/two.tar" > /dev/null 2> "$work/err"); rc=$?
  expect_eq "full disk: exit 5, one line" "5:Couldn't write to net.txt (No space left on device)" "$rc:$(cat "$work/err")"
  expect_eq "full disk: the next member is not begun" "net.txt" "$(ls "$work/full")"
  (cd "$m" && "$DLTDUMP" net.dlt) | head -n "$(wc -l < "$work/full/net.txt")" | cmp -s - "$work/full/net.txt"
  check "full disk: the member's file holds whole lines" $?
  umount "$work/full"
else
  echo "SKIPPED: full disk (cannot mount a tmpfs: not root?)"
fi

# --sort merges inputs it reads side by side: an archive is refused on one line.
out=$("$DLTDUMP" --sort "$work/a.tar.gz" 2>&1); rc=$?
expect_eq "--sort over an archive: exit 3, one line" \
  "3:$work/a.tar.gz: a tar archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, --follow or the library); extract it first (e.g. mkdir DIR && tar -xf $work/a.tar.gz -C DIR) and name its files (-R DIR)" \
  "$rc:$out"

# --follow refuses an archive naming it as given, also in the advice (a new user's
# finding: it named the absolute path).
for a in a.zip a.tar.gz; do
  out=$(cd "$work" && "$DLTDUMP" --follow "$a" 2>&1); rc=$?
  expect_eq "--follow $a (relative): exit 3, named as given" "3:$a" "$rc:${out%%: *}"
  grep -q "$work" <<< "$out"; expect_eq "--follow $a (relative): no absolute path in the line" 1 $?
done
out=$(cd "$work" && "$DLTDUMP" --follow a.zip 2>&1)
expect_eq "--follow a.zip: the advice names it as given" "a.zip: a zip archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, --follow or the library); extract it first (e.g. unzip -d DIR a.zip) and name its files (-R DIR)" "$out"

# A zip's refusal advises what these options can read (a new user's finding: it advised
# `unzip -p x.zip | dltdump -`, which they refuse as standard input): extracted files.
out=$("$DLTDUMP" --sort "$work/a.zip" 2>&1); rc=$?
expect_eq "--sort over a zip: exit 3, one line" \
  "3:$work/a.zip: a zip archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, --follow or the library); extract it first (e.g. unzip -d DIR $work/a.zip) and name its files (-R DIR)" \
  "$rc:$out"
mkdir -p "$work/unzipped" && unzip -q -d "$work/unzipped" "$work/a.zip"
# The advice names the archive as one shell word (a new user's finding: `my logs.zip` and
# `-x.zip` made commands that fail): copied into a shell, it extracts the archive.
mkdir -p "$work/odd" && cp "$work/a.zip" "$work/odd/my logs'.zip" && cp "$work/a.zip" "$work/odd/-x.zip"
for name in "my logs'.zip" "-x.zip"; do
  advice=$(cd "$work/odd" && "$DLTDUMP" --sort -- "$name" 2>&1 | sed -n 's/.*(e\.g\. \(unzip -d DIR [^)]*\)).*/\1/p')
  rm -rf "$work/odd/DIR"
  (cd "$work/odd" && eval "${advice/unzip/unzip -q}") && [ -n "$(ls "$work/odd/DIR")" ]
  check "the zip advice for '$name' is a command that extracts it ($advice)" $?
done
"$DLTDUMP" --sort -R "$work/unzipped" > /dev/null 2> "$work/err"; rc=$?
expect_eq "the advice works: --sort -R DIR reads the members (the text file said once)" \
  "0:$work/unzipped/notes.txt: no DLT message" "$rc:$(grep -o '^.*notes.txt: no DLT message' "$work/err")"
# Members of different formats joined into one stream (unzip -p): what the first member's
# format cannot read is skipped, never silently: one warning names where and what it is.
(cd "$m" && zip -q "$work/mixed.zip" file.dlt cap.pcapng)
unzip -p "$work/mixed.zip" | "$DLTDUMP" --threads=2 - > "$work/out" 2> "$work/err"; rc=$?
expect_eq "unzip -p of a DLT file and a capture: exit 0, one warning naming the capture's place" \
  "0:-: the $(stat -c %s "$m/cap.pcapng") bytes skipped at byte $(stat -c %s "$m/file.dlt") begin like a PCAP-NG capture, which is not read inside data read as a DLT file (an input's format is chosen once, by its first bytes); give each part as an input of its own" \
  "$rc:$(cat "$work/err")"
cat "$m/file.dlt" "$m/sub/ser.dlt" > "$work/joined.dlt"
"$DLTDUMP" --threads=1 "$work/joined.dlt" > /dev/null 2> "$work/err"; rc=$?
expect_eq "a DLT file with a serial recording joined: the warning" \
  "0:$work/joined.dlt: the $(stat -c %s "$m/sub/ser.dlt") bytes skipped at byte $(stat -c %s "$m/file.dlt") begin like a DLT serial recording" \
  "$rc:$(grep -o '^.* begin like a DLT serial recording' "$work/err")"
"$DLTDUMP" "$work/mixed.zip" > /dev/null 2> "$work/err"
expect_eq "the zip itself: its members read one by one, nothing said" "" "$(cat "$work/err")"

# An archive that fails part-way says what it skipped before, after the fault's line, as a
# whole one does (a new user's finding: the line was missing).
(cd "$m" && tar cf "$work/skipcut.tar" notes.txt file.dlt && zip -q "$work/skipcut.zip" notes.txt file.dlt)
for a in skipcut.tar skipcut.zip; do
  head -c $(($(stat -c %s "$work/$a") * 3 / 4)) "$work/$a" > "$work/cut-$a"
  "$DLTDUMP" "$work/cut-$a" > /dev/null 2> "$work/err"; rc=$?
  expect_eq "cut $a: the fault's line, then the skipped member's" \
    "3:Input $work/cut-$a/file.dlt: archive ends early:$work/cut-$a: 1 archive member skipped (not DLT data)" \
    "$rc:$(head -n 1 "$work/err" | grep -o '^Input .*: archive ends early'):$(tail -n +2 "$work/err")"
done

# An output file that cannot be created fails every member that would write it: said once.
"$DLTDUMP" -o "$work/no-such-dir/x.txt" "$work/a.zip" > /dev/null 2> "$work/err"; rc=$?
expect_eq "an output file that cannot be created: exit 3, one line, then the skipped member" \
  "3:Couldn't create the output file $work/no-such-dir/x.txt (No such file or directory)
$work/a.zip: 1 archive member skipped (not DLT data)" "$rc:$(cat "$work/err")"

# An empty archive is recognised as one and read as an empty input (a new user's finding: an
# empty GNU tar, no header at all, was read as a DLT file; an empty zip had no --stats row):
# nothing printed, nothing said, its row and count.
tar cf "$work/empty.tar" -T /dev/null
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1], "w").close()' "$work/empty.zip"
(cd "$m" && tar cf "$work/textonly.tar" notes.txt)
for a in empty.tar empty.zip; do
  "$DLTDUMP" "$work/$a" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$a: exit 0, nothing printed or said" "0::" "$rc:$(cat "$work/out"):$(cat "$work/err")"
  rows=$("$DLTDUMP" --stats=json "$work/$a" | python3 -c '
import json, sys; print([(i["input"], i["messages"], i["status"]) for i in json.load(sys.stdin)["inputs"]])')
  expect_eq "$a: its --stats row" "[('$work/$a', 0, 'ok')]" "$rows"
  expect_eq "$a: -c" "0" "$("$DLTDUMP" -c "$work/$a")"
done
expect_eq "an archive of a text file only: -c gives it a count" \
  "0:$work/textonly.tar: 1 archive member skipped (not DLT data)" "$("$DLTDUMP" -c "$work/textonly.tar" 2>&1 | tr '\n' ':' | sed 's/:$//')"
head -c 10000 /dev/zero > "$work/zeros-odd.bin"
"$DLTDUMP" "$work/zeros-odd.bin" > "$work/out" 2> /dev/null
grep -q " SKIP SKIP " "$work/out"; check "zeros of no tar size: still a DLT file's skip line" $?

# --lifecycles (and --lifecycle) refuse an archive likewise: nothing on standard output
# before (a new user's finding: the list's header came first).
for opt in --lifecycles --lifecycle=1; do
  "$DLTDUMP" $opt "$work/a.tar.gz" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$opt over an archive: exit 3, nothing on stdout, the refusal said" "3:0:1" \
    "$rc:$(wc -c < "$work/out"):$(grep -c "a tar archive (its members are read one after another" "$work/err")"
done

# A zip written with data descriptors (`zip -fd`, as streaming zip writers write it), cut at
# its central directory or right after a member's data descriptor (or a few bytes into the
# next header): every member's lines whole — libarchive hands a member's last block with the
# fault of reading past its descriptor — then one line naming the archive (exit 4), from
# the file and from a pipe (a new user's finding: the last block was dropped, the member
# blamed).
(cd "$m" && zip -q -fd "$work/fd.zip" file.dlt net.dlt)
read -r fd_second fd_dir < <(python3 -c '
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); print(z.infolist()[1].header_offset, z.start_dir)' "$work/fd.zip")
(cd "$m" && "$DLTDUMP" --threads=1 file.dlt > "$work/ref_fd1" && "$DLTDUMP" --threads=1 file.dlt net.dlt > "$work/ref_fd2")
fd_ends="the file is cut short after a member's data, at its data descriptor or just past it \(its CRC not checked: Truncated ZIP end-of-file record\); reading the archive stopped there$"
# expect_cut_both NAME ARCHIVE TAIL REF: ARCHIVE read from its file and from a pipe exits 4
# with one line `Input <its name>: ` and the extended regex TAIL, after the lines of REF.
expect_cut_both() {
  local what=$1 file=$2 tail=$3 ref=$4 name
  for name in "$file" -; do
    expect_fault "$what ($name)" 4 "^Input $name: $tail" --threads=1 "$name" < "$file"
    cmp -s "$work/out" "$ref"; st=$?; check "$what ($name): the lines of $(basename "$ref")" $st
  done
}
for cut in "$fd_dir ref_fd2" "$fd_second ref_fd1" "$((fd_second + 4)) ref_fd1"; do
  read -r at ref <<< "$cut"
  head -c "$at" "$work/fd.zip" > "$work/fdcut.zip"
  expect_cut_both "a -fd zip cut at byte $at" "$work/fdcut.zip" \
    "archive ends early at byte $at: $fd_ends" "$work/$ref"
done
head -c "$fd_dir" "$work/fd.zip" > "$work/fdcut.zip"
"$DLTDUMP" -c "$work/fdcut.zip" > "$work/out" 2> /dev/null
expect_eq "a -fd zip cut at its directory: -c counts every member whole" \
  "$work/fdcut.zip/file.dlt:20000 $work/fdcut.zip/net.dlt:3000 $work/fdcut.zip:0" "$(tr '\n' ' ' < "$work/out" | sed 's/ $//')"

# A tar cut inside the padding after its last member's data (its data whole): the archive is
# cut short, as one cut at the padding's end (a new user's finding: the member was blamed,
# exit 3, its --stats row failed).
(cd "$m" && tar cf "$work/pad.tar" file.dlt)
pad_end=$((512 + $(stat -c %s "$m/file.dlt")))
if [ $((pad_end % 512)) -ne 0 ]; then
  (cd "$m" && "$DLTDUMP" --threads=1 file.dlt > "$work/ref_pad")
  for at in $pad_end $((pad_end + 10)); do
    head -c $at "$work/pad.tar" > "$work/padcut.tar"
    expect_cut_both "a tar cut in its padding at $at" "$work/padcut.tar" \
      "archive ends early at byte $at: the file is cut short after a member, inside the padding" \
      "$work/ref_pad"
    "$DLTDUMP" --stats=json "$work/padcut.tar" 2> /dev/null | python3 -c '
import json, sys; print(" ".join(i["input"] + "=" + i["status"] for i in json.load(sys.stdin)["inputs"]))' > "$work/rows"
    grep -q "$work/padcut.tar/file.dlt=ok $work/padcut.tar=failed" "$work/rows"
    ok=$?  # before the substitution in the name resets $?
    check "a tar cut in its padding at $at: the member's row ok, the archive's failed ($(cat "$work/rows"))" $ok
  done
else
  echo "SKIPPED: file.dlt fills its last tar block (no padding to cut)"
fi

echo "archive: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
