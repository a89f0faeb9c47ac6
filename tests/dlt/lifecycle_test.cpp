// The lifecycle rule (dlt/lifecycle.hpp): restarts by device time, short lifecycles by the
// boot estimate, regions out of place back to their lifecycle, clock jumps no lifecycle,
// the bounds.
#include "dlt/lifecycle.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

using dltdump::dlt::EcuLifecycles;
using dltdump::dlt::restart_tolerance;

namespace {

constexpr std::int64_t kT0 = 1709287200000000;  // µs

// A message of an ECU booted at `boot_us`, `uptime_ms` after its boot, received `delay_us`
// late, into `r`; returns its lifecycle.
std::size_t at(EcuLifecycles& r, std::int64_t boot_us, std::uint32_t uptime_ms, std::int64_t delay_us = 0) {
  const std::uint32_t device = uptime_ms * 10;
  return r.observe(true, boot_us + std::int64_t{device} * 100 + delay_us, true, device);
}

TEST(Lifecycle, RestartTolerance) {
  EXPECT_EQ(restart_tolerance(40000), 20000u);
  EXPECT_EQ(restart_tolerance(100000000), 100000u);
}

TEST(Lifecycle, AFallOfTheDeviceTimeBeginsOne) {
  EcuLifecycles r;
  EXPECT_EQ(at(r, kT0, 100000), 0u);
  EXPECT_EQ(at(r, kT0, 100010, 5000), 0u);  // late, but on
  EXPECT_EQ(at(r, kT0, 100005, 9000), 0u);  // 5 ms out of order: no restart
  EXPECT_EQ(at(r, kT0 + 101000000, 1500), 1u);
  ASSERT_EQ(r.lifecycles().size(), 2u);
  EXPECT_EQ(r.lifecycles()[0].anchor_us, kT0);
  EXPECT_EQ(r.lifecycles()[1].anchor_us, kT0 + 101000000);
  EXPECT_EQ(r.lifecycles()[0].max_device_time, 1000100u);
}

TEST(Lifecycle, DeviceTimesAloneToo) {
  EcuLifecycles r;  // a recording: no storage time
  EXPECT_EQ(r.observe(false, 0, true, 500000), 0u);
  EXPECT_EQ(r.observe(false, 0, true, 400000), 0u);  // 10 s back of 50 s: the tolerance is 10 s
  EXPECT_EQ(r.observe(false, 0, true, 399999), 1u);
  EXPECT_EQ(r.observe(false, 0, false, 0), 1u);  // no device time: the current one
}

TEST(Lifecycle, AShortLifecycleIsToldByItsBootEstimate) {
  EcuLifecycles r;
  // Up 3 s, then a restart whose first message is at uptime 1.8 s: a fall of 1.2 s, below
  // the tolerance (1.5 s), but the boot estimate moved by 4 s.
  at(r, kT0, 1000);
  EXPECT_EQ(at(r, kT0, 3000), 0u);
  EXPECT_EQ(at(r, kT0 + 3200000, 1800), 1u);
  // The same fall with the boot estimate where it was is a late message.
  EcuLifecycles late;
  at(late, kT0, 1000);
  at(late, kT0, 3000);
  EXPECT_EQ(at(late, kT0, 1800, 20000), 0u);
}

TEST(Lifecycle, ARegionOutOfPlaceGoesBackToItsLifecycle) {
  EcuLifecycles r;
  const std::int64_t boot2 = kT0 + 60000000;
  EXPECT_EQ(at(r, kT0, 40000), 0u);
  EXPECT_EQ(at(r, boot2, 2000), 1u);  // restart
  EXPECT_EQ(at(r, kT0, 45000), 0u);   // a region of the first boot, after
  EXPECT_EQ(at(r, boot2, 3000), 1u);  // and back
  EXPECT_EQ(at(r, kT0, 20000), 0u);   // an earlier region of the first boot
  EXPECT_EQ(r.lifecycles().size(), 2u);
}

TEST(Lifecycle, AClockJumpOfTheLoggerIsNoRestart) {
  EcuLifecycles r;
  at(r, kT0, 10000);
  at(r, kT0, 10010);
  // The logger's clock jumps an hour ahead; the device time goes on (a little out of
  // order, too).
  EXPECT_EQ(at(r, kT0 + 3600000000, 10020), 0u);
  EXPECT_EQ(at(r, kT0 + 3600000000, 10015, 3000), 0u);
  EXPECT_EQ(at(r, kT0 - 3600000000, 10030), 0u);  // and back, below where it began
  EXPECT_EQ(r.lifecycles().size(), 1u);
  // A logger's clock set back takes no delay away: the anchor stays the boot's.
  EXPECT_EQ(r.lifecycles()[0].anchor_us, kT0);
}

TEST(Lifecycle, AClockJumpBackKeepsTheAnchorAndLaterBootsAfter) {
  // issue 24: boot 1 stored from 10:00 at uptime 100 s, boot 2 from 10:02 at uptime 1 s;
  // 50 s into boot 2 the logger's clock goes back an hour.
  EcuLifecycles r;
  const std::int64_t boot1 = kT0 - 100000000, boot2 = kT0 + 119000000, hour = 3600000000;
  EXPECT_EQ(at(r, boot1, 100000), 0u);
  EXPECT_EQ(at(r, boot1, 199000), 0u);
  EXPECT_EQ(at(r, boot2, 1000), 1u);
  EXPECT_EQ(at(r, boot2, 50000), 1u);
  EXPECT_EQ(at(r, boot2 - hour, 50100), 1u);  // the jump back
  EXPECT_EQ(at(r, boot2 - hour, 100000), 1u);
  EXPECT_EQ(at(r, boot2 - hour, 99990, 2000), 1u);  // a little late
  EXPECT_EQ(r.lifecycles()[1].anchor_us, boot2);
  // A third boot in the clock set back comes after the second.
  const std::int64_t boot3 = boot2 + 200000000;
  EXPECT_EQ(at(r, boot3 - hour, 2000), 2u);
  EXPECT_EQ(at(r, boot3 - hour, 3000), 2u);
  ASSERT_EQ(r.lifecycles().size(), 3u);
  EXPECT_EQ(r.lifecycles()[0].anchor_us, boot1);
  EXPECT_EQ(r.lifecycles()[2].anchor_us, boot3);
}

TEST(Lifecycle, AnotherBootWithoutContinuationBeginsOne) {
  EcuLifecycles r;
  at(r, kT0, 5000);
  // Uptime 500 s of a boot 600 s earlier, no fall: a region of an earlier boot not seen yet.
  EXPECT_EQ(at(r, kT0 - 600000000, 500000), 1u);
}

TEST(Lifecycle, BoundedWhateverTheInput) {
  EcuLifecycles r;
  at(r, kT0, 100000);
  // With changes no longer allowed, a restart stays in the current lifecycle.
  EXPECT_EQ(r.observe(true, kT0 + 200000000, true, 10000, false), 0u);
  EXPECT_EQ(r.lifecycles().size(), 1u);
  // Only the latest kMatchWindow lifecycles can be gone back to.
  EcuLifecycles many;
  for (std::uint32_t i = 0; i < EcuLifecycles::kMatchWindow + 2; ++i)
    at(many, kT0 + std::int64_t{i} * 100000000, i % 2 ? 50000 : 2000);  // alternate falls
  const std::size_t n = many.lifecycles().size();
  EXPECT_EQ(n, EcuLifecycles::kMatchWindow + 2);
  EXPECT_EQ(at(many, kT0, 1000), n);  // the first boot, out of reach: a new one
  // The oldest within reach is still found.
  const std::int64_t oldest = kT0 + static_cast<std::int64_t>(n - EcuLifecycles::kMatchWindow + 1) * 100000000;
  EXPECT_EQ(at(many, oldest, 1000), n - EcuLifecycles::kMatchWindow + 1);
}

// A lifecycle whose anchor moved down and then left the window cannot be gone back to, by
// its anchor old or new.
TEST(Lifecycle, AnAnchorMovedDownLeavesTheWindowWhole) {
  EcuLifecycles r;
  at(r, kT0, 1000, 500000);
  at(r, kT0, 2000);  // the anchor moves down by 0.5 s
  for (std::uint32_t i = 1; i <= EcuLifecycles::kMatchWindow + 1; ++i)
    at(r, kT0 + std::int64_t{i} * 100000000, i % 2 ? 50000 : 2000);
  const std::size_t n = r.lifecycles().size();
  EXPECT_EQ(at(r, kT0, 1000, 500000), n);
}

// Lifecycles are looked up by their anchors (an ordered index, switch_to): regions of many
// lifecycles in random order each go back to theirs, also after a message moved an anchor
// down (the index follows it).
TEST(Lifecycle, RegionsOfManyLifecyclesGoBackToTheirs) {
  EcuLifecycles r;
  constexpr std::uint32_t kCount = 200;
  std::vector<std::int64_t> least(kCount, 400000);  // each one's least delay: its anchor
  for (std::uint32_t i = 0; i < kCount; ++i) {
    const std::int64_t boot = kT0 + std::int64_t{i} * 100000000;
    EXPECT_EQ(at(r, boot, 1000, 400000), i);  // each one's first message late by 0.4 s
    at(r, boot, 60000, 400000);               // and on to 60 s of uptime
  }
  std::uint32_t state = 12345;
  for (int k = 0; k < 2000; ++k) {
    state = state * 1103515245u + 12345u;
    const std::uint32_t i = (state >> 8) % kCount;
    // A delay of 0.1-0.4 s: the anchor moves down to the least one given.
    const std::int64_t delay = 100000 + std::int64_t{(state >> 4) % 4} * 100000;
    ASSERT_EQ(at(r, kT0 + std::int64_t{i} * 100000000, 1000 + (state >> 16) % 50, delay), i) << k;
    least[i] = std::min(least[i], delay);
  }
  ASSERT_EQ(r.lifecycles().size(), kCount);
  for (std::uint32_t i = 0; i < kCount; ++i)
    EXPECT_EQ(r.lifecycles()[i].anchor_us, kT0 + std::int64_t{i} * 100000000 + least[i]) << i;
}

}  // namespace

namespace {

TEST(Lifecycle, ADeviceTimeOfZeroIsNone) {
  // issue 24: an ECU with WTMS set and 0 in every message: no lifecycle's uptime, no anchor.
  EcuLifecycles r;
  for (std::int64_t i = 0; i < 5; ++i) EXPECT_EQ(r.observe(true, kT0 + i * 1000000, true, 0), 0u);
  ASSERT_EQ(r.lifecycles().size(), 1u);
  EXPECT_FALSE(r.lifecycles()[0].has_anchor);
  EXPECT_FALSE(r.lifecycles()[0].has_device_time);
}

}  // namespace

namespace {

// Keep::Window (--stats) keeps only the latest lifecycles' facts: every message must be
// told the lifecycle Keep::All (--sort) tells it, also far past the window's size, with
// device times jumping about (a lifecycle every few messages), regions of earlier
// lifecycles coming back, anchors moving down and messages without one of the times.
TEST(Lifecycle, KeepingTheWindowOnlyTellsWhatKeepingAllTells) {
  EcuLifecycles all, window{EcuLifecycles::Keep::Window};
  std::uint64_t state = 88172645463325252ull;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::int64_t> boots;
  for (int k = 0; k < 200000; ++k) {
    const std::uint64_t r = next();
    std::int64_t boot;
    if (boots.empty() || r % 4 == 0) {  // a boot not seen before
      boot = kT0 + static_cast<std::int64_t>(next() % 4000000) * 1000000;
      boots.push_back(boot);
    } else {  // one seen before, near the latest mostly (regions within the window and beyond)
      const std::size_t back = (r >> 8) % 2 ? (r >> 16) % 16 : (r >> 16) % 1000;
      boot = boots[boots.size() - 1 - std::min(back, boots.size() - 1)];
    }
    const std::uint32_t device = static_cast<std::uint32_t>(next() % 100000000);
    const std::int64_t delay = static_cast<std::int64_t>(r >> 40) % 3000000;
    const bool has_time = (r >> 20) % 16 != 0, has_device = (r >> 24) % 16 != 0;
    const std::int64_t time = boot + std::int64_t{device} * 100 + delay;
    const bool may_change = (r >> 28) % 64 != 0;
    ASSERT_EQ(window.observe(has_time, time, has_device, device, may_change),
              all.observe(has_time, time, has_device, device, may_change))
        << k;
  }
  EXPECT_EQ(window.size(), all.lifecycles().size());
  EXPECT_GT(all.lifecycles().size(), 10 * EcuLifecycles::kKept);  // the ring went round
}

}  // namespace
