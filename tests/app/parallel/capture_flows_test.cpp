// Parallel capture decoding must print exactly what the serial capture decoder prints, for
// any number of workers and batch size, with flows that split messages, fragments, flows
// ended by the flow limit, and the flush at the end.
#include "app/parallel/capture_flows.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "app/capture_traffic.hpp"
#include "output/buffer_sink.hpp"
#include "pcap/pcap_test_util.hpp"
#include "pcap/pcapng_writer.hpp"
#include "pcap/replay.hpp"

namespace dltdump::app {
namespace {

// A capture of `flows` flows sending messages cut at random places across datagrams, some
// datagrams fragmented, some garbage, and partial messages left at the end.
testing::Bytes make_capture(unsigned flows, unsigned datagrams, std::uint64_t seed) {
  testing::TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY);
  {
    pcap::PcapngWriter w(fd, f.path, {});
    w.add_interface({aio::link_type::kEthernet, "eth0", 0});
    std::uint64_t i = 0;
    for (const auto& frame : testing::traffic({flows, datagrams, seed})) w.write_packet(0, 1000 + i++, frame);
    w.flush();
  }
  ::close(fd);
  return f.read();
}

std::string parallel(const testing::Bytes& capture, const dissect::CaptureDecoder::Options& options, unsigned threads,
                     std::size_t batch_bytes, std::size_t* flow_numbers = nullptr) {
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  std::string out;
  dissect::CaptureReport report;
  std::uint64_t lines = 0;
  decode_capture_flows(
      *reader, options, {true}, {threads, batch_bytes, nullptr, {}, {}, flow_numbers},
      [&](std::string_view text, std::uint64_t n) {
        out.append(text);
        lines += n;
      },
      report);
  EXPECT_EQ(lines, static_cast<std::uint64_t>(std::count(out.begin(), out.end(), '\n')));
  return out + "||" + report.losses.text() + "|" + report.nothing_found;  // no error: as decode_serially writes it
}

TEST(ParallelCapture, PrintsWhatTheSerialDecoderPrints) {
  const auto capture = make_capture(7, 600, 1);
  dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_GT(std::count(want.begin(), want.end(), '\n'), 1000);
  ASSERT_NE(want.find("SKIP"), std::string::npos);
  for (const bool stable : {false, true}) {
    // Stable: datagrams read in place from the mapped capture instead of copied.
    options.stable_packets = stable;
    for (unsigned threads : {1u, 2u, 3u, 4u})
      for (std::size_t batch : {std::size_t{1}, std::size_t{5000}, std::size_t{100000}, std::size_t{1} << 22})
        EXPECT_EQ(parallel(capture, options, threads, batch), want)
            << threads << " threads, batch " << batch << (stable ? ", in place" : "");
  }
}

TEST(ParallelCapture, SaysWhatWasFoundWhenNoDatagramWentToOurPorts) {
  const auto capture = make_capture(4, 300, 3);
  dissect::CaptureDecoder::Options options;
  options.udp_ports = {9999, 9998};
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_NE(want.find("|no UDP datagrams to ports 9998, 9999; found UDP port 3490 ("), std::string::npos) << want;
  for (const bool stable : {false, true}) {
    options.stable_packets = stable;
    for (unsigned threads : {1u, 2u, 3u})
      for (std::size_t batch : {std::size_t{1}, std::size_t{5000}})
        EXPECT_EQ(parallel(capture, options, threads, batch), want)
            << threads << " threads, batch " << batch << (stable ? ", in place" : "");
  }
}

TEST(ParallelCapture, TheFlowLimitEndsTheSameFlowsAtTheSamePlaces) {
  const auto capture = make_capture(9, 500, 2);
  dissect::CaptureDecoder::Options options;
  options.max_flows = 3;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_NE(want.find("flows ended early at the flow limit"), std::string::npos);
  for (const bool stable : {false, true}) {
    options.stable_packets = stable;
    for (unsigned threads : {1u, 2u, 4u})
      for (std::size_t batch : {std::size_t{1}, std::size_t{3000}, std::size_t{1} << 22})
        EXPECT_EQ(parallel(capture, options, threads, batch), want)
            << threads << " threads, batch " << batch << (stable ? ", in place" : "");
  }
}

// Flows made and ended at the flow limit over and over (a new user's capture of 6000 TCP
// connections, one made and one ended per segment): the decoder's flow numbers, and every
// table by number, stay within the limit and the flows ended but not yet freed, and the
// flows left open at the end are still flushed in order of first appearance.
TEST(ParallelCapture, FlowsEndedAtTheLimitGiveTheirNumbersBack) {
  const auto capture = make_capture(40, 3000, 5);
  dissect::CaptureDecoder::Options options;
  options.max_flows = 3;
  const std::string want = testing::decode_serially(capture, options);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(want, m, std::regex("([0-9]+) flows ended early at the flow limit")));
  const std::size_t ended = std::stoul(m[1]);
  ASSERT_GT(ended, 500u);
  for (unsigned threads : {1u, 2u})
    for (std::size_t batch : {std::size_t{1}, std::size_t{3000}}) {
      std::size_t numbers = 0;
      EXPECT_EQ(parallel(capture, options, threads, batch, &numbers), want) << threads << " threads, batch " << batch;
      EXPECT_LT(numbers, 100u) << threads << " threads, batch " << batch << ": " << ended << " flows ended";
    }
}

}  // namespace
}  // namespace dltdump::app
