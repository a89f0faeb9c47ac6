// Link layers of captured frames: where the network-layer packet starts and what it is.
//
// Ethernet (with up to two 802.1Q / 802.1ad VLAN tags: TPIDs 0x8100, 0x88A8, 0x9100),
// Linux cooked capture v1 (SLL, 16-byte header) and v2 (SLL2, 20 bytes), and raw IP
// (LINKTYPE_RAW 101 and LINKTYPE_IPV4 228, where the frame is the IP packet). Pure
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
inline constexpr std::uint16_t kEtherTypeTecmp = 0x99FE;
inline constexpr std::uint16_t kEtherTypeTecmpOld = 0x2090;

struct LinkPayload {
  std::uint16_t ether_type = 0;              // what follows (0x0800 for raw IPv4 links)
  std::span<const std::uint8_t> payload;     // the bytes after the link headers
};

inline bool is_vlan_tag(std::uint16_t tpid) noexcept { return tpid == 0x8100 || tpid == 0x88A8 || tpid == 0x9100; }

// Strips an Ethernet header and up to two VLAN tags (also used for TECMP's inner frames).
inline std::optional<LinkPayload> strip_ethernet(std::span<const std::uint8_t> f) noexcept {
  std::size_t at = 12;  // destination and source MAC
  for (int tags = 0;; ++tags) {
    if (f.size() < at + 2) return std::nullopt;
    const std::uint16_t type = util::load_be16(f.data() + at);
    if (!is_vlan_tag(type)) return LinkPayload{type, f.subspan(at + 2)};
    if (tags == 2) return std::nullopt;  // a third tag: not decoded
    at += 4;
  }
}

// Strips the link header of a frame of link type `link_type`. nullopt for a link type we
// do not decode or a frame too short for its header.
inline std::optional<LinkPayload> strip_link(std::uint16_t link_type, std::span<const std::uint8_t> f) noexcept {
  switch (link_type) {
    case aio::link_type::kEthernet:
      return strip_ethernet(f);
    case aio::link_type::kLinuxSll:  // packet type 2, ARPHRD 2, address length 2, address 8, protocol 2
      if (f.size() < 16) return std::nullopt;
      return LinkPayload{util::load_be16(f.data() + 14), f.subspan(16)};
    case aio::link_type::kLinuxSll2:  // protocol 2, reserved 2, ifindex 4, ARPHRD 2, type 1, len 1, address 8
      if (f.size() < 20) return std::nullopt;
      return LinkPayload{util::load_be16(f.data()), f.subspan(20)};
    case aio::link_type::kRaw:
    case aio::link_type::kIpv4:
      if (f.empty() || (f[0] >> 4) != 4) return std::nullopt;  // IPv6 or garbage
      return LinkPayload{kEtherTypeIpv4, f};
    default:
      return std::nullopt;
  }
}

}  // namespace dltdump::net
