#!/usr/bin/env bash
# Filter costs, side by side in one run (issue #5 figures), output to /dev/null, page cache
# warm, medians of several runs, on a generated verbose corpus in which every 100th message
# is of application RARE (dltgen --rare-app):
#   dltdump FILE                 printing everything (the reference)
#   dltdump --appid=RARE FILE    header filter selecting 1 %
#   dltdump -s 'door='       string filter selecting ~1 %
#   dltdump -r 'door=[0-9]+'  regular expression selecting ~1 %
#   dlt-convert -a -f F FILE     dlt-convert with the same APP filter, on the smaller file
# Usage: bench/compare_filter.sh [BUILD_DIR] [SIZE_MB] [PEER_SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "$@"
rare_corpus

machine_line
all=$("$dltdump" "$big" | wc -l)
echo "corpus: $big ($(stat -c %s "$big") bytes, $all lines), $small; $runs runs each, medians"
for args in "--appid=RARE" "-s 'door='" "-r 'door=[0-9]+'"; do
  printf 'selected by %-24s %d lines (%.2f %%)\n' "$args:" "$(eval "'$dltdump' $args '$big'" | wc -l)" \
    "$(echo "$(eval "'$dltdump' $args '$big'" | wc -l) * 100 / $all" | bc -l)"
done
t_all=$(median "'$dltdump' '$big' > /dev/null")
t_app=$(median "'$dltdump' --appid=RARE '$big' > /dev/null")
t_str=$(median "'$dltdump' -s 'door=' '$big' > /dev/null")
t_re=$(median "'$dltdump' -r 'door=[0-9]+' '$big' > /dev/null")
t_app_small=$(median "'$dltdump' --appid=RARE '$small' > /dev/null")
if command -v dlt-convert > /dev/null; then
  t_conv=$(runs=3 median "dlt-convert -a -f '$work/rare.filter' '$small' > /dev/null")
fi
printf 'dltdump (everything):          %.3f s\n' "$t_all"
printf 'dltdump --appid=RARE:          %.3f s   everything / filtered = %.1fx\n' "$t_app" "$(echo "$t_all / $t_app" | bc -l)"
printf "dltdump -s 'door=':            %.3f s   everything / filtered = %.1fx\n" "$t_str" "$(echo "$t_all / $t_str" | bc -l)"
printf "dltdump -r 'door=[0-9]+':    %.3f s   everything / filtered = %.1fx\n" "$t_re" "$(echo "$t_all / $t_re" | bc -l)"
if [ -n "${t_conv:-}" ]; then
  printf 'on %s MB: dltdump --appid=RARE %.3f s, dlt-convert -a -f %.3f s: dlt-convert / dltdump = %.1fx\n' \
    "$peer_mb" "$t_app_small" "$t_conv" "$(echo "$t_conv / $t_app_small" | bc -l)"
fi
