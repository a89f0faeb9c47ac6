// Link layers of captured frames: where the network-layer packet starts and what it is.
//
// Ethernet, Linux cooked capture v1 (SLL, 16-byte header) and v2 (SLL2, 20 bytes), each
// with up to two 802.1Q / 802.1ad VLAN tags (TPIDs 0x8100, 0x88A8, 0x9100), and raw IP
// (LINKTYPE_RAW 101: IPv4 or IPv6 by the version nibble; LINKTYPE_IPV4 228 and
// LINKTYPE_IPV6 229, where the frame is the IP packet of that version). Pure
// functions over untrusted bytes: a frame too short for its headers gives nullopt.
// Inline: they run once per captured packet.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "aio/packet.hpp"
#include "util/byte_order.hpp"

namespace dltdump::net {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
inline constexpr std::uint16_t kEtherTypeTecmp = 0x99FE;
inline constexpr std::uint16_t kEtherTypeTecmpOld = 0x2090;

struct LinkPayload {
  std::uint16_t ether_type = 0;           // what follows (0x0800 / 0x86DD for raw IP links)
  std::span<const std::uint8_t> payload;  // the bytes after the link headers
};

inline bool is_vlan_tag(std::uint16_t tpid) noexcept { return tpid == 0x8100 || tpid == 0x88A8 || tpid == 0x9100; }

// The payload after up to two 802.1Q / 802.1ad tags, given the EtherType or protocol field
// `type` and where the bytes it describes start (`at`): a tag is its TCI and the next type.
inline std::optional<LinkPayload> strip_vlan_tags(std::uint16_t type, std::span<const std::uint8_t> f,
                                                  std::size_t at) noexcept {
  for (int tags = 0;; ++tags) {
    if (f.size() < at) return std::nullopt;
    if (!is_vlan_tag(type)) return LinkPayload{type, f.subspan(at)};
    if (tags == 2 || f.size() < at + 4) return std::nullopt;  // a third tag: not decoded
    type = util::load_be16(f.data() + at + 2);
    at += 4;
  }
}

// Strips an Ethernet header and up to two VLAN tags (also used for TECMP's inner frames).
inline std::optional<LinkPayload> strip_ethernet(std::span<const std::uint8_t> f) noexcept {
  if (f.size() < 14) return std::nullopt;  // destination and source MAC, EtherType
  return strip_vlan_tags(util::load_be16(f.data() + 12), f, 14);
}

// Whether strip_link decodes frames of `link_type`.
inline bool decodes_link_type(std::uint16_t link_type) noexcept {
  return link_type == aio::link_type::kEthernet || link_type == aio::link_type::kLinuxSll ||
         link_type == aio::link_type::kLinuxSll2 || link_type == aio::link_type::kRaw ||
         link_type == aio::link_type::kIpv4 || link_type == aio::link_type::kIpv6;
}

// Strips the link header of a frame of link type `link_type`. nullopt for a link type we
// do not decode or a frame too short for its header. Linux cooked captures carry a VLAN
// tag the kernel took off as protocol 0x8100 followed by the tag's TCI and the real protocol.
inline std::optional<LinkPayload> strip_link(std::uint16_t link_type, std::span<const std::uint8_t> f) noexcept {
  switch (link_type) {
    case aio::link_type::kEthernet: return strip_ethernet(f);
    case aio::link_type::kLinuxSll:  // packet type 2, ARPHRD 2, address length 2, address 8, protocol 2
      if (f.size() < 16) return std::nullopt;
      return strip_vlan_tags(util::load_be16(f.data() + 14), f, 16);
    case aio::link_type::kLinuxSll2:  // protocol 2, reserved 2, ifindex 4, ARPHRD 2, type 1, len 1, address 8
      if (f.size() < 20) return std::nullopt;
      return strip_vlan_tags(util::load_be16(f.data()), f, 20);
    case aio::link_type::kRaw:
      if (f.empty()) return std::nullopt;
      if ((f[0] >> 4) == 4) return LinkPayload{kEtherTypeIpv4, f};
      if ((f[0] >> 4) == 6) return LinkPayload{kEtherTypeIpv6, f};
      return std::nullopt;  // garbage
    case aio::link_type::kIpv4:
      if (f.empty() || (f[0] >> 4) != 4) return std::nullopt;
      return LinkPayload{kEtherTypeIpv4, f};
    case aio::link_type::kIpv6:
      if (f.empty() || (f[0] >> 4) != 6) return std::nullopt;
      return LinkPayload{kEtherTypeIpv6, f};
    default: return std::nullopt;
  }
}

}  // namespace dltdump::net
