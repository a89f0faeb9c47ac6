// Link layers of captured frames: where the network-layer packet starts and what it is.
//
// Ethernet (with up to two 802.1Q / 802.1ad VLAN tags: TPIDs 0x8100, 0x88A8, 0x9100),
// Linux cooked capture v1 (SLL, 16-byte header) and v2 (SLL2, 20 bytes), and raw IP
// (LINKTYPE_RAW 101 and LINKTYPE_IPV4 228, where the frame is the IP packet). Pure
// functions over untrusted bytes: a frame too short for its headers gives nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace dltdump::net {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeTecmp = 0x99FE;
inline constexpr std::uint16_t kEtherTypeTecmpOld = 0x2090;

struct LinkPayload {
  std::uint16_t ether_type = 0;              // what follows (0x0800 for raw IPv4 links)
  std::span<const std::uint8_t> payload;     // the bytes after the link headers
};

// Strips the link header of a frame of link type `link_type`. nullopt for a link type we
// do not decode or a frame too short for its header.
std::optional<LinkPayload> strip_link(std::uint16_t link_type, std::span<const std::uint8_t> frame) noexcept;

// Strips an Ethernet header and up to two VLAN tags (also used for TECMP's inner frames).
std::optional<LinkPayload> strip_ethernet(std::span<const std::uint8_t> frame) noexcept;

}  // namespace dltdump::net
