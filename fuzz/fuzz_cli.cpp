// Fuzz target: the whole program, end to end and differential (issue #19). The bytes make
// 1-3 input files of mixed formats (DLT file, network or serial recording, a PCAP-NG
// capture whose UDP datagrams carry the bytes, or raw bytes named .pcapng) in a private
// directory, and a random option set (a filter, -A/-B context, --position, --format, the
// output kind and file name template, a split size); cli::parse_options, api::check_dump and app::run_dump
// then run in process several times, and the target aborts unless:
//
// * the console output is whole lines (ends in '\n') without a control character (C0 but
//   the line end, DEL, C1 in UTF-8), each starting as a line does, and the diagnostics are
//   whole lines;
// * 1 and N = 2-4 threads (with tiny blocks, so that the parallel decoders cut the inputs) give
//   the same exit code, diagnostics and output files byte for byte (PCAP-NG: the same
//   decoded text, its statistics blocks carry the time of writing);
// * a text file output holds the console's lines (split files concatenated; with %FILE%,
//   each input's file holds what that input alone prints: context never crosses inputs);
// * a DLT or PCAP-NG output decodes back to exactly the lines the text output lists
//   (positions and the counters of skip lines aside);
// * the same text or DLT file output compressed (`-o <name>.zst`, on N threads)
//   decompresses to exactly those files (issue #26);
// * --sort gives the same for 1 and N threads and through runs on disk, and the same lines
//   in another order where the options do not tie lines to their order; files by
//   lifecycle (%LC%) together hold the sorted lines, each in their order (issue #24).
//
// With no filter option chosen but a value, the filter is a dlt-viewer filter file
// (--filter-file) of seven written at start: ids, CTX "contains", patterns, levels, message
// ids, control messages, header and payload text, positive and negative; the same
// invariants hold.
//
// With the block-size byte odd, the runs decode non-verbose messages through a FIBEX
// catalogue (--fibex, --nv-noexthdr) of frames for the message ids dltgen writes (0-4999):
// fixed and counted types, static texts; the same invariants hold.
//
// ASan and UBSan catch the rest (e.g. a -B context message read after its input was
// unmapped). Runs with TZ=UTC; the stop flag (util/stop_signal) is cleared before each run.
// Input layout: 8 header bytes (see Header), then each input but the last as a 16-bit
// little-endian length and its bytes; the last input takes the rest.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aio/packet.hpp"
#include "api/dump_config.hpp"
#include "app/dump_app.hpp"
#include "cli/options.hpp"
#include "fibex/fibex_reader.hpp"
#include "fuzz_lines.hpp"
#include "net/udp_frame.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

using namespace dltdump;

namespace {

std::string g_dir;    // the private directory: in/ (inputs) and out/ (output files)
int g_report_fd = 2;  // stderr as it was at start (-close_fd_mask=2 closes fd 2 later)

std::string g_command;  // the last run's arguments, for the report

fibex::Catalogue g_fibex;  // read once from g_dir/catalogue.xml (see catalogue_xml)

// A FIBEX catalogue with frames ID_0 to ID_4999 (the ids of dltgen's non-verbose
// messages) of 0-4 arguments of the fixed and counted types and static texts, whose
// application ids are ones the filters below ask for.
std::string catalogue_xml() {
  static const char* const kTypes[] = {"S_UINT8", "S_BOOL", "S_SINT16", "S_HEX32",      "S_BIN8",  "S_FLOA32",
                                       "S_RAW",   "S_UTF8", "S_UINT64", "S_STRG_ASCII", "S_FLOA16"};
  static const char* const kApps[] = {"NAV", "HMI", "DIAG", "FX"};
  static const char* const kInfos[] = {"DLT_LOG_WARN", "DLT_LOG_INFO", "DLT_LOG_ERROR"};
  std::string x =
      "<?xml version=\"1.0\"?>\n<fx:FIBEX xmlns:fx=\"http://www.asam.net/xml/fbx\" "
      "xmlns:ho=\"http://www.asam.net/xml\"><fx:ELEMENTS><fx:ECUS><fx:ECU ID=\"FXE\"/></fx:ECUS><fx:PDUS>\n";
  for (std::size_t t = 0; t < std::size(kTypes); ++t)
    x += "<fx:PDU ID=\"P" + std::to_string(t) + "\"><fx:BYTE-LENGTH>" + std::to_string(1 + t % 4) +
         "</fx:BYTE-LENGTH><fx:SIGNAL-INSTANCES><fx:SIGNAL-INSTANCE><fx:SIGNAL-REF ID-REF=\"" + kTypes[t] +
         "\"/></fx:SIGNAL-INSTANCE></fx:SIGNAL-INSTANCES></fx:PDU>\n";
  x += "<fx:PDU ID=\"T\"><ho:DESC>door &amp; ok&#10;Skipped</ho:DESC></fx:PDU>\n</fx:PDUS><fx:FRAMES>\n";
  for (unsigned id = 0; id < 5000; ++id) {
    x += "<fx:FRAME ID=\"ID_" + std::to_string(id) + "\"><fx:PDU-INSTANCES>";
    for (unsigned k = 0; k < id % 5; ++k)
      x += std::string("<fx:PDU-INSTANCE><fx:PDU-REF ID-REF=\"") +
           (k == 1 ? std::string("T") : "P" + std::to_string((id / 5 + k * 3) % std::size(kTypes))) +
           "\"/></fx:PDU-INSTANCE>";
    x += std::string("</fx:PDU-INSTANCES><fx:MANUFACTURER-EXTENSION><APPLICATION_ID>") + kApps[id % 4] +
         "</APPLICATION_ID><CONTEXT_ID>CTX1</CONTEXT_ID><MESSAGE_TYPE>DLT_TYPE_LOG</MESSAGE_TYPE><MESSAGE_INFO>" +
         kInfos[id % 3] + "</MESSAGE_INFO></fx:MANUFACTURER-EXTENSION></fx:FRAME>\n";
  }
  return x + "</fx:FRAMES></fx:ELEMENTS></fx:FIBEX>\n";
}

[[noreturn]] void fail(const char* what) {
  const std::string line =
      std::string("fuzz_cli: invariant broken: ") + what + "\nfuzz_cli: last run: dltdump" + g_command + "\n";
  if (write(g_report_fd, line.data(), line.size()) < 0) {
  }  // nothing better to do before aborting
  std::abort();
}

void remove_files(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') unlink((dir + "/" + e->d_name).c_str());
  }
  closedir(d);
}

std::string read_fd(int fd) {
  std::string text;
  char buf[65536];
  for (off_t at = 0;;) {
    const ssize_t n = pread(fd, buf, sizeof buf, at);
    if (n < 0) fail("reading back an output");
    if (n == 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
}

// The files of `dir` by name (std::map: in name order, which is input order for
// `in<k>…` names and counter order for %CTR%).
std::map<std::string, std::string> files_of(const std::string& dir) {
  std::map<std::string, std::string> files;
  DIR* d = opendir(dir.c_str());
  if (!d) fail("opendir");
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const int fd = open((dir + "/" + e->d_name).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("opening an output file");
    files[e->d_name] = read_fd(fd);
    close(fd);
  }
  closedir(d);
  return files;
}

// The content of a file of zstd frames; fails unless it decodes whole.
std::string zstd_unpack(const std::string& packed) {
  ZSTD_DCtx* d = ZSTD_createDCtx();
  std::string out, chunk(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer in{packed.data(), packed.size(), 0};
  std::size_t left = 0;  // 0 once a frame is complete and flushed
  do {
    ZSTD_outBuffer o{chunk.data(), chunk.size(), 0};
    left = ZSTD_decompressStream(d, &o, &in);
    if (ZSTD_isError(left)) fail("a compressed output does not decompress");
    if (in.pos == in.size && o.pos == 0 && left != 0) fail("a compressed output ends inside a frame");
    out.append(chunk.data(), o.pos);
  } while (in.pos < in.size || left != 0);
  ZSTD_freeDCtx(d);
  return out;
}

struct Run {
  int rc = 0;
  std::string command;  // for the report
  std::string console, diagnostics;
  std::map<std::string, std::string> files;  // what -o wrote (removed from out/ afterwards)
};

// `sort_held_bytes` (0: the default): a sorted run's bound per input, small to make it
// sort through runs on disk.
Run run(std::vector<std::string> args, unsigned threads, std::uint64_t block_bytes, std::uint64_t split_bytes,
        std::uint64_t sort_held_bytes = 0) {
  g_command.clear();
  for (const auto& a : args) g_command += " '" + a + "'";
  g_command += " (threads " + std::to_string(threads) + ", blocks of " + std::to_string(block_bytes) + " bytes" +
               (split_bytes ? ", split at " + std::to_string(split_bytes) : std::string()) + ")";
  // As the program: the CLI's options, checked by the library into the run's config (what
  // dltdump::Dump runs), whose tuning the target then sets below the options' floors.
  cli::Options options;
  app::DumpConfig dump;
  try {
    options = cli::parse_options(args);
    if (options.command != cli::Command::Dump) fail("not a dump command");
    dump = api::check_dump(options.dump).config;
  } catch (const util::Error& e) {
    fail((std::string("the target built bad options: ") + e.what()).c_str());
  }
  if (!options.fibex.empty()) dump.catalogue = &g_fibex.catalogue;
  dump.threads = threads;
  dump.block_bytes = block_bytes;
  if (split_bytes != 0) dump.split_bytes = split_bytes;  // below the CLI's 64 KiB floor on purpose
  if (sort_held_bytes != 0) dump.sort_held_bytes = sort_held_bytes;
  const int out = memfd_create("fuzz-console", MFD_CLOEXEC), diag = memfd_create("fuzz-diag", MFD_CLOEXEC);
  if (out < 0 || diag < 0) fail("memfd_create");
  util::clear_stop();
  Run r;
  r.command = g_command;
  try {
    r.rc = util::exit_status(app::run_dump(dump, out, diag));
  } catch (const util::Error& e) {  // the run ended (as main would print it, on stderr)
    r.rc = util::exit_status(e.exit_code());
  }
  r.console = read_fd(out);
  r.diagnostics = read_fd(diag);
  close(out);
  close(diag);
  r.files = files_of(g_dir + "/out");
  remove_files(g_dir + "/out");
  return r;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// FUZZ_CLI_IGNORE=controls skips the control character, line start and split size checks,
// to fuzz a tree while the known defect of control characters in lines is being fixed
// (never in CI).
bool g_ignore_controls = false;

// Whole lines, no control characters, each line starting as a decoded line does.
void check_lines(const std::string& text, bool position) {
  if (!text.empty() && text.back() != '\n') fail("text output does not end in a line end");
  if (g_ignore_controls) return;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) fail("control character in a text line");
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      fail("C1 control character in a text line");
  }
  for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
    std::size_t p = at;
    if (position) {
      std::size_t digits = 0;
      while (p < text.size() && is_hex(text[p])) ++p, ++digits;
      if (digits < 8 || text.compare(p, 2, ": ") != 0) fail("a line without its position");
      p += 2;
    }
    if (p >= text.size() || text[p] < '0' || text[p] > '9') fail("a line that does not start with its time");
  }
}

void check_diagnostics(const std::string& text) {
  if (!text.empty() && text.back() != '\n') fail("a diagnostic is not a whole line");
}

std::string concatenated(const std::map<std::string, std::string>& files) {
  std::string all;
  for (const auto& [name, bytes] : files) all += bytes;
  return all;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  fuzz::for_each_line(text, [&](std::string_view line) { lines.emplace_back(line); });
  return lines;
}

// Decoded lines of an output against the expected lines (both without positions, skip
// counters blanked). From PCAP-NG one thing is legitimately lost: a time before 1970
// (PCAP-NG time stamps are unsigned: written as 0). (The ECU of a storage header travels
// in the packet's standard header, issue #19.)
void compare_decoded(const std::string& want, const std::string& got, bool pcapng) {
  if (want == got) return;
  if (!pcapng) fail("a DLT output does not decode to the text output's lines");
  const auto w = split_lines(want), g = split_lines(got);
  if (w.size() != g.size()) fail("a PCAP-NG output does not decode to as many lines as the text output");
  constexpr std::string_view kNoTime = "1970/01/01 00:00:00.000000 ";
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::string expected = w[i];
    if (g[i].starts_with(kNoTime) && expected < "1970") expected.replace(0, kNoTime.size(), kNoTime);
    if (expected != g[i]) fail("a PCAP-NG output does not decode to the text output's lines");
  }
}

// A capture of `bytes` as UDP datagrams to port 3490: each datagram's length comes from
// the byte before it, the flow (source port) and the time step from `flags`.
void write_capture(int fd, std::span<const std::uint8_t> bytes, std::uint8_t flags) {
  pcap::PcapngWriter writer(fd, "fuzz-capture", pcap::SectionInfo{});
  const std::uint32_t interface = writer.add_interface({});
  static std::uint8_t frame[net::kMaxUdpFrameBytes];
  std::size_t at = 0;
  std::uint16_t id = 0;
  std::int64_t time_ns = 1'700'000'000'000'000'000 + (flags & 7) * 1'000'003;
  while (at < bytes.size()) {
    const std::size_t length = std::min<std::size_t>(bytes.size() - at - 1, 1u + bytes[at] * 4u);
    net::UdpEndpoints endpoints;
    if (flags & 0x08) endpoints.source_port = static_cast<std::uint16_t>(3490 + (bytes[at] & 1));
    const std::size_t n = net::write_udp_frame(frame, endpoints, bytes.subspan(at + 1, length), id++);
    writer.write_packet(interface, time_ns, {frame, n});
    time_ns += 250'000 * (1 + (flags >> 4));
    at += 1 + length;
  }
  writer.close(0);
}

// The 8 header bytes: [0] input count (value % 3), output kind (bits 2-4), --position
// (bit 5), a forced --format (bits 6-7 both set; [1] bits 6-7 choose it); [1] filter (bits
// 0-2 the option, bits 3-5 its value; option 0 with a value: filter file <value>.dlf); [2] -A (bits 0-1), -B (bits
// 2-3), N (bits 4-7); [3] block size; [4] split size; [5-7] each input's kind.
struct Header {
  unsigned inputs;  // 1-3
  unsigned output;  // 0-7, see kOutputs
  bool position;
  std::string format;               // "" (automatic) or a --format value
  std::vector<std::string> filter;  // filter and context options
  unsigned threads;                 // N: 2-4
  std::uint64_t block_bytes, split_bytes;
  std::uint8_t kinds[3];  // per input: the format (bits 0-2), capture flags (the rest)
  bool fibex;             // decode with the catalogue (the block size byte is odd)
};

const char* const kFormats[] = {"file", "net", "ser", "pcap"};
// Output templates (out/ prepended): console, text, text per input, DLT, DLT per input,
// PCAP-NG, DLT per input and split, text split.
const char* const kOutputs[] = {"",           "all.txt",    "%FILE%.txt",       "all.dlt",
                                "%FILE%.dlt", "all.pcapng", "%FILE%_%CTR%.dlt", "all_%CTR%.txt"};

// Filters (the second header byte: bits 0-2 the option, 0 none; bits 3-5 the value).
const char* const kFilterOptions[] = {"", "--appid=", "-s", "--type=", "-r", "--ctxid=", "-s", "--ecuid="};
const char* const kFilterValues[8][8] = {
    {},
    {"NAV", "HMI", "DIAG", "SKIP", "SYS", "MEDI", "TEST", "X"},
    {"o", "door", "ok", "e ", "1", "Skipped", "\xc3\xa4", "OK"},
    {"warn", "info", "fatal", "error", "debug", "verbose", "request", "48"},
    {"o.", "^b", "[0-9]{3}", "\\d+ bytes", "(a|e)$", "x*", "t.*t", "."},
    {"MAIN", "GPS", "NET", "CTX1", "TEST", "SKIP", "A", "CTX"},
    {"O", "DOOR", "\xc3\xa4", "GR\xc3\x9cSSE", "Ok", "A", "e", "skipped"},  // with -i
    {"ECU1", "ECU2", "TCB", "ECU1,TCB", "E", "X", "ECU", "SKIP"},
};

// The filter files (--filter-file) option 0 chooses by its value 1-7: the <filter> elements
// of each, written as dlt-viewer writes them (elements not given keep their defaults).
std::string dlf_filter(int type, const std::string& elements) {
  return "<filter><type>" + std::to_string(type) + "</type><enablefilter>1</enablefilter>" + elements + "</filter>";
}
const std::string kDlfFiles[8] = {
    "",
    dlf_filter(0, "<applicationid>NAV</applicationid><enableapplicationid>1</enableapplicationid>"),
    dlf_filter(1, "<contextid>GP</contextid><enablecontextid>1</enablecontextid>") +
        dlf_filter(0, "<logLevelMax>3</logLevelMax><enableLogLevelMax>1</enableLogLevelMax>"),
    dlf_filter(0,
               "<payloadtext>[0-9]{3}|d..r</payloadtext><enablepayloadtext>1</enablepayloadtext>"
               "<enableregexp_Payload>1</enableregexp_Payload><ignoreCase_Payload>1</ignoreCase_Payload>"),
    dlf_filter(0, "<headertext>ECU1</headertext><enableheadertext>1</enableheadertext>") +
        dlf_filter(1, "<payloadtext>ok</payloadtext><enablepayloadtext>1</enablepayloadtext>"),
    dlf_filter(0,
               "<messageIdMin>0</messageIdMin><messageIdMax>2000</messageIdMax><enableMessageId>1</enableMessageId>"),
    dlf_filter(0, "<enablectrlmsgs>1</enablectrlmsgs>") +
        dlf_filter(0,
                   "<applicationid>^(NA|SK)</applicationid><enableapplicationid>1</enableapplicationid>"
                   "<enableregexp_Appid>1</enableregexp_Appid>"),
    dlf_filter(2, "<applicationid>NAV</applicationid><enableapplicationid>1</enableapplicationid>") +
        dlf_filter(1,
                   "<headertext> log (warn|info) </headertext><enableheadertext>1</enableheadertext>"
                   "<enableregexp_Header>1</enableregexp_Header><logLevelMin>2</logLevelMin>"
                   "<enableLogLevelMin>1</enableLogLevelMin>"),
};

Header parse_header(const std::uint8_t* h) {
  Header r;
  r.inputs = 1 + h[0] % 3;
  r.output = (h[0] >> 2) & 7;
  r.position = h[0] & 0x20;
  if ((h[0] >> 6) == 3) r.format = kFormats[h[1] >> 6];
  const unsigned kind = h[1] & 7, which = (h[1] >> 3) & 7;
  if (kind == 0 && which != 0) {
    r.filter = {"--filter-file=" + g_dir + "/" + std::to_string(which) + ".dlf"};
  } else if (kind != 0) {
    const std::string value = kFilterValues[kind][which];
    const std::string option = kFilterOptions[kind];
    if (option.ends_with("=")) {
      r.filter = {option + value};
    } else {
      if (kind == 6) r.filter = {"-i"};
      r.filter.push_back(option);
      r.filter.push_back(value);
    }
  }
  if (!r.filter.empty()) {
    if (h[2] & 3) r.filter.push_back("-A" + std::to_string(h[2] & 3));
    if ((h[2] >> 2) & 3) r.filter.push_back("-B" + std::to_string((h[2] >> 2) & 3));
  }
  // The everyday filters (issue #23), from the top bits of bytes 2 and 3 (which also choose
  // the threads and the block size: a correlation the fuzzer does not mind). -v needs a
  // filter to invert; --time keeps the line's shape only as utc.
  static const std::vector<std::string> kExtras[16] = {{},
                                                       {"-v"},
                                                       {"--not-appid=NAV"},
                                                       {"--not-type=info,debug"},
                                                       {"--level=warn"},
                                                       {"-m", "3"},
                                                       {"-m", "1"},
                                                       {"--not-ecuid=ECU1"},
                                                       {"--not-ctxid=MAIN"},
                                                       {"--level=fatal"},
                                                       {"--time=utc"},
                                                       {"-v", "-m", "2"},
                                                       {"-m", "0"},
                                                       {"--not-type=warn", "--level=error"},
                                                       {},
                                                       {}};
  const std::vector<std::string>& extra = kExtras[((h[2] >> 6) << 2) | (h[3] >> 6)];
  if (!(extra.size() >= 1 && extra[0] == "-v" && r.filter.empty()))
    r.filter.insert(r.filter.end(), extra.begin(), extra.end());
  r.threads = 2 + (h[2] >> 4) % 3;
  r.block_bytes = 16 + 16u * h[3];
  r.split_bytes = 64 + 32u * h[4];
  for (int k = 0; k < 3; ++k) r.kinds[k] = h[5 + k];
  r.fibex = h[3] & 1;
  return r;
}

// JSON Lines and CSV records (issue #22) of the same run: one record per line of the
// console, each one line without a control byte, of the documented form; the same for 1
// and N threads.
template <class With>
void check_records(const With& with, const std::vector<std::string>& paths, const Header& h,
                   const std::string& console) {
  const auto lines = static_cast<std::size_t>(std::count(console.begin(), console.end(), '\n'));
  for (const char* style : {"--out=json", "--out=csv"}) {
    const Run one = run(with({style}, paths), 1, h.block_bytes, 0);
    const Run two = run(with({style}, paths), h.threads, h.block_bytes, 0);
    if (one.console != two.console || one.rc != two.rc) fail("1 and N threads differ in JSON or CSV records");
    const bool json = std::string_view(style) == "--out=json";
    const std::string& out = one.console;
    const auto records = static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
    if (records != lines + (json ? 0 : 1)) fail("not one record per line (and a CSV header)");
    for (unsigned char c : out)
      if ((c < 0x20 && c != '\n') || c == 0x7F) fail("a control byte in a record");
    if (json) {
      for (std::size_t at = 0; at < out.size();) {
        const std::size_t end = out.find('\n', at);
        const std::string_view rec(out.data() + at, end - at);
        if (!(rec.starts_with("{\"record\":\"message\",\"input\":") ||
              rec.starts_with("{\"record\":\"skip\",\"input\":")) ||
            !rec.ends_with("}"))
          fail("a JSON record of the wrong form");
        at = end + 1;
      }
    } else if (!out.starts_with("record,input,position,")) {
      fail("a CSV output without its header");
    }
  }
}

// Colour and the progress line (issue #23) of the same run: --color=always wraps each line
// in its level's colour and changes nothing else (1 and N threads alike); --progress=always
// changes neither the console nor, its status lines taken out, the diagnostics.
template <class With>
void check_terminal(const With& with, const std::vector<std::string>& paths, const Header& h, const Run& plain) {
  const Run one = run(with({"--color=always"}, paths), 1, h.block_bytes, 0);
  const Run two = run(with({"--color=always"}, paths), h.threads, h.block_bytes, 0);
  if (one.console != two.console) fail("1 and N threads differ in colour");
  static constexpr std::string_view kStarts[] = {"\x1b[1;31m", "\x1b[31m", "\x1b[33m", "\x1b[35m"};
  static constexpr std::string_view kReset = "\x1b[0m";
  std::string stripped;
  for (std::size_t at = 0; at < one.console.size();) {
    const std::size_t end = one.console.find('\n', at);
    if (end == std::string::npos) fail("a coloured console not ending on a line end");
    std::string_view line(one.console.data() + at, end - at);
    at = end + 1;
    if (line.starts_with('\x1b')) {
      const auto start =
          std::find_if(std::begin(kStarts), std::end(kStarts), [&](std::string_view s) { return line.starts_with(s); });
      if (start == std::end(kStarts) || !line.ends_with(kReset)) fail("a line coloured other than its level's way");
      line = line.substr(start->size(), line.size() - start->size() - kReset.size());
    }
    if (line.find('\x1b') != std::string_view::npos) fail("an escape sequence inside a coloured line");
    stripped.append(line);
    stripped += '\n';
  }
  if (stripped != plain.console) fail("--color=always changed the lines");
  const Run progress = run(with({"--progress=always"}, paths), 1, h.block_bytes, 0);
  if (progress.console != plain.console || progress.rc != plain.rc) fail("--progress=always changed the console");
  std::string diagnostics;  // without the status lines: `\r<text>ESC[K`
  for (std::size_t at = 0; at < progress.diagnostics.size();) {
    const std::size_t cr = progress.diagnostics.find('\r', at);
    diagnostics.append(progress.diagnostics, at, cr == std::string::npos ? std::string::npos : cr - at);
    if (cr == std::string::npos) break;
    const std::size_t erase = progress.diagnostics.find("\x1b[K", cr);
    if (erase == std::string::npos) fail("a status line not ended by ESC[K");
    at = erase + 3;
  }
  if (diagnostics != plain.diagnostics) fail("--progress=always changed the diagnostics");
}

// The summaries (issue #22) of the same run: -c and --stats=json the same for 1 and N
// threads (the parallel decoders send facts, not lines); the report one JSON object
// without a control byte, counting the messages -c counts.
template <class With>
void check_summaries(const With& with, const std::vector<std::string>& paths, const Header& h) {
  const Run count = run(with({"-c"}, paths), 1, h.block_bytes, 0);
  const Run count_n = run(with({"-c"}, paths), h.threads, h.block_bytes, 0);
  const Run stats = run(with({"--stats=json"}, paths), 1, h.block_bytes, 0);
  const Run stats_n = run(with({"--stats=json"}, paths), h.threads, h.block_bytes, 0);
  if (count.console != count_n.console || count.rc != count_n.rc) fail("1 and N threads differ in -c");
  if (stats.console != stats_n.console || stats.rc != stats_n.rc) fail("1 and N threads differ in --stats");
  const std::string& report = stats.console;
  if (!report.starts_with("{\"stats_version\":1,\"messages\":") || !report.ends_with("}\n") ||
      std::count(report.begin(), report.end(), '\n') != 1)
    fail("a --stats=json report of the wrong form");
  for (unsigned char c : report)
    if ((c < 0x20 && c != '\n') || c == 0x7F) fail("a control byte in the --stats report");
  // -c prints a number per input (`name:number` for several): their sum is the report's.
  std::uint64_t counted = 0;
  for (std::size_t at = 0; at < count.console.size();) {
    const std::size_t end = count.console.find('\n', at);
    const std::size_t colon = count.console.rfind(':', end);
    const std::size_t from = colon == std::string::npos || colon < at ? at : colon + 1;
    counted += std::strtoull(count.console.substr(from, end - from).c_str(), nullptr, 10);
    at = end + 1;
  }
  const std::string total = "{\"stats_version\":1,\"messages\":" + std::to_string(counted) + ",";
  if (!report.starts_with(total)) fail("--stats counts other messages than -c");
}

// The same run over time (issue #24): --sort gives the same for 1 and N threads, whole
// lines, and — where no context, -m or position ties lines to their order — the console's
// lines in another order; files by lifecycle (%LC%) hold those lines; --lifecycles and
// --lifecycle=1 run to an expected exit code.
template <class With>
void check_sorted(const With& with, const std::vector<std::string>& paths, const Header& h, const Run& plain,
                  bool order_free) {
  const Run one = run(with({"--sort"}, paths), 1, h.block_bytes, 0);
  // N threads, and every input sorted through runs on disk (a bound of 4 KiB).
  const Run two = run(with({"--sort"}, paths), h.threads, h.block_bytes, 0, 4096);
  if (one.console != two.console || one.rc != two.rc || one.diagnostics != two.diagnostics)
    fail("1 and N threads, or held in memory and sorted on disk, differ with --sort");
  check_lines(one.console, h.position);
  check_diagnostics(one.diagnostics);
  // --sort does not read archives (their members one after another only): it refuses one
  // with its own line and exit code, and nothing more compares (docs/manual.md).
  if (one.diagnostics.find("but not by --sort, --lifecycle(s), %LC%, --follow or the library") != std::string::npos)
    return;
  if (one.rc != plain.rc) fail("--sort changed the exit code");
  const auto lines_of = [](const std::string& text) {
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = text.find('\n', at);
      lines.emplace_back(text.data() + at, end - at);
      at = end + 1;
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  if (order_free && lines_of(one.console) != lines_of(plain.console)) fail("--sort printed other lines");
  // Files by lifecycle: together the sorted run's lines, each file's in the run's order.
  const Run by_lifecycle = run(with({"--sort", "-o", g_dir + "/out/lc_%LC%.txt"}, paths), h.threads, h.block_bytes, 0);
  check_diagnostics(by_lifecycle.diagnostics);
  if (by_lifecycle.rc != one.rc) fail("--sort -o lc_%LC%.txt changed the exit code");
  std::string all;
  for (const auto& [name, text] : by_lifecycle.files) {
    check_lines(text, h.position);
    std::size_t at = 0;  // each line found after the one before in the sorted run
    for (std::size_t from = 0; from < text.size();) {
      const std::size_t end = text.find('\n', from) + 1;
      const std::string_view line(text.data() + from, end - from);
      while (at < one.console.size() && one.console.compare(at, line.size(), line) != 0) {
        const std::size_t next = one.console.find('\n', at);  // lines start at `at`
        at = next == std::string::npos ? one.console.size() : next + 1;
      }
      if (at >= one.console.size()) fail("a lifecycle's file holds its lines in another order than --sort");
      at += line.size();
      from = end;
    }
    all += text;
  }
  if (lines_of(all) != lines_of(one.console)) fail("the files by lifecycle do not hold the lines of --sort");
  for (const char* extra : {"--lifecycles", "--lifecycle=1"}) {
    const Run r = run(with({extra}, paths), 1, h.block_bytes, 0);
    check_diagnostics(r.diagnostics);
    if (r.rc != plain.rc && r.rc != util::exit_status(util::ExitCode::OptionError))
      fail("a run over time with an unexpected exit code");
  }
}

// Writes input `k` and returns its path.
std::string write_input(unsigned k, std::span<const std::uint8_t> bytes, std::uint8_t kind) {
  static const char* const kNames[] = {".dlt", ".net", ".ser", ".pcapng", ".pcapng", ".dlt", ".bin", ".log"};
  const std::string path = g_dir + "/in/in" + std::to_string(k) + kNames[kind & 7];
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("creating an input");
  if ((kind & 7) == 3) {
    write_capture(fd, bytes, kind >> 3);
  } else if (!bytes.empty() && write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    fail("writing an input");
  }
  close(fd);
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("TZ", "UTC", 1);
  const char* ignore = getenv("FUZZ_CLI_IGNORE");
  g_ignore_controls = ignore && std::string_view(ignore) == "controls";
  g_report_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (g_report_fd < 0) g_report_fd = 2;
  char templ[] = "/tmp/fuzz_cli.XXXXXX";
  if (!mkdtemp(templ)) fail("mkdtemp");
  g_dir = templ;
  mkdir((g_dir + "/in").c_str(), 0755);
  mkdir((g_dir + "/out").c_str(), 0755);
  const std::string catalogue = g_dir + "/catalogue.xml", xml = catalogue_xml();
  const int fd = open(catalogue.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write(fd, xml.data(), xml.size()) != static_cast<ssize_t>(xml.size())) fail("writing the catalogue");
  close(fd);
  for (int k = 1; k < 8; ++k) {
    const std::string name = g_dir + "/" + std::to_string(k) + ".dlf";
    const std::string text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dltfilter>" + kDlfFiles[k] + "</dltfilter>\n";
    const int f = open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f < 0 || write(f, text.data(), text.size()) != static_cast<ssize_t>(text.size())) fail("writing a filter file");
    close(f);
  }
  const std::vector<std::string> paths{catalogue};
  g_fibex = fibex::read_catalogue(paths, {.per_ecu = false, .id_only = true});
  if (!g_fibex.warnings.empty()) fail(("the catalogue has warnings: " + g_fibex.warnings[0].text()).c_str());
  if (!getenv("FUZZ_CLI_KEEP"))
    std::atexit([] {
      remove_files(g_dir + "/in");
      remove_files(g_dir + "/out");
      unlink((g_dir + "/catalogue.xml").c_str());
      for (int k = 1; k < 8; ++k) unlink((g_dir + "/" + std::to_string(k) + ".dlf").c_str());
      rmdir((g_dir + "/in").c_str());
      rmdir((g_dir + "/out").c_str());
      rmdir(g_dir.c_str());
    });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  const Header h = parse_header(data);
  std::span<const std::uint8_t> rest(data + 8, size - 8);

  remove_files(g_dir + "/in");
  std::vector<std::string> paths;
  for (unsigned k = 0; k < h.inputs; ++k) {
    std::span<const std::uint8_t> bytes = rest;
    if (k + 1 < h.inputs) {
      if (rest.size() < 2) return 0;
      const std::size_t n = std::min<std::size_t>(rest.size() - 2, rest[0] | rest[1] << 8);
      bytes = rest.subspan(2, n);
      rest = rest.subspan(2 + n);
    }
    paths.push_back(write_input(k, bytes, h.kinds[k]));
  }

  std::vector<std::string> options = h.filter;
  if (h.position) options.push_back("--position");
  if (!h.format.empty()) options.push_back("--format=" + h.format);
  if (h.fibex) {
    options.push_back("--fibex=" + g_dir + "/catalogue.xml");
    options.push_back("--nv-noexthdr");
  }
  const auto with = [&](std::vector<std::string> extra, const std::vector<std::string>& inputs) {
    extra.insert(extra.begin(), options.begin(), options.end());
    extra.insert(extra.end(), inputs.begin(), inputs.end());
    return extra;
  };

  // The console, on 1 and N threads.
  const Run one = run(with({}, paths), 1, h.block_bytes, 0);
  const Run two = run(with({}, paths), h.threads, h.block_bytes, 0);
  check_lines(one.console, h.position);
  check_diagnostics(one.diagnostics);
  if (one.rc != two.rc || one.console != two.console || one.diagnostics != two.diagnostics) {
    if (getenv("FUZZ_CLI_KEEP"))  // for a look at what differs: g_dir/one, g_dir/two
      for (const auto& [name, r] : {std::pair{"one", &one}, std::pair{"two", &two}}) {
        const std::string text = "exit " + std::to_string(r->rc) + "\n" + r->diagnostics + "--\n" + r->console;
        const int f = open((g_dir + "/" + name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (f < 0 || write(f, text.data(), text.size()) < 0) fail("keeping texts");
        close(f);
      }
    fail("1 and N threads differ on the console");
  }
  if (one.rc != util::exit_status(util::ExitCode::Success) &&
      one.rc != util::exit_status(util::ExitCode::NoInputProcessed) &&
      one.rc != util::exit_status(util::ExitCode::Partial))
    fail("an unexpected exit code");
  if (!one.files.empty()) fail("the console run wrote a file");
  if (h.output <= 1) check_records(with, paths, h, one.console);
  if (h.output == 3 || h.output == 4) {
    const bool ordered = std::any_of(options.begin(), options.end(), [](const std::string& o) {
      return o.starts_with("-A") || o.starts_with("-B") || o == "-m";
    });
    check_sorted(with, paths, h, one, !ordered && !h.position);
  }
  if (h.output == 2) check_summaries(with, paths, h);
  if (h.output == 0) {
    check_terminal(with, paths, h, one);
    return 0;
  }

  const std::string templ = kOutputs[h.output];
  const bool per_input = templ.find("%FILE%") != std::string::npos;
  const bool split = templ.find("%CTR%") != std::string::npos;
  const bool text = templ.ends_with(".txt"), pcapng = templ.ends_with(".pcapng");
  const std::vector<std::string> to_file = {"-o", g_dir + "/out/" + templ};
  const std::uint64_t split_bytes = split ? h.split_bytes : 0;

  // What each file output must hold: the console's lines, or with %FILE% each input's
  // lines when decoded alone (names in<k>… sort in input order).
  std::string expected = one.console;
  std::vector<Run> alone;
  if (per_input) {
    expected.clear();
    for (const auto& path : paths) {
      alone.push_back(run(with({}, {path}), 1, h.block_bytes, 0));
      expected += alone.back().console;
    }
  }

  const Run file1 = run(with(to_file, paths), 1, h.block_bytes, split_bytes);
  const Run file2 = run(with(to_file, paths), h.threads, h.block_bytes, split_bytes);
  if (!file1.console.empty()) fail("a file output run printed lines on the console");
  check_diagnostics(file1.diagnostics);
  if (file1.rc != one.rc || file2.rc != one.rc) fail("the exit code depends on the output");
  if (file1.diagnostics != file2.diagnostics) fail("1 and N threads differ in diagnostics");
  if (!pcapng && file1.files != file2.files) fail("1 and N threads write different files");
  if (pcapng && file1.files.size() != file2.files.size()) fail("1 and N threads write different PCAP-NG files");
  if (!pcapng) {
    const Run packed = run(with({"-o", to_file[1] + ".zst"}, paths), h.threads, h.block_bytes, split_bytes);
    std::map<std::string, std::string> unpacked;
    for (const auto& [name, bytes] : packed.files) {
      if (!name.ends_with(".zst")) fail("a compressed output file without its suffix");
      unpacked[name.substr(0, name.size() - 4)] = zstd_unpack(bytes);
    }
    if (packed.rc != one.rc) fail("a compressed output changes the exit code");
    if (unpacked != file1.files) fail("a compressed output does not decompress to the uncompressed files");
  }

  if (text) {
    for (const auto& [name, bytes] : file1.files) {
      check_lines(bytes, h.position);
      if (bytes.empty()) fail("an empty text file was created");
    }
    if (concatenated(file1.files) != expected) fail("the text files do not hold the console's lines");
    // A split file is closed after the line that made it reach the size: every file but
    // the last has reached it, and did so only with its last line (a line end inside a
    // line, the defect FUZZ_CLI_IGNORE=controls overlooks, would fake a short last line).
    for (auto f = file1.files.begin();
         split && !g_ignore_controls && f != file1.files.end() && std::next(f) != file1.files.end(); ++f) {
      const std::string& bytes = f->second;
      const std::size_t last_line = bytes.rfind('\n', bytes.size() - 2) + 1;  // npos + 1 = 0
      if (bytes.size() < split_bytes || last_line >= split_bytes) fail("a split text file of the wrong size");
    }
    if (per_input) {
      for (std::size_t k = 0; k < paths.size(); ++k) {
        const std::string prefix = "in" + std::to_string(k);
        std::string mine;
        for (const auto& [name, bytes] : file1.files)
          if (name.starts_with(prefix)) mine += bytes;
        if (mine != alone[k].console) fail("a %FILE% output differs from its input's run alone");
      }
    }
    return 0;
  }

  // DLT and PCAP-NG outputs decode back to the text lines.
  const std::string want = fuzz::with_skip_counters_blanked(h.position ? fuzz::without_positions(expected) : expected);
  for (const Run* r : {&file1, &file2}) {
    std::string got;
    for (const auto& [name, bytes] : r->files) {
      const std::string path = g_dir + "/in/back" + (pcapng ? ".pcapng" : ".dlt");
      const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0 || write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
        fail("copying an output");
      close(fd);
      std::vector<std::string> back_args = {pcapng ? "--format=pcap" : "--format=file", path};
      if (h.fibex) back_args.insert(back_args.begin(), {"--fibex=" + g_dir + "/catalogue.xml", "--nv-noexthdr"});
      const Run back = run(back_args, 1, 2u << 20, 0);
      if (back.rc != util::exit_status(util::ExitCode::Success)) fail("an output file does not decode cleanly");
      got += back.console;
      unlink(path.c_str());
    }
    g_command = r->command + ", its output files read back";
    if (getenv("FUZZ_CLI_KEEP")) {  // for a look at what differs
      const int w = open((g_dir + "/want").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      const int g = open((g_dir + "/got").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      const std::string normal = fuzz::with_skip_counters_blanked(got);
      if (write(w, want.data(), want.size()) < 0 || write(g, normal.data(), normal.size()) < 0) fail("keeping texts");
      close(w);
      close(g);
    }
    compare_decoded(want, fuzz::with_skip_counters_blanked(got), pcapng);
  }
  return 0;
}
