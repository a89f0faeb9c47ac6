#!/usr/bin/env bash
# Compressed DLT output (issue #26), side by side in one run, page cache warm, medians of
# several runs, on the generated verbose corpus of the filter bench:
#   cat FILE > /dev/null                 the floor of reading the bytes
#   cp FILE OUT                          the floor of copying them
#   zstd -T2 -1 -c FILE > /dev/null      the floor of compressing them (two threads, the
#                                        level dltdump writes .zst at)
#   dltdump -o OUT.dlt FILE              dltdump's uncompressed copy
#   dltdump -o OUT.dlt.zst FILE          the compressed copy (zstd level 1, frames
#                                        compressed side by side on one worker per core)
#   dltdump -o OUT.dlt.gz FILE           gzip (libdeflate level 6), for comparison
# Each run is timed twice: wall-clock time (the figure on a quiet machine: MB/s of input,
# and the ratios) and CPU time, user + system of all its threads (the figure that a machine
# shared with other work leaves comparable). Ratios are medians over the rounds (each from
# two runs seconds apart), speeds MB/s of input. Outputs go to OUT_DIR (default /dev/shm
# when it has room, else the work folder).
# Usage: bench/compare_compressed_output.sh [BUILD_DIR] [SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "${1:-build}" "${2:-1024}" 100 "${3:-3}"
rare_corpus
output_dir dltdump-bench-zout zout

machine_line
bytes=$(stat -c %s "$big")
echo "corpus: $big ($bytes bytes); outputs in $out; $runs runs each, medians, side by side"
cmds=(
  "cat '$big' > /dev/null"
  "rm -f '$out/cp.dlt'; cp '$big' '$out/cp.dlt'"
  "zstd -q -T2 -1 -c '$big' > /dev/null"
  "rm -f '$out/c.dlt'; '$dltdump' -o '$out/c.dlt' '$big'"
  "rm -f '$out/c.dlt.zst'; '$dltdump' -o '$out/c.dlt.zst' '$big'"
  "rm -f '$out/c.dlt.gz'; '$dltdump' -o '$out/c.dlt.gz' '$big'")
names=("cat > /dev/null" "cp" "zstd -T2 -1 > /dev/null" "dltdump -o c.dlt" "dltdump -o c.dlt.zst" "dltdump -o c.dlt.gz")
# One line per round in $work/rounds (wall-clock seconds) and $work/cpu-rounds (CPU
# seconds), one column per command; bash's `time` counts the CPU of every process and
# thread the command ran.
TIMEFORMAT='%3R %3U %3S'
for c in "${cmds[@]}"; do bash -c "$c" > /dev/null 2>&1 || true; done
: > "$work/rounds"
: > "$work/cpu-rounds"
for _ in $(seq "$runs"); do
  wall=
  cpu=
  for c in "${cmds[@]}"; do
    read -r r u s < <({ time bash -c "$c" > /dev/null 2>&1; } 2>&1)
    wall+=" $r"
    cpu+=" $(echo "$u + $s" | bc -l)"
  done
  echo "$wall" >> "$work/rounds"
  echo "$cpu" >> "$work/cpu-rounds"
done
# column_median FILE I: the median of column I of FILE; cpu_ratio I J: the median over the
# rounds of command J's CPU time over command I's.
column_median() { awk -v i="$2" '{print $i}' "$1" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cpu_ratio() {
  awk -v i="$1" -v j="$2" '{print $j / $i}' "$work/cpu-rounds" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
zstd -dcq "$out/c.dlt.zst" | cmp -s - "$big" || { echo "the .dlt.zst output does not decompress to the input" >&2; exit 1; }
gzip -dc "$out/c.dlt.gz" | cmp -s - "$big" || { echo "the .dlt.gz output does not decompress to the input" >&2; exit 1; }
ref_zst=$(zstd -q -T2 -1 -c "$big" | wc -c)
echo "load average before the rounds' end: $(cut -d' ' -f1-3 /proc/loadavg) (wall-clock figures hold on a quiet machine only)"
for i in "${!names[@]}"; do
  t=$(column_median "$work/rounds" $((i + 1)))
  cpu=$(column_median "$work/cpu-rounds" $((i + 1)))
  printf '%-26s %7.3f s  %6.0f MB/s   CPU %7.3f s\n' "${names[i]}:" "$t" "$(echo "$bytes / $t / 1000000" | bc -l)" "$cpu"
done
printf 'wall: dltdump .dlt.zst / zstd -T2 -1 = %.2fx, / cp = %.2fx, / dltdump .dlt = %.2fx; .dlt.gz / .dlt.zst = %.2fx\n' \
  "$(round_ratio 3 5)" "$(round_ratio 2 5)" "$(round_ratio 4 5)" "$(round_ratio 5 6)"
printf 'CPU:  dltdump .dlt.zst / zstd -T2 -1 = %.2fx, / dltdump .dlt = %.2fx; .dlt.gz / .dlt.zst = %.2fx\n' \
  "$(cpu_ratio 3 5)" "$(cpu_ratio 4 5)" "$(cpu_ratio 5 6)"
printf 'sizes: .dlt.zst %d bytes (%.2f:1), zstd -1 %d (%.2f:1), .dlt.gz %d (%.2f:1)\n' \
  "$(stat -c %s "$out/c.dlt.zst")" "$(echo "$bytes / $(stat -c %s "$out/c.dlt.zst")" | bc -l)" \
  "$ref_zst" "$(echo "$bytes / $ref_zst" | bc -l)" \
  "$(stat -c %s "$out/c.dlt.gz")" "$(echo "$bytes / $(stat -c %s "$out/c.dlt.gz")" | bc -l)"
