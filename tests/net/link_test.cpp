// Link layers and IPv4/UDP parsing of captured frames.
#include "net/link.hpp"

#include <gtest/gtest.h>

#include "aio/packet.hpp"
#include "frame_builder.hpp"
#include "net/ipv4.hpp"
#include "net/tecmp.hpp"

namespace dltdump::net {
namespace {

using tools::Frame;
namespace lt = aio::link_type;

const tools::Addresses kAddr;
const Frame kIp = tools::ipv4(kAddr, tools::udp(kAddr, Frame(20, 0xAB)));

TEST(Link, EveryLinkTypeFindsTheSameIpPacket) {
  const std::pair<std::uint16_t, Frame> cases[] = {
      {lt::kEthernet, tools::ethernet(kIp)},
      {lt::kEthernet, tools::ethernet(kIp, {0x8100})},
      {lt::kEthernet, tools::ethernet(kIp, {0x88A8, 0x8100})},  // QinQ
      {lt::kEthernet, tools::ethernet(kIp, {0x9100, 0x8100})},
      {lt::kLinuxSll, tools::sll(kIp)},
      {lt::kLinuxSll2, tools::sll2(kIp)},
      {lt::kRaw, kIp},
      {lt::kIpv4, kIp},
  };
  for (const auto& [link, frame] : cases) {
    const auto l = strip_link(link, frame);
    ASSERT_TRUE(l) << link;
    EXPECT_EQ(l->ether_type, kEtherTypeIpv4);
    EXPECT_EQ(Frame(l->payload.begin(), l->payload.end()), kIp) << link;
  }
}

TEST(Link, TooShortUnknownAndOverTaggedFramesAreRefused) {
  EXPECT_FALSE(strip_link(lt::kEthernet, Frame(13, 0)));
  EXPECT_FALSE(strip_link(lt::kEthernet, Frame{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81, 0, 0, 1}));  // tag, no type
  EXPECT_FALSE(strip_link(lt::kEthernet, tools::ethernet(kIp, {0x8100, 0x8100, 0x8100})));            // three tags
  EXPECT_FALSE(strip_link(lt::kLinuxSll, Frame(15, 0)));
  EXPECT_FALSE(strip_link(lt::kLinuxSll2, Frame(19, 0)));
  EXPECT_FALSE(strip_link(lt::kRaw, Frame{0x50, 0, 0, 0}));   // neither version 4 nor 6
  EXPECT_FALSE(strip_link(lt::kIpv4, Frame{0x60, 0, 0, 0}));  // IPv6 on the IPv4 link type
  EXPECT_FALSE(strip_link(lt::kIpv6, kIp));                   // IPv4 on the IPv6 link type
  EXPECT_FALSE(strip_link(lt::kRaw, Frame{}));
  EXPECT_FALSE(strip_link(147, kIp));  // USER0: not decoded
  const auto other = strip_link(lt::kEthernet, tools::ethernet(kIp, {}, 0x86DD));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->ether_type, 0x86DD);  // the caller decides what to do with IPv6
}

TEST(Link, RawLinksTellTheIpVersionByTheFirstNibble) {
  const Frame v6{0x60, 0, 0, 0, 0, 0, 17, 64};
  const auto raw6 = strip_link(lt::kRaw, v6);
  ASSERT_TRUE(raw6);
  EXPECT_EQ(raw6->ether_type, kEtherTypeIpv6);
  const auto ipv6 = strip_link(lt::kIpv6, v6);
  ASSERT_TRUE(ipv6);
  EXPECT_EQ(ipv6->ether_type, kEtherTypeIpv6);
  EXPECT_EQ(ipv6->payload.size(), v6.size());
  const auto raw4 = strip_link(lt::kRaw, kIp);
  ASSERT_TRUE(raw4);
  EXPECT_EQ(raw4->ether_type, kEtherTypeIpv4);
  EXPECT_TRUE(decodes_link_type(lt::kIpv6));
}

// A Linux cooked frame whose protocol field at `protocol_at` names VLAN tags: the kernel
// took them off the wire and libpcap puts them back after the header (TCI, then the type).
Frame cooked_with_tags(Frame cooked, std::size_t protocol_at, std::size_t header,
                       const std::vector<std::uint16_t>& tpids) {
  Frame tags;
  for (std::size_t i = 0; i < tpids.size(); ++i) {
    tags.insert(tags.end(), {0x00, 0x64});  // VLAN id 100
    const std::uint16_t next = i + 1 < tpids.size() ? tpids[i + 1] : 0x0800;
    tags.insert(tags.end(), {static_cast<std::uint8_t>(next >> 8), static_cast<std::uint8_t>(next)});
  }
  cooked[protocol_at] = static_cast<std::uint8_t>(tpids[0] >> 8);
  cooked[protocol_at + 1] = static_cast<std::uint8_t>(tpids[0]);
  cooked.insert(cooked.begin() + static_cast<std::ptrdiff_t>(header), tags.begin(), tags.end());
  return cooked;
}

TEST(Link, LinuxCookedFramesWithVlanTagsFindTheIpPacket) {
  const std::pair<std::uint16_t, Frame> cases[] = {
      {lt::kLinuxSll, cooked_with_tags(tools::sll(kIp), 14, 16, {0x8100})},
      {lt::kLinuxSll, cooked_with_tags(tools::sll(kIp), 14, 16, {0x88A8, 0x8100})},
      {lt::kLinuxSll2, cooked_with_tags(tools::sll2(kIp), 0, 20, {0x8100})},
      {lt::kLinuxSll2, cooked_with_tags(tools::sll2(kIp), 0, 20, {0x9100, 0x8100})},
  };
  for (const auto& [link, frame] : cases) {
    const auto l = strip_link(link, frame);
    ASSERT_TRUE(l) << link;
    EXPECT_EQ(l->ether_type, kEtherTypeIpv4);
    EXPECT_EQ(Frame(l->payload.begin(), l->payload.end()), kIp) << link;
  }
  // A third tag, or a tag cut short, is refused as on Ethernet.
  EXPECT_FALSE(strip_link(lt::kLinuxSll, cooked_with_tags(tools::sll(kIp), 14, 16, {0x8100, 0x8100, 0x8100})));
  Frame cut = cooked_with_tags(tools::sll(Frame{}), 14, 16, {0x8100});
  cut.resize(18);
  EXPECT_FALSE(strip_link(lt::kLinuxSll, cut));
}

TEST(Link, DecodedLinkTypesAreTheOnesStripped) {
  for (std::uint16_t link : {lt::kEthernet, lt::kLinuxSll, lt::kLinuxSll2, lt::kRaw, lt::kIpv4})
    EXPECT_TRUE(decodes_link_type(link));
  EXPECT_FALSE(decodes_link_type(147));
  EXPECT_FALSE(decodes_link_type(0));
}

TEST(Ipv4, AcceptsUdpAndCutsThePadding) {
  Frame padded = kIp;
  padded.insert(padded.end(), 6, 0);  // Ethernet padding after the IP packet
  const auto p = parse_ipv4_udp(padded);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->payload.size(), 8u + 20);
  EXPECT_EQ(p->source, kAddr.source);
  EXPECT_EQ(p->destination, kAddr.destination);
  EXPECT_FALSE(p->is_fragment());
  const auto u = parse_udp_header(p->payload);
  ASSERT_TRUE(u);
  EXPECT_EQ(u->destination_port, 3490);
  EXPECT_EQ(u->length, 28);
}

TEST(Ipv4, RefusesWhatIsNotAWholeUdpPacket) {
  // A datagram of a few bytes, the end of a message split over datagrams, is one (DltDump
  // ignores packets under 36 bytes: deviation Q33); one without its whole UDP header is not.
  EXPECT_TRUE(parse_ipv4_udp(tools::ipv4(kAddr, tools::udp(kAddr, Frame(3, 0)))));  // 31 bytes
  EXPECT_TRUE(parse_ipv4_udp(tools::ipv4(kAddr, tools::udp(kAddr, Frame(0, 0)))));  // 28 bytes
  EXPECT_FALSE(parse_ipv4_udp(tools::ipv4(kAddr, Frame(7, 0))));                    // 27 bytes
  EXPECT_FALSE(parse_ipv4_udp(tools::ipv4(kAddr, Frame(30, 0), 1, 0, false, 6)));   // TCP
  // A first fragment holds the UDP header; a later one, the end of a datagram, may hold 1
  // byte (deviation Q32).
  EXPECT_FALSE(parse_ipv4_udp(tools::ipv4(kAddr, Frame(7, 0), 7, 0, true)));  // 27 bytes
  const auto last = parse_ipv4_udp(tools::ipv4(kAddr, Frame(1, 0x55), 7, 1480, false));
  ASSERT_TRUE(last);  // 21 bytes
  EXPECT_EQ(last->fragment_offset, 1480u);
  EXPECT_EQ(last->payload.size(), 1u);
  EXPECT_FALSE(parse_ipv4_udp(Frame(kIp.begin(), kIp.begin() + 19)));  // not even a header
  Frame v6 = kIp;
  v6[0] = 0x65;
  EXPECT_FALSE(parse_ipv4_udp(v6));
  Frame short_header = kIp;
  short_header[0] = 0x44;  // IHL 16 bytes
  EXPECT_FALSE(parse_ipv4_udp(short_header));
  Frame long_total = kIp;
  long_total[3] = static_cast<std::uint8_t>(kIp.size() + 1);  // total length past the capture
  EXPECT_FALSE(parse_ipv4_udp(long_total));
  const auto frag = parse_ipv4_udp(tools::ipv4(kAddr, Frame(40, 1), 9, 1480, true));
  ASSERT_TRUE(frag);
  EXPECT_TRUE(frag->is_fragment());
  EXPECT_EQ(frag->fragment_offset, 1480u);
  EXPECT_EQ(frag->id, 9);
}

TEST(Tecmp, EntriesOfALogStream) {
  const Frame inner1 = tools::ethernet(kIp), inner2 = tools::ethernet(kIp, {0x8100});
  auto entries = [](const Frame& f) {
    std::vector<Frame> got;
    const auto l = strip_link(lt::kEthernet, f);
    const auto status = for_each_tecmp_entry(
        l->payload, [&](std::span<const std::uint8_t> e) { got.emplace_back(e.begin(), e.end()); });
    return std::make_pair(status, got);
  };
  auto [ok, got] = entries(tools::tecmp({inner1, inner2}));
  EXPECT_EQ(ok, TecmpStatus::Decoded);
  EXPECT_EQ(got, (std::vector<Frame>{inner1, inner2}));
  EXPECT_EQ(entries(tools::tecmp({inner1}, 2)).first, TecmpStatus::BadVersion);
  EXPECT_EQ(entries(tools::tecmp({inner1}, 3, 2)).first, TecmpStatus::NotEthernetLog);
  EXPECT_EQ(entries(tools::tecmp({inner1}, 3, 3, 0x0002)).first, TecmpStatus::NotEthernetLog);
  EXPECT_EQ(entries(tools::tecmp({inner1}, 3, 3, 0x0080, 1)).first, TecmpStatus::NotEthernetLog);  // segmented
  Frame cut = tools::tecmp({inner1, inner2});
  cut.resize(cut.size() - 3);  // the second entry is truncated: the frame ends after the first
  auto [status, first_only] = entries(cut);
  EXPECT_EQ(status, TecmpStatus::Decoded);
  EXPECT_EQ(first_only, (std::vector<Frame>{inner1}));
  EXPECT_EQ(entries(tools::ethernet(Frame(20, 0), {}, 0x99FE)).first, TecmpStatus::TooShort);
}

}  // namespace
}  // namespace dltdump::net
