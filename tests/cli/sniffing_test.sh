#!/usr/bin/env bash
# The input format chosen by content (issue #19, defects 8 and 14): every format under a
# misleading name and on standard input; compressed data decoded, archives named; garbage; classic PCAP records
# beyond the snapshot length, Linux cooked frames with VLAN tags, link types not decoded,
# --udp-port naming a port no datagram uses. Diagnostics are matched on stdout and stderr
# together (only their text and count are checked here).
set -u
DLTDUMP=$1
DLTGEN=$2
CAPGEN=$3
SHARED_DATA=${4:-}
source "$(dirname "$0")/checks.sh"

# PCAP-NG as our writer makes it (little endian, ns time stamps; interfaces of Ethernet and
# Linux cooked capture v1) → classic PCAP (ns magic) of Ethernet frames with the given
# snapshot length and link type in its header; with "sll-vlan", of Linux cooked frames that
# carry VLAN tag 100 before their protocol.
to_pcap() {  # to_pcap SNAPLEN LINKTYPE [sll-vlan] < in.pcapng > out.pcap
  perl -e '
    use integer;
    my ($snaplen, $link, $mode) = @ARGV;
    local $/; my $d = <STDIN>;
    print pack("VvvVVVV", 0xA1B23C4D, 2, 4, 0, 0, $snaplen, $link);
    my ($p, @links) = (0);
    while ($p + 12 <= length $d) {
      my ($type, $len) = unpack("VV", substr($d, $p, 8));
      last if $len < 12;
      push @links, unpack("v", substr($d, $p + 8, 2)) if $type == 1;
      if ($type == 6) {
        my ($if, $hi, $lo, $cap, $orig) = unpack("VVVVV", substr($d, $p + 8, 20));
        my $f = substr($d, $p + 28, $cap);
        my ($src, $proto, $rest) = $links[$if] == 113 ? (substr($f, 6, 6), substr($f, 14, 2), substr($f, 16))
                                                      : (substr($f, 6, 6), substr($f, 12, 2), substr($f, 14));
        my $frame = ($mode // "") eq "sll-vlan"
            ? pack("nnn", 0, 1, 6) . $src . "\0\0" . pack("nn", 0x8100, 100) . $proto . $rest
            : ("\x01\0\x5e\0\0\x01" . $src . $proto . $rest);
        my $ts = $hi * 4294967296 + $lo;
        print pack("VVVV", $ts / 1000000000, $ts % 1000000000, length $frame, length($frame) + $orig - $cap), $frame;
      }
      $p += $len;
    }' "$@"
}

# 1. Each format under a misleading name and on standard input decodes as with --format.
"$DLTGEN" --format file --count 300 --seed 51 --expect "$work/file.exp" -o "$work/file-data.pcap"
"$DLTGEN" --format net --count 300 --seed 52 --expect "$work/net.exp" -o "$work/net-data.dlt"
"$DLTGEN" --format ser --count 300 --seed 53 --expect "$work/ser.exp" -o "$work/ser-data.pcapng"
for fmt in file net ser; do
  f=$(ls "$work/$fmt-data".*)
  "$DLTDUMP" "$f" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$fmt recording named ${f##*.}: exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/$fmt.exp" "$work/out"; check "$fmt recording named ${f##*.}: decoded as $fmt" $?
  "$DLTDUMP" - < "$f" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$fmt recording on stdin (a file): exit 0" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/$fmt.exp" "$work/out"; check "$fmt recording on stdin (a file): decoded as $fmt" $?
  cat "$f" | "$DLTDUMP" - > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$fmt recording on stdin (a pipe): exit 0" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/$fmt.exp" "$work/out"; check "$fmt recording on stdin (a pipe): decoded as $fmt" $?
done
# A DLT file cut out of a longer one: a sync marker later in the head.
tail -c +100 "$work/file-data.pcap" > "$work/cut-file.bin"
"$DLTDUMP" --format=file "$work/cut-file.bin" > "$work/want"
"$DLTDUMP" "$work/cut-file.bin" > "$work/out" 2>&1
cmp -s "$work/want" "$work/out"; check "a DLT file cut out of a longer one: decoded as a DLT file" $?

"$DLTGEN" --format net --count 400 --seed 54 -o "$work/cap.net"
"$CAPGEN" --dlt "$work/cap.net" --flows 3 --seed 54 -o "$work/cap.pcapng"
"$DLTDUMP" --format=pcap "$work/cap.pcapng" > "$work/cap.want"
[ "$(wc -l < "$work/cap.want")" -ge 400 ]; check "the capture decodes" $?
to_pcap 65535 1 < "$work/cap.pcapng" > "$work/cap.pcap"
"$DLTDUMP" --format=pcap "$work/cap.pcap" > "$work/classic.want"
cmp -s "$work/cap.want" "$work/classic.want"; check "classic PCAP made from the PCAP-NG: the same lines" $?
for kind in pcapng pcap; do
  cp "$work/cap.$kind" "$work/$kind-capture.dlt"
  "$DLTDUMP" "$work/$kind-capture.dlt" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$kind named .dlt: exit 0" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/cap.want" "$work/out"; check "$kind named .dlt: decoded as a capture" $?
  cat "$work/cap.$kind" | "$DLTDUMP" - > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$kind on stdin (a pipe): exit 0" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/cap.want" "$work/out"; check "$kind on stdin (a pipe): decoded as a capture" $?
  for t in 1 2; do
    "$DLTDUMP" --threads=$t - < "$work/cap.$kind" > "$work/out"
    cmp -s "$work/cap.want" "$work/out"; check "$kind on stdin (a file), --threads=$t: decoded as a capture" $?
  done
done
if [ -n "$SHARED_DATA" ] && [ -f "$SHARED_DATA/capture-be-nsec-sll.pcap" ]; then
  real="$SHARED_DATA/capture-be-nsec-sll.pcap"
  "$DLTDUMP" --format=pcap "$real" > "$work/real.want" 2>/dev/null
  cp "$real" "$work/real.bin"
  "$DLTDUMP" "$work/real.bin" 2>/dev/null | cmp -s "$work/real.want" -; check "a real big-endian PCAP named .bin" $?
  cat "$real" | "$DLTDUMP" - 2>/dev/null | cmp -s "$work/real.want" -; check "a real big-endian PCAP on stdin" $?
else
  echo "SKIPPED: real classic PCAP (../shared/data/capture-be-nsec-sll.pcap absent)"
fi
# An explicit --format still wins: a capture read as a DLT file is skipped, with a hint.
out=$("$DLTDUMP" --format=file "$work/cap.pcapng" 2>&1 >/dev/null); rc=$?
expect_eq "--format=file on a capture: exit 0 and the hint" \
  "0:$work/cap.pcapng: no DLT message in $(stat -c %s "$work/cap.pcapng") bytes read as a DLT file (all skipped); it looks like a PCAP-NG capture: try --format=pcap (or auto)" \
  "$rc:$out"
# Read as a network recording, a capture's headers make lines of noise among its skips: the
# warning says so (a new user's finding: they came without a word), 1 and 2 threads.
for threads in 1 2; do
  out=$("$DLTDUMP" --threads=$threads --format=net "$work/cap.pcapng" 2>&1 >/dev/null); rc=$?
  expect_eq "--format=net on a capture (--threads=$threads): exit 0 and the warning" \
    "0:$work/cap.pcapng: a PCAP-NG capture read as a network recording, as --format says (its lines are likely noise); try --format=pcap (or auto)" \
    "$rc:$out"
done

# 2. Compressed data is read decompressed (tests/cli/compressed_test.sh has the rest); a zip
# archive's members are read (tests/cli/archive_test.sh has the rest).
for tool in gzip xz zstd bzip2; do
  if ! command -v $tool > /dev/null; then echo "SKIPPED: $tool not installed"; continue; fi
  $tool -c "$work/file-data.pcap" > "$work/packed.dlt.$tool"
  "$DLTDUMP" "$work/packed.dlt.$tool" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$tool-compressed file: exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/file.exp" "$work/out"; check "$tool-compressed file: decoded as the file" $?
  cat "$work/packed.dlt.$tool" | "$DLTDUMP" - > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "$tool-compressed stdin: exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/file.exp" "$work/out"; check "$tool-compressed stdin: decoded as the file" $?
  out=$("$DLTDUMP" --format=file "$work/packed.dlt.$tool" 2>&1 > /dev/null); rc=$?
  expect_eq "$tool-compressed file with --format=file: read as it is, with the hint" \
    "0:$work/packed.dlt.$tool: no DLT message in $(stat -c %s "$work/packed.dlt.$tool") bytes read as a DLT file (all skipped); it looks like $tool-compressed data: without --format it is read decompressed" \
    "$rc:$out"
done
if command -v zip > /dev/null; then
  (cd "$work" && zip -q packed.zip file-data.pcap)
  "$DLTDUMP" "$work/packed.zip" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "zip archive: exit 0, nothing on stderr" "0:" "$rc:$(cat "$work/err")"
  cmp -s "$work/file.exp" "$work/out"; check "zip archive: its member decoded as the file" $?
  # --sort merges inputs side by side: an archive is refused, the others are decoded, exit 4.
  "$DLTDUMP" --sort "$work/packed.zip" "$work/file-data.pcap" > /dev/null 2>&1
  expect_eq "an archive among other inputs of --sort: exit 4" 4 $?
  # Read as it is with --format=file: the advice is to drop --format, not to extract it (a
  # new user's finding: dltdump reads the archive itself).
  out=$("$DLTDUMP" --format=file "$work/packed.zip" 2>&1 > /dev/null); rc=$?
  expect_eq "zip archive with --format=file: read as it is, with the hint" \
    "0:$work/packed.zip: no DLT message in $(stat -c %s "$work/packed.zip") bytes read as a DLT file (all skipped); it looks like a zip archive: without --format its members are read one after another" \
    "$rc:$out"
else
  echo "SKIPPED: zip not installed"
fi

# 2b. A network recording joined after a DLT file (no magic: its bytes are skipped, a SKIP
# line in a dump): -c shows no SKIP line, so one warning on stderr says what was skipped
# and where (a new user's finding: `cat a.dlt b.net | dltdump -c -` lost the recording's
# messages without a word) — on a pipe, from a file, on several cores (a file of more
# than two 2 MiB blocks) and from compressed data alike; not in a dump (its SKIP line says
# it), nor when the filters leave the skip line out (as a dump's), nor with --stats (its
# report counts them).
"$DLTGEN" --format file --count 300 --seed 81 -o "$work/j.dlt"
"$DLTGEN" --format net --count 200 --seed 82 -o "$work/j.net"
cat "$work/j.dlt" "$work/j.net" > "$work/joined.dlt"
skipped="$(stat -c %s "$work/j.net") bytes skipped at byte $(stat -c %s "$work/j.dlt") (read as a DLT file, no message decodes there), not counted by -c; without -c it shows as a SKIP line"
cat "$work/joined.dlt" | "$DLTDUMP" -c - > "$work/out" 2> "$work/err"; rc=$?
expect_eq "-c of a DLT file and a network recording on a pipe: the count, one warning" \
  "0:300:-: $skipped" "$rc:$(cat "$work/out"):$(cat "$work/err")"
"$DLTDUMP" -c "$work/joined.dlt" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "-c of the joined file: the count, one warning" \
  "0:300:$work/joined.dlt: $skipped" "$rc:$(cat "$work/out"):$(cat "$work/err")"
gzip -c "$work/joined.dlt" > "$work/joined.dlt.gz"
"$DLTDUMP" -c --threads=2 "$work/joined.dlt.gz" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "-c of the joined file compressed: the count, one warning" \
  "0:300:$work/joined.dlt.gz: $skipped" "$rc:$(cat "$work/out"):$(cat "$work/err")"
# --sort likewise, the merged stream's regions (no byte named: they may lie in several inputs;
# a new user's finding: --sort said nothing).
"$DLTDUMP" --sort -c "$work/joined.dlt" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "--sort -c of the joined file: the count, one warning" \
  "0:300:$work/joined.dlt: $(stat -c %s "$work/j.net") bytes skipped (no message decodes there), not counted by -c; without -c it shows as a SKIP line" \
  "$rc:$(cat "$work/out"):$(cat "$work/err")"
"$DLTDUMP" "$work/joined.dlt" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "a dump of the joined file: its SKIP line, nothing on stderr" "0:1:" \
  "$rc:$(grep -c ' SKIP SKIP ' "$work/out"):$(cat "$work/err")"
"$DLTDUMP" -c --appid=NONE "$work/joined.dlt" > "$work/out" 2> "$work/err"; rc=$?
expect_eq "-c with a filter that leaves the skip line out: nothing said (as a dump)" "0:0:" \
  "$rc:$(cat "$work/out"):$(cat "$work/err")"
"$DLTDUMP" --stats "$work/joined.dlt" > /dev/null 2> "$work/err"; rc=$?
expect_eq "--stats of the joined file: nothing on stderr" "0:" "$rc:$(cat "$work/err")"
# Two recordings joined, each after its DLT file; on several cores (the blocks' facts).
"$DLTGEN" --format file --size 5000000 --seed 83 -o "$work/big.dlt"
cat "$work/big.dlt" "$work/j.net" "$work/j.dlt" "$work/j.net" > "$work/joined2.dlt"
for threads in 1 2; do
  "$DLTDUMP" -c --threads=$threads "$work/joined2.dlt" > /dev/null 2> "$work/err"; rc=$?
  expect_eq "-c --threads=$threads of two joined recordings: one warning, the regions and the first" \
    "0:$work/joined2.dlt: $((2 * $(stat -c %s "$work/j.net"))) bytes skipped in 2 regions, the first $(stat -c %s "$work/j.net") at byte $(stat -c %s "$work/big.dlt") (read as a DLT file, no message decodes there), not counted by -c; without -c they show as SKIP lines" \
    "$rc:$(cat "$work/err")"
done

# Data of another format joined inside a DLT file (a gzip stream between two DLT files) is
# named by one warning on one core and on several, mapped and decompressed alike (the
# multi-core walks did not look at the blocks' skipped regions; found by fuzz_cli).
gzip -c "$work/j.dlt" > "$work/j.dlt.gz"
cat "$work/big.dlt" "$work/j.dlt.gz" "$work/j.dlt" "$work/j.dlt.gz" > "$work/joined3.dlt"
gzip -c "$work/joined3.dlt" > "$work/joined3.dlt.gz"
want="the $(stat -c %s "$work/j.dlt.gz") bytes skipped at byte $(stat -c %s "$work/big.dlt") begin like gzip-compressed data"
for input in joined3.dlt joined3.dlt.gz; do
  for threads in 1 2; do
    "$DLTDUMP" --threads=$threads "$work/$input" > "$work/out.$threads" 2> "$work/err.$threads"; rc=$?
    expect_eq "$input, --threads=$threads: one warning naming the gzip stream inside" \
      "0:1:$work/$input: $want" "$rc:$(wc -l < "$work/err.$threads"):$(grep -o "^.*$want" "$work/err.$threads")"
  done
  cmp -s "$work/out.1" "$work/out.2"; st=$?
  check "$input: the same lines on 1 and 2 threads" $st
  cmp -s "$work/err.1" "$work/err.2"; st=$?
  check "$input: the same warning on 1 and 2 threads (both regions counted)" $st
done

# 3. Nothing but skipped bytes: the skip line, and a warning on stderr with a hint.
# No byte below 0x40: no sync marker (its \1) and no DLT v1 header type (0x20-0x3F).
head -c 5000 /dev/urandom | tr '\000-\077' '\100-\177' > "$work/garbage.dlt"
out=$("$DLTDUMP" "$work/garbage.dlt" 2>&1 >/dev/null); rc=$?
expect_eq "garbage: the warning with the hint" \
  "0:$work/garbage.dlt: no DLT message in 5000 bytes read as a DLT file (all skipped); is it another format? try --format=net or --format=ser" \
  "$rc:$out"
out=$(cat "$work/garbage.dlt" | "$DLTDUMP" --format=net - 2>&1 >/dev/null)
expect_eq "garbage as a network recording on stdin: the warning" \
  "-: no DLT message in 5000 bytes read as a network recording (all skipped); is it another format? try --format=file or --format=ser" \
  "$out"
n=$("$DLTDUMP" "$work/garbage.dlt" 2>/dev/null | wc -l)
expect_eq "garbage: one skip line on stdout" 1 "$n"

# 4. Classic PCAP whose records exceed the header's snapshot length: all read, counted.
to_pcap 64 1 < "$work/cap.pcapng" > "$work/snap.pcap"
for t in 1 2; do
  "$DLTDUMP" --threads=$t "$work/snap.pcap" > "$work/out" 2> "$work/err"; rc=$?
  expect_eq "snaplen 64, --threads=$t: exit 0" 0 "$rc"
  cmp -s "$work/cap.want" "$work/out"; check "snaplen 64, --threads=$t: every record decoded" $?
  grep -q "^$work/snap.pcap: [0-9]* records captured longer than the snapshot length 64 (read whole)$" "$work/err"
  check "snaplen 64, --threads=$t: the count on stderr" $?
done

# 5. Linux cooked capture with VLAN tags before IPv4.
to_pcap 65535 113 sll-vlan < "$work/cap.pcapng" > "$work/sll-vlan.pcap"
"$DLTDUMP" "$work/sll-vlan.pcap" > "$work/out" 2>&1
cmp -s "$work/cap.want" "$work/out"; check "SLL frames with a VLAN tag: decoded" $?

# 6. A link type we do not decode; a PCAP version we do not read.
to_pcap 65535 147 < "$work/cap.pcapng" > "$work/user0.pcap"
out=$("$DLTDUMP" "$work/user0.pcap" 2>&1); rc=$?
expect_eq "link type 147: one line, exit 3" \
  "3:$work/user0.pcap: PCAP of link type 147, which is not decoded (Ethernet 1, raw IP 101, raw IPv4 228, raw IPv6 229, Linux SLL 113 and SLL2 276)" \
  "$rc:$out"
cp "$work/cap.pcap" "$work/v3.bin"
printf '\003\000' | dd of="$work/v3.bin" bs=1 seek=4 conv=notrunc 2>/dev/null
out=$("$DLTDUMP" "$work/v3.bin" 2>&1); rc=$?
expect_eq "PCAP version 3 named .bin: one line, exit 3" "3:$work/v3.bin: PCAP file header of unsupported version 3 at offset 0" \
  "$rc:$out"

# 7. --udp-port naming a port no datagram uses: what was found instead, exit 3.
for t in 1 2; do
  for kind in pcapng pcap; do
    out=$("$DLTDUMP" --threads=$t --udp-port=9999 "$work/cap.$kind" 2>&1); rc=$?
    expect_eq "--udp-port=9999 on $kind, --threads=$t: exit 3" 3 "$rc"
    printf '%s\n' "$out" | grep -q "^$work/cap.$kind: no UDP datagrams to port 9999; found UDP port 3490 ([0-9]* datagrams)$"
    check "--udp-port=9999 on $kind, --threads=$t: what was found ($out)" $?
    expect_eq "--udp-port=9999 on $kind, --threads=$t: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
  done
done

echo "sniffing_test: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
