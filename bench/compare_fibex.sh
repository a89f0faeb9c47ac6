#!/usr/bin/env bash
# FIBEX costs, side by side in one run (issue #21 figures), page cache warm, medians of
# several runs (each command timed in turn per round, see `medians` in common.sh):
#  1. loading a catalogue set: `dltdump -F DIR` (check mode, no input) vs
#     `xmllint --noout --stream DIR/*.xml` (libxml2's streaming parser, no tree: the cost
#     of reading the XML alone), on a generated directory of 8 FIBEX files of CAT_MB in all
#     (nvgen --catalogue-only, 8 ECUs); also dltdump pinned to one core, and its peak RSS
#     against the catalogue's size. Targets: dltdump / xmllint <= 0.7, <= 1 s on one core,
#     RSS <= 2x the catalogue.
#  2. decoding a non-verbose log through its catalogue vs a verbose log of the same size:
#     `dltdump -F CAT --threads=N NV.dlt > /dev/null` (nvgen default mode, its own small
#     catalogue of 3 ECUs) vs `dltdump --threads=N V.dlt > /dev/null` (dltgen --profile
#     verbose, as compare.sh), N = 1 and 2. Target: NV / verbose <= 1.3. The NV log is
#     nvgen's benchmark mix (--clean 90: 90 % of the messages as an ECU writes them with its
#     catalogue, the rest nvgen's test mix of hits, misses and misfits). A small log of the
#     same generator is decoded first and its lines classified (verbose, non-verbose decoded
#     through the catalogue, non-verbose printed as byte dump) so that the figure is known to
#     measure catalogue decoding.
#  3. the same messages both ways: the NV log through its catalogue vs its --nv-verbose
#     rewrite (every message the catalogue decodes completely made verbose, the rest as it
#     was), which prints the same text but for device times: what decoding through the
#     catalogue costs over decoding the same arguments from a verbose payload. N = 1 and 2.
# Both logs are settled (common.sh) so that their cached pages are alike.
# Usage: bench/compare_fibex.sh [BUILD_DIR] [CAT_MB] [LOG_MB] [RUNS]   (defaults: build 200 1024 3)
# Data goes to $BENCH_WORK (default /tmp/dltdump-bench): ~CAT_MB + 3.3 x LOG_MB.
set -eu
. "$(dirname "$0")/common.sh"
build=${1:-build}
cat_mb=${2:-200}
log_mb=${3:-1024}
runs=${4:-3}
dltdump=$build/src/dltdump
gen=$build/tools/dltgen
nvgen=$build/tools/nvgen
command -v xmllint > /dev/null || { echo "xmllint missing (Debian: libxml2-utils)" >&2; exit 1; }

# 1. the catalogue set: 8 files; a frame with its PDUs, signals and codings takes ~2.7 kB
cat_files=8
cat_dir=$work/fibex-${cat_mb}M
if [ ! -d "$cat_dir" ]; then
  "$nvgen" --catalogue "$cat_dir" --catalogue-only --ecus "$cat_files" \
    --frames $((cat_mb * 1000000 / 2700 / cat_files)) --seed 1
fi
cat_bytes=$(cat "$cat_dir"/*.xml | wc -c)

# 2. the logs
clean=90
nv=$work/nv-clean$clean-${log_mb}M.dlt
nv_cat=$work/nv-clean$clean-${log_mb}M-cat
v=$work/verbose-${log_mb}M.dlt
[ -f "$nv" ] || "$nvgen" --catalogue "$nv_cat" --clean $clean --size $((log_mb * 1048576)) --seed 1 -o "$nv"
[ -f "$v" ] || "$gen" --profile verbose --size "${log_mb}M" --seed 1 -o "$v"
nv_small=$work/nv-clean$clean-check.dlt
[ -f "$nv_small" ] || "$nvgen" --catalogue "$work/nv-clean$clean-check-cat" --clean $clean --size 10000000 --seed 1 -o "$nv_small"

machine_line
echo "$runs runs each, medians; page cache warm"
echo
echo "== 1. loading a catalogue set: $cat_dir ($cat_files files, $cat_bytes bytes)"
set +e
"$dltdump" -F "$cat_dir" 2> "$work/fibex-check.err"
rc=$?
set -e
echo "dltdump -F check: exit $rc, $(wc -l < "$work/fibex-check.err") lines on stderr"
cat "$cat_dir"/*.xml > /dev/null
mapfile -t t < <(medians "'$dltdump' -F '$cat_dir'" "xmllint --noout --stream '$cat_dir'/*.xml" \
  "taskset -c 0 '$dltdump' -F '$cat_dir'")
ratio=$(round_ratio 2 1)
ratio1=$(round_ratio 2 3)
/usr/bin/time -o "$work/fibex-time" -f '%e %U %S %M' "$dltdump" -F "$cat_dir" > /dev/null 2>&1 || true
read -r wall user sys rss < "$work/fibex-time"
printf 'dltdump -F DIR:                %.3f s   (one run: %s s wall, %s s user, %s s sys)\n' "${t[0]}" "$wall" "$user" "$sys"
printf 'dltdump -F DIR on one core:    %.3f s   (taskset -c 0; target <= 1 s)\n' "${t[2]}"
printf 'xmllint --noout --stream:      %.3f s\n' "${t[1]}"
printf 'dltdump / xmllint:             %.2f    (one core: %.2f; median of per-round ratios; target <= 0.7)\n' "$ratio" "$ratio1"
printf 'dltdump peak RSS:              %s KiB = %.2fx the catalogue (%s bytes; target <= 2x)\n' \
  "$rss" "$(echo "$rss * 1024 / $cat_bytes" | bc -l)" "$cat_bytes"
echo

echo "== 2. decoding: $nv ($(stat -c %s "$nv") bytes, catalogue $nv_cat, $(cat "$nv_cat"/*.xml | wc -c) bytes) vs $v ($(stat -c %s "$v") bytes)"
"$dltdump" -F "$work/nv-clean$clean-check-cat" --threads=1 "$nv_small" | awk -v name="$nv_small" '
  {
    i = index($0, " non-verbose ")
    if (!i) { if (index($0, " verbose ")) verb++; next }
    nvl++
    rest = substr($0, i + 13)
    n = rest; sub(/ .*/, "", n)
    text = rest; sub(/^[0-9]+ \[[0-9]+\] ?/, "", text)
    # decoded: a frame of 0 or 2+ PDUs, or one PDU whose text is not a byte dump (ascii|hex)
    if (n != 1 || (text != "" && text !~ /^[^|]*\|[0-9a-f][0-9a-f]( [0-9a-f][0-9a-f])*$/)) dec++
  }
  END {
    printf "check on %s: %d lines: %d verbose, %d non-verbose of which %d (%.1f%%) decoded through the catalogue, %d byte dumps; decoded = %.1f%% of all lines\n",
      name, NR, verb, nvl, dec, 100 * dec / nvl, nvl - dec, 100 * dec / NR
  }'
read -r nv_lines out_nv < <("$dltdump" -F "$nv_cat" "$nv" | wc -lc)
read -r v_lines out_v < <("$dltdump" "$v" | wc -lc)
echo "messages: NV $nv_lines ($out_nv bytes of text), verbose $v_lines ($out_v bytes of text)"
settle "$nv" "$v"
mapfile -t t < <(medians "'$dltdump' -F '$nv_cat' --threads=1 '$nv' > /dev/null" "'$dltdump' --threads=1 '$v' > /dev/null" \
  "'$dltdump' -F '$nv_cat' --threads=2 '$nv' > /dev/null" "'$dltdump' --threads=2 '$v' > /dev/null")
r1=$(round_ratio 2 1)
r2=$(round_ratio 4 3)
printf 'NV      --threads=1:  %.3f s  (%.0f MB/s, %.2f M msg/s)\n' "${t[0]}" \
  "$(echo "$(stat -c %s "$nv") / ${t[0]} / 1000000" | bc -l)" "$(echo "$nv_lines / ${t[0]} / 1000000" | bc -l)"
printf 'verbose --threads=1:  %.3f s  (%.0f MB/s, %.2f M msg/s)\n' "${t[1]}" \
  "$(echo "$(stat -c %s "$v") / ${t[1]} / 1000000" | bc -l)" "$(echo "$v_lines / ${t[1]} / 1000000" | bc -l)"
printf 'NV      --threads=2:  %.3f s\n' "${t[2]}"
printf 'verbose --threads=2:  %.3f s\n' "${t[3]}"
printf 'NV / verbose:         %.2f (1 thread), %.2f (2 threads)   (median of per-round ratios; target <= 1.3)\n' "$r1" "$r2"
# the two generators differ in message size and line length: the same ratio per message and per byte printed
printf 'NV / verbose per message:          %.2f (1 thread), %.2f (2 threads)   (%.2fx as many messages in NV)\n' \
  "$(echo "$r1 * $v_lines / $nv_lines" | bc -l)" "$(echo "$r2 * $v_lines / $nv_lines" | bc -l)" "$(echo "$nv_lines / $v_lines" | bc -l)"
printf 'NV / verbose per byte of text out: %.2f (1 thread), %.2f (2 threads)   (%.2fx as much text from NV)\n' \
  "$(echo "$r1 * $out_v / $out_nv" | bc -l)" "$(echo "$r2 * $out_v / $out_nv" | bc -l)" "$(echo "$out_nv / $out_v" | bc -l)"

echo
nvv=$work/nv-clean$clean-${log_mb}M-rewritten.dlt
[ -f "$nvv" ] || "$dltdump" -F "$nv_cat" --nv-verbose -o "$nvv" "$nv"
echo "== 3. the same messages: $nv through its catalogue vs its --nv-verbose rewrite $nvv ($(stat -c %s "$nvv") bytes)"
settle "$nv" "$nvv"
mapfile -t t < <(medians "'$dltdump' -F '$nv_cat' --threads=1 '$nv' > /dev/null" "'$dltdump' --threads=1 '$nvv' > /dev/null" \
  "'$dltdump' -F '$nv_cat' --threads=2 '$nv' > /dev/null" "'$dltdump' --threads=2 '$nvv' > /dev/null")
printf 'NV through the catalogue, 1 / 2 threads:  %.3f s / %.3f s\n' "${t[0]}" "${t[2]}"
printf 'the same as verbose,      1 / 2 threads:  %.3f s / %.3f s\n' "${t[1]}" "${t[3]}"
printf 'catalogue / verbose, the same messages:   %.2f (1 thread), %.2f (2 threads)   (target <= 1.3)\n' \
  "$(round_ratio 2 1)" "$(round_ratio 4 3)"
