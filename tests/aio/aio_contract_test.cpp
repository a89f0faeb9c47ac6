// The aio contract (aio-spec.md §1.2, checklist §5A), run against every aio stage.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>

#include "aio/aio.hpp"
#include "aio/recorder.hpp"
#include "aio/ring.hpp"
#include "pcap/capture_tap.hpp"
#include "pcap/pcapng_format.hpp"
#include "pcap/pcapng_sink.hpp"

namespace dltdump::aio {
namespace {

using pcap::CaptureTap;
using pcap::PcapngSink;

using testing::Bytes;
using testing::Recorder;

// One stage under test, with a way to see what it delivered and to make it fail.
struct Harness {
  virtual ~Harness() = default;
  virtual Aio& stage() = 0;
  // Payloads delivered downstream (or written), in order, after draining/flushing.
  virtual std::vector<Bytes> delivered() = 0;
  // Arms a failure and returns the batch to send and the expected first_unsent.
  virtual std::pair<std::vector<Bytes>, std::size_t> failing_batch() = 0;
  // Arms `n` kErrAgain answers (false if the stage never says "again").
  virtual bool arm_again(int n) = 0;
  // Called between retries after kErrAgain.
  virtual void on_wait() {}
  virtual int flushes_seen() { return -1; }  // -1: the stage does not forward flush
};

std::vector<Bytes> small_packets(std::size_t n) {
  std::vector<Bytes> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(Bytes(i + 1, static_cast<std::uint8_t>(0x10 + i)));
  return v;
}

struct TapHarness : Harness {
  testing::TempFile file;
  int fd = ::open(file.path.c_str(), O_WRONLY);
  pcap::PcapngWriter writer{fd, "tap.pcapng", {}};
  Recorder downstream;
  CaptureTap tap{&downstream, writer, (writer.add_interface({}), 0u), Direction::Inbound, [] { return 1; }};
  ~TapHarness() override { ::close(fd); }
  Aio& stage() override { return tap; }
  std::vector<Bytes> delivered() override {
    // What was forwarded must also be exactly what was captured.
    writer.flush();
    std::vector<Bytes> captured;
    for (const auto& p : testing::read_bytes(file.read())) captured.push_back(p.data);
    EXPECT_EQ(captured, downstream.payloads());
    return downstream.payloads();
  }
  std::pair<std::vector<Bytes>, std::size_t> failing_batch() override {
    downstream.script.push_back({kErrAgain, 3});
    return {small_packets(6), 3};
  }
  bool arm_again(int n) override {
    for (int i = 0; i < n; ++i) downstream.script.push_back({kErrAgain, static_cast<std::size_t>(i % 2)});
    return true;
  }
  int flushes_seen() override { return downstream.flushes; }
};

struct CaptureOnlyHarness : Harness {
  testing::TempFile file;
  int fd = ::open(file.path.c_str(), O_WRONLY);
  pcap::PcapngWriter writer{fd, "tap.pcapng", {}};
  CaptureTap tap{nullptr, writer, (writer.add_interface({}), 0u), Direction::Outbound, [] { return 1; }};
  ~CaptureOnlyHarness() override { ::close(fd); }
  Aio& stage() override { return tap; }
  std::vector<Bytes> delivered() override {
    writer.flush();
    std::vector<Bytes> v;
    for (const auto& p : testing::read_bytes(file.read())) v.push_back(p.data);
    return v;
  }
  std::pair<std::vector<Bytes>, std::size_t> failing_batch() override { return {{}, 0}; }  // never fails
  bool arm_again(int) override { return false; }
};

struct RingHarness : Harness {
  std::unique_ptr<Ring> ring = make(4096);
  Recorder downstream;
  static std::unique_ptr<Ring> make(std::size_t slots) {
    Ring::Options o;
    o.slots = slots;
    o.bytes = 1 << 16;
    o.max_packet = 1 << 15;
    return std::make_unique<Ring>(o);
  }
  Aio& stage() override { return *ring; }
  std::vector<Bytes> delivered() override {
    while (ring->poll(downstream) != 0) {
    }
    return downstream.payloads();
  }
  std::pair<std::vector<Bytes>, std::size_t> failing_batch() override {
    ring = make(4);  // room for 4 packets
    return {small_packets(6), 4};
  }
  bool arm_again(int) override {
    ring = make(2);  // a tiny ring says "again" until the consumer polls
    return true;
  }
  void on_wait() override { ring->poll(downstream, 1); }
  int flushes_seen() override { return -1; }
};

struct SinkHarness : Harness {
  testing::TempFile file;
  int fd = ::open(file.path.c_str(), O_WRONLY);
  pcap::PcapngWriter writer{fd, "sink.pcapng", {}};
  PcapngSink sink{writer, (writer.add_interface({}), 0u)};
  ~SinkHarness() override { ::close(fd); }
  Aio& stage() override { return sink; }
  std::vector<Bytes> delivered() override {
    writer.flush();
    std::vector<Bytes> v;
    for (const auto& p : testing::read_bytes(file.read())) v.push_back(p.data);
    return v;
  }
  std::pair<std::vector<Bytes>, std::size_t> failing_batch() override {
    auto v = small_packets(4);
    v[2] = Bytes(pcap::pcapng::kMaxPacketBytes + 1, 0);  // refused by the writer
    return {v, 2};
  }
  bool arm_again(int) override { return false; }
};

using Factory = std::function<std::unique_ptr<Harness>()>;
struct Named {
  const char* name;
  Factory make;
};
void PrintTo(const Named& n, std::ostream* os) { *os << n.name; }

class AioContract : public ::testing::TestWithParam<Named> {
 protected:
  std::unique_ptr<Harness> h = GetParam().make();
};

std::vector<Packet> descriptors(const std::vector<Bytes>& payloads) {
  std::vector<Packet> v;
  for (const auto& b : payloads) {
    Packet p;
    p.data = b.empty() ? nullptr : b.data();
    p.size = static_cast<std::uint32_t>(b.size());
    p.time_ns = 1000;
    v.push_back(p);
  }
  return v;
}

TEST_P(AioContract, EmptyBatchSucceedsWithoutEffect) {
  std::size_t idx = 77;
  EXPECT_EQ(h->stage().send({}, &idx, false), kSuccess);
  EXPECT_EQ(idx, 77u);
  EXPECT_TRUE(h->delivered().empty());
}

TEST_P(AioContract, ZeroSizePacketsCountAsSent) {
  std::vector<Packet> batch(3);  // data null, size 0
  const Bytes one = {1};
  batch[1].data = one.data();
  batch[1].size = 1;
  std::size_t idx = 77;
  EXPECT_EQ(h->stage().send(batch, &idx, false), kSuccess);
  EXPECT_EQ(idx, 77u);
  EXPECT_EQ(h->delivered(), (std::vector<Bytes>{{}, {1}, {}}));
}

TEST_P(AioContract, OrderAliasingAndOverlapArePreserved) {
  Bytes buf = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<Packet> batch(4);
  batch[0].data = buf.data(), batch[0].size = 4;
  batch[1].data = buf.data(), batch[1].size = 4;      // the same buffer again
  batch[2].data = buf.data() + 2, batch[2].size = 6;  // overlapping
  batch[3].data = buf.data() + 7, batch[3].size = 1;
  EXPECT_EQ(h->stage().send(batch, nullptr, false), kSuccess);
  EXPECT_EQ(h->delivered(), (std::vector<Bytes>{{1, 2, 3, 4}, {1, 2, 3, 4}, {3, 4, 5, 6, 7, 8}, {8}}));
}

TEST_P(AioContract, NeitherMutatesNorKeepsTheBatch) {
  std::vector<Bytes> payloads = small_packets(10);
  const std::vector<Bytes> original = payloads;
  std::vector<Packet> batch = descriptors(payloads);
  const std::vector<Packet> before = batch;
  ASSERT_EQ(h->stage().send(batch, nullptr, false), kSuccess);
  EXPECT_EQ(std::memcmp(batch.data(), before.data(), batch.size() * sizeof(Packet)), 0);
  EXPECT_EQ(payloads, original);
  for (auto& b : payloads) std::fill(b.begin(), b.end(), 0xEE);  // poison after return
  for (auto& p : batch) p.data = nullptr;
  EXPECT_EQ(h->delivered(), original);
}

TEST_P(AioContract, PartialFailureNamesTheFirstUnsentPacket) {
  auto [payloads, expected] = h->failing_batch();
  if (payloads.empty()) GTEST_SKIP() << GetParam().name << " never fails a send";
  std::vector<Packet> batch = descriptors(payloads);
  std::size_t idx = 999;
  const int rc = h->stage().send(batch, &idx, false);
  EXPECT_LT(rc, 0);
  EXPECT_STRNE(strerror(rc), "unknown error");
  EXPECT_EQ(idx, expected);
  EXPECT_EQ(h->delivered(), std::vector<Bytes>(payloads.begin(), payloads.begin() + static_cast<long>(expected)));
}

TEST_P(AioContract, NullFirstUnsentOnAnErrorPath) {
  auto [payloads, expected] = h->failing_batch();
  if (payloads.empty()) GTEST_SKIP() << GetParam().name << " never fails a send";
  std::vector<Packet> batch = descriptors(payloads);
  EXPECT_LT(h->stage().send(batch, nullptr, false), 0);
}

TEST_P(AioContract, RetryAfterAgainDeliversEverythingExactlyOnce) {
  if (!h->arm_again(5)) GTEST_SKIP() << GetParam().name << " never answers kErrAgain";
  const std::vector<Bytes> payloads = small_packets(12);
  const std::vector<Packet> batch = descriptors(payloads);
  std::size_t idx = 0;
  EXPECT_EQ(send_all(h->stage(), batch, &idx, false, [&] { h->on_wait(); }), kSuccess);
  EXPECT_EQ(h->delivered(), payloads);
}

TEST_P(AioContract, FlushIsForwardedWhereThereIsADownstream) {
  const std::vector<Bytes> payloads = small_packets(2);
  EXPECT_EQ(h->stage().send(descriptors(payloads), nullptr, true), kSuccess);
  const int flushes = h->flushes_seen();
  if (flushes >= 0) {
    EXPECT_EQ(flushes, 1);
  }
  EXPECT_EQ(h->delivered(), payloads);  // and nothing is held back
}

INSTANTIATE_TEST_SUITE_P(
    Stages, AioContract,
    ::testing::Values(Named{"CaptureTap", [] { return std::unique_ptr<Harness>(new TapHarness); }},
                      Named{"CaptureOnlyTap", [] { return std::unique_ptr<Harness>(new CaptureOnlyHarness); }},
                      Named{"Ring", [] { return std::unique_ptr<Harness>(new RingHarness); }},
                      Named{"PcapngSink", [] { return std::unique_ptr<Harness>(new SinkHarness); }}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(AioErrors, EveryCodeHasAText) {
  EXPECT_STREQ(strerror(kSuccess), "success");
  EXPECT_STREQ(strerror(kErrInvalid), "bad input arguments");
  EXPECT_STREQ(strerror(kErrAgain), "try again later");
  EXPECT_STREQ(strerror(kErrIo), "input/output error");
  EXPECT_STREQ(strerror(1), "unknown error");
  EXPECT_STREQ(strerror(-1000), "unknown error");
}

}  // namespace
}  // namespace dltdump::aio
