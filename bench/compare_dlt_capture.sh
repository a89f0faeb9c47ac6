#!/usr/bin/env bash
# DLT from a capture, side by side in one run (issue #4 figures):
#   dltdump CAPTURE > /dev/null   vs  tshark -r CAPTURE -d udp.port==3490,dlt > /dev/null
#   and vs dltdump on a .dlt file holding the same messages (both on one thread, and the
#   .dlt file also with the default threads).
# The corpus: dltgen --profile verbose makes the messages twice, as a network stream and as
# a DLT file of about SIZE_MB (the same seed and count give the same messages; the script
# checks it), and capgen --dlt carries the stream in PCAP-NG captures over 5 flows, each
# flow on an interface of another link type (Ethernet, one and two VLAN tags, SLL, SLL2):
#   per1-whole  a message per datagram (a logger that sends each message on its own);
#   per8-whole  1-8 whole messages per datagram (a logger that batches, as dlt-daemon does:
#               UDP loggers do not cut messages across datagrams);
#   per8        1-8 per datagram where 40 % of the datagrams end in a message that the
#               flow's next datagram completes (the framers' worst case).
# All the files are settled first (bench/common.sh: the page-cache state of a first read
# from disk), so that how each generator wrote its file does not decide its page faults.
# Each ratio is printed twice: of the medians, and the median of each round's ratio.
# Usage: [TSHARK_RUNS=3] bench/compare_dlt_capture.sh [BUILD_DIR] [SIZE_MB] [RUNS]
set -eu
build=${1:-build}
size_mb=${2:-100}
runs=${3:-5}
tshark_runs=${TSHARK_RUNS:-3}  # tshark takes 5-18 s a run; its time moves ±20 % between runs
. "$(dirname "$0")/common.sh"
dltdump=$build/src/dltdump
count=$((size_mb * 12000))  # ~85 bytes per message in the capture, headers included
dlt=$work/dlt-${size_mb}M.dlt
caps=()
for name in per1-whole per8-whole per8; do
  per=${name#per} per=${per%-whole} split=()
  if [ "$name" != "per$per" ]; then split=(--no-split); fi
  cap=$work/dlt-${size_mb}M-$name.pcapng
  caps+=("$cap")
  if [ ! -f "$cap" ] || [ ! -f "$dlt" ]; then
    "$build/tools/dltgen" --profile verbose --format net --count "$count" --seed 1 -o "$work/stream.bin"
    [ -f "$dlt" ] || "$build/tools/dltgen" --profile verbose --format file --count "$count" --seed 1 -o "$dlt"
    "$build/tools/capgen" --dlt "$work/stream.bin" --flows 5 --max-messages "$per" "${split[@]}" --seed 1 -o "$cap"
    rm -f "$work/stream.bin"
  fi
  # Same messages: every column after the time but the ECU (a .dlt file shows the storage
  # header's ECU for messages without one; a capture has none to show).
  if ! cmp -s <(TZ=UTC "$dltdump" --threads=1 "$dlt" | cut -d' ' -f3,4,6- | sort) \
              <(TZ=UTC "$dltdump" "$cap" | cut -d' ' -f3,4,6- | sort); then
    echo "$cap and $dlt do not hold the same messages" >&2
    exit 1
  fi
done
settle "$dlt" "${caps[@]}"
machine_line
echo ".dlt: $dlt ($(stat -c %s "$dlt") bytes, $count messages); $runs runs each, in turn, medians"
# Every dltdump command in turn, so that the ratios come from runs side by side.
cmds=("'$dltdump' --threads=1 '$dlt' > /dev/null" "'$dltdump' '$dlt' > /dev/null")
for cap in "${caps[@]}"; do cmds+=("'$dltdump' '$cap' > /dev/null"); done
mapfile -t t < <(medians "${cmds[@]}")
t_dlt1=${t[0]} t_dlt=${t[1]}
printf 'dltdump .dlt, one thread:      %.3f s\n' "$t_dlt1"
printf 'dltdump .dlt, default threads: %.3f s\n' "$t_dlt"
i=2
for cap in "${caps[@]}"; do
  t_cap=${t[i]}
  i=$((i + 1))
  echo "capture $(basename "$cap") ($(stat -c %s "$cap") bytes):"
  printf '  dltdump:                     %.3f s  -> / .dlt one thread %.2fx, / .dlt default threads %.2fx\n' \
    "$t_cap" "$(echo "$t_cap / $t_dlt1" | bc -l)" "$(echo "$t_cap / $t_dlt" | bc -l)"
  # The ratio of each round's two runs (seconds apart), median over the rounds: what drift
  # between rounds does not move.
  printf '  median of the rounds'"'"' ratios:  / .dlt one thread %.2fx, / .dlt default threads %.2fx\n' \
    "$(round_ratio 1 "$i")" "$(round_ratio 2 "$i")"
  if command -v tshark > /dev/null; then
    t_tshark=$(runs=$tshark_runs median "tshark -r '$cap' -d udp.port==3490,dlt")
    printf '  tshark -d udp.port==3490,dlt: %.3f s (median of %d)  -> dltdump is %.1fx faster\n' "$t_tshark" "$tshark_runs" \
      "$(echo "$t_tshark / $t_cap" | bc -l)"
  fi
done
