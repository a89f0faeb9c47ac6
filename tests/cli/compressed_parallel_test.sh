#!/usr/bin/env bash
# Compressed files decompressed side by side (issue #26, compress/decompressing_source.hpp):
# a zstd file of several frames (dltdump's own -o .zst, zstd of pieces with and without
# their sizes, a skippable frame between, a frame too large for the workers) and an xz file
# of several blocks (xz -T2) must give, on 2 and 3 threads, exactly the output of one
# thread — the lines, the exit code and the fault's line — whole, cut inside a frame or
# block, corrupt in the middle (data, a checksum, a frame's header), and past --max-ratio.
set -u
DLTDUMP=$1
DLTGEN=$2
source "$(dirname "$0")/checks.sh"

for tool in zstd xz split; do
  command -v $tool > /dev/null || { echo "SKIPPED: $tool not installed"; exit 0; }
done

# 10 MiB with garbage, damaged headers, nested packets and a cut end.
"$DLTGEN" --format file --size 10M --seed 71 --corrupt 3 --nested 10 --truncate -o "$work/x.dlt"
mkdir "$work/pieces"
split -b 1M -a 3 "$work/x.dlt" "$work/pieces/p"
"$DLTDUMP" --threads=1 "$work/x.dlt" -o "$work/own.dlt.zst" 2> /dev/null
for p in "$work"/pieces/p*; do zstd -q -c "$p"; done > "$work/sized.zst"       # sizes in the headers
for p in "$work"/pieces/p*; do zstd -q -c < "$p"; done > "$work/unsized.zst"   # none (from a pipe)
{ zstd -q -c "$work/pieces/paaa"; printf '\x50\x2a\x4d\x18\x04\x00\x00\x00meta'
  for p in "$work"/pieces/p*; do [ "$p" = "$work/pieces/paaa" ] || zstd -q -c "$p"; done; } > "$work/skippable.zst"
# A frame of 1 MiB, then one of 9 MiB, more than a worker takes: one thread's way from there.
{ head -c 1M "$work/x.dlt" | zstd -q -c; tail -c +$((1048576 + 1)) "$work/x.dlt" | zstd -q -c; } > "$work/big.zst"
xz -T2 --block-size=1MiB -c "$work/x.dlt" > "$work/blocks.xz"

# Runs FILE with OPTS on 1, 2 and 3 threads: the same exit code, lines and stderr; and on a
# pipe the same lines. Prints the one-thread stderr into $work/err1.
same_on_threads() {  # same_on_threads NAME FILE OPTS...
  local name=$1 file=$2 rc1 rc t
  shift 2
  "$DLTDUMP" --threads=1 "$@" "$file" > "$work/out1" 2> "$work/err1"; rc1=$?
  for t in 2 3; do
    "$DLTDUMP" --threads=$t "$@" "$file" > "$work/out" 2> "$work/err"; rc=$?
    expect_eq "$name --threads=$t $*: the exit code and stderr of one thread" "$rc1:$(cat "$work/err1")" \
      "$rc:$(cat "$work/err")"
    cmp -s "$work/out1" "$work/out"; st=$?; check "$name --threads=$t $*: the lines of one thread ($(wc -l < "$work/out1"))" $st
  done
  "$DLTDUMP" --threads=2 "$@" - < "$file" > "$work/out" 2> /dev/null
  [[ " $* " == *" --out=json "* ]] && sed -i "s|\"input\":\"-\"|\"input\":\"$file\"|g" "$work/out"  # JSON records name it
  cmp -s "$work/out1" "$work/out"; check "$name on a pipe $*: the lines of one thread" $?
}

# Whole: the lines of the uncompressed file.
"$DLTDUMP" --threads=1 "$work/x.dlt" > "$work/ref"
frame_opts=("" "--position" "--appid=APP1 --position" "--out=json")
sample_cases frame_opts
for f in own.dlt.zst sized.zst unsized.zst skippable.zst big.zst blocks.xz; do
  for opts in "${frame_opts[@]}"; do
    # shellcheck disable=SC2086
    same_on_threads "$f" "$work/$f" $opts
  done
  [ "$f" = own.dlt.zst ] && continue  # messages written again: the file's garbage left out
  "$DLTDUMP" --threads=2 "$work/$f" > "$work/out" 2>&1
  cmp -s "$work/ref" "$work/out"; check "$f --threads=2: the lines of the file" $?
done
expect_eq "zstd frames: own, sized, unsized (several frames each)" "yes yes yes" \
  "$(for f in own.dlt.zst sized.zst unsized.zst; do [ "$(zstd -l "$work/$f" 2> /dev/null | awk 'NR == 2 { print $1 }')" -gt 1 ] && printf 'yes ' || printf 'no '; done | sed 's/ $//')"
expect_eq "blocks.xz: several blocks" yes "$(xz -lv "$work/blocks.xz" | awk '/Blocks:/ { print ($2 > 1) ? "yes" : "no"; exit }')"

# Cut inside a frame or block, at several places: the lines and the fault's line of one
# thread (the prefix of the file's lines before it).
for f in own.dlt.zst sized.zst unsized.zst big.zst blocks.xz; do
  size=$(stat -c %s "$work/$f")
  for cut in 100 $((size / 3)) $((size / 2 + 777)) $((size - 2)); do
    head -c $cut "$work/$f" > "$work/cut.${f##*.}"
    same_on_threads "$f cut at $cut" "$work/cut.${f##*.}" --position
    grep -q "stream ends early\|data corrupt" "$work/err1"; st=$?; check "$f cut at $cut: one thread's fault: $(cat "$work/err1")" $st
  done
done
# Corrupt in the middle: data, a header's magic; a zstd frame's checksum (its last byte).
corrupt() {  # corrupt IN OUT AT LENGTH
  python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(int(sys.argv[3]), int(sys.argv[3]) + int(sys.argv[4])): d[i] ^= 0x5A
open(sys.argv[2], "wb").write(d)' "$@"
}
for f in own.dlt.zst sized.zst unsized.zst blocks.xz; do
  size=$(stat -c %s "$work/$f")
  for at in $((size / 4)) $((size / 2)) $((size * 6 / 7)); do
    corrupt "$work/$f" "$work/bad.${f##*.}" $at 64
    same_on_threads "$f corrupt at $at" "$work/bad.${f##*.}" --position
    grep -q "data corrupt\|stream ends early" "$work/err1"; st=$?; check "$f corrupt at $at: one thread's fault: $(cat "$work/err1")" $st
  done
done
first=$(zstd -q -c "$work/pieces/paaa" | wc -c)
second=$(zstd -q -c "$work/pieces/paab" | wc -c)
corrupt "$work/sized.zst" "$work/magic.zst" $((first + second)) 1           # the third frame's magic
same_on_threads "the third frame's magic changed" "$work/magic.zst"
corrupt "$work/sized.zst" "$work/sum.zst" $((first + second - 1)) 1         # the second frame's checksum
same_on_threads "the second frame's checksum changed" "$work/sum.zst"
grep -q checksum "$work/err1"; st=$?; check "the second frame's checksum: said: $(cat "$work/err1")" $st

# Small blocks (messages repeated: a block of 128 KiB compresses to a few hundred bytes) in
# two frames, corrupt in the second: every byte decompressed before the fault, then the one
# line — the same lines from the file on 1, 2 and 3 threads and from a pipe, written at once
# or in pieces of any size, and at least zstd -dc's (a new user's finding: from a pipe it
# stopped at a varying byte, from the file on a 1 MiB boundary — the blocks libzstd made in
# the call that found the fault were lost). A damaged checksum, at the end of the last
# frame: every byte, all the lines of the file.
"$DLTGEN" --format file --count 300 --seed 72 -o "$work/few.dlt"
for i in $(seq 400); do cat "$work/few.dlt"; done > "$work/rep.dlt"
half=$(($(stat -c %s "$work/rep.dlt") / 2))
{ head -c $half "$work/rep.dlt" | zstd -q -c; tail -c +$((half + 1)) "$work/rep.dlt" | zstd -q -c; } > "$work/rep.zst"
size=$(stat -c %s "$work/rep.zst")
corrupt "$work/rep.zst" "$work/repsum.zst" $((size - 1)) 1
corrupt "$work/rep.zst" "$work/repbad.zst" $((size * 3 / 4)) 16
"$DLTDUMP" --threads=1 "$work/rep.dlt" > "$work/ref"
dribble() {  # dribble FILE SEED: FILE on standard output in writes of 1 byte to 64 KiB
  python3 -c '
import os, random, sys
d = open(sys.argv[1], "rb").read(); random.seed(int(sys.argv[2])); i = 0
while i < len(d):
    n = random.choice([1, 7, 100, 3000, 17000, 65536]); os.write(1, d[i:i + n]); i += n' "$@"
}
for f in repsum.zst repbad.zst; do
  same_on_threads "$f" "$work/$f"
  made=$(sed -n 's/.*(decompressed byte \([0-9]*\)).*/\1/p' "$work/err1")
  for seed in 1 2 3; do
    dribble "$work/$f" $seed | "$DLTDUMP" --threads=1 - > "$work/out" 2> "$work/err"
    cmp -s "$work/out1" "$work/out"; check "$f written to a pipe in pieces ($seed): the lines of the file" $?
    expect_eq "$f written to a pipe in pieces ($seed): the bytes before the fault" "$made" \
      "$(sed -n 's/.*(decompressed byte \([0-9]*\)).*/\1/p' "$work/err")"
  done
  theirs=$(zstd -dc "$work/$f" 2> /dev/null | wc -c)
  [ "$made" -ge "$theirs" ]; check "$f: at least the bytes of zstd -dc ($made, zstd -dc: $theirs)" $?
  [ $f = repsum.zst ] && expect_eq "repsum.zst: every byte before the checksum" "$(stat -c %s "$work/rep.dlt")" "$made"
done
"$DLTDUMP" --threads=1 "$work/repsum.zst" 2> /dev/null | cmp -s - "$work/ref"
check "repsum.zst: the lines of the file" $?

# A bomb of frames: 100 frames of 1 MiB of zeros stop at --max-ratio where one thread stops.
head -c 1M /dev/zero | zstd -q -c > "$work/zero.zst"
for i in $(seq 100); do cat "$work/zero.zst"; done > "$work/bomb.zst"
head -c 100M /dev/zero | xz -T2 --block-size=1MiB -c > "$work/bomb.xz"
for f in bomb.zst bomb.xz; do
  same_on_threads "$f" "$work/$f" -c
  grep -q "decompression bomb" "$work/err1"; st=$?; check "$f: stopped: $(cat "$work/err1")" $st
  same_on_threads "$f --max-ratio=0" "$work/$f" -c --max-ratio=0
done

echo "compressed_parallel: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
