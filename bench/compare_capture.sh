#!/usr/bin/env bash
# Reading a capture and counting its packets, side by side in one run (issue #3 figure):
#   pcapls --count FILE   (the project's PCAP-NG reader)
#   vs  tshark -r FILE -T fields -e frame.number   vs  capinfos -c FILE   vs  cat FILE
# on a generated PCAP-NG capture (tools/capgen, 3 interfaces, payloads 0-1400 bytes),
# page cache warm, medians of several runs. Prints ratios; absolute times drift.
# Usage: bench/compare_capture.sh [BUILD_DIR] [SIZE_MB] [RUNS]
set -eu
build=${1:-build}
size_mb=${2:-100}
runs=${3:-5}
. "$(dirname "$0")/common.sh"
cap=$work/capture-${size_mb}M.pcapng
[ -f "$cap" ] || "$build/tools/capgen" --size "${size_mb}M" --seed 1 -o "$cap"
packets=$("$build/tools/pcapls" --count "$cap")
machine_line
echo "capture: $cap ($(stat -c %s "$cap") bytes, $packets packets); $runs runs each, medians"
t_cat=$(median "cat '$cap' > /dev/null")
t_ours=$(median "'$build/tools/pcapls' --count '$cap'")
printf 'cat:                      %.3f s\n' "$t_cat"
printf 'pcapls --count:           %.3f s  (%.1f M packets/s)\n' "$t_ours" "$(echo "$packets / $t_ours / 1000000" | bc -l)"
if command -v capinfos > /dev/null; then
  t_capinfos=$(median "capinfos -c '$cap'")
  printf 'capinfos -c:              %.3f s  -> ours is %.1fx faster\n' "$t_capinfos" "$(echo "$t_capinfos / $t_ours" | bc -l)"
fi
if command -v tshark > /dev/null; then
  t_tshark=$(runs=3 median "tshark -r '$cap' -T fields -e frame.number")
  printf 'tshark -T fields (3 runs): %.3f s  -> ours is %.1fx faster\n' "$t_tshark" "$(echo "$t_tshark / $t_ours" | bc -l)"
fi
