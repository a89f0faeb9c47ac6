// SPSC ring (aio-spec.md §5C): wrap, sizes, modes, counter wrap-around, batches, and a
// two-thread run (also built under ThreadSanitizer by `make test`).
#include "aio/ring.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "aio/recorder.hpp"

namespace dltdump::aio {
namespace {

using testing::Bytes;
using testing::Recorder;

Ring::Options small(Ring::Mode mode = Ring::Mode::Lossless, std::uint64_t first = 0) {
  Ring::Options o;
  o.slots = 8;
  o.bytes = 256;
  o.max_packet = 128;
  o.mode = mode;
  o.first_sequence = first;
  return o;
}

Packet packet(const Bytes& b) {
  Packet p;
  p.data = b.empty() ? nullptr : b.data();
  p.size = static_cast<std::uint32_t>(b.size());
  return p;
}

TEST(Ring, RejectsBadGeometry) {
  Ring::Options o = small();
  o.slots = 6;
  EXPECT_THROW(Ring{o}, std::invalid_argument);
  o = small();
  o.max_packet = 129;
  EXPECT_THROW(Ring{o}, std::invalid_argument);
}

TEST(Ring, PacketsNeverStraddleTheEndOfTheByteArea) {
  Ring ring(small());
  Recorder dst;
  std::vector<Bytes> sent;
  for (int round = 0; round < 50; ++round) {
    const Bytes b(static_cast<std::size_t>(37 + round * 13 % 90), static_cast<std::uint8_t>(round));
    const Packet p = packet(b);
    ASSERT_EQ(ring.send({&p, 1}, nullptr, false), kSuccess) << round;
    sent.push_back(b);
    ASSERT_EQ(ring.poll(dst), 1u);
  }
  EXPECT_EQ(dst.payloads(), sent);
}

TEST(Ring, SizesAtTheLimits) {
  Ring ring(small());
  Recorder dst;
  const Bytes zero, exact(128, 1), over(129, 2);
  const std::vector<Packet> batch = {packet(zero), packet(exact), packet(over), packet(zero)};
  std::size_t idx = 0;
  EXPECT_EQ(ring.send(batch, &idx, false), kErrInvalid);  // never truncated
  EXPECT_EQ(idx, 2u);
  EXPECT_EQ(ring.poll(dst), 2u);
  EXPECT_EQ(dst.payloads(), (std::vector<Bytes>{zero, exact}));
}

TEST(Ring, LosslessModeGivesBackPressure) {
  Ring ring(small());
  const Bytes b(100, 1);
  const std::vector<Packet> batch(5, packet(b));
  std::size_t idx = 0;
  EXPECT_EQ(ring.send(batch, &idx, false), kErrAgain);  // 256 bytes hold two 100-byte packets
  EXPECT_EQ(idx, 2u);
  EXPECT_EQ(ring.overruns(), 0u);
  Recorder dst;
  EXPECT_EQ(ring.poll(dst), 2u);
  EXPECT_EQ(ring.send(std::span(batch).subspan(2, 2), &idx, false), kSuccess);
}

TEST(Ring, LiveModeDropsAndCountsOverruns) {
  Ring ring(small(Ring::Mode::Live));
  const Bytes b(10, 1);
  const std::vector<Packet> batch(11, packet(b));
  EXPECT_EQ(ring.send(batch, nullptr, false), kSuccess);
  EXPECT_EQ(ring.overruns(), 3u);  // 8 slots
  Recorder dst;
  EXPECT_EQ(ring.poll(dst), 8u);
}

TEST(Ring, CountersWrapAroundTwoToTheSixtyFour) {
  Ring ring(small(Ring::Mode::Lossless, ~std::uint64_t{0} - 4));
  Recorder dst;
  std::vector<Bytes> sent;
  for (int i = 0; i < 40; ++i) {
    const Bytes b(static_cast<std::size_t>(1 + i * 7 % 100), static_cast<std::uint8_t>(i));
    const Packet p = packet(b);
    ASSERT_EQ(ring.send({&p, 1}, nullptr, false), kSuccess) << i;
    sent.push_back(b);
    if (i % 2) ring.poll(dst);
  }
  while (ring.poll(dst)) {
  }
  EXPECT_EQ(dst.payloads(), sent);
}

TEST(Ring, BatchesAreCappedAndRefusedPacketsStay) {
  Ring::Options o = small();
  o.slots = 256;
  o.bytes = 1 << 16;
  Ring ring(o);
  std::vector<Bytes> payloads;
  for (int i = 0; i < 100; ++i) payloads.push_back(Bytes(1, static_cast<std::uint8_t>(i)));
  std::vector<Packet> batch;
  for (const auto& b : payloads) batch.push_back(packet(b));
  ASSERT_EQ(ring.send(batch, nullptr, false), kSuccess);
  Recorder dst;
  EXPECT_EQ(ring.poll(dst), Ring::kMaxBatch);  // 64 at most
  dst.script.push_back({kErrAgain, 10});
  EXPECT_EQ(ring.poll(dst), 10u);  // the other 26 stay
  EXPECT_EQ(ring.pending(), 26u);
  dst.script.push_back({kErrInvalid, 3});
  EXPECT_EQ(ring.poll(dst), 4u);  // 3 taken, the 4th rejected and dropped
  EXPECT_EQ(ring.rejected(), 1u);
  EXPECT_EQ(ring.poll(dst), 22u);
  auto got = dst.payloads();
  EXPECT_EQ(got.size(), 99u);
  payloads.erase(payloads.begin() + 77);
  EXPECT_EQ(got, payloads);
}

TEST(Ring, TwoThreadsLosslessDeliverEveryByteInOrder) {
  Ring::Options o;
  o.slots = 64;
  o.bytes = 1 << 14;
  o.max_packet = 2000;
  Ring ring(o);
  constexpr int kPackets = 20000;
  std::thread producer([&] {
    Bytes b;
    for (int i = 0; i < kPackets; ++i) {
      b.assign(static_cast<std::size_t>(i * 31 % 1500), static_cast<std::uint8_t>(i));
      Packet p = packet(b);
      p.time_ns = i;
      ASSERT_EQ(send_all(ring, {&p, 1}, nullptr, false, [] { std::this_thread::yield(); }), kSuccess);
    }
    ring.close();
  });
  struct Checker final : Aio {
    int next = 0;
    bool ok = true;
    int send(std::span<const Packet> batch, std::size_t*, bool) noexcept override {
      for (const Packet& p : batch) {
        const std::size_t want = static_cast<std::size_t>(next * 31 % 1500);
        if (p.size != want || p.time_ns != next) ok = false;
        for (std::uint32_t k = 0; k < p.size; ++k)
          if (p.data[k] != static_cast<std::uint8_t>(next)) ok = false;
        ++next;
      }
      return kSuccess;
    }
  } checker;
  while (!ring.drained()) {
    if (ring.poll(checker) == 0) std::this_thread::yield();
  }
  producer.join();
  EXPECT_TRUE(checker.ok);
  EXPECT_EQ(checker.next, kPackets);
  EXPECT_EQ(ring.overruns(), 0u);
}

// The end of the path (aio::Consumer): a batch is taken whole and leaves the ring, or what
// the consumer throws passes through the poll and the batch stays for the next poll.
TEST(Ring, AConsumerTakesAWholeBatchOrItsExceptionPassesThrough) {
  Ring ring(small());
  struct Taker final : Consumer {
    std::vector<Bytes> got;
    bool fail = false;
    void take(std::span<const Packet> batch) override {
      if (fail) throw std::runtime_error("the output failed");
      for (const Packet& p : batch) got.emplace_back(p.data, p.data + p.size);
    }
  } dst;
  const Bytes a(10, 1), b(20, 2), c(30, 3);
  for (const Bytes* x : {&a, &b, &c}) {
    const Packet p = packet(*x);
    ASSERT_EQ(ring.send({&p, 1}, nullptr, false), kSuccess);
  }
  EXPECT_EQ(ring.poll(dst, 2), 2u);
  EXPECT_EQ(dst.got, (std::vector<Bytes>{a, b}));
  dst.fail = true;
  EXPECT_THROW(ring.poll(dst), std::runtime_error);
  EXPECT_EQ(ring.pending(), 1u);  // c stays
  dst.fail = false;
  EXPECT_EQ(ring.poll(dst), 1u);
  EXPECT_EQ(dst.got, (std::vector<Bytes>{a, b, c}));
  EXPECT_EQ(ring.poll(dst), 0u);
  EXPECT_EQ(ring.rejected(), 0u);
}

}  // namespace
}  // namespace dltdump::aio
