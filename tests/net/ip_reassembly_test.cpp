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

// A fragment of no bytes where a piece begins (fuzz_ipv6 found one after the piece): it
// goes before, so that the completed datagram's pieces tile it in order.
TEST(IpReassembly, AFragmentOfNoBytesKeepsThePiecesInOrder) {
  const Frame d = datagram(3000);
  const auto frags = tools::fragments(kAddr, d, 1480, 78);
  ASSERT_EQ(frags.size(), 3u);
  Ipv4Packet empty = parsed(frags[1]);
  empty.payload = empty.payload.first(0);  // at 1480, more fragments follow
  IpReassembly r;
  EXPECT_EQ(r.add(0, parsed(frags[1]), 2000, 0), nullptr);
  EXPECT_EQ(r.add(0, empty, 2500, 0), nullptr);
  EXPECT_EQ(r.add(0, parsed(frags[2]), 3000, 0), nullptr);
  const auto* done = r.add(0, parsed(frags[0]), 1000, 0);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(joined(*done), d);
  std::uint32_t covered = 0;
  for (const auto& p : done->pieces) {
    EXPECT_EQ(p.ip_offset, covered);
    covered += static_cast<std::uint32_t>(p.bytes.size());
  }
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

TEST(IpReassembly, DuplicatesOfACompletedDatagramAreIgnored) {
  // A mirror port on two VLANs records each frame twice: copies of the last fragments come
  // after the datagram completed.
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  ASSERT_EQ(frags.size(), 3u);
  IpReassembly r;
  int completed = 0;
  std::uint64_t offset = 0;
  for (const Frame& f : frags) {
    completed += r.add(0, parsed(f), offset += 100, 0) != nullptr;
    completed += r.add(0, parsed(f), offset += 100, 0) != nullptr;
  }
  for (const Frame& f : frags) completed += r.add(0, parsed(f), offset += 100, 0) != nullptr;  // all again
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(r.stats().duplicates, 6u);
  EXPECT_EQ(r.open_sets(), 0u);
  r.finish();
  EXPECT_EQ(r.stats().incomplete_at_end, 0u);
}

TEST(IpReassembly, ACompletedDatagramIsForgottenPastTheWindowOrWhenItsIdComesAgain) {
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  IpReassembly::Limits limits;
  limits.finished_window = 1000;
  auto complete = [&](IpReassembly& r, std::uint64_t offset) {
    const IpReassembly::Datagram* done = nullptr;
    for (const Frame& f : frags) done = r.add(0, parsed(f), offset, 0);
    return done != nullptr;
  };
  IpReassembly r(limits);
  ASSERT_TRUE(complete(r, 100));
  EXPECT_EQ(r.finished_states().size(), 1u);
  r.pass(1099);
  EXPECT_EQ(r.finished_states().size(), 1u);
  EXPECT_FALSE(complete(r, 1099));  // still duplicates
  r.pass(1100);                     // 1000 bytes past the fragment that completed it
  EXPECT_TRUE(r.finished_states().empty());
  EXPECT_TRUE(complete(r, 1100));  // the same datagram again: complete again
  // The id again with other fragments (a new datagram): no duplicate, a set of its own.
  const auto other = tools::fragments(kAddr, datagram(3000), 1480, 5);
  const IpReassembly::Datagram* done = nullptr;
  for (const Frame& f : other) done = r.add(0, parsed(f), 1200, 0);
  ASSERT_NE(done, nullptr);
  EXPECT_EQ(joined(*done), datagram(3000));
  EXPECT_EQ(r.stats().completed, 3u);
  EXPECT_EQ(r.stats().duplicates, 3u);
}

TEST(IpReassembly, AnIdUsedAgainForOtherBytesOrAfterASecondIsANewDatagram) {
  // An embedded stack that counts ids from 0 at each boot, or never counts: the same id
  // and fragment layout, other bytes — or the same bytes, seconds later.
  auto payload = [](std::uint8_t seed) {
    Frame p(2100);
    for (std::size_t i = 0; i < p.size(); ++i) p[i] = static_cast<std::uint8_t>(i * 13 + seed);
    return tools::udp(kAddr, p);
  };
  const auto a = tools::fragments(kAddr, payload(0), 1000, 5), b = tools::fragments(kAddr, payload(1), 1000, 5);
  IpReassembly r;
  int completed = 0;
  for (const Frame& f : a) completed += r.add(0, parsed(f), 100, 0) != nullptr;
  for (const Frame& f : b) completed += r.add(0, parsed(f), 200, 1000) != nullptr;         // other bytes, 1 µs later
  for (const Frame& f : b) completed += r.add(0, parsed(f), 300, 2000) != nullptr;         // copies: ignored
  for (const Frame& f : b) completed += r.add(0, parsed(f), 400, 2 * kSecond) != nullptr;  // the same, 2 s later
  EXPECT_EQ(completed, 3);
  EXPECT_EQ(r.stats().duplicates, 3u);
  EXPECT_EQ(r.open_sets(), 0u);
}

TEST(IpReassembly, ACopyRoutedOnceMoreIsADuplicateToo) {
  // A mirror port sees a routed frame on both VLANs: the copy's TTL is one lower, so its
  // header checksum differs; its bytes do not.
  auto routed = [](Frame f) {
    f[8] = static_cast<std::uint8_t>(f[8] - 1);
    f[10] ^= 0x01;
    return f;
  };
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  IpReassembly r;
  int completed = 0;
  for (const Frame& f : frags) {  // each followed by its copy
    completed += r.add(0, parsed(f), 100, 0) != nullptr;
    completed += r.add(0, parsed(routed(f)), 200, 10) != nullptr;
  }
  for (const Frame& f : frags) completed += r.add(0, parsed(routed(f)), 300, 20) != nullptr;  // all again, after
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(r.stats().duplicates, 6u);
  EXPECT_EQ(r.stats().discarded_sets, 0u);
  // A fragment at the same place with the same checksum but other bytes: the first copy
  // wins, as spec §5.4 says.
  IpReassembly first;
  Frame other = frags[0];
  other[other.size() - 1] ^= 0xFF;
  first.add(0, parsed(frags[0]), 0, 0);
  first.add(0, parsed(other), 0, 0);
  EXPECT_EQ(first.stats().duplicates, 1u);
}

TEST(IpReassembly, RememberedDatagramsAreBounded) {
  IpReassembly::Limits limits;
  limits.max_finished = 4;
  IpReassembly r(limits);
  for (std::uint16_t id = 0; id < 100; ++id)
    for (const Frame& f : tools::fragments(kAddr, datagram(2100), 1000, id)) r.add(0, parsed(f), id, 0);
  EXPECT_EQ(r.stats().completed, 100u);
  EXPECT_EQ(r.finished_states().size(), 4u);
  for (const Frame& f : tools::fragments(kAddr, datagram(2100), 1000, 99)) r.add(0, parsed(f), 200, 0);
  EXPECT_EQ(r.stats().duplicates, 3u);  // the newest is remembered
}

TEST(IpReassembly, ANewReassemblyContinuesAnotherUnlessItTookADuplicateAsNew) {
  // A capture decoded in pieces: `after` decodes what follows where `before` stands.
  const auto frags = tools::fragments(kAddr, datagram(2100), 1000, 5);
  const auto other = tools::fragments(kAddr, datagram(2100), 1000, 6);
  IpReassembly before;
  for (const Frame& f : frags) before.add(0, parsed(f), 1000, 0);
  ASSERT_EQ(before.stats().completed, 1u);
  IpReassembly unrelated, duplicate, late;
  unrelated.add(0, parsed(other[0]), 2000, 0);
  EXPECT_TRUE(unrelated.continues(before));
  duplicate.add(0, parsed(other[0]), 2000, 0);
  duplicate.add(0, parsed(frags[2]), 2100, 0);  // `before` ignores it; a new reassembly opens a set
  EXPECT_FALSE(duplicate.continues(before));
  late.add(0, parsed(frags[2]), 1000 + (256u << 10), 0);  // `before` forgot the datagram there
  EXPECT_TRUE(late.continues(before));
  // One that remembers so many datagrams that `before` would have had to forget some of
  // its own for the limit does not continue it.
  IpReassembly::Limits limits;
  limits.max_finished = 3;
  IpReassembly small_before(limits), one(limits), two(limits);
  for (std::uint16_t id = 10; id < 12; ++id)
    for (const Frame& f : tools::fragments(kAddr, datagram(2100), 1000, id)) small_before.add(0, parsed(f), id, 0);
  for (std::uint16_t id = 20; id < 22; ++id)
    for (const Frame& f : tools::fragments(kAddr, datagram(2100), 1000, id)) {
      if (id == 20) one.add(0, parsed(f), 100 + id, 0);
      two.add(0, parsed(f), 100 + id, 0);
    }
  EXPECT_TRUE(one.continues(small_before));   // 2 remembered when it completed one: within 3
  EXPECT_FALSE(two.continues(small_before));  // 3 when it completed the second: one forgotten
  // Two reassemblies of the same fragments remember alike.
  IpReassembly again;
  for (const Frame& f : frags) again.add(0, parsed(f), 1000, 0);
  EXPECT_EQ(again.finished_states(), before.finished_states());
}

}  // namespace
}  // namespace dltdump::net
