// --stats' tally (output/stats_tally.hpp): the counter rules, lifecycles, the counter model
// chosen per ECU, the largest gaps kept, and the bounds.
#include "output/stats_tally.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string_view>

using namespace dltdump;
using output::CounterTrack;
using output::StatsTally;

namespace {

// A log message of ECU `ecu`, APP/CTX `app`/`ctx`, with counter and (if given) device time.
dlt::Message message(const char* ecu, const char* app, const char* ctx, std::uint8_t counter, long device_time = -1,
                     dlt::PayloadKind kind = dlt::PayloadKind::Verbose) {
  static const std::uint8_t bytes[20] = {};
  dlt::Message m;
  m.raw = {bytes, sizeof bytes};
  m.has_ecu = m.has_extended = true;
  m.ecu = dlt::Id::from_text(ecu);
  m.app = dlt::Id::from_text(app);
  m.ctx = dlt::Id::from_text(ctx);
  m.counter = counter;
  m.msin = 0x41;  // log info, verbose
  m.kind = kind;
  if (kind == dlt::PayloadKind::Control) m.msin = 0x26;  // control response
  if (device_time >= 0) {
    m.has_device_time = true;
    m.device_time = static_cast<std::uint32_t>(device_time);
  }
  return m;
}

}  // namespace

TEST(CounterTrack, GapsAreCountedModulo256) {
  CounterTrack t;
  EXPECT_EQ(t.step(250, 1), 0u);  // the first: nothing to compare
  EXPECT_EQ(t.step(251, 1), 0u);
  EXPECT_EQ(t.step(254, 1), 2u);
  EXPECT_EQ(t.step(255, 1), 0u);
  EXPECT_EQ(t.step(0, 1), 0u);  // the wrap is no gap
  EXPECT_EQ(t.step(3, 1), 2u);
  EXPECT_EQ(t.step(3, 1), 0u);    // a repeat
  EXPECT_EQ(t.step(7, 1), 3u);    // 4, 5, 6 missing …
  EXPECT_EQ(t.step(5, 1), 0u);    // … 5 came late: no gap of 253, one fewer missing
  EXPECT_EQ(t.step(8, 1), 0u);    // the sequence goes on from 7
  EXPECT_EQ(t.step(3, 1), 250u);  // 5 behind: a gap, as far as 8 bits can tell
  EXPECT_EQ(t.step(7, 2), 0u);    // a new lifecycle starts afresh
  EXPECT_EQ(t.missing, 2u + 2u + 3u - 1u + 250u);
  EXPECT_EQ(t.gaps, 4u);
  EXPECT_EQ(t.repeats, 1u);
  EXPECT_EQ(t.late, 1u);
}

TEST(StatsTally, RestartBeginsALifecycleAndCountersStartOver) {
  StatsTally t(true);
  t.begin_input("in");
  t.add(message("ECU1", "APP", "CTX", 10, 5000000));  // 500 s of uptime
  t.add(message("ECU1", "APP", "CTX", 11, 5000100));
  t.add(message("ECU1", "APP", "CTX", 12));                   // no device time: same lifecycle
  t.add(message("ECU1", "APP", "CTX", 14, 5000000 - 90000));  // 9 s back: late, not a restart
  t.add(message("ECU1", "APP", "CTX", 0, 12000));             // 1.2 s: a restart; no gap 14 → 0
  t.add(message("ECU1", "APP", "CTX", 1, 12010));
  ASSERT_EQ(t.ecus().size(), 1u);
  const auto& e = t.ecus()[0];
  EXPECT_EQ(e.lifecycles, 2u);
  EXPECT_EQ(e.missing(), 1u);  // 12 → 14
  const auto lcs = t.lifecycles();
  ASSERT_EQ(lcs.size(), 2u);
  EXPECT_EQ(lcs[0].second.messages, 4u);
  EXPECT_EQ(lcs[0].second.start_device_time, 5000000u);
  EXPECT_EQ(lcs[1].second.messages, 2u);
  EXPECT_EQ(lcs[1].second.start_device_time, 12000u);
}

// A device time of 0 (WTMS set, the clock not running) tells no uptime, in the report as in
// the rule and --lifecycles (a new user's finding: 0.0000 in the report, - in the list).
TEST(StatsTally, ADeviceTimeOfZeroIsNoStartDeviceTime) {
  StatsTally t(true);
  t.begin_input("in");
  t.add(message("ECU1", "APP", "CTX", 0, 0));
  t.add(message("ECU1", "APP", "CTX", 1, 0));
  ASSERT_EQ(t.lifecycles().size(), 1u);
  EXPECT_FALSE(t.lifecycles()[0].second.has_device_time);
  t.add(message("ECU1", "APP", "CTX", 2, 700));  // the first uptime it tells
  EXPECT_TRUE(t.lifecycles()[0].second.has_device_time);
  EXPECT_EQ(t.lifecycles()[0].second.start_device_time, 700u);
}

TEST(StatsTally, ToleranceIsHalfTheUptimeAtMostTenSeconds) {
  EXPECT_EQ(dlt::restart_tolerance(40000), 20000u);
  EXPECT_EQ(dlt::restart_tolerance(100000000), 100000u);
  StatsTally t(true);
  t.begin_input("in");
  t.add(message("E", "A", "C", 0, 40000));  // 4 s
  t.add(message("E", "A", "C", 1, 20001));  // 2 s: within half
  EXPECT_EQ(t.ecus()[0].lifecycles, 1u);
  t.add(message("E", "A", "C", 2, 19999));  // below half of 4 s
  EXPECT_EQ(t.ecus()[0].lifecycles, 2u);
}

TEST(StatsTally, EachEcuGetsTheCounterModelThatExplainsIt) {
  StatsTally t(true);
  t.begin_input("in");
  // ECU A counts per ECU (AUTOSAR): consecutive across its contexts.
  for (int i = 0; i < 30; ++i) t.add(message("A", i % 2 ? "X" : "Y", "C", static_cast<std::uint8_t>(i)));
  // ECU B counts per context (libdlt), one message lost in context X; control messages
  // with counter 0 (the daemon's) are not followed.
  std::uint8_t x = 0, y = 0;
  for (int i = 0; i < 30; ++i) {
    if (i == 10) ++x;
    if (i % 2) t.add(message("B", "X", "C", x++));
    else t.add(message("B", "Y", "C", y++));
    if (i % 7 == 0) t.add(message("B", "DA1", "DC1", 0, -1, dlt::PayloadKind::Control));
  }
  const auto& a = t.ecus()[0];
  const auto& b = t.ecus()[1];
  EXPECT_EQ(a.model(), output::CounterModel::Ecu);
  EXPECT_EQ(a.missing(), 0u);
  EXPECT_EQ(b.model(), output::CounterModel::Stream);
  EXPECT_EQ(b.missing(), 1u);
  EXPECT_EQ(b.gaps(), 1u);
  ASSERT_EQ(b.largest_gaps().size(), 1u);
  EXPECT_EQ(b.largest_gaps()[0].missing, 1u);
}

TEST(StatsTally, LargestGapsKeepTheLargestInArrivalOrder) {
  output::StatsLimits limits;
  limits.largest_gaps = 3;
  StatsTally t(true, limits);
  t.begin_input("in");
  std::uint8_t c = 0;
  for (int missing : {1, 5, 2, 5, 9, 1, 3}) {
    dlt::Message m = message("E", "A", "C", c);
    t.add(m);
    c = static_cast<std::uint8_t>(c + 1 + missing);
    m = message("E", "A", "C", c);
    m.position = static_cast<std::uint64_t>(missing) * 100 + c;
    t.add(m);
    ++c;
  }
  const auto& gaps = t.ecus()[0].largest_gaps();
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(gaps[0].missing, 9u);
  EXPECT_EQ(gaps[1].missing, 5u);
  EXPECT_EQ(gaps[2].missing, 5u);
  EXPECT_LT(gaps[1].position % 100, gaps[2].position % 100);  // the earlier of equal gaps first
}

TEST(StatsTally, StreamsBeyondTheLimitAreFoldedAndLossCanBeOff) {
  output::StatsLimits limits;
  limits.max_streams = 4;
  limits.max_lifecycles = 1;
  StatsTally t(false, limits);
  t.begin_input("in");
  const char* apps[] = {"A1", "A2", "A3", "A4", "A5", "A6"};
  for (const char* app : apps) t.add(message("E", app, "C", 0));
  t.add(message("E", "A6", "C", 5));
  EXPECT_EQ(t.streams().size(), 4u);
  EXPECT_EQ(t.folded().messages, 3u);
  EXPECT_EQ(t.total().messages, 7u);
  EXPECT_EQ(t.ecus()[0].missing(), 0u);  // not followed
  // Lifecycles beyond the limit are counted, not listed.
  t.add(message("E", "A1", "C", 1, 1000000));
  t.add(message("E", "A1", "C", 2, 10));
  t.add(message("E", "A1", "C", 3, 1000000));
  t.add(message("E", "A1", "C", 4, 10));
  EXPECT_EQ(t.ecus()[0].lifecycles, 3u);
  EXPECT_EQ(t.lifecycles().size(), 1u);  // max_lifecycles in all: the first
  EXPECT_EQ(t.lifecycles_not_listed(), 2u);
}

TEST(StatsTally, SkipsAreCountedByReasonAndInput) {
  StatsTally t(true);
  t.begin_input("a");
  t.add(dlt::SkipRecord{0, 10, dlt::kReasonSearching, {}, {}});
  t.begin_input("b");
  t.add(dlt::SkipRecord{0, 5, dlt::kReasonSearching, {}, {}});
  t.add(dlt::SkipRecord{9, 7, dlt::kReasonEndOfStream, {}, {}});
  ASSERT_EQ(t.skips().size(), 2u);
  EXPECT_EQ(t.skips()[0].regions, 2u);
  EXPECT_EQ(t.skips()[0].bytes, 15u);
  EXPECT_EQ(t.inputs()[1].skipped_regions, 2u);
  EXPECT_EQ(t.inputs()[1].skipped_bytes, 12u);
}

TEST(StatsTally, InputsKeepTheirOrderAndHowTheyEnded) {
  using Status = StatsTally::Status;
  StatsTally t(true);
  t.begin_input("a.dlt");
  t.add(message("ECU1", "APP", "CTX", 1));
  t.end_input();
  t.fail_input("missing.dlt", "File not found missing.dlt");  // failed before it began
  t.begin_input("cut.pcap");
  t.add(message("ECU1", "APP", "CTX", 2));
  t.fail_input("cut.pcap", "cut.pcap: truncated");  // failed part-way: its counts stay
  t.end_input();
  EXPECT_FALSE(t.stopped());
  t.begin_input("b.dlt");
  t.add(message("ECU1", "APP", "CTX", 3));
  t.stop();
  t.end_input();
  t.not_read("c.dlt");
  EXPECT_TRUE(t.stopped());
  const auto& in = t.inputs();
  ASSERT_EQ(in.size(), 5u);
  const char* names[] = {"a.dlt", "missing.dlt", "cut.pcap", "b.dlt", "c.dlt"};
  const Status statuses[] = {Status::Ok, Status::Failed, Status::Failed, Status::Stopped, Status::NotRead};
  const std::uint64_t messages[] = {1, 0, 1, 1, 0};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(in[i].name, names[i]);
    EXPECT_EQ(in[i].status, statuses[i]) << i;
    EXPECT_EQ(in[i].counts.messages, messages[i]) << i;
  }
  EXPECT_EQ(in[1].reason, "File not found missing.dlt");
  EXPECT_EQ(in[2].reason, "cut.pcap: truncated");
  EXPECT_EQ(t.total().messages, 3u);
}

TEST(StatsTally, AStopBetweenInputsMarksNoInputStopped) {
  StatsTally t(true);
  t.begin_input("a.dlt");
  t.end_input();
  t.stop();
  t.not_read("b.dlt");
  EXPECT_TRUE(t.stopped());
  EXPECT_EQ(t.inputs()[0].status, StatsTally::Status::Ok);
  EXPECT_EQ(t.inputs()[1].status, StatsTally::Status::NotRead);
}

// A sequence whose counters go back 4 to 127 again and again (a logger's delays, files out
// of order) is not loss: the report says why instead of hundreds of "missing" per step (a
// new user's drive gave 152 494 missing among 36 508 messages, none lost). Losses stay
// counted, also with a few such steps among them.
TEST(StatsTally, CountersThatGoBackOftenAreNoLoss) {
  const auto run = [](int back_steps, int lost) {
    auto t = std::make_unique<StatsTally>(true);
    t->begin_input("in");
    std::uint8_t c = 0;
    for (int i = 0; i < 40; ++i) {
      for (int k = 0; k < 10; ++k) t->add(message("E", "A", "C", c++));
      if (i < back_steps) c = static_cast<std::uint8_t>(c - 6);  // late: 5 behind the last
      if (i >= 40 - lost) c = static_cast<std::uint8_t>(c + 2);  // 2 lost
    }
    return t;
  };
  const auto reordered = run(30, 0);
  EXPECT_EQ(reordered->ecus()[0].back_steps().steps, 30u);
  EXPECT_FALSE(reordered->count_loss());
  EXPECT_NE(reordered->loss_not_counted_because().find("--sort"), std::string_view::npos);
  const auto lossy = run(0, 40);
  EXPECT_TRUE(lossy->count_loss());
  EXPECT_EQ(lossy->ecus()[0].missing(), 78u);  // the last block's are not followed by a message
  const auto both = run(16, 20);               // 16 steps back "lose" 16 × 250, the real gaps 38
  EXPECT_FALSE(both->count_loss());
  const auto few = run(static_cast<int>(StatsTally::kMinBackSteps) - 1, 0);
  EXPECT_TRUE(few->count_loss());  // fewer than kMinBackSteps: counted
}
