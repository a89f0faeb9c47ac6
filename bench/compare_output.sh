#!/usr/bin/env bash
# Writing DLT files, side by side in one run (issue #6 figures), page cache warm, medians of
# several runs, on the generated verbose corpus of the filter bench (every 100th message is
# of application RARE):
#   cp FILE OUT                          the floor: copying the bytes
#   dltdump -o OUT FILE                  copying every message through dltdump
#   dltdump --appid=RARE -o OUT FILE     a filtered extract (1 %)
#   dlt-convert -o OUT FILE              COVESA's copy, and with -f (the same APP filter),
#                                        on the smaller file
# Outputs go to OUT_DIR (default /dev/shm when it has room, so that disk write-back of one
# run does not slow the next; else the work folder). Every command removes its output first.
# Usage: bench/compare_output.sh [BUILD_DIR] [SIZE_MB] [PEER_SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "$@"
rare_corpus
output_dir dltdump-bench-out out

machine_line
echo "corpus: $big ($(stat -c %s "$big") bytes), $small; outputs in $out; $runs runs each, medians"
t_cp=$(median "rm -f '$out/cp.dlt'; cp '$big' '$out/cp.dlt'")
t_copy=$(median "rm -f '$out/copy.dlt'; '$dltdump' -o '$out/copy.dlt' '$big'")
t_app=$(median "rm -f '$out/rare.dlt'; '$dltdump' --appid=RARE -o '$out/rare.dlt' '$big'")
cmp -s "$big" "$out/copy.dlt" || { echo "dltdump's copy differs from the input" >&2; exit 1; }
printf 'selected by --appid=RARE: %d of %d messages\n' "$("$dltdump" "$out/rare.dlt" | wc -l)" "$("$dltdump" --threads=2 "$big" | wc -l)"
printf 'cp:                              %.3f s\n' "$t_cp"
printf 'dltdump -o copy.dlt:             %.3f s   dltdump / cp = %.2fx\n' "$t_copy" "$(echo "$t_copy / $t_cp" | bc -l)"
printf 'dltdump --appid=RARE -o rare.dlt: %.3f s   dltdump / cp = %.2fx\n' "$t_app" "$(echo "$t_app / $t_cp" | bc -l)"
if command -v dlt-convert > /dev/null; then
  s_copy=$(median "rm -f '$out/s.dlt'; '$dltdump' -o '$out/s.dlt' '$small'")
  s_app=$(median "rm -f '$out/s.dlt'; '$dltdump' --appid=RARE -o '$out/s.dlt' '$small'")
  c_copy=$(runs=3 median "rm -f '$out/c.dlt'; dlt-convert -o '$out/c.dlt' '$small'")
  c_app=$(runs=3 median "rm -f '$out/c.dlt'; dlt-convert -f '$work/rare.filter' -o '$out/c.dlt' '$small'")
  printf 'on %s MB: dlt-convert -o %.3f s, dltdump -o %.3f s: dlt-convert / dltdump = %.1fx\n' \
    "$peer_mb" "$c_copy" "$s_copy" "$(echo "$c_copy / $s_copy" | bc -l)"
  printf 'on %s MB: dlt-convert -f -o %.3f s, dltdump --appid=RARE -o %.3f s: dlt-convert / dltdump = %.1fx\n' \
    "$peer_mb" "$c_app" "$s_app" "$(echo "$c_app / $s_app" | bc -l)"
fi
