#!/usr/bin/env bash
# Interop of the packet I/O layer with Wireshark's tools (Debian packages tshark and
# wireshark-common):
#   1. files our PCAP-NG writer makes (tools/capgen) open in tshark and capinfos with the
#      same packet count, interfaces, link types, nanosecond time stamps, lengths,
#      directions, and one statistics block per interface with the right counters;
#   2. files Wireshark's editcap and mergecap make (pcap µs and ns, pcapng, several
#      interfaces) read back through our readers (tools/pcapls) with the same packets and
#      time stamps as tshark lists;
#   3. the captures in ../shared/data (other tools, both byte orders) likewise.
set -u
CAPGEN=$1
PCAPLS=$2
SHARED=${3:-}
for tool in tshark capinfos editcap mergecap; do
  if ! command -v "$tool" > /dev/null; then
    echo "SKIPPED: $tool is not installed (Debian packages tshark, wireshark-common)"
    exit 77
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# tshark's view, one packet per line: time cap_len len [interface name]. tshark also lists
# custom blocks as records (no interface, no time): they carry no packet, so they are left
# out, and packets are compared in order, not by record number. Names are compared only
# where asked: tshark 4.0 shows, for the second section of a file, the name of the first
# section's interface with the same number (its time stamps use the right interface, and
# so do ours), and it names unnamed interfaces "unknown".
theirs() {  # file with_names
  tshark -r "$1" -T fields -e frame.interface_id -e frame.time_epoch -e frame.cap_len -e frame.len \
    -e frame.interface_name 2> /dev/null |
    awk -F'\t' -v names="$2" '!($1 == "" && $2 == "") { print $2, $3, $4, (names ? $5 : "") }'
}
ours() { "$PCAPLS" "$1" | awk -v names="$2" '{ print $4, $5, $6, (names ? $8 : "") }'; }

compare() {  # file what [with_names]
  local names=${3:-}
  theirs "$1" "$names" > "$work/theirs"
  if ! ours "$1" "$names" > "$work/ours"; then fail "$2: our reader failed"; return; fi
  if [ ! -s "$work/theirs" ]; then fail "$2: tshark listed no packets"; return; fi
  if ! diff "$work/theirs" "$work/ours" > "$work/diff"; then
    fail "$2: packets differ from tshark's"; head -4 "$work/diff"
  else
    echo "ok: $2: $(wc -l < "$work/ours") packets as tshark lists them${names:+ (with interface names)}"
  fi
}

# 1. Our writer → Wireshark.
"$CAPGEN" --count 3000 --seed 7 --interfaces 3 --dropped 17 --summary -o "$work/ours.pcapng" > "$work/summary" ||
  fail "capgen"
count=$(capinfos -M -c "$work/ours.pcapng" | awk -F: '/Number of packets/ { gsub(/ /, "", $2); print $2 }')
[ "$count" = 3000 ] || fail "capinfos counts '$count' packets, expected 3000"
capinfos "$work/ours.pcapng" > "$work/capinfos"
grep -q "Number of interfaces in file: 3" "$work/capinfos" || fail "capinfos does not see 3 interfaces"
[ "$(grep -c 'Time precision = nanoseconds (9)' "$work/capinfos")" = 3 ] || fail "not 3 nanosecond interfaces"
[ "$(grep -c 'Number of stat entries = 1' "$work/capinfos")" = 3 ] || fail "not one statistics block per interface"
for enc in "Ethernet (1 - ether)" "Raw IPv4 (129 - rawip4)" "Raw IP (7 - rawip)"; do
  grep -qF "Encapsulation = $enc" "$work/capinfos" || fail "capinfos does not list $enc"
done
# Per-interface packet counts as the generator reports them.
while read -r _ idx _ n; do
  got=$(awk -v i="$idx" '$0 ~ "^Interface #"i" info" { f = 1 } f && /Number of packets =/ { print $NF; exit }' "$work/capinfos")
  [ "$got" = "$n" ] || fail "interface $idx: capinfos counts $got packets, capgen wrote $n"
done < <(grep '^interface' "$work/summary")
compare "$work/ours.pcapng" "our PCAP-NG" names
# The statistics blocks' counters, as Wireshark's pcapng file-format dissector reads them:
# received = written (+ 17 dropped on interface 0), dropped = 17, 0, 0.
isb=$(tshark -X read_format:"MIME Files Format" -r "$work/ours.pcapng" -T fields \
  -e pcapng.options.option.data.interface.received -e pcapng.options.option.data.interface.dropped 2> /dev/null)
want_recv=$(awk '/^interface/ { r = $4 + ($2 == 0 ? 17 : 0); s = s (s == "" ? "" : ",") r } END { print s }' "$work/summary")
[ "$isb" = "$want_recv	17,0,0" ] && echo "ok: ISB counters (received $want_recv, dropped 17,0,0)" ||
  fail "ISB counters read by tshark: '$isb', expected '$want_recv	17,0,0'"
# Directions (epb_flags) as tshark decodes them: 0x1 inbound, 0x2 outbound, empty unknown.
tshark -r "$work/ours.pcapng" -T fields -e frame.packet_flags_direction 2> /dev/null |
  awk '{ print ($1 == "0x00000001" ? 1 : $1 == "0x00000002" ? 2 : 0) }' > "$work/dir_theirs"
"$PCAPLS" "$work/ours.pcapng" | awk '{ print $7 }' > "$work/dir_ours"
diff -q "$work/dir_theirs" "$work/dir_ours" > /dev/null || fail "directions differ from tshark's"
# tshark reads the whole file without complaint, and every IPv4 header checksum is good.
tshark -r "$work/ours.pcapng" -o ip.check_checksum:TRUE -T fields -e ip.checksum.status > "$work/checksums" 2> "$work/errors"
grep -v "Running as user" "$work/errors" | grep . && fail "tshark complains reading our file"
[ "$(sort -u "$work/checksums")" = 1 ] || fail "IPv4 checksums are not all good: $(sort "$work/checksums" | uniq -c | tr '\n' ' ')"

# 2. Wireshark's writers → our readers.
"$CAPGEN" --count 2000 --seed 8 --interfaces 1 -o "$work/one.pcapng" || fail "capgen"
editcap -F pcap "$work/one.pcapng" "$work/usec.pcap" && compare "$work/usec.pcap" "editcap pcap (µs)"
editcap -F nsecpcap "$work/one.pcapng" "$work/nsec.pcap" && compare "$work/nsec.pcap" "editcap nsecpcap (ns)"
editcap -F pcapng "$work/usec.pcap" "$work/from-pcap.pcapng" && compare "$work/from-pcap.pcapng" "editcap pcap → pcapng"
"$CAPGEN" --count 1000 --seed 9 --interfaces 2 -o "$work/two.pcapng" || fail "capgen"
mergecap -w "$work/merged.pcapng" "$work/ours.pcapng" "$work/two.pcapng" && compare "$work/merged.pcapng" "mergecap, 5 interfaces" names
mergecap -a -w "$work/appended.pcapng" "$work/one.pcapng" "$work/two.pcapng" && compare "$work/appended.pcapng" "mergecap -a"
# A capture through a pipe reads the same as the file.
"$PCAPLS" - < "$work/merged.pcapng" > "$work/pipe" 2>&1
"$PCAPLS" "$work/merged.pcapng" > "$work/file"
diff -q "$work/pipe" "$work/file" > /dev/null || fail "reading from a pipe differs from reading the file"

# 3. Captures made by other tools, when ../shared/data is there.
if [ -n "$SHARED" ] && [ -d "$SHARED" ]; then
  for f in "$SHARED"/*.pcap "$SHARED"/*.pcapng; do
    [ -e "$f" ] && compare "$f" "$(basename "$f")"
  done
else
  echo "note: ../shared/data is absent; captures of other tools not checked"
fi

[ "$fails" -eq 0 ] && echo "PASS" || { echo "$fails failure(s)"; exit 1; }
