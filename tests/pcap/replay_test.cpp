// Replay: capture files as aio batches, with their own times, interfaces and offsets.
#include "pcap/replay.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "aio/recorder.hpp"
#include "aio/ring.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/error.hpp"

namespace dltdump::aio {
namespace {

using pcap::replay;
using pcap::ReplayOutcome;

using testing::Bytes;
using testing::Recorder;

// A capture of `n` packets over two interfaces, written by the project's writer.
Bytes make_capture(int n) {
  testing::TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY);
  {
    pcap::PcapngWriter w(fd, f.path, {});
    w.add_interface({link_type::kEthernet, "eth0", 0});
    w.add_interface({link_type::kIpv4, "raw", 0});
    for (int i = 0; i < n; ++i)
      w.write_packet(static_cast<std::uint32_t>(i % 2), 1'700'000'000'000'000'000LL + i,
                     Bytes(static_cast<std::size_t>(i % 300), static_cast<std::uint8_t>(i)), 0,
                     i % 3 ? Direction::Inbound : Direction::Unknown);
    w.close(0);
  }
  ::close(fd);
  return f.read();
}

TEST(Replay, DeliversBatchesWithOriginalMetadata) {
  const Bytes capture = make_capture(1000);
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  Recorder dst;
  const ReplayOutcome outcome = replay(*reader, dst, 64);
  EXPECT_EQ(outcome.packets, 1000u);
  EXPECT_EQ(outcome.batches, 16u);  // 15 full batches of 64 and one of 40
  EXPECT_FALSE(outcome.fault);
  ASSERT_EQ(dst.got.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    const auto& p = dst.got[static_cast<std::size_t>(i)];
    ASSERT_EQ(p.data.size(), static_cast<std::size_t>(i % 300));
    EXPECT_EQ(p.time_ns, 1'700'000'000'000'000'000LL + i);
    EXPECT_EQ(p.interface, static_cast<std::uint32_t>(i % 2));
    EXPECT_EQ(p.link_type, i % 2 ? link_type::kIpv4 : link_type::kEthernet);
    EXPECT_EQ(p.direction, i % 3 ? Direction::Inbound : Direction::Unknown);
    if (!p.data.empty()) {
      EXPECT_EQ(capture[p.offset], static_cast<std::uint8_t>(i));  // offset names the bytes
    }
  }
}

TEST(Replay, ThroughALosslessRingOnAnotherThread) {
  testing::TempFile f(make_capture(5000));
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  Ring::Options o;
  o.slots = 16;  // tiny: the replay must wait for the consumer
  o.bytes = 1 << 12;
  o.max_packet = 2048;
  Ring ring(o);
  Recorder dst;
  std::thread consumer([&] {
    while (!ring.drained())
      if (ring.poll(dst) == 0) std::this_thread::yield();
  });
  EXPECT_EQ(replay(*reader, ring).packets, 5000u);
  ring.close();
  consumer.join();
  ASSERT_EQ(dst.got.size(), 5000u);
  EXPECT_EQ(dst.got[4999].time_ns, 1'700'000'000'000'000'000LL + 4999);
  EXPECT_EQ(ring.overruns(), 0u);
}

TEST(Replay, AMalformedTailKeepsWhatCameBefore) {
  Bytes capture = make_capture(100);
  capture.resize(32 + 2 * 36 + 50 * 40);  // cut inside the packets
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  Recorder dst;
  const ReplayOutcome outcome = replay(*reader, dst);
  ASSERT_TRUE(outcome.fault);  // returned, not thrown: the caller finishes what came before
  EXPECT_TRUE(outcome.fault->ends_input_only());
  EXPECT_EQ(outcome.fault->culprit(), util::Culprit::Input);
  EXPECT_EQ(outcome.fault->name(), f.path);
  EXPECT_GT(dst.got.size(), 10u);
  EXPECT_LT(dst.got.size(), 100u);
  EXPECT_EQ(outcome.packets, dst.got.size());
}

// The end of the path: what the consumer throws passes through the replay at once, as it
// was thrown (no packet after it is read or sent).
TEST(Replay, WhatTheConsumerThrowsPassesThrough) {
  testing::TempFile f(make_capture(1000));
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  struct Failing : Consumer {
    std::size_t taken = 0;
    void take(std::span<const Packet> batch) override {
      if (taken >= 100) throw util::output_error("out", "Couldn't write to out (No space left on device)");
      taken += batch.size();
    }
  } dst;
  try {
    (void)replay(*reader, dst, 64);
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OutputError);
    EXPECT_STREQ(e.what(), "Couldn't write to out (No space left on device)");
  }
  EXPECT_EQ(dst.taken, 128u);
}

TEST(Replay, AMalformedTailKeepsWhatCameBeforeForAConsumer) {
  Bytes capture = make_capture(100);
  capture.resize(32 + 2 * 36 + 50 * 40);
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  struct Counting : Consumer {
    std::size_t taken = 0;
    void take(std::span<const Packet> batch) override { taken += batch.size(); }
  } dst;
  const ReplayOutcome outcome = replay(*reader, dst);
  ASSERT_TRUE(outcome.fault);
  EXPECT_EQ(outcome.packets, dst.taken);
  EXPECT_GT(dst.taken, 10u);
}

TEST(Replay, ARefusedPacketIsAnErrorNamingItsOffset) {
  testing::TempFile f(make_capture(10));
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  Recorder dst;
  dst.script.push_back({kErrInvalid, 3});
  try {
    (void)replay(*reader, dst);
    FAIL();
  } catch (const util::Error& e) {
    EXPECT_NE(std::string(e.what()).find("was refused (bad input arguments)"), std::string::npos) << e.what();
    EXPECT_EQ(e.culprit(), util::Culprit::Internal);
  }
  EXPECT_EQ(dst.got.size(), 3u);
}

}  // namespace
}  // namespace dltdump::aio
