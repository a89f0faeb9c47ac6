#!/usr/bin/env bash
# End-to-end comparison, side by side in one run (dltdump-spec issue #2 figures):
#   dltdump FILE > /dev/null   vs  dlt-convert -a FILE > /dev/null   vs  cat FILE > /dev/null
# on a generated verbose-heavy corpus, page cache warm, medians of several runs, plus
# dltdump's peak resident memory. Prints ratios; absolute times drift on shared machines.
# Usage: bench/compare.sh [BUILD_DIR] [SIZE_MB] [PEER_SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "$@"
big=$work/verbose-${size_mb}M.dlt
small=$work/verbose-${peer_mb}M.dlt
[ -f "$big" ] || "$gen" --profile verbose --size "${size_mb}M" --seed 1 -o "$big"
[ -f "$small" ] || "$gen" --profile verbose --size "${peer_mb}M" --seed 1 -o "$small"

machine_line
echo "corpus: $big ($(stat -c %s "$big") bytes), $small ($(stat -c %s "$small") bytes); $runs runs each, medians"
t_cat=$(median "cat '$big' > /dev/null")
t_dd=$(median "'$dltdump' '$big' > /dev/null")
t_dd1=$(median "'$dltdump' --threads=1 '$big' > /dev/null")
t_dd_small=$(median "'$dltdump' '$small' > /dev/null")
if command -v dlt-convert > /dev/null; then
  t_conv=$(runs=3 median "dlt-convert -a '$small' > /dev/null")
else
  t_conv=""
fi
rss=$( { /usr/bin/time -f '%M' "$dltdump" "$big" > /dev/null; } 2>&1 | tail -1)
mbps=$(echo "$(stat -c %s "$big") / $t_dd / 1000000" | bc -l)
printf 'cat %s MB:            %.3f s\n' "$size_mb" "$t_cat"
printf 'dltdump %s MB:        %.3f s  (%.0f MB/s)\n' "$size_mb" "$t_dd" "$mbps"
printf 'dltdump / cat:          %.1fx\n' "$(echo "$t_dd / $t_cat" | bc -l)"
printf 'dltdump --threads=1:    %.3f s  (%.0f MB/s on one core)\n' "$t_dd1" "$(echo "$(stat -c %s "$big") / $t_dd1 / 1000000" | bc -l)"
printf 'dltdump %s MB:         %.3f s\n' "$peer_mb" "$t_dd_small"
if [ -n "$t_conv" ]; then
  printf 'dlt-convert -a %s MB:  %.3f s\n' "$peer_mb" "$t_conv"
  printf 'dlt-convert / dltdump:  %.1fx\n' "$(echo "$t_conv / $t_dd_small" | bc -l)"
fi
printf 'dltdump peak RSS:       %s KiB (VmHWM, mapped file pages included: they are released as decoding passes them)\n' "$rss"
