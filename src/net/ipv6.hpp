// IPv6 headers of captured packets: the base header and the extension headers before the
// upper-layer protocol (RFC 8200 §4).
//
// parse_ipv6 takes version 6 with a payload length of 1 or more (no jumbograms) that the
// bytes captured hold; the payload is cut to that length (Ethernet padding removed). It
// walks hop-by-hop options (0), routing (43) and destination options (60) headers, each
// (length + 1) × 8 bytes, and stops at the first other next-header value: that is the
// upper protocol (6 TCP, 17 UDP, 59 no next header, anything else unknown), and `payload`
// starts there. A fragment header (44) ends the walk too: `protocol` is then its next
// header, and `payload` the fragment's data (headers that follow it belong to the
// fragmentable part, which upper_protocol reads after reassembly). At most
// kMaxIpv6Extensions headers are walked; a header running past the payload, or more of
// them, gives nullopt. Pure and bounded over untrusted bytes; inline: it runs once per
// captured packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/ip_address.hpp"
#include "util/byte_order.hpp"

namespace dltdump::net {

inline constexpr std::size_t kIpv6HeaderBytes = 40;
inline constexpr unsigned kMaxIpv6Extensions = 8;

struct Ipv6Packet {
  IpAddress source, destination;
  std::uint8_t protocol = 0;  // the upper protocol (or the fragment header's next header)
  bool fragment = false;      // a fragment header was found
  bool more_fragments = false;
  std::uint32_t fragment_offset = 0;  // in bytes
  std::uint32_t id = 0;               // the fragment header's identification
  std::span<const std::uint8_t> payload;

  bool is_fragment() const noexcept { return fragment && (more_fragments || fragment_offset != 0); }
};

// Whether `next` is an extension header the walk steps over.
inline bool is_ipv6_option_header(std::uint8_t next) noexcept { return next == 0 || next == 43 || next == 60; }

struct UpperProtocol {
  std::uint8_t protocol = 0;
  std::size_t offset = 0;  // where its header starts in the bytes walked
};

// Steps over hop-by-hop, routing and destination options headers from `next` at the start
// of `b`: the upper protocol and where it starts, or nullopt (a header beyond `b`, or more
// than kMaxIpv6Extensions).
inline std::optional<UpperProtocol> upper_protocol(std::uint8_t next, std::span<const std::uint8_t> b) noexcept {
  std::size_t at = 0;
  for (unsigned n = 0; is_ipv6_option_header(next); ++n) {
    if (n == kMaxIpv6Extensions || b.size() - at < 8) return std::nullopt;
    const std::size_t length = (static_cast<std::size_t>(b[at + 1]) + 1) * 8;
    if (b.size() - at < length) return std::nullopt;
    next = b[at];
    at += length;
  }
  return UpperProtocol{next, at};
}

inline std::optional<Ipv6Packet> parse_ipv6(std::span<const std::uint8_t> ip) noexcept {
  if (ip.size() < kIpv6HeaderBytes || (ip[0] >> 4) != 6) return std::nullopt;
  const std::size_t length = util::load_be16(ip.data() + 4);
  if (length == 0 || length > ip.size() - kIpv6HeaderBytes) return std::nullopt;
  Ipv6Packet p;
  p.source = IpAddress::v6(ip.data() + 8);
  p.destination = IpAddress::v6(ip.data() + 24);
  std::span<const std::uint8_t> rest = ip.subspan(kIpv6HeaderBytes, length);
  const auto upper = upper_protocol(ip[6], rest);
  if (!upper) return std::nullopt;
  rest = rest.subspan(upper->offset);
  p.protocol = upper->protocol;
  if (p.protocol == 44) {  // fragment: next header, reserved, offset (13 bits) and M, id
    if (rest.size() < 8) return std::nullopt;
    p.fragment = true;
    p.protocol = rest[0];
    const std::uint16_t offset_flags = util::load_be16(rest.data() + 2);
    p.fragment_offset = static_cast<std::uint32_t>(offset_flags >> 3) * 8;
    p.more_fragments = (offset_flags & 1) != 0;
    p.id = util::load_be32(rest.data() + 4);
    rest = rest.subspan(8);
  }
  p.payload = rest;
  return p;
}

}  // namespace dltdump::net
