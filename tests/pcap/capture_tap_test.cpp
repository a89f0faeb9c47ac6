// Capture tap: what is captured, when, with which time stamp and direction, and what a
// capture failure does (aio-spec.md §5B).
#include "pcap/capture_tap.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include "aio/recorder.hpp"

namespace dltdump::aio {
namespace {

using pcap::CaptureTap;
using pcap::realtime_ns;

using testing::Bytes;
using testing::Recorder;

struct CaptureFile {
  testing::TempFile file;
  int fd = ::open(file.path.c_str(), O_WRONLY);
  pcap::PcapngWriter writer{fd, "capture.pcapng", {}};
  ~CaptureFile() { ::close(fd); }
  std::vector<testing::ReadPacket> packets() {
    writer.flush();
    return testing::read_bytes(file.read());
  }
};

Packet packet(const Bytes& b, std::int64_t time = Packet::kNoTime) {
  Packet p;
  p.data = b.data();
  p.size = static_cast<std::uint32_t>(b.size());
  p.time_ns = time;
  return p;
}

TEST(CaptureTap, ARetriedPacketIsCapturedOnce) {
  CaptureFile cap;
  Recorder dst;
  CaptureTap tap(&dst, cap.writer, cap.writer.add_interface({}), Direction::Inbound);
  const Bytes a = {1}, b = {2}, c = {3};
  const std::vector<Packet> batch = {packet(a, 10), packet(b, 20), packet(c, 30)};
  dst.script.push_back({kErrAgain, 1});
  std::size_t idx = 0;
  EXPECT_EQ(tap.send(batch, &idx, false), kErrAgain);
  EXPECT_EQ(idx, 1u);
  EXPECT_EQ(tap.captured(), 1u);
  EXPECT_EQ(tap.send(std::span(batch).subspan(idx), &idx, false), kSuccess);
  const auto got = cap.packets();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].data, a);
  EXPECT_EQ(got[1].data, b);
  EXPECT_EQ(got[2].time_ns, 30);
  EXPECT_EQ(dst.payloads(), (std::vector<Bytes>{a, b, c}));
}

TEST(CaptureTap, PerPacketTimesFromThePacketElseFromTheClock) {
  CaptureFile cap;
  std::int64_t now = 1000;
  CaptureTap tap(nullptr, cap.writer, cap.writer.add_interface({}), Direction::Outbound, [&] { return now += 7; });
  const Bytes a = {1};
  const std::vector<Packet> batch = {packet(a), packet(a, 5), packet(a)};
  EXPECT_EQ(tap.send(batch, nullptr, false), kSuccess);
  const auto got = cap.packets();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].time_ns, 1007);  // the clock is asked once per packet without a time
  EXPECT_EQ(got[1].time_ns, 5);
  EXPECT_EQ(got[2].time_ns, 1014);
}

TEST(CaptureTap, TwoTapsShareOneWriterWithTheirDirections) {
  CaptureFile cap;
  Recorder a_to_b, b_to_a;
  const std::uint32_t itf = cap.writer.add_interface({});
  CaptureTap rx(&a_to_b, cap.writer, itf, Direction::Inbound, [] { return 1; });
  CaptureTap tx(&b_to_a, cap.writer, itf, Direction::Outbound, [] { return 2; });
  const Bytes x = {1, 2, 3};
  for (int i = 0; i < 3; ++i) {
    const Packet p = packet(x);
    rx.send({&p, 1}, nullptr, false);
    tx.send({&p, 1}, nullptr, false);
  }
  const auto got = cap.packets();
  ASSERT_EQ(got.size(), 6u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].direction, i % 2 ? Direction::Outbound : Direction::Inbound);
    EXPECT_EQ(got[i].data, x);
  }
  // A packet's own direction wins over the tap's.
  Packet own = packet(x);
  own.direction = Direction::Outbound;
  rx.send({&own, 1}, nullptr, false);
  EXPECT_EQ(cap.packets().back().direction, Direction::Outbound);
}

TEST(CaptureTap, CaptureFailuresAreCountedAndNeverChangeTheResult) {
  int fd = ::open("/dev/full", O_WRONLY);
  ASSERT_GE(fd, 0);
  pcap::PcapngWriter writer(fd, "/dev/full", {});
  Recorder dst;
  CaptureTap tap(&dst, writer, writer.add_interface({}), Direction::Inbound);
  const Bytes a = {1};
  const std::vector<Packet> batch = {packet(a), packet(a)};
  EXPECT_EQ(tap.send(batch, nullptr, true), kSuccess);  // the flush fails: counted
  EXPECT_EQ(tap.capture_errors(), 1u);
  EXPECT_EQ(tap.error(), "Couldn't write to /dev/full (No space left on device)");
  dst.script.push_back({kErrInvalid, 1});
  std::size_t idx = 0;
  EXPECT_EQ(tap.send(batch, &idx, false), kErrInvalid);  // downstream's answer, unchanged
  EXPECT_EQ(idx, 1u);
  EXPECT_EQ(tap.capture_errors(), 2u);  // the one accepted packet could not be captured
  EXPECT_EQ(dst.got.size(), 3u);        // forwarding went on regardless
  ::close(fd);
}

}  // namespace
}  // namespace dltdump::aio
