#!/usr/bin/env bash
# Records and summaries, side by side in one run (issue #22 figures), output to /dev/null:
#   text lines (dltdump FILE)  vs  --out=json  vs  --out=csv          (targets: 1.6x, 1.3x)
#   --none  vs  -c  vs  --stats                                       (target: --stats 1.2x --none)
# on the generated corpus of bench/compare.sh (dltgen --profile verbose, SIZE_MB), one
# thread and the default threads; and the nearest peer of JSON on a capture: tshark -T ek
# (Elasticsearch JSON lines, one object per packet, DLT decoded as `-d udp.port==3490,dlt`
# asks) vs dltdump --out=json on the same capture (dltgen → capgen, PEER_SIZE_MB).
# Every command of a group runs in turn with the others (bench/common.sh medians), so each
# ratio is printed as the median of each round's ratio too: what drift between rounds does
# not move.
# Usage: [TSHARK_RUNS=3] bench/compare_records.sh [BUILD_DIR] [SIZE_MB] [PEER_SIZE_MB] [RUNS]
set -eu
. "$(dirname "$0")/common.sh"
dlt_bench_args "$@"
tshark_runs=${TSHARK_RUNS:-3}
big=$work/verbose-${size_mb}M.dlt
[ -f "$big" ] || "$gen" --profile verbose --size "${size_mb}M" --seed 1 -o "$big"
machine_line
echo "corpus: $big ($(stat -c %s "$big") bytes, $("$dltdump" -c "$big") messages); $runs rounds, medians"

# group TITLE THREADS CMD...: the commands in turn; ratios to the first.
group() {
  local title=$1 threads=$2
  shift 2
  local cmds=() i
  for a in "$@"; do cmds+=("'$dltdump' --threads=$threads $a '$big' > /dev/null"); done
  mapfile -t t < <(medians "${cmds[@]}")
  echo "$title (--threads=$threads):"
  local names=("$@")
  names=("${names[@]/#/ }")
  names[0]=${1:-text}
  for i in "${!cmds[@]}"; do
    printf '  %-14s %.3f s   / %s: %.2fx of the medians, %.2fx median of the rounds\n' "${names[i]# }" "${t[i]}" \
      "${names[0]}" "$(echo "${t[i]} / ${t[0]}" | bc -l)" "$(round_ratio 1 $((i + 1)))"
  done
}
for threads in 1 "$(nproc)"; do
  group "records" "$threads" "" "--out=json" "--out=csv"
  group "summaries" "$threads" "--none" "-c" "--stats" "--stats=json"
done

# tshark -T ek: JSON of every packet with its DLT fields.
if command -v tshark > /dev/null; then
  count=$((peer_mb * 12000))
  cap=$work/records-${peer_mb}M.pcapng
  if [ ! -f "$cap" ]; then
    "$gen" --profile verbose --format net --count "$count" --seed 1 -o "$work/stream.bin"
    "$build/tools/capgen" --dlt "$work/stream.bin" --flows 5 --max-messages 8 --no-split --seed 1 -o "$cap"
    rm -f "$work/stream.bin"
  fi
  t_ours=$(median "'$dltdump' --out=json '$cap' > /dev/null")
  t_ours1=$(median "'$dltdump' --threads=1 --out=json '$cap' > /dev/null")
  t_ek=$(runs=$tshark_runs median "tshark -r '$cap' -d udp.port==3490,dlt -T ek > /dev/null")
  echo "capture $cap ($(stat -c %s "$cap") bytes, $count messages):"
  printf '  dltdump --out=json: %.3f s (one thread %.3f s); tshark -T ek (median of %d): %.3f s' \
    "$t_ours" "$t_ours1" "$tshark_runs" "$t_ek"
  printf '  -> dltdump is %.1fx faster (%.1fx on one thread)\n' "$(echo "$t_ek / $t_ours" | bc -l)" \
    "$(echo "$t_ek / $t_ours1" | bc -l)"
fi
