#!/usr/bin/env bash
# DLT over TCP in a capture, side by side in one run (issue #25 figures):
#   dltdump CAPTURE > /dev/null  vs  dltdump on a .dlt file holding the same messages (one
#   thread each, and the default threads each)  vs  tshark -r CAPTURE -d tcp.port==3490,dlt.
# The corpus: dltgen --profile verbose makes the messages twice, as a network stream and as
# a DLT file (the same seed and count give the same messages; the script checks it), and
# capgen --tcp --no-udp carries the stream over 5 TCP connections from port 3490 (IPv4 and
# IPv6 alternating; Ethernet, Linux SLL2, raw IP; segments of 1-1460 bytes, one in 20 up to
# 4000 bytes and then IP-fragmented; a tenth of each connection's messages the other way),
# a capture of about SIZE_MB. All files are settled first (bench/common.sh).
# Each ratio is printed twice: of the medians, and the median of each round's ratio.
# WHOLE=1: capgen --whole --max-messages 4, segments of 1-4 whole messages (a logger that
# sends each message, or a few, with one write): the chunked decoder's cuts then join.
# Usage: [TSHARK_RUNS=1] [WHOLE=1] bench/compare_tcp_capture.sh [BUILD_DIR] [SIZE_MB] [RUNS]   (TSHARK_RUNS=0: no tshark)
set -eu
build=${1:-build}
size_mb=${2:-1024}
runs=${3:-3}
tshark_runs=${TSHARK_RUNS:-1}  # tshark takes about 20 minutes on 1 GiB
. "$(dirname "$0")/common.sh"
dltdump=$build/src/dltdump
count=$((size_mb * 13900))  # ~75 bytes per message in the capture, headers included
whole=${WHOLE:-0}
dlt=$work/tcp-${size_mb}M.dlt
cap=$work/tcp-${size_mb}M.pcapng
segments=()
if [ "$whole" = 1 ]; then
  cap=$work/tcp-whole-${size_mb}M.pcapng
  segments=(--whole --max-messages 4)
fi
if [ ! -f "$cap" ] || [ ! -f "$dlt" ]; then
  "$build/tools/dltgen" --profile verbose --format net --count "$count" --seed 1 -o "$work/stream.bin"
  "$build/tools/dltgen" --profile verbose --format file --count "$count" --seed 1 -o "$dlt"
  "$build/tools/capgen" --tcp "$work/stream.bin" --flows 5 --no-udp "${segments[@]}" --seed 1 -o "$cap"
  rm -f "$work/stream.bin"
fi
# Same messages: every column after the time but the ECU (a .dlt file shows the storage
# header's ECU for messages without one; a capture has none to show).
if ! cmp -s <(TZ=UTC "$dltdump" "$dlt" | cut -d' ' -f3,4,6- | sort) \
            <(TZ=UTC "$dltdump" "$cap" | cut -d' ' -f3,4,6- | sort); then
  echo "$cap and $dlt do not hold the same messages" >&2
  exit 1
fi
settle "$dlt" "$cap"
machine_line
echo ".dlt: $dlt ($(stat -c %s "$dlt") bytes); capture: $cap ($(stat -c %s "$cap") bytes); $count messages"
echo "$runs runs each, in turn, medians"
mapfile -t t < <(medians "'$dltdump' --threads=1 '$dlt' > /dev/null" "'$dltdump' --threads=1 '$cap' > /dev/null" \
                         "'$dltdump' '$dlt' > /dev/null" "'$dltdump' '$cap' > /dev/null")
printf 'one thread:      .dlt %.3f s, capture %.3f s -> capture / .dlt %.2fx (median of the rounds'"'"' ratios %.2fx)\n' \
  "${t[0]}" "${t[1]}" "$(echo "${t[1]} / ${t[0]}" | bc -l)" "$(round_ratio 1 2)"
printf 'default threads: .dlt %.3f s, capture %.3f s -> capture / .dlt %.2fx (median of the rounds'"'"' ratios %.2fx)\n' \
  "${t[2]}" "${t[3]}" "$(echo "${t[3]} / ${t[2]}" | bc -l)" "$(round_ratio 3 4)"
if command -v tshark > /dev/null && [ "$tshark_runs" -gt 0 ]; then
  # No warm-up run: tshark takes about 20 minutes on 1 GiB (its page-cache state matters
  # little against that).
  times=()
  for _ in $(seq "$tshark_runs"); do
    s=$(date +%s.%N)
    tshark -r "$cap" -d tcp.port==3490,dlt > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    times+=("$(echo "$e - $s" | bc -l)")
  done
  t_tshark=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf 'tshark -d tcp.port==3490,dlt: %.3f s (median of %d) -> dltdump is %.1fx faster (one thread %.1fx)\n' \
    "$t_tshark" "$tshark_runs" "$(echo "$t_tshark / ${t[3]}" | bc -l)" "$(echo "$t_tshark / ${t[1]}" | bc -l)"
fi
