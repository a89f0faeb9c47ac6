#!/usr/bin/env bash
# Compressed inputs (issue #26), side by side in one run, output to /dev/null, page cache
# warm, medians of several runs, on a generated corpus (dltgen, the mixed profile)
# compressed by the standard tools:
#   gzip -dc X.dlt.gz            the decompressor alone (the reference)
#   dltdump X.dlt.gz             decompressed and decoded to text lines   (target <= 1.15x)
#   zstd -dc X.dlt.zst           likewise for zstd
#   dltdump X.dlt.zst                                                     (target <= 1.15x)
#   dltdump --threads=1 X.dlt    the uncompressed file decoded on one core (what a
#                                compressed input's decoding costs by itself)
# Usage: bench/compare_compressed.sh [BUILD_DIR] [SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "${1:-build}" "${2:-1024}" 100 "${3:-5}"
corpus=$work/compressed-${size_mb}M.dlt
[ -f "$corpus" ] || "$gen" --size "${size_mb}M" --seed 7 -o "$corpus"
[ -f "$corpus.gz" ] || gzip -c "$corpus" > "$corpus.gz"
[ -f "$corpus.zst" ] || zstd -q -c "$corpus" > "$corpus.zst"

machine_line
echo "corpus: $corpus ($(stat -c %s "$corpus") bytes; .gz $(stat -c %s "$corpus.gz"), .zst $(stat -c %s "$corpus.zst") bytes, gzip -6 and zstd -3); $runs runs each, medians"
mapfile -t t < <(medians "gzip -dc '$corpus.gz' > /dev/null" "'$dltdump' '$corpus.gz' > /dev/null" \
  "zstd -dc '$corpus.zst' > /dev/null" "'$dltdump' '$corpus.zst' > /dev/null" \
  "'$dltdump' --threads=1 '$corpus' > /dev/null")
printf 'gzip -dc:                 %.3f s\n' "${t[0]}"
printf 'dltdump X.dlt.gz:         %.3f s   / gzip -dc = %.2fx (median of the rounds %.2fx)\n' "${t[1]}" \
  "$(echo "${t[1]} / ${t[0]}" | bc -l)" "$(round_ratio 1 2)"
printf 'zstd -dc:                 %.3f s\n' "${t[2]}"
printf 'dltdump X.dlt.zst:        %.3f s   / zstd -dc = %.2fx (median of the rounds %.2fx)\n' "${t[3]}" \
  "$(echo "${t[3]} / ${t[2]}" | bc -l)" "$(round_ratio 3 4)"
printf 'dltdump --threads=1 X.dlt: %.3f s\n' "${t[4]}"
