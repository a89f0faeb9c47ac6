// IPv4 fragment reassembly: the rules of dltdump-spec §5.4 and the memory bounds.
#include "net/ip_reassembly.hpp"

#include <gtest/gtest.h>

#include "frame_builder.hpp"

namespace dltdump::net {
namespace {

using tools::Frame;

const tools::Addresses kAddr;
constexpr std::int64_t kSecond = 1'000'000'000;

Frame datagram(std::size_t n) {
  Frame payload(n);
  for (std::size_t i = 0; i < n; ++i) payload[i] = static_cast<std::uint8_t>(i * 13);
  return tools::udp(kAddr, payload);
}

Ipv4Packet parsed(const Frame& ip) {
  const auto p = parse_ipv4_udp(ip);
  EXPECT_TRUE(p) << "not an IPv4/UDP packet of ≥ 36 bytes";
  return p ? *p : Ipv4Packet{};
}

Frame joined(const IpReassembly::Datagram& d) {
  Frame out;
  for (const auto& p : d.pieces) out.insert(out.end(), p.bytes.begin(), p.bytes.end());
  return out;
}

TEST(IpReassembly, AnyOrderCompletesWithTheFirstFragmentsTime) {
  const Frame d = datagram(3000);
  const auto frags = tools::fragments(kAddr, d, 1480, 77);
  ASSERT_EQ(frags.size(), 3u);
  IpReassembly r;
  EXPECT_EQ(r.add(0, parsed(frags[2]), 3000, 30), nullptr);  // last first, as Linux sends
  EXPECT_EQ(r.add(0, parsed(frags[0]), 1000, 10), nullptr);
  const auto* done = r.add(0, parsed(frags[1]), 2000, 20);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(joined(*done), d);
  EXPECT_EQ(done->time_ns, 10);
  EXPECT_EQ(done->pieces[0].offset, 1000u);
  EXPECT_EQ(done->pieces[2].offset, 3000u);
  EXPECT_EQ(r.stats().completed, 1u);
  EXPECT_EQ(r.open_sets(), 0u);
  EXPECT_EQ(r.bytes_held(), 0u);
}

TEST(IpReassembly, DuplicatesAreIgnoredFirstCopyWins) {
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  IpReassembly r;
  EXPECT_EQ(r.add(0, parsed(frags[0]), 1, 0), nullptr);
  EXPECT_EQ(r.add(0, parsed(frags[0]), 99, 0), nullptr);
  EXPECT_EQ(r.add(0, parsed(frags[2]), 3, 0), nullptr);
  EXPECT_EQ(r.add(0, parsed(frags[2]), 98, 0), nullptr);  // a duplicated last fragment
  const auto* done = r.add(0, parsed(frags[1]), 2, 0);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(done->pieces[0].offset, 1u);
  EXPECT_EQ(r.stats().duplicates, 2u);
  EXPECT_EQ(r.stats().discarded_sets, 0u);
}

TEST(IpReassembly, OverlapsAndConflictingLastsStartANewSet) {
  const Frame d = datagram(2100);
  const auto frags = tools::fragments(kAddr, d, 1000, 5);
  IpReassembly r;
  r.add(0, parsed(frags[1]), 0, 0);
  // An overlapping fragment (offset 1000, 16 bytes, not identical): the set is discarded
  // and the fragment starts a new one.
  r.add(0, parsed(tools::ipv4(kAddr, Frame(16, 1), 5, 1000, true)), 0, 0);
  EXPECT_EQ(r.stats().discarded_sets, 1u);
  // A second, different last fragment: discarded again, retried as a new set.
  r.add(0, parsed(tools::ipv4(kAddr, Frame(16, 2), 5, 2000, false)), 0, 0);
  r.add(0, parsed(tools::ipv4(kAddr, Frame(24, 3), 5, 2000, false)), 0, 0);
  EXPECT_EQ(r.stats().discarded_sets, 2u);
  // A fragment beyond the last one.
  r.add(0, parsed(tools::ipv4(kAddr, Frame(16, 4), 5, 4000, true)), 0, 0);
  EXPECT_EQ(r.stats().discarded_sets, 3u);
  // After all that, a clean set completes.
  IpReassembly fresh;
  for (std::size_t i = 0; i + 1 < frags.size(); ++i) fresh.add(0, parsed(frags[i]), 0, 0);
  EXPECT_NE(fresh.add(0, parsed(frags.back()), 0, 0), nullptr);
}

TEST(IpReassembly, FifteenSecondsWithoutAFragmentStartOver) {
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  IpReassembly r;
  r.add(0, parsed(frags[0]), 0, 0);
  r.add(0, parsed(frags[1]), 0, 15 * kSecond);  // exactly 15 s: still accepted
  EXPECT_EQ(r.stats().discarded_sets, 0u);
  EXPECT_EQ(r.add(0, parsed(frags[2]), 0, 30 * kSecond + 1), nullptr);  // 15 s + 1 ns later
  EXPECT_EQ(r.stats().discarded_sets, 1u);
  EXPECT_EQ(r.open_sets(), 1u);
  r.finish();
  EXPECT_EQ(r.stats().incomplete_at_end, 1u);
}

TEST(IpReassembly, KeysSeparateInterfacesSourcesAndIds) {
  const Frame d = datagram(2100);
  tools::Addresses other = kAddr;
  other.source = 0x0A00000C;
  const auto a = tools::fragments(kAddr, d, 1000, 5), b = tools::fragments(other, d, 1000, 5),
             c = tools::fragments(kAddr, d, 1000, 6);
  IpReassembly r;
  int completed = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {  // interleaved
    completed += r.add(0, parsed(a[i]), 0, 0) != nullptr;
    completed += r.add(0, parsed(b[i]), 0, 0) != nullptr;
    completed += r.add(0, parsed(c[i]), 0, 0) != nullptr;
    completed += r.add(1, parsed(a[i]), 0, 0) != nullptr;  // another interface
  }
  EXPECT_EQ(completed, 4);
}

TEST(IpReassembly, MemoryIsBoundedAndDropsAreCounted) {
  IpReassembly::Limits limits;
  limits.max_sets = 10;
  limits.max_bytes = 100000;
  IpReassembly r(limits);
  for (std::uint16_t id = 0; id < 1000; ++id)
    r.add(0, parsed(tools::ipv4(kAddr, Frame(1000, 1), id, 0, true)), 0, 0);  // first fragments only
  EXPECT_LE(r.open_sets(), 10u);
  EXPECT_EQ(r.stats().dropped_sets, 990u);
  IpReassembly small({100, 4000, 15 * kSecond});
  for (std::uint16_t id = 0; id < 50; ++id) small.add(0, parsed(tools::ipv4(kAddr, Frame(1000, 1), id, 0, true)), 0, 0);
  EXPECT_LE(small.bytes_held(), 4000u);
  EXPECT_EQ(small.stats().dropped_sets, 46u);
}

}  // namespace
}  // namespace dltdump::net
