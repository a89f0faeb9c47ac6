#!/usr/bin/env bash
# Compressed DLT output (issue #26), side by side in one run, page cache warm, medians of
# several runs, on the generated verbose corpus of the filter bench:
#   cat FILE > /dev/null                 the floor of reading the bytes
#   cp FILE OUT                          the floor of copying them
#   zstd -T2 -1 -c FILE > /dev/null      the floor of compressing them (two threads)
#   dltdump -o OUT.dlt FILE              dltdump's uncompressed copy
#   dltdump -o OUT.dlt.zst FILE          the compressed copy (zstd level 1, worker threads)
#   dltdump -o OUT.dlt.gz FILE           gzip (libdeflate level 6), for comparison
# Ratios are medians over the rounds (each from two runs seconds apart), speeds MB/s of input.
# Outputs go to OUT_DIR (default /dev/shm when it has room, else the work folder).
# Usage: bench/compare_compressed_output.sh [BUILD_DIR] [SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "${1:-build}" "${2:-1024}" 100 "${3:-3}"
rare_corpus
output_dir dltdump-bench-zout zout

machine_line
bytes=$(stat -c %s "$big")
echo "corpus: $big ($bytes bytes); outputs in $out; $runs runs each, medians, side by side"
mapfile -t t < <(medians \
  "cat '$big' > /dev/null" \
  "rm -f '$out/cp.dlt'; cp '$big' '$out/cp.dlt'" \
  "zstd -q -T2 -1 -c '$big' > /dev/null" \
  "rm -f '$out/c.dlt'; '$dltdump' -o '$out/c.dlt' '$big'" \
  "rm -f '$out/c.dlt.zst'; '$dltdump' -o '$out/c.dlt.zst' '$big'" \
  "rm -f '$out/c.dlt.gz'; '$dltdump' -o '$out/c.dlt.gz' '$big'")
zstd -dcq "$out/c.dlt.zst" | cmp -s - "$big" || { echo "the .dlt.zst output does not decompress to the input" >&2; exit 1; }
gzip -dc "$out/c.dlt.gz" | cmp -s - "$big" || { echo "the .dlt.gz output does not decompress to the input" >&2; exit 1; }
ref_zst=$(zstd -q -T2 -1 -c "$big" | wc -c)
names=("cat > /dev/null" "cp" "zstd -T2 -1 > /dev/null" "dltdump -o c.dlt" "dltdump -o c.dlt.zst" "dltdump -o c.dlt.gz")
for i in "${!names[@]}"; do
  printf '%-26s %7.3f s  %6.0f MB/s\n' "${names[i]}:" "${t[i]}" "$(echo "$bytes / ${t[i]} / 1000000" | bc -l)"
done
printf 'dltdump .dlt.zst / zstd -T2 -1 = %.2fx, / cp = %.2fx, / dltdump .dlt = %.2fx; .dlt.gz / .dlt.zst = %.2fx\n' \
  "$(round_ratio 3 5)" "$(round_ratio 2 5)" "$(round_ratio 4 5)" "$(round_ratio 5 6)"
printf 'sizes: .dlt.zst %d bytes (%.2f:1), zstd -1 %d (%.2f:1), .dlt.gz %d (%.2f:1)\n' \
  "$(stat -c %s "$out/c.dlt.zst")" "$(echo "$bytes / $(stat -c %s "$out/c.dlt.zst")" | bc -l)" \
  "$ref_zst" "$(echo "$bytes / $ref_zst" | bc -l)" \
  "$(stat -c %s "$out/c.dlt.gz")" "$(echo "$bytes / $(stat -c %s "$out/c.dlt.gz")" | bc -l)"
