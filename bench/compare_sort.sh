#!/usr/bin/env bash
# --sort (issue #24 figures), side by side in one run, output to /dev/null: eight generated
# drives of FILE_MB each, interleaved in time (tools/drivegen: 3 ECUs each, other ECU names
# per file, restarts, logger delays up to 20 ms), decoded one after another without
# sorting vs merged with --sort (target: 1.3x), on one thread and the default threads;
# the peak memory (RSS) of --sort at this size; and dlt-sortbytimestamp (Debian dlt-tools:
# one file, so the eight concatenated) on the same data, its time and peak memory.
# Usage: [SORTBYTIMESTAMP=0] bench/compare_sort.sh [BUILD_DIR] [FILE_MB] [RUNS]
#   SORTBYTIMESTAMP=0 leaves dlt-sortbytimestamp out (it takes minutes per GiB).
#   FILE_MB=1024 shows the memory at 8 GiB (the timings then take a while).
set -eu
. "$(dirname "$0")/common.sh"
build=${1:-build}
file_mb=${2:-128}
runs=${3:-3}
dltdump=$build/src/dltdump
drivegen=$build/tools/drivegen
dir=$work/sort-${file_mb}M
mkdir -p "$dir"
count=$((file_mb * 1048576 / 58))  # drivegen's messages are 58 bytes on average
for i in 0 1 2 3 4 5 6 7; do
  [ -f "$dir/f${i}_000.dlt" ] || "$drivegen" --ecus 3 --first-ecu $((1 + 3 * i)) --count "$count" \
    --restart-every $((count / 4)) --seed $((i + 1)) --step-us 20 -o "$dir/f$i"
done
files=$(ls "$dir"/f?_000.dlt | tr '\n' ' ')
machine_line
echo "corpus: 8 files in $dir, $(du -cb $files | tail -1 | cut -f1) bytes, $("$dltdump" -c --sort $files) messages; $runs rounds, medians"
for threads in 1 "$(nproc)"; do
  mapfile -t t < <(medians "'$dltdump' --threads=$threads $files > /dev/null" \
    "'$dltdump' --threads=$threads --sort $files > /dev/null")
  printf 'threads %s: one after another %.3f s, --sort %.3f s: %.2fx of the medians, %.2fx median of the rounds\n' \
    "$threads" "${t[0]}" "${t[1]}" "$(echo "${t[1]} / ${t[0]}" | bc -l)" "$(round_ratio 1 2)"
done
rss() { /usr/bin/time -f %M "$@" 2>&1 > /dev/null | tail -1; }
echo "peak RSS: one after another $(rss "$dltdump" $files) KiB, --sort $(rss "$dltdump" --sort $files) KiB"
if [ "${SORTBYTIMESTAMP:-1}" != 0 ] && command -v dlt-sortbytimestamp > /dev/null; then
  cat $files > "$dir/all.dlt"
  s=$(date +%s.%N)
  m=$(/usr/bin/time -f %M dlt-sortbytimestamp "$dir/all.dlt" "$dir/all-sorted.dlt" 2>&1 > /dev/null | tail -1)
  e=$(date +%s.%N)
  printf 'dlt-sortbytimestamp (the 8 files concatenated, one run): %.3f s, peak RSS %s KiB\n' "$(echo "$e - $s" | bc -l)" "$m"
  rm -f "$dir/all.dlt" "$dir/all-sorted.dlt"
fi
