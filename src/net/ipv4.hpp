// IPv4 and UDP headers of captured packets (dltdump-spec §5.3 steps 4-5).
//
// parse_ipv4 accepts a packet that begins a datagram (unfragmented, or its first fragment)
// if its IP and UDP headers were captured (28 bytes); a later fragment needs only its IP
// header. DltDump ignores every packet of fewer than 36 captured bytes (20 IP + 8 UDP + 8 of
// a minimal DLT header), so a sender's datagram that carries the last few bytes of a
// message split over datagrams is lost and the message takes the next datagram's bytes
// in their place (a 3-byte datagram of ../shared/data's captures: a new user's finding);
// here it is decoded (deviation Q33; for later fragments Q32). Beyond that it must be
// version 4 with a header length of at least 20 bytes and a total length between the
// header length and the bytes captured. parse_ipv4_udp also wants UDP (protocol 17). The
// header checksum is not verified (captures of offloaded traffic have wrong ones). The
// payload is cut to the total length (Ethernet padding removed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "util/byte_order.hpp"

namespace dltdump::net {

struct Ipv4Packet {
  std::uint32_t source = 0, destination = 0;  // host order
  std::uint16_t id = 0;
  std::uint16_t checksum = 0;  // as in the header (duplicate detection)
  std::uint8_t protocol = 0;   // 6 TCP, 17 UDP
  bool more_fragments = false;
  std::uint32_t fragment_offset = 0;      // in bytes
  std::span<const std::uint8_t> payload;  // after the header, within the total length

  bool is_fragment() const noexcept { return more_fragments || fragment_offset != 0; }
};

// Inline: it runs once per captured packet.
inline std::optional<Ipv4Packet> parse_ipv4(std::span<const std::uint8_t> ip) noexcept {
  if (ip.size() < 20 || (ip[0] >> 4) != 4) return std::nullopt;
  const std::size_t header = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
  const std::size_t total = util::load_be16(ip.data() + 2);
  if (header < 20 || total < header || total > ip.size()) return std::nullopt;
  Ipv4Packet p;
  p.protocol = ip[9];
  p.id = util::load_be16(ip.data() + 4);
  const std::uint16_t flags_offset = util::load_be16(ip.data() + 6);
  p.more_fragments = (flags_offset & 0x2000) != 0;
  p.fragment_offset = static_cast<std::uint32_t>(flags_offset & 0x1FFF) * 8;
  // A packet that begins a datagram holds its UDP header (see above); a later fragment only
  // the datagram's last bytes, as few as 1.
  if (p.fragment_offset == 0 && ip.size() < 28) return std::nullopt;
  p.checksum = util::load_be16(ip.data() + 10);
  p.source = util::load_be32(ip.data() + 12);
  p.destination = util::load_be32(ip.data() + 16);
  p.payload = ip.subspan(header, total - header);
  return p;
}

inline std::optional<Ipv4Packet> parse_ipv4_udp(std::span<const std::uint8_t> ip) noexcept {
  auto p = parse_ipv4(ip);
  if (p && p->protocol != 17) return std::nullopt;
  return p;
}

struct UdpDatagram {
  std::uint16_t source_port = 0, destination_port = 0;
  std::uint16_t length = 0;  // from the header (8 + payload)
};

// The UDP header at the start of `bytes` (which holds at least 8 bytes), or nullopt.
inline std::optional<UdpDatagram> parse_udp_header(std::span<const std::uint8_t> b) noexcept {
  if (b.size() < 8) return std::nullopt;
  return UdpDatagram{util::load_be16(b.data()), util::load_be16(b.data() + 2), util::load_be16(b.data() + 4)};
}

}  // namespace dltdump::net
