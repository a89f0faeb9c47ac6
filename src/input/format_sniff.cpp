#include "input/format_sniff.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/framer.hpp"
#include "dlt/marker_scan.hpp"
#include "dlt/packet.hpp"
#include "pcap/pcap_reader.hpp"
#include "pcap/pcapng_reader.hpp"
#include "util/value_text.hpp"

namespace dltdump::input {

namespace {

constexpr std::size_t kTarMagicAt = 257;  // "ustar" in a tar header

constexpr std::size_t kMarkerScanBytes = 64u << 10;

bool starts_with(std::span<const std::uint8_t> h, const char* magic, std::size_t n) {
  return h.size() >= n && std::memcmp(h.data(), magic, n) == 0;
}

// An id of a DLT header: up to four printable ASCII characters, padded with NULs. Not a rule
// of the protocol (DltDump prints any bytes), but what every logger writes, and what random
// bytes rarely are.
bool plausible_id(const std::uint8_t* p) {
  bool ended = false;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) ended = true;
    else if (ended || p[i] < 0x20 || p[i] > 0x7E) return false;
  }
  return true;
}

// A valid network-format packet (standard header first, payload checked as the framer
// checks it) whose ids are plausible.
bool plausible_packet(std::span<const std::uint8_t> packet) {
  dlt::Message m;
  if (!dlt::parse_packet(packet, m)) return false;
  const std::uint8_t htyp = packet[0];
  if ((htyp & dlt::htyp::kWithEcuId) && !plausible_id(packet.data() + 4)) return false;
  if (htyp & dlt::htyp::kUseExtendedHeader) {
    const std::uint8_t* ext = packet.data() + dlt::extended_header_at(htyp);
    if (!plausible_id(ext + 2) || !plausible_id(ext + 6)) return false;
  }
  return true;
}

// How well the input's start reads as network-format packets back to back.
enum class Chain : std::uint8_t {
  None,  // it does not
  // It does, but no packet has ids (neither an ECU id nor an extended header): any byte
  // of 0x20-0x3F (text: " speed") starts such a header, whose length comes from the bytes
  // after it, and a non-verbose payload is any bytes, so text cut out of a longer input
  // reads as such a chain as easily as a recording of id-less messages does.
  Bare,
  Strong  // it does, and a packet carries ids (an ECU id or an extended header)
};

// Whether the input starts with network-format packets back to back: three, or all the
// input holds (at least one, ending exactly at its end), or two and a last one cut short.
Chain network_chain(const HeadReader& head) {
  std::size_t at = 0;
  bool ids = false;
  const auto found = [&] { return ids ? Chain::Strong : Chain::Bare; };
  for (int packets = 0; packets < 3; ++packets) {
    auto h = head(at + 4);
    if (h.size() == at) return packets > 0 ? found() : Chain::None;
    if (h.size() < at + 4) return packets >= 2 ? found() : Chain::None;
    const unsigned len = dlt::standard_header_length(h.data() + at);
    if (len == 0) return Chain::None;
    h = head(at + len);
    if (h.size() < at + len) return packets >= 2 ? found() : Chain::None;
    if (!plausible_packet(h.subspan(at, len))) return Chain::None;
    ids = ids || dlt::has_ids(h[at]);
    at += len;
  }
  return found();
}

// Counts messages; the rest is dropped.
class MessageCount final : public dlt::FramerSink {
 public:
  void on_message(const dlt::Message&) override { ++messages; }
  void on_skip(const dlt::SkipRecord&) override {}
  std::uint64_t messages = 0;
};

// Whether `format`'s framing decodes a message within `h` (no end-of-input rules: `h` may
// be only the input's head).
bool decodes_a_message(std::span<const std::uint8_t> h, dlt::StreamFormat format) {
  dlt::Framer framer(format);
  MessageCount count;
  framer.feed(h, count);
  return count.messages > 0;
}

// A sync marker in the head at which the file or serial framing decodes a message; the
// framing that finds one first wins.
Content marker_later(const HeadReader& head) {
  const auto h = head(kMarkerScanBytes);
  const std::size_t file_at = dlt::find_marker(h.data(), h.size(), dlt::kFileMarker);
  const std::size_t serial_at = dlt::find_marker(h.data(), h.size(), dlt::kSerialMarker);
  const bool file = file_at < h.size() && decodes_a_message(h.subspan(file_at), dlt::StreamFormat::File);
  const bool serial = serial_at < h.size() && decodes_a_message(h.subspan(serial_at), dlt::StreamFormat::Serial);
  if (file && (!serial || file_at < serial_at)) return Content::DltFile;
  if (serial) return Content::DltSerial;
  return Content::Unknown;
}

// Whether the whole input is an empty tar archive: nothing but its end, zero blocks of 512
// bytes (at least the two that end an archive), as `tar -cf x.tar -T /dev/null` writes
// (a record of 10240 bytes) — with no header, so no "ustar" to find (a new user's
// finding: it was decoded as a DLT file, one SKIP line).
// Only an input that marker_later saw whole: no more is read for it.
bool empty_tar(const HeadReader& head) {
  const auto all = head(kMarkerScanBytes);
  if (all.size() == kMarkerScanBytes || all.size() < 1024 || all.size() % 512 != 0) return false;
  return std::all_of(all.begin(), all.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

Content sniff_content(const HeadReader& head) {
  const auto h = head(8);
  if (starts_with(h, "DLT\x01", 4)) return Content::DltFile;
  if (starts_with(h, "DLS\x01", 4)) return Content::DltSerial;
  if (h.size() >= 4 && pcap::PcapngReader::is_magic(h.data())) return Content::Pcapng;
  if (h.size() >= 4 && pcap::PcapReader::is_magic(h.data())) return Content::Pcap;
  if (starts_with(h, "\x1F\x8B", 2)) return Content::Gzip;
  if (starts_with(h,
                  "\xFD"
                  "7zXZ\x00",
                  6))
    return Content::Xz;
  if (starts_with(h, "BZh", 3) && h.size() >= 4 && h[3] >= '1' && h[3] <= '9') return Content::Bzip2;
  if (starts_with(h, "PK\x03\x04", 4) || starts_with(h, "PK\x05\x06", 4) || starts_with(h, "PK\x07\x08", 4))
    return Content::Zip;
  // An lz4 frame: its first byte would be a DLT header of version 0, which is not read.
  if (starts_with(h, "\x04\x22\x4D\x18", 4)) return Content::Lz4;
  // Of these magics only zstd's could also begin a DLT packet (HTYP 0x28, then LEN 12285 of
  // a non-verbose message without ids): taken as zstd.
  if (starts_with(h, "\x28\xB5\x2F\xFD", 4)) return Content::Zstd;
  // A zstd skippable frame (magic 0x184D2A50..5F, little-endian; zstd skips it): its first
  // byte would be a header type of DLT version 2, which is not read.
  if (h.size() >= 4 && (h[0] & 0xF0) == 0x50 && h[1] == 0x2A && h[2] == 0x4D && h[3] == 0x18) return Content::Zstd;
  // A tar archive (POSIX ustar or GNU): "ustar" at offset 257 of its first header.
  if (const auto t = head(kTarMagicAt + 5);
      t.size() == kTarMagicAt + 5 && std::memcmp(t.data() + kTarMagicAt, "ustar", 5) == 0)
    return Content::Tar;
  // A chain of bare headers is taken for a network recording only when no file or serial
  // framing decodes at a marker in the head: the markers and storage headers that decode
  // explain the bytes; a chain of id-less packets explains nothing else.
  switch (network_chain(head)) {
    case Chain::Strong: return Content::DltNetwork;
    case Chain::Bare: {
      const Content later = marker_later(head);
      return later == Content::Unknown ? Content::DltNetwork : later;
    }
    case Chain::None: break;
  }
  const Content later = marker_later(head);
  if (later == Content::Unknown && empty_tar(head)) return Content::Tar;
  return later;
}

InputFormat format_of(Content content) {
  switch (content) {
    case Content::DltSerial: return InputFormat::Serial;
    case Content::DltNetwork: return InputFormat::Network;
    case Content::Pcap:
    case Content::Pcapng: return InputFormat::Pcap;
    default: return InputFormat::File;
  }
}

bool is_compressed(Content content) {
  return content == Content::Gzip || content == Content::Xz || content == Content::Zstd || content == Content::Bzip2 ||
         content == Content::Zip || content == Content::Lz4 || content == Content::Tar;
}

bool is_archive(Content content) { return content == Content::Zip || content == Content::Tar; }

bool confirms(Content content, InputFormat format) {
  return content != Content::Unknown && !is_compressed(content) && format_of(content) == format;
}

const char* describe(Content content) {
  switch (content) {
    case Content::Unknown: return "unrecognised data";
    case Content::DltFile: return "a DLT file";
    case Content::DltSerial: return "a DLT serial recording";
    case Content::DltNetwork: return "a DLT network recording";
    case Content::Pcap: return "a PCAP capture";
    case Content::Pcapng: return "a PCAP-NG capture";
    case Content::Gzip: return "gzip-compressed data";
    case Content::Xz: return "xz-compressed data";
    case Content::Zstd: return "zstd-compressed data";
    case Content::Bzip2: return "bzip2-compressed data";
    case Content::Zip: return "a zip archive";
    case Content::Lz4: return "lz4-compressed data";
    case Content::Tar: return "a tar archive";
  }
  return "unrecognised data";
}

std::string compressed_message(Content content, const std::string& name) {
  const bool stdin_input = name == "-";
  if (content == Content::Zip)
    return name +
           ": a zip archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, --follow "
           "or the library); "
           // Not `unzip -p x.zip | dltdump -`: these read no standard input, and a run that
           // does reads the members joined into one stream, in the first one's format.
           "extract it first (e.g. unzip -d DIR " +
           (stdin_input ? "FILE" : util::shell_word(name)) + ") and name its files (-R DIR)";
  if (content == Content::Tar)
    return name +
           ": a tar archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, --follow "
           "or the library); "
           // Into a folder of its own: `tar -xf` alone writes over files of the same names.
           "extract it first (e.g. mkdir DIR && tar -xf " +
           (stdin_input ? std::string("FILE") : util::shell_word(name)) + " -C DIR) and name its files (-R DIR)";
  const char* tool = content == Content::Gzip   ? "gzip"
                     : content == Content::Xz   ? "xz"
                     : content == Content::Zstd ? "zstd"
                     : content == Content::Lz4  ? "lz4"
                                                : "bzip2";
  const std::string example =
      stdin_input ? std::string(tool) + " -dc FILE | dltdump -" : std::string(tool) + " -dc " + name + " | dltdump -";
  return name + ": " + describe(content) + "; decompress it first (e.g. " + example + ")";
}

namespace {

// What --format's default would do with compressed `content`: the advice that ends a
// warning about compressed data read as it is (a new user was told to decompress a .tar
// and a .gz that dltdump reads itself).
std::string read_by_default(Content content) {
  if (content == Content::Lz4) return "decompress it first";  // no lz4 decoder here
  if (is_archive(content)) return "without --format its members are read one after another";
  return "without --format it is read decompressed";
}

std::string skipped_only_text(const std::string& name, std::uint64_t bytes, InputFormat used, Content content) {
  const char* as = used == InputFormat::Serial    ? "a serial recording"
                   : used == InputFormat::Network ? "a network recording"
                                                  : "a DLT file";
  std::string line =
      name + ": no DLT message in " + std::to_string(bytes) + " bytes read as " + as + " (all skipped); ";
  if (is_compressed(content)) return line + "it looks like " + describe(content) + ": " + read_by_default(content);
  if (content != Content::Unknown) {
    static constexpr const char* kNames[] = {"auto", "file", "ser", "net", "pcap"};
    return line + "it looks like " + describe(content) +
           ": try --format=" + kNames[static_cast<int>(format_of(content))] + " (or auto)";
  }
  std::string hint;
  for (const auto& [format, value] : {std::pair{InputFormat::File, "file"}, std::pair{InputFormat::Network, "net"},
                                      std::pair{InputFormat::Serial, "ser"}}) {
    if (format == used) continue;
    hint += hint.empty() ? "try --format=" : " or --format=";
    hint += value;
  }
  return line + "is it another format? " + hint;
}

}  // namespace

bool read_otherwise(Content content, InputFormat used) {
  return used != InputFormat::Pcap &&
         (is_compressed(content) || content == Content::Pcap || content == Content::Pcapng);
}

std::string forced_format_warning(const std::string& name, InputFormat used, Content content) {
  const char* as = used == InputFormat::Serial    ? "a serial recording"
                   : used == InputFormat::Network ? "a network recording"
                                                  : "a DLT file";
  // An archive's members are stored as they are (a tar's always, a zip's unless deflated):
  // DLT members decode between skipped headers (a new user's finding: "noise" said of a
  // tar's true lines).
  const char* lines = content == Content::Tar   ? "its headers and padding skipped, its members' bytes read as stored"
                      : content == Content::Zip ? "its headers skipped, its members' bytes read as stored (noise if "
                                                  "compressed)"
                                                : "its lines are likely noise";
  // A capture's headers read as packets make lines of noise among its skipped bytes (a new
  // user's finding: --format=net on a PCAP-NG printed them without a word).
  const std::string advice =
      content == Content::Pcap || content == Content::Pcapng ? "try --format=pcap (or auto)" : read_by_default(content);
  return name + ": " + describe(content) + " read as " + as + ", as --format says (" + lines + "); " + advice;
}

util::Diagnostic skipped_only_warning(const std::string& name, std::uint64_t bytes, InputFormat used, Content content) {
  return {util::Culprit::Input, name, skipped_only_text(name, bytes, used, content)};
}

std::string foreign_region_warning(const std::string& name, InputFormat used, std::uint64_t position,
                                   std::uint64_t length, Content content, std::uint64_t regions) {
  const char* as = used == InputFormat::Serial    ? "a serial recording"
                   : used == InputFormat::Network ? "a network recording"
                                                  : "a DLT file";
  std::string line = name + ": the " + std::to_string(length) + " bytes skipped at byte " + std::to_string(position) +
                     " begin like " + describe(content) + ", which is not read inside data read as " + as +
                     " (an input's format is chosen once, by its first bytes)";
  if (regions > 1)
    line +=
        "; " + std::to_string(regions - 1) + (regions == 2 ? " more skipped region does" : " more skipped regions do");
  return line + "; give each part as an input of its own";
}

}  // namespace dltdump::input
