#!/usr/bin/env bash
# Compressed inputs decompressed side by side (issue #26): a multi-frame .zst (dltdump's own
# -o output, 1 MiB frames) and a multi-block .xz (xz -T2 -3) of a generated corpus, against
# the tools' own decompressors and an older dltdump binary, output to /dev/null, page cache
# warm. The commands run in turn, RUNS rounds; printed: the median wall time and the median
# CPU time (user + system) of each, and the load average before and after.
# Usage: bench/compare_parallel_decompression.sh NEW_DLTDUMP OLD_DLTDUMP DLTGEN [SIZE_MB] [RUNS]
# (the corpus and its compressed forms are kept in $BENCH_WORK, default /tmp/dltdump-pdec).
set -eu
new=$1 old=$2 gen=$3 size_mb=${4:-256} runs=${5:-5}
work=${BENCH_WORK:-/tmp/dltdump-pdec}
mkdir -p "$work"
x=$work/x-${size_mb}M.dlt
[ -f "$x" ] || "$gen" --profile verbose --size "${size_mb}M" --seed 1 -o "$x"
[ -f "$x.zst" ] || "$old" "$x" -o "$x.zst"
[ -f "$x.1.zst" ] || zstd -q -3 -c "$x" > "$x.1.zst"
[ -f "$x.xz" ] || xz -T2 -3 -c "$x" > "$x.xz"
echo "corpus $x: $(stat -c %s "$x") bytes; .zst (dltdump -o, $(zstd -l "$x.zst" | awk 'NR == 2 { print $1 }') frames) $(stat -c %s "$x.zst"); one-frame .zst $(stat -c %s "$x.1.zst"); .xz (xz -T2 -3, $(xz -lv "$x.xz" | awk '/Blocks:/ { print $2; exit }') blocks) $(stat -c %s "$x.xz")"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
cmds=(
  "zstd -dc '$x.zst'"
  "'$old' '$x.zst'"
  "'$new' '$x.zst'"
  "'$new' --threads=1 '$x.zst'"
  "'$old' --none '$x.zst'"
  "'$new' --none '$x.zst'"
  "zstd -dc '$x.1.zst'"
  "'$new' '$x.1.zst'"
  "xz -dc '$x.xz'"
  "xz -T2 -dc '$x.xz'"
  "'$old' '$x.xz'"
  "'$new' '$x.xz'"
  "'$old' --none '$x.xz'"
  "'$new' --none '$x.xz'"
)
times=$(mktemp)
for ((r = 0; r < runs; r++)); do
  for i in "${!cmds[@]}"; do
    /usr/bin/time -f "$i %e %U %S" -a -o "$times" bash -c "${cmds[$i]} > /dev/null"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$times" "${cmds[@]}" << 'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    i, e, u, s = line.split()
    rows.setdefault(int(i), []).append((float(e), float(u) + float(s)))
for i, cmd in enumerate(sys.argv[2:]):
    r = rows.get(i, [])
    print(f"{statistics.median(x[0] for x in r):7.3f} s wall {statistics.median(x[1] for x in r):7.3f} s CPU  {cmd}")
EOF
rm -f "$times"
