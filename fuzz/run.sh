#!/usr/bin/env bash
# Runs every fuzz target for N seconds, seeding each corpus from the generator.
# Usage: fuzz/run.sh BUILD_DIR SECONDS     (BUILD_DIR configured with DLTDUMP_FUZZ=ON)
set -eu -o pipefail  # a crash fails the run (CI)
build=$1
seconds=$2
gen=$build/tools/dltgen
work=${FUZZ_WORK:-$build/fuzz-work}
mkdir -p "$work"
for f in file net ser; do
  mkdir -p "$work/corpus_$f"
  for s in 1 2 3 4 5 6; do
    "$gen" --format "$f" --count $((s * 3)) --seed "$s" --corrupt 20 --truncate -o "$work/raw"
    { printf "\\x$(printf %02x $((s * 17)))"; cat "$work/raw"; } > "$work/corpus_$f/seed$s"
  done
done
mkdir -p "$work/corpus_payload"
head -c 200 "$work/corpus_file/seed6" > "$work/corpus_payload/seed"
mkdir -p "$work/corpus_parallel"
cp "$work/corpus_file/"* "$work/corpus_parallel/"
# Captures: small files from the project's writer, their classic PCAP form (editcap, when
# installed), and the unit tests' edge cases are covered by mutation from these.
capgen=$build/tools/capgen
mkdir -p "$work/corpus_pcapng" "$work/corpus_pcap"
for s in 1 2 3; do
  "$capgen" --count $((s * 4)) --seed "$s" --interfaces "$s" --max-payload 200 -o "$work/corpus_pcapng/seed$s"
  if command -v editcap > /dev/null; then
    "$capgen" --count $((s * 4)) --seed "$s" --interfaces 1 --max-payload 200 -o "$work/one.pcapng"
    editcap -F pcap "$work/one.pcapng" "$work/corpus_pcap/seed$s" 2> /dev/null || true
    editcap -F nsecpcap "$work/one.pcapng" "$work/corpus_pcap/nsec$s" 2> /dev/null || true
  fi
done
# DLT in captures: the shared captures when present (a leading 0 byte selects file mode),
# plus the capture corpora.
mkdir -p "$work/corpus_capture_dlt"
for f in "$(dirname "$0")"/../../shared/data/*.pcap "$(dirname "$0")"/../../shared/data/*.pcapng \
         "$work"/corpus_pcapng/* "$work"/corpus_pcap/*; do
  [ -f "$f" ] && { printf '\x00'; cat "$f"; } > "$work/corpus_capture_dlt/$(basename "$f").seed"
done
# fuzz_filter: flags, an APP id, a needle ("door=" / "ok"), then generated streams.
mkdir -p "$work/corpus_filter"
k=0
for f in "$work"/corpus_file/*; do
  k=$((k + 1))
  { printf "\\x$(printf %02x $((k * 37 % 128)))NAV\\x00\\x05door="; tail -c +2 "$f"; } > "$work/corpus_filter/file$k"
  { printf "\\x$(printf %02x $((k * 11 % 128)))HMI\\x00\\x02ok"; tail -c +2 "$f"; } > "$work/corpus_filter/ok$k"
done
# fuzz_dlt_output: the framer corpora (their first byte also picks the format).
mkdir -p "$work/corpus_dlt_output"
cp "$work/corpus_file/"* "$work/corpus_net/"* "$work/corpus_ser/"* "$work/corpus_dlt_output/" 2> /dev/null || true
# fuzz_live_uri: a few valid arguments (the first byte picks the scheme prefix).
mkdir -p "$work/corpus_live_uri"
printf '\x00192.168.1.10:3490' > "$work/corpus_live_uri/tcp"
printf '\x01239.255.42.99:3490?bindto=10.0.0.1' > "$work/corpus_live_uri/udp"
printf '\x02/dev/ttyUSB0,115200,8,N,1,rtsxon' > "$work/corpus_live_uri/ser"
# fuzz_cli: 8 header bytes (input count, output kind, --position, format; filter; context;
# block size; split size; each input's kind), then the inputs, length-prefixed but the
# last: a DLT file with corruption, a network recording (named .net), a capture of it
# (raw bytes named .pcapng). One seed per output kind, with different filters.
mkdir -p "$work/corpus_cli"
byte() { printf "\\x$(printf %02x $(($1 & 255)))"; }
"$gen" --format file --count 12 --seed 31 --corrupt 10 -o "$work/cli_a"
"$gen" --format net --count 12 --seed 32 -o "$work/cli_n"
"$capgen" --dlt "$work/cli_n" --flows 2 -o "$work/cli_c" > /dev/null
for o in 0 1 2 3 4 5 6 7; do
  a=$(stat -c %s "$work/cli_a")
  n=$(stat -c %s "$work/cli_n")
  { byte $((2 | o << 2 | (o & 1) << 5)); byte $(((o + 1) % 8 | (o * 3 % 8) << 3)); byte $((o * 5))
    byte $((o * 13)); byte $((o * 7)); byte 0; byte 1; byte 4
    byte "$a"; byte $((a >> 8)); cat "$work/cli_a"; byte "$n"; byte $((n >> 8)); cat "$work/cli_n"
    cat "$work/cli_c"; } > "$work/corpus_cli/seed$o"
done
# The same inputs through each filter file (option 0 with value k: fuzz_cli writes k.dlf),
# output kind k, with context.
for k in 1 2 3 4 5 6 7; do
  { byte $((2 | k << 2)); byte $((k << 3)); byte $((k * 5)); byte $((k * 13)); byte $((k * 7)); byte 0; byte 1; byte 4
    byte "$a"; byte $((a >> 8)); cat "$work/cli_a"; byte "$n"; byte $((n >> 8)); cat "$work/cli_n"
    cat "$work/cli_c"; } > "$work/corpus_cli/dlf$k"
done
# And the shape of issue #19's crash: -B 3 --appid=NAV into one DLT file from two DLT
# files, the second starting with a NAV message (seed 8), so that context held from the
# first input is written after it ended.
"$gen" --format file --count 60 --seed 3 -o "$work/cli_a"
"$gen" --format file --count 20 --seed 8 -o "$work/cli_b"
a=$(stat -c %s "$work/cli_a")
{ byte $((1 | 3 << 2)); byte 1; byte 12; byte 0; byte 0; byte 0; byte 0; byte 0
  byte "$a"; byte $((a >> 8)); cat "$work/cli_a" "$work/cli_b"; } > "$work/corpus_cli/context_across_inputs"
# fuzz_fibex_reader: the shared FIBEX files (a leading byte picks the lookup options).
mkdir -p "$work/corpus_fibex_reader"
for f in "$(dirname "$0")"/../../shared/data/fibex/*.xml; do
  [ -f "$f" ] && { printf '\x00'; cat "$f"; } > "$work/corpus_fibex_reader/$(basename "$f")"
done
printf '\x01<fx:FIBEX xmlns:fx="http://www.asam.net/xml/fbx"><fx:ELEMENTS/></fx:FIBEX>' > "$work/corpus_fibex_reader/empty"
# fuzz_fibex_decode: a catalogue of one frame (id 3: UINT16 in 2 bytes, a text "hi", a
# UTF-8 string), then network-format packets of id 3 that fit it, and one that does not.
mkdir -p "$work/corpus_fibex_decode"
{ printf '\x00\x01\x03\x03'; printf '\x03\x01\x02'; printf '\x00\x00\x00\x02hi'; printf '\x09\x00\x00'
  printf 'A\x03'
  printf '\x20\x01\x00\x0e\x03\x00\x00\x00\x34\x12\x02\x00o\x00'
  printf '\x20\x02\x00\x0b\x03\x00\x00\x00\x34\x12\x09'; } > "$work/corpus_fibex_decode/seed"
# fuzz_dlf_reader: filter files as dlt-viewer writes them (every element), positive,
# negative and marker, with each field and flag.
mkdir -p "$work/corpus_dlf_reader"
dlf_filter() {  # type ecu app ctx payload regex-app regex-ctx regex-payload icase enables(ecu app ctx pay ctrl min max id)
  printf '<filter><type>%s</type><name>n</name><ecuid>%s</ecuid><applicationid>%s</applicationid>' "$1" "$2" "$3"
  printf '<contextid>%s</contextid><headertext></headertext><payloadtext>%s</payloadtext>' "$4" "$5"
  printf '<regex_search></regex_search><regex_replace></regex_replace><messageIdMin>100</messageIdMin>'
  printf '<messageIdMax>%s</messageIdMax><enableregexp_Appid>%s</enableregexp_Appid>' "${14}" "$6"
  printf '<enableregexp_Context>%s</enableregexp_Context><enableregexp_Header>0</enableregexp_Header>' "$7"
  printf '<enableregexp_Payload>%s</enableregexp_Payload><ignoreCase_Header>0</ignoreCase_Header>' "$8"
  printf '<ignoreCase_Payload>%s</ignoreCase_Payload><enablefilter>1</enablefilter>' "$9"
  printf '<enableecuid>%s</enableecuid><enableapplicationid>%s</enableapplicationid>' "${10}" "${11}"
  printf '<enablecontextid>%s</enablecontextid><enableheadertext>0</enableheadertext>' "${12}"
  printf '<enablepayloadtext>%s</enablepayloadtext><enablectrlmsgs>0</enablectrlmsgs>' "${13}"
  printf '<enableLogLevelMin>1</enableLogLevelMin><enableLogLevelMax>1</enableLogLevelMax>'
  printf '<enableMarker>0</enableMarker><enableMessageId>%s</enableMessageId>' "${15}"
  printf '<enableRegexSearchReplace>0</enableRegexSearchReplace><filterColour>#000000</filterColour>'
  printf '<logLevelMax>4</logLevelMax><logLevelMin>2</logLevelMin></filter>\n'
}
{ echo '<?xml version="1.0" encoding="UTF-8"?>'; echo '<dltfilter>'
  dlf_filter 0 ECU1 NAV GP radar 0 0 0 0 1 1 1 1 0 0
  dlf_filter 1 TCB '^(NA|ME)' 'S$' 'time+out' 1 1 1 1 0 1 1 1 200 1
  dlf_filter 2 E HMI C x 0 0 0 0 0 1 0 0 0 0
  echo '</dltfilter>'; } > "$work/corpus_dlf_reader/seed"
# DLT over TCP and IPv6 (issue #25): capgen --tcp captures for the capture path; records of
# segments for fuzz_tcp_stream and length-prefixed packets for fuzz_ipv6.
"$gen" --format net --count 40 --seed 41 -o "$work/tcp_n"
for s in 1 2; do
  "$capgen" --tcp "$work/tcp_n" --flows 3 --impair --seed "$s" -o "$work/tcp_c$s"
  { printf '\x00'; cat "$work/tcp_c$s"; } > "$work/corpus_capture_dlt/tcp$s.seed"
  # Segments of whole messages: the chunked decoder's cuts find the streams settled and
  # join the chunks (TcpStream::carry_on_from), which the mutations then break.
  "$capgen" --tcp "$work/tcp_n" --flows 3 --whole --max-messages 2 --seed "$s" -o "$work/tcp_w$s"
  { printf '\x04'; cat "$work/tcp_w$s"; } > "$work/corpus_capture_dlt/tcp_whole$s.seed"
  # Segments cut anywhere, chunks of 512 bytes with lead-ins of 1000 and 10000 bytes: the
  # chunks join after their lead-ins (CaptureDecoderSplit::cut_here), which the mutations
  # then break.
  "$capgen" --tcp "$work/tcp_n" --flows 3 --seed "$s" -o "$work/tcp_a$s"
  { printf '\x28'; cat "$work/tcp_a$s"; } > "$work/corpus_capture_dlt/tcp_lead$s.seed"
  { printf '\x38'; cat "$work/tcp_a$s"; } > "$work/corpus_capture_dlt/tcp_long_lead$s.seed"
done
mkdir -p "$work/corpus_tcp_stream" "$work/corpus_ipv6"
python3 - "$work" << 'PY'
import struct, sys
work = sys.argv[1]
def seg(stream, flags, seq, step, payload, absolute=True):
    first = (stream % 3) | (8 if absolute else 0)
    return bytes([first, flags]) + struct.pack(">I", seq) + bytes([step, len(payload) // 2]) + payload
data = bytes(range(256)) * 2
recs = [seg(0, 2, 0xFFFFFF00, 1, b""), seg(0, 0, 0xFFFFFF01, 1, data[:100]), seg(0, 0, 0xFFFFFF01 + 150, 1, data[:60]),
        seg(1, 0, 1000, 3, data[:200]), seg(0, 0, 0xFFFFFF01 + 100, 1, data[:80]), seg(1, 1, 1300, 60, data[:40]),
        seg(2, 4, 5, 1, b""), seg(0, 1, 0xFFFFFF01 + 210, 250, data[:20])]
open(work + "/corpus_tcp_stream/seed1", "wb").write(b"".join(recs))
open(work + "/corpus_tcp_stream/seed2", "wb").write(b"".join(reversed(recs)))
def ipv6(next_header, body, src=11, dst=100):
    return bytes([0x60, 0, 0, 0]) + struct.pack(">HBB", len(body), next_header, 64) + bytes(15) + bytes([src]) + bytes(15) + bytes([dst]) + body
def option(next_header, extra=0):
    return bytes([next_header, extra // 8, 1, 4 + extra, 0, 0, 0, 0]) + bytes(extra)
tcp = struct.pack(">HHIIBBHHH", 3490, 50000, 7, 1, 0x50, 0x18, 65535, 0, 0) + data[:300]
udp = struct.pack(">HHHH", 50000, 3490, 8 + 300, 0) + data[:300]
def frags(next_header, datagram, size, ident):
    out = []
    for at in range(0, len(datagram), size):
        more = 1 if at + size < len(datagram) else 0
        out.append(ipv6(44, bytes([next_header, 0]) + struct.pack(">HI", (at // 8) << 3 | more, ident) + datagram[at:at + size]))
    return out
def ipv4(proto, body, ident=1, offset=0, more=False):
    return struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(body), ident, (0x2000 if more else 0) | offset // 8, 64, proto, 0) + bytes([10, 0, 0, 11, 10, 0, 0, 100]) + body
packets = [ipv6(17, udp), ipv6(0, option(43) + option(60, 8) + option(6) + tcp)] + list(reversed(frags(6, tcp, 128, 9))) +           [ipv4(17, udp[:160], 5, 0, True), ipv4(17, udp[160:], 5, 160)]
open(work + "/corpus_ipv6/seed1", "wb").write(b"".join(struct.pack(">H", len(p)) + p for p in packets))
PY
# fuzz_decompress (issue #26): a mode byte, then small DLT files compressed by each tool
# (two members or frames for gzip and zstd), whole and cut short.
mkdir -p "$work/corpus_decompress"
"$gen" --format file --count 40 --seed 51 -o "$work/dz_a"
for tool in "gzip -c" "zstd -q -c" "xz -c" "bzip2 -c"; do
  command -v "${tool%% *}" > /dev/null || continue
  name=${tool%% *}
  $tool "$work/dz_a" > "$work/dz_packed" || continue
  { printf '\x05'; cat "$work/dz_packed"; } > "$work/corpus_decompress/$name"
  { printf '\x21'; cat "$work/dz_packed" "$work/dz_packed"; } > "$work/corpus_decompress/$name-two"
  { printf '\x3c'; head -c $(($(stat -c %s "$work/dz_packed") / 2)) "$work/dz_packed"; } > "$work/corpus_decompress/$name-cut"
done
# fuzz_archive (issue #26): a mode byte (bit 0: mapped), then small tar and zip archives of
# DLT files (one member gzip-compressed, one text member; the zip a symbolic link too, known
# as one from its central directory when streamed), plain and tar.gz, whole and cut.
mkdir -p "$work/corpus_archive" "$work/az"
"$gen" --format file --count 20 --seed 52 -o "$work/az/a.dlt"
"$gen" --format net --count 10 --seed 53 -o "$work/az/b.bin"
gzip -c "$work/az/a.dlt" > "$work/az/c.dlt.gz"
echo notes > "$work/az/n.txt"
(cd "$work/az" && tar cf ../az.tar a.dlt n.txt c.dlt.gz b.bin && tar czf ../az.tgz a.dlt b.bin) || true
ln -sf a.dlt "$work/az/l.dlt"
command -v zip > /dev/null && (cd "$work/az" && rm -f ../az.zip && zip -q --symlinks ../az.zip a.dlt n.txt l.dlt c.dlt.gz b.bin)
for f in az.tar az.tgz az.zip; do
  [ -f "$work/$f" ] || continue
  { printf '\x01'; cat "$work/$f"; } > "$work/corpus_archive/$f"
  { printf '\x00'; cat "$work/$f"; } > "$work/corpus_archive/$f-stream"
  { printf '\x01'; head -c $(($(stat -c %s "$work/$f") / 2)) "$work/$f"; } > "$work/corpus_archive/$f-cut"
done
TARGETS=${FUZZ_TARGETS:-capture_dlt:capture_dlt pcapng_reader:pcapng pcap_reader:pcap framer_file:file framer_net:net framer_ser:ser payload:payload parallel:parallel filter:filter dlt_output:dlt_output live_uri:live_uri cli:cli fibex_reader:fibex_reader fibex_decode:fibex_decode dlf_reader:dlf_reader tcp_stream:tcp_stream ipv6:ipv6 decompress:decompress archive:archive}
for t in $TARGETS; do
  target=${t%%:*}
  corpus=${t##*:}
  echo "== fuzz_$target for ${seconds}s"
  # fuzz_cli runs the whole program several times per input: small inputs keep it fast,
  # and its stderr (the program's loss reports) is closed (sanitizer reports still show).
  extra=()
  [ "$target" = cli ] && extra=(-max_len=12000 -close_fd_mask=2 -timeout=60)
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=70000 -rss_limit_mb=2048 \
    -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 "${extra[@]}" "$work/corpus_$corpus" 2>&1 |
    grep -E "^stat::number_of_executed_units|^stat::peak_rss|ERROR|SUMMARY|Done|fuzz_cli: |artifact|Test unit"
done
