// IPv4 and UDP headers of captured packets (dltdump-spec §5.3 steps 4-5).
//
// parse_ipv4_udp accepts a packet only if at least 36 bytes were captured from the IP
// header on (20 IP + 8 UDP + 8 of a minimal DLT header). This is DltDump's rule and it
// applies to fragments too: the message counts of other tools' captures depend on it (a
// 3-byte datagram and a short fragment in ../shared/data are dropped that way).
// Beyond that it must be version 4 with a header length of at least 20 bytes and a total
// length between the header length and the bytes captured, and it must carry UDP
// (protocol 17). The header checksum is not verified (captures of offloaded traffic have
// wrong ones). The payload is cut to the total length (Ethernet padding removed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace dltdump::net {

struct Ipv4Packet {
  std::uint32_t source = 0, destination = 0;  // host order
  std::uint16_t id = 0;
  std::uint16_t checksum = 0;                 // as in the header (duplicate detection)
  bool more_fragments = false;
  std::uint32_t fragment_offset = 0;          // in bytes
  std::span<const std::uint8_t> payload;      // after the header, within the total length

  bool is_fragment() const noexcept { return more_fragments || fragment_offset != 0; }
};

// DltDump's minimum for captured packets (see above).
inline constexpr std::size_t kMinCapturedIpv4Udp = 36;

// `min_size`: the bytes required from the IP header on; live UDP, whose datagrams DltDump
// feeds to its decoders whatever their size, passes 28 (the IP and UDP headers).
std::optional<Ipv4Packet> parse_ipv4_udp(std::span<const std::uint8_t> ip,
                                         std::size_t min_size = kMinCapturedIpv4Udp) noexcept;

struct UdpDatagram {
  std::uint16_t source_port = 0, destination_port = 0;
  std::uint16_t length = 0;                  // from the header (8 + payload)
};

// The UDP header at the start of `bytes` (which holds at least 8 bytes), or nullopt.
std::optional<UdpDatagram> parse_udp_header(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace dltdump::net
