// libFuzzer target: the whole capture path — PCAP/PCAP-NG reader → replay → link layer →
// IPv4 (reassembly) → UDP / TECMP → per-flow network framer → text lines.
//
// The first input byte picks the entry point: even → the rest is a capture file (a memory
// file through CaptureReader and replay), decoded serially, by app/parallel/capture_flows (2
// workers, 4 KiB batches; datagrams read in place from the mapped file when bit 1 is set)
// and by app/parallel/capture_chunks (2 workers, chunks of 1, 64, 512 or 4096 bytes by bits 2-3,
// so that cuts fall everywhere, next_cut reads every kind of garbage and the guesses go
// wrong in every way; lead-ins of 0, 100, 1000 or 10000 bytes by bits 4-5, chunks as long
// with lead-ins as without), whose texts must be identical; odd → the rest is a list of
// frames, each
// `link type (1 byte: 0 Ethernet, 1 SLL, 2 SLL2, 3 raw) | interface (1) | length (2, BE) |
// frame`, fed to the decoder directly so that mutations reach the dissectors quickly. Every
// message and skip record is formatted as a line; small limits (8 flows, 16 fragment sets)
// exercise eviction.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/parallel/capture_chunks.hpp"
#include "app/parallel/capture_flows.hpp"
#include "dissect/capture_decoder.hpp"
#include "dlt/line_formatter.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"

namespace {

using namespace dltdump;

struct Lines final : dlt::FramerSink {
  dlt::LineFormatter formatter{dlt::LineFormatter::Options{true}};
  util::TextBuffer text{util::TextBuffer::kBlockBytes};
  bool cleared = false;  // the text was dropped to bound memory
  void on_message(const dlt::Message& m) override {
    formatter.format(m, text);
    bound();
  }
  void on_skip(const dlt::SkipRecord& s) override {
    formatter.format(s, text);
    bound();
  }
  void bound() {
    if (text.size() > (1 << 19)) {
      text.clear();
      cleared = true;
    }
  }
};

const app::LineSpec kLines{dlt::LineFormatter::Options{true}};  // positions shown, no filter

dissect::CaptureDecoder::Options small_limits() {
  dissect::CaptureDecoder::Options o;
  o.udp_ports = {3490, 3491};
  o.max_flows = 8;
  o.reassembly.max_sets = 16;
  o.reassembly.max_bytes = 64 << 10;
  o.reassembly.finished_window = 3000;  // completed datagrams forgotten within a lead-in, or not
  o.tcp_ports = {3490, 3491};
  o.tcp = {4 << 10, 16 << 10, 5'000'000'000};
  return o;
}

void frames(const std::uint8_t* data, std::size_t size) {
  static const std::uint16_t kLinks[4] = {aio::link_type::kEthernet, aio::link_type::kLinuxSll,
                                          aio::link_type::kLinuxSll2, aio::link_type::kRaw};
  Lines lines;
  dissect::CaptureDecoder decoder(small_limits(), lines);
  std::vector<std::vector<std::uint8_t>> copies;  // exact-size copies: ASan sees overreads
  std::size_t at = 0;
  std::int64_t time = 0;
  while (size - at >= 4) {
    const std::uint16_t link = kLinks[data[at] & 3];
    const std::uint32_t itf = data[at + 1] & 3;
    const std::size_t len =
        std::min<std::size_t>(static_cast<std::size_t>(data[at + 2]) << 8 | data[at + 3], size - at - 4);
    copies.emplace_back(data + at + 4, data + at + 4 + len);
    aio::Packet p;
    p.data = copies.back().data();
    p.size = static_cast<std::uint32_t>(len);
    p.time_ns = time += 3'000'000'000;  // 3 s apart: reassembly time-outs happen
    p.offset = at + 4;
    p.link_type = link;
    p.interface = itf;
    decoder.take({&p, 1});  // nothing may throw here: an exception aborts the run
    at += 4 + len;
  }
  decoder.finish();
}

// A memory file holding `data`, positioned at its start.
int memory_file(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("fuzz", 0);
  if (fd < 0) std::abort();
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) std::abort();
    done += static_cast<std::size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

void capture_file(const std::uint8_t* data, std::size_t size, bool in_place, std::uint64_t chunk_bytes,
                  std::uint64_t lead_in_bytes) {
  std::string serial_text, parallel_text;
  bool comparable = true;
  {
    Lines lines;
    dissect::CaptureDecoder decoder(small_limits(), lines);
    try {
      auto file = util::InputFile::from_fd(memory_file(data, size), "fuzz", true);
      auto reader = pcap::CaptureReader::open(file);
      if (reader) (void)pcap::replay(*reader, decoder);  // a malformed capture: what came before is decoded
    } catch (const util::Error&) {
      // a malformed head: nothing to decode
    }
    decoder.finish();
    serial_text = std::string(lines.text.view()) + decoder.losses().text() + "|" + decoder.nothing_found();
    comparable = !lines.cleared;
  }
  dissect::CaptureReport report;
  try {
    auto file = util::InputFile::from_fd(memory_file(data, size), "fuzz", true);
    auto reader = pcap::CaptureReader::open(file);
    auto options = small_limits();
    options.stable_packets = in_place && file.is_mapped();
    if (reader)
      app::decode_capture_flows(
          *reader, options, kLines, {2, 4096},
          [&](std::string_view text, std::uint64_t) { parallel_text.append(text); }, report);
  } catch (const util::Error&) {
  }
  parallel_text += report.losses.text() + "|" + report.nothing_found;
  if (comparable && serial_text != parallel_text) std::abort();

  std::string chunked_text;
  report = {};
  bool chunked = false;
  try {
    auto file = util::InputFile::from_fd(memory_file(data, size), "fuzz", true);
    auto reader = pcap::CaptureReader::open(file);
    chunked = reader && file.is_mapped();
    if (chunked)
      app::decode_capture_chunks(
          *reader, small_limits(), kLines, {2, chunk_bytes, nullptr, {}, lead_in_bytes, chunk_bytes},
          [&](std::string_view text, std::uint64_t, std::uint64_t) { chunked_text.append(text); }, report);
  } catch (const util::Error&) {
  }
  chunked_text += report.losses.text() + "|" + report.nothing_found;
  if (chunked && comparable && serial_text != chunked_text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static constexpr std::uint64_t kChunks[4] = {1, 64, 512, 4096};
  static constexpr std::uint64_t kLeadIns[4] = {0, 100, 1000, 10000};
  if (data[0] & 1) frames(data + 1, size - 1);
  else capture_file(data + 1, size - 1, (data[0] & 2) != 0, kChunks[(data[0] >> 2) & 3], kLeadIns[(data[0] >> 4) & 3]);
  return 0;
}
