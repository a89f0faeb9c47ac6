// The flow table must agree with an ordered map under any mix of inserts, lookups and
// erases, including erases in the middle of probe clusters and growth.
#include "dissect/flow_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

namespace dltdump::dissect {
namespace {

auto as_tuple(const FlowKey& k) {
  return std::make_tuple(k.interface, k.source, k.destination, k.source_port, k.destination_port, k.protocol);
}

TEST(FlowTable, AgreesWithAMapUnderRandomInsertsAndErases) {
  FlowTable<std::uint32_t> table;
  std::map<decltype(as_tuple(FlowKey{})), std::uint32_t> want;
  std::uint64_t s = 7;
  auto rnd = [&](std::uint64_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>((s >> 33) % n);
  };
  // Few distinct values per field, so that keys repeat and clusters form.
  auto key = [&] {
    return FlowKey{rnd(3),
                   net::IpAddress::v4(0x0A000000u + rnd(20)),
                   rnd(2) ? net::IpAddress::v4(0xE0000001u) : net::IpAddress{0xfd00000000000000ull, rnd(2)},
                   static_cast<std::uint16_t>(40000 + rnd(30)),
                   3490,
                   static_cast<std::uint8_t>(rnd(2) ? 6 : 17)};
  };
  for (int step = 0; step < 200000; ++step) {
    const FlowKey k = key();
    const auto it = want.find(as_tuple(k));
    std::uint32_t* found = table.find(k);
    ASSERT_EQ(found != nullptr, it != want.end()) << "step " << step;
    if (found) {
      ASSERT_EQ(*found, it->second);
    }
    // Grow to ~1000 entries, then shrink and grow again.
    const bool erasing = (step / 20000) % 2 == 1;
    if (found && (erasing ? rnd(4) != 0 : rnd(8) == 0)) {
      table.erase(k);
      want.erase(it);
    } else if (!found && (!erasing || rnd(4) == 0)) {
      const std::uint32_t v = static_cast<std::uint32_t>(step);
      table.insert(k, v);
      want.emplace(as_tuple(k), v);
    }
    ASSERT_EQ(table.size(), want.size());
  }
  std::size_t seen = 0;
  table.for_each([&](const FlowKey& k, std::uint32_t v) {
    ++seen;
    EXPECT_EQ(want.at(as_tuple(k)), v);
  });
  EXPECT_EQ(seen, want.size());
  table.clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.find(key()), nullptr);
}

}  // namespace
}  // namespace dltdump::dissect
