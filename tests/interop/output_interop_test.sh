#!/usr/bin/env bash
# Interop of dltdump's output files (issue #6):
#   1. `dlt-convert -a` (COVESA) reads every DLT file dltdump writes — a copy, a filtered
#      extract, network and serial recordings and a capture converted to DLT, corrupted
#      input with its SKIP messages — and finds the messages dltdump printed from the input,
#      in order, with the same ECU/APP/CTX; the SKIP messages carry the skip lines' text;
#   2. `tshark -d udp.port==3490,dlt` finds in dltdump's PCAP-NG output the messages
#      dltdump printed from the input, with the same ECU/APP/CTX, and `capinfos` accepts it.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
export TZ=UTC
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
passes=0
ok() { echo "ok: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ECU|APP|CTX of each line dltdump prints for `$@`.
ours() { "$DLTDUMP" "$@" | cut -d' ' -f5-7 | tr ' ' '|'; }

if command -v dlt-convert > /dev/null; then
  # dlt-convert -a: "<index> <date> <time> <timestamp> <count> <ecu> <app> <ctx> ... [<args>]",
  # ids padded with '-' (all '-' when absent).
  theirs() { dlt-convert -a "$1" | awk '$1 ~ /^[0-9]+$/ {
      e = $6; a = $7; c = $8; gsub(/-+$/, "", e); gsub(/-+$/, "", a); gsub(/-+$/, "", c); print e "|" a "|" c }'; }
  "$DLTGEN" --format file --count 3000 --seed 61 -o "$work/clean.dlt"
  "$DLTGEN" --format file --count 3000 --seed 62 --corrupt 6 -o "$work/bad.dlt"
  "$DLTGEN" --format net --count 3000 --seed 63 --corrupt 4 -o "$work/net.bin"
  "$DLTGEN" --format ser --count 3000 --seed 64 --corrupt 4 -o "$work/ser.bin"
  "$DLTGEN" --format net --count 2000 --seed 65 -o "$work/stream.bin"
  "$CAPGEN" --dlt "$work/stream.bin" --flows 3 --seed 65 -o "$work/cap.pcapng"
  while read -r name args; do
    # shellcheck disable=SC2086
    "$DLTDUMP" $args -o "$work/$name.out.dlt"
    # shellcheck disable=SC2086
    ours $args > "$work/$name.ours"
    theirs "$work/$name.out.dlt" > "$work/$name.theirs"
    n=$(wc -l < "$work/$name.ours")
    if [ "$n" -gt 0 ] && diff -q "$work/$name.ours" "$work/$name.theirs" > /dev/null; then
      ok "$name: dlt-convert -a reads the $n messages dltdump printed from the input"
    else
      fail "$name: dlt-convert -a disagrees ($n lines from dltdump, $(wc -l < "$work/$name.theirs") from dlt-convert)"
      diff "$work/$name.ours" "$work/$name.theirs" | head -4
    fi
  done << LIST
copy $work/clean.dlt
extract --appid=NAV,HMI $work/clean.dlt
corrupt $work/bad.dlt
network --format=net $work/net.bin
serial --format=ser $work/ser.bin
capture $work/cap.pcapng
LIST
  # The SKIP messages say what the skip lines said.
  "$DLTDUMP" --format=net "$work/net.bin" | grep ' SKIP SKIP ' | sed 's/.* verbose 4 //' > "$work/skips.ours"
  dlt-convert -a "$work/network.out.dlt" | grep ' SKIP SKIP ' | sed 's/.*\[\(.*\)\]$/\1/' > "$work/skips.theirs"
  if [ -s "$work/skips.ours" ] && diff -q "$work/skips.ours" "$work/skips.theirs" > /dev/null; then
    ok "the $(wc -l < "$work/skips.ours") SKIP messages carry the skip lines' text"
  else
    fail "SKIP message texts differ"; diff "$work/skips.ours" "$work/skips.theirs" | head -4
  fi
else
  echo "SKIPPED part 1: dlt-convert is not installed (Debian package dlt-tools)"
fi

if command -v tshark > /dev/null && command -v capinfos > /dev/null; then
  "$DLTGEN" --format net --count 3000 --seed 66 --corrupt 3 -o "$work/n.bin"
  "$DLTDUMP" --format=net -o "$work/n.pcapng" "$work/n.bin"
  if capinfos "$work/n.pcapng" > "$work/capinfos" 2>&1; then
    ok "capinfos accepts the PCAP-NG output ($(grep -m1 'Number of packets' "$work/capinfos" | tr -s ' '))"
  else
    fail "capinfos refuses the PCAP-NG output"; head -3 "$work/capinfos"
  fi
  tshark -r "$work/n.pcapng" -d udp.port==3490,dlt -T fields -e dlt.ecu_id -e dlt.application_id -e dlt.context_id \
    2> /dev/null | tr '\t' '|' > "$work/n.tshark"
  ours --format=net "$work/n.bin" > "$work/n.ours"
  n=$(wc -l < "$work/n.ours")
  if [ "$n" -gt 0 ] && diff -q "$work/n.ours" "$work/n.tshark" > /dev/null; then
    ok "tshark finds the $n messages (SKIP messages included) with their ECU/APP/CTX"
  else
    fail "tshark disagrees ($n lines from dltdump, $(wc -l < "$work/n.tshark") from tshark)"
    diff "$work/n.ours" "$work/n.tshark" | head -4
  fi
  # From a DLT file: a message without a standard-header ECU shows the storage header's in
  # dltdump's line; in the capture that id names the interface, and tshark shows none.
  "$DLTGEN" --format file --count 3000 --seed 67 -o "$work/f.dlt"
  "$DLTDUMP" -o "$work/f.pcapng" "$work/f.dlt"
  tshark -r "$work/f.pcapng" -d udp.port==3490,dlt -T fields -e dlt.ecu_id -e dlt.application_id -e dlt.context_id \
    2> /dev/null | tr '\t' '|' > "$work/f.tshark"
  ours "$work/f.dlt" > "$work/f.ours"
  mismatch=$(paste -d'#' "$work/f.ours" "$work/f.tshark" | awk -F'#' '{
      split($1, o, "|"); split($2, t, "|")
      if (o[2] != t[2] || o[3] != t[3] || (t[1] != "" && t[1] != o[1])) n++ } END { print n + 0 }')
  if [ "$(wc -l < "$work/f.ours")" -eq "$(wc -l < "$work/f.tshark")" ] && [ "$mismatch" -eq 0 ]; then
    ok "DLT file -> PCAP-NG: tshark finds the $(wc -l < "$work/f.ours") messages with their ids"
  else
    fail "DLT file -> PCAP-NG: $mismatch messages differ, $(wc -l < "$work/f.tshark") found"
  fi
else
  echo "SKIPPED part 2: tshark or capinfos is not installed (Debian packages tshark, wireshark-common)"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ] || exit 1
[ "$passes" -gt 0 ] || exit 77
