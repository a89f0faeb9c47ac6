// IPv6 headers: the base header, extension headers, fragments and their reassembly.
#include "net/ipv6.hpp"

#include <gtest/gtest.h>

#include "frame_builder.hpp"
#include "net/ip_reassembly.hpp"
#include "net/tcp.hpp"

namespace dltdump::net {
namespace {

using tools::Frame;

const tools::Addresses kAddr;

Frame bytes(std::size_t n, std::uint8_t seed = 1) {
  Frame f(n);
  for (std::size_t i = 0; i < n; ++i) f[i] = static_cast<std::uint8_t>(i * 7 + seed);
  return f;
}

TEST(Ipv6, BaseHeaderGivesAddressesProtocolAndPayload) {
  const Frame udp = tools::udp(kAddr, bytes(20));
  Frame ip = tools::ipv6(udp, 17);
  ip.resize(ip.size() + 6, 0);  // Ethernet padding
  const auto p = parse_ipv6(ip);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->protocol, 17);
  EXPECT_FALSE(p->is_fragment());
  EXPECT_EQ(Frame(p->payload.begin(), p->payload.end()), udp);
  EXPECT_EQ(p->source.low & 0xFF, 0x0Bu);
  EXPECT_EQ(p->destination.high, 0xfd00000000000000ull);
  EXPECT_FALSE(p->source.is_v4());
  EXPECT_TRUE(IpAddress::v4(0x0A00000B).is_v4());
  EXPECT_NE(IpAddress::v4(0x0A00000B), p->source);
}

TEST(Ipv6, ExtensionHeadersAreSteppedOver) {
  const Frame segment = tools::tcp(kAddr, 77, 0, bytes(30), true);
  Frame headers = tools::ipv6_option_header(43);            // hop-by-hop → routing
  const Frame routing = tools::ipv6_option_header(60, 16);  // routing → destination options
  const Frame dest = tools::ipv6_option_header(6, 8);       // → TCP
  headers.insert(headers.end(), routing.begin(), routing.end());
  headers.insert(headers.end(), dest.begin(), dest.end());
  const Frame packet = tools::ipv6(segment, 0, headers);  // the parse's spans point into it
  const auto p = parse_ipv6(packet);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->protocol, 6);
  EXPECT_EQ(Frame(p->payload.begin(), p->payload.end()), segment);
  const auto tcp = parse_tcp(p->payload);
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->seq, 77u);
  EXPECT_EQ(tcp->destination_port, 3490);
  EXPECT_EQ(Frame(tcp->payload.begin(), tcp->payload.end()), bytes(30));  // the options skipped
}

TEST(Ipv6, UnknownOrNoNextHeaderStopsTheWalk) {
  const auto none = parse_ipv6(tools::ipv6(bytes(8), 59));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->protocol, 59);
  const Frame esp_packet = tools::ipv6(bytes(16), 60, tools::ipv6_option_header(50));
  const auto esp = parse_ipv6(esp_packet);
  ASSERT_TRUE(esp);
  EXPECT_EQ(esp->protocol, 50);
  EXPECT_EQ(esp->payload.size(), 16u);
}

TEST(Ipv6, MalformedPacketsAreRefused) {
  Frame ip = tools::ipv6(bytes(16), 17);
  EXPECT_FALSE(parse_ipv6(Frame(ip.begin(), ip.begin() + 39)));  // short of the base header
  Frame v4 = ip;
  v4[0] = 0x45;
  EXPECT_FALSE(parse_ipv6(v4));
  Frame long_length = ip;
  long_length[5] = 17;  // one byte more than captured
  EXPECT_FALSE(parse_ipv6(long_length));
  Frame jumbo = ip;
  jumbo[4] = jumbo[5] = 0;
  EXPECT_FALSE(parse_ipv6(jumbo));
  // an extension header longer than the payload
  Frame overlong = tools::ipv6(Frame{}, 0, tools::ipv6_option_header(17));
  overlong[41] = 3;  // says 32 bytes, 8 there
  EXPECT_FALSE(parse_ipv6(overlong));
  // more extension headers than walked
  Frame chain;
  for (int i = 0; i < 9; ++i) {
    const Frame h = tools::ipv6_option_header(i == 8 ? 17 : 60);
    chain.insert(chain.end(), h.begin(), h.end());
  }
  EXPECT_FALSE(parse_ipv6(tools::ipv6(bytes(8), 60, chain)));
  // a fragment header cut short
  EXPECT_FALSE(parse_ipv6(tools::ipv6(Frame{17, 0, 0, 0}, 44)));
}

TEST(Ipv6, FragmentsAreReassembledAfterExtensionHeaders) {
  const Frame datagram = tools::udp(kAddr, bytes(3000, 3));
  const auto frags = tools::fragments6(datagram, 17, 1232, 0xABCDEF01, 0, tools::ipv6_option_header(44));
  ASSERT_EQ(frags.size(), 3u);
  IpReassembly r;
  const IpReassembly::Datagram* done = nullptr;
  for (const std::size_t i : {2u, 0u, 1u}) {
    const auto p = parse_ipv6(frags[i]);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->is_fragment());
    EXPECT_EQ(p->protocol, 17);
    EXPECT_EQ(p->id, 0xABCDEF01u);
    done = r.add(0, *p, 100 * i, static_cast<std::int64_t>(i));
  }
  ASSERT_NE(done, nullptr);
  Frame joined;
  for (const auto& piece : done->pieces) joined.insert(joined.end(), piece.bytes.begin(), piece.bytes.end());
  EXPECT_EQ(joined, datagram);
  EXPECT_EQ(done->time_ns, 0);
}

TEST(Ipv6, FragmentsOfBothVersionsNeverMix) {
  // The same id and payloads as IPv4 and IPv6 fragments: separate sets.
  const Frame datagram = tools::udp(kAddr, bytes(2000));
  const auto v4 = tools::fragments(kAddr, datagram, 1008, 9);
  const auto v6 = tools::fragments6(datagram, 17, 1008, 9);
  ASSERT_EQ(v4.size(), 2u);
  IpReassembly r;
  EXPECT_EQ(r.add(0, *parse_ipv4(v4[0]), 0, 0), nullptr);
  EXPECT_EQ(r.add(0, *parse_ipv6(v6[1]), 0, 0), nullptr);
  EXPECT_EQ(r.open_sets(), 2u);
  EXPECT_NE(r.add(0, *parse_ipv6(v6[0]), 0, 0), nullptr);
  EXPECT_NE(r.add(0, *parse_ipv4(v4[1]), 0, 0), nullptr);
  EXPECT_EQ(r.stats().completed, 2u);
}

TEST(Tcp, HeadersAreCheckedAgainstTheBytes) {
  const Frame seg = tools::tcp(kAddr, 0xFFFFFFFF, TcpSegment::kSyn | TcpSegment::kFin, bytes(5));
  const auto t = parse_tcp(seg);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->seq, 0xFFFFFFFFu);
  EXPECT_TRUE(t->syn());
  EXPECT_TRUE(t->fin());
  EXPECT_FALSE(t->rst());
  EXPECT_EQ(t->source_port, 50000);
  EXPECT_EQ(t->payload.size(), 5u);
  EXPECT_FALSE(parse_tcp(Frame(seg.begin(), seg.begin() + 19)));
  Frame bad = seg;
  bad[12] = 0x40;  // data offset 4 words
  EXPECT_FALSE(parse_tcp(bad));
  bad[12] = 0xF0;  // 60 bytes, more than there are
  EXPECT_FALSE(parse_tcp(bad));
}

}  // namespace
}  // namespace dltdump::net
