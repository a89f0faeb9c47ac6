// PCAP-NG output: each message one UDP/IPv4 datagram in an Ethernet frame, one interface
// per ECU id; read back through our own capture path it gives the same lines.
#include "output/pcapng_dlt_sink.hpp"

#include <gtest/gtest.h>

#include "dissect/capture_decoder.hpp"
#include "dlt/packet_builder.hpp"
#include "net/udp_frame.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/replay.hpp"
#include "temp_dir.hpp"
#include "util/byte_order.hpp"
#include "util/input_file.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

struct Lines : dlt::FramerSink {
  dlt::LineFormatter f{{false}};
  util::TextBuffer text;
  void on_message(const dlt::Message& m) override { f.format(m, text); }
  void on_skip(const dlt::SkipRecord& s) override { f.format(s, text); }
};

// The lines of a DLT file (with storage headers) as dltdump prints them.
std::string file_lines(const Bytes& in) {
  Lines lines;
  dlt::Framer framer(dlt::StreamFormat::File);
  framer.set_payload_text(true);
  framer.feed(in, lines);
  framer.finish(lines);
  return std::string(lines.text.view());
}

// Writes `in` (a DLT file) as PCAP-NG with split size `split` under `name` in `d`.
void write_pcapng(const TempDir& d, const std::string& name, const Bytes& in, std::uint64_t split = 0) {
  output::PcapngDltSink sink(output::FileSeriesOptions{d / name, split, false, {}});
  sink.begin_input({"in.dlt", dlt::StreamFormat::File});
  dlt::Framer framer(dlt::StreamFormat::File);
  framer.feed(in, sink);
  framer.finish(sink);
  sink.finish();
}

// The lines our capture path decodes from a capture file, and its interface names.
std::string capture_lines(const std::string& path, std::vector<std::string>* interfaces = nullptr) {
  util::InputFile file = util::InputFile::open(path);
  auto reader = pcap::CaptureReader::open(file);
  Lines lines;
  dissect::CaptureDecoder decoder({}, lines);
  EXPECT_FALSE(pcap::replay(*reader, decoder).fault);
  decoder.finish();
  if (interfaces)
    for (const auto& i : reader->interfaces()) interfaces->push_back(i.name);
  return std::string(lines.text.view());
}

Bytes message(const std::string& ecu, std::uint8_t counter, const std::string& text, std::size_t pad = 0) {
  PacketSpec s;
  s.ecu = ecu;
  s.counter = counter;
  s.noar = 1;
  return packet(s, arg_string(text + std::string(pad, '.'), false));
}

}  // namespace

TEST(PcapngDltSink, ReadBackGivesTheSameLinesWithOneInterfacePerEcu) {
  const Bytes in = cat({storage(message("ECU1", 1, "one"), 1709288430, 5, "ECU1"),
                        storage(message("ECU2", 2, "two"), 1709288431, 6, "ECU2"),
                        storage(message("ECU1", 3, "three"), 1709288432, 7, "ECU1")});
  TempDir d;
  write_pcapng(d, "out.pcapng", in);
  std::vector<std::string> names;
  EXPECT_EQ(capture_lines(d / "out.pcapng", &names), file_lines(in));
  EXPECT_EQ(names, (std::vector<std::string>{"ECU1", "ECU2"}));
}

TEST(PcapngDltSink, SkipRecordsTravelAsSkipMessages) {
  const Bytes in = cat({storage(message("ECU1", 1, "one"), 10, 0, "ECU1"),
                        {'j', 'u', 'n', 'k'},
                        storage(message("ECU1", 2, "two"), 11, 0, "ECU1")});
  TempDir d;
  write_pcapng(d, "out.pcapng", in);
  const std::string got = capture_lines(d / "out.pcapng");
  EXPECT_NE(got.find(" 2  SKIP SKIP 0 log warn verbose 4 Skipped: 4 bytes; Reason: Searching for next packet\n"),
            std::string::npos)
      << got;
}

TEST(PcapngDltSink, FramesHaveAValidIpv4ChecksumAndTheMinimumEthernetSize) {
  std::uint8_t frame[net::kMaxUdpFrameBytes];
  const std::uint8_t payload[4] = {0x20, 0, 0, 4};
  const std::size_t n = net::write_udp_frame(frame, {}, payload, 77);
  EXPECT_EQ(n, net::kMinEthernetFrame);
  EXPECT_EQ(net::ipv4_header_checksum(frame + 14), 0);     // a valid header sums to zero
  EXPECT_EQ(util::load_be16(frame + 14 + 2), 20 + 8 + 4);  // total length excludes the padding
  EXPECT_EQ(util::load_be16(frame + 14 + 20 + 2), 3490);   // destination port
  EXPECT_EQ(util::load_be16(frame + 14 + 4), 77);
}

TEST(PcapngDltSink, APacketLargerThanADatagramContinuesInTheNextOne) {
  // A verbose string of almost 64 KiB: LEN 65535 exceeds one UDP datagram (65507).
  const Bytes big = message("ECU1", 1, "x", 65535 - 4 - 4 - 10 - 6 - 2);
  ASSERT_EQ(big.size(), 65535u);
  const Bytes in = cat({storage(big, 20, 0, "ECU1"), storage(message("ECU1", 2, "after"), 21, 0, "ECU1")});
  TempDir d;
  write_pcapng(d, "big.pcapng", in);
  EXPECT_EQ(capture_lines(d / "big.pcapng"), file_lines(in));
}

TEST(PcapngDltSink, SplitFilesAreWholeCapturesOfTheirOwn) {
  Bytes in;
  for (int i = 0; i < 40; ++i) {
    const Bytes m =
        storage(message(i % 2 ? "ECU1" : "ECU2", static_cast<std::uint8_t>(i), "m" + std::to_string(i), 3000), 1000 + i,
                0, "ECU1");
    in.insert(in.end(), m.begin(), m.end());
  }
  TempDir d;
  write_pcapng(d, "part_%CTR%.pcapng", in, 64 << 10);
  const auto files = d.files();
  ASSERT_GE(files.size(), 2u);
  std::string all;
  for (const auto& f : files) all += capture_lines(d / f);
  EXPECT_EQ(all, file_lines(in));
}

// A capture has no storage header: an ECU id only the storage header gave (no WEID) moves
// into the standard header, so the capture read back shows the same ECU column — and the
// same lines. A packet without room for it (LEN above 65531) goes as it is.
TEST(PcapngDltSink, AnEcuFromTheStorageHeaderOnlyIsKeptInTheStandardHeader) {
  PacketSpec be;
  be.ecu = "";
  be.be = true;
  be.with_session = true;
  be.session = 77;
  be.with_time = true;
  be.device_time = 12345;
  be.noar = 1;
  const Bytes in = cat({storage(message("", 1, "no weid"), 1709288430, 5, "STOR"),
                        storage(packet(be, arg_string("msb first, session, time", true)), 1709288431, 6, "BE"),
                        storage(message("", 3, "no ecu at all"), 1709288432, 7, ""),
                        storage(message("ECU1", 4, "weid wins"), 1709288433, 8, "STOR")});
  TempDir d;
  write_pcapng(d, "out.pcapng", in);
  std::vector<std::string> names;
  const std::string got = capture_lines(d / "out.pcapng", &names);
  EXPECT_EQ(got, file_lines(in));
  EXPECT_NE(got.find(" STOR APP1 CTX1 "), std::string::npos) << got;
  EXPECT_EQ(names, (std::vector<std::string>{"STOR", "BE", "", "ECU1"}));

  const Bytes full = message("", 5, "x", 65535 - 4 - 10 - 6 - 2);  // LEN 65535: no room
  ASSERT_EQ(full.size(), 65535u);
  write_pcapng(d, "full.pcapng", storage(full, 20, 0, "STOR"));
  EXPECT_NE(capture_lines(d / "full.pcapng").find(" 0.0000 5  APP1 CTX1 "), std::string::npos);
}
