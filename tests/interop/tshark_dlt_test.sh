#!/usr/bin/env bash
# DLT in captures, checked two ways (issue #4):
#   1. against the generator's truth: dltgen writes a network-format DLT stream and the
#      exact lines dltdump must print for it; capgen carries the stream in a PCAP-NG capture
#      (5 flows over Ethernet, VLAN, QinQ, Linux SLL, SLL2 and raw IPv4 interfaces, messages
#      split across datagrams, IPv4 fragments in shuffled order, noise traffic, a second
#      big-endian section); dltdump on the capture must print the same messages (all
#      columns after the time) and no skip line — as a multiset, since flows interleave;
#   2. against Wireshark: on a capture without messages split across datagrams (tshark 4.0
#      does not reassemble those), `tshark -d udp.port==3490,dlt` must find the same
#      messages in the same order with the same ECU/APP/CTX, and every string argument
#      tshark decodes must appear in that message's line.
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TZ=UTC
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

for seed in 21 22; do
  "$DLTGEN" --format net --count 4000 --seed "$seed" --expect "$work/expected" -o "$work/stream.bin"
  "$CAPGEN" --dlt "$work/stream.bin" --flows 5 --sections 2 --noise --seed "$seed" -o "$work/split.pcapng"
  "$DLTDUMP" "$work/split.pcapng" > "$work/got" || fail "seed $seed: dltdump exit $?"
  cut -d' ' -f3- "$work/expected" | sort > "$work/want_sorted"
  cut -d' ' -f3- "$work/got" | sort > "$work/got_sorted"
  if ! diff -q "$work/want_sorted" "$work/got_sorted" > /dev/null; then
    fail "seed $seed: messages differ from the generator's truth"
    diff "$work/want_sorted" "$work/got_sorted" | head -4
  else
    echo "ok: seed $seed: $(wc -l < "$work/got") messages as the generator wrote them"
  fi
  grep -q ' SKIP SKIP ' "$work/got" && fail "seed $seed: skip lines in a clean capture"
  # Per flow the order is the stream's: messages of one application keep their order.
  app_order() { awk '{ print $6 }' "$1" | sort -s | uniq -c | awk '{ print $2, $1 }'; }
  [ "$(app_order "$work/expected")" = "$(app_order "$work/got")" ] || fail "seed $seed: per-application counts differ"
done

if ! command -v tshark > /dev/null; then
  echo "SKIPPED part 2: tshark is not installed (Debian package tshark)"
  [ "$fails" -eq 0 ] && exit 0 || exit 1
fi
"$DLTGEN" --format net --count 3000 --seed 23 -o "$work/stream.bin"
"$CAPGEN" --dlt "$work/stream.bin" --flows 5 --sections 2 --noise --no-split --seed 23 -o "$work/whole.pcapng"
# tshark's messages from PDML: "ECU APP CTX" (- when absent), then the strings it decoded.
tshark -r "$work/whole.pcapng" -d udp.port==3490,dlt -T pdml 2> /dev/null | awk '
  function show(line) { match(line, /show="[^"]*"/); s = substr(line, RSTART + 6, RLENGTH - 7)
    gsub(/&quot;/, "\"", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
    return s }
  /<proto name="dlt"/ { inm = 1; e = "-"; a = "-"; c = "-"; strs = ""; next }
  inm && /<field name="dlt.ecu_id"/ { e = show($0) }
  inm && /<field name="dlt.application_id"/ { a = show($0) }
  inm && /<field name="dlt.context_id"/ { c = show($0) }
  inm && /<field name="dlt.data.string"/ { strs = strs "\037" show($0) }
  inm && /<\/proto>/ { print e " " a " " c strs; inm = 0 }' > "$work/tshark"
"$DLTDUMP" "$work/whole.pcapng" > "$work/ours"
n_t=$(wc -l < "$work/tshark")
n_o=$(wc -l < "$work/ours")
[ "$n_t" -eq 3000 ] && [ "$n_o" -eq 3000 ] || fail "tshark found $n_t messages, dltdump $n_o (expected 3000)"
cut -d$'\037' -f1 "$work/tshark" > "$work/tshark_ids"
# Columns 5-7 are ECU, APP, CTX; an id a message does not have leaves an empty column.
cut -d' ' -f5-7 "$work/ours" | awk -F'[ ]' '{ for (i = 1; i <= 3; i++) if ($i == "") $i = "-"; print $1, $2, $3 }' \
  > "$work/ours_ids"
if ! diff -q "$work/tshark_ids" "$work/ours_ids" > /dev/null; then
  fail "ECU/APP/CTX or order differ from tshark's"
  diff "$work/tshark_ids" "$work/ours_ids" | head -4
else
  echo "ok: tshark finds the same $n_o messages in the same order with the same ECU/APP/CTX"
fi
# Every string tshark decodes (printable ASCII: it shows other characters as U+FFFD, where
# the ISO-8859-15 and UTF-8 texts of our lines are exact) appears in the same message's line.
paste -d$'\036' "$work/tshark" "$work/ours" | awk -F$'\036' '{
    n = split($1, s, "\037")
    for (i = 2; i <= n; i++) {
      if (s[i] ~ /[^ -~]/) { other++; continue }
      checked++
      if (index($2, s[i]) == 0) print NR ": " s[i]
    } }
    END { print checked + 0, other + 0 > "'"$work/string_counts"'" }' > "$work/missing"
read -r checked other < "$work/string_counts"
if [ -s "$work/missing" ] || [ "$checked" -lt 100 ]; then
  fail "$(wc -l < "$work/missing") of $checked strings tshark decoded are not in our lines: $(head -3 "$work/missing")"
else
  echo "ok: all $checked ASCII string arguments tshark decodes are in our lines ($other non-ASCII not compared)"
fi
[ "$fails" -eq 0 ] && echo "PASS" || { echo "$fails failure(s)"; exit 1; }
