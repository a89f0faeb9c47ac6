// TCP headers of captured segments (RFC 9293 §3.1).
//
// parse_tcp takes the IP payload of a segment: at least 20 bytes, a data offset of 5..15
// words that the bytes hold. Options are skipped, the checksum is not verified (captures
// of offloaded traffic have wrong ones); the payload is what follows the header up to the
// end of the IP payload. Pure and bounded over untrusted bytes; inline: it runs once per
// captured packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "util/byte_order.hpp"

namespace dltdump::net {

inline constexpr std::uint8_t kIpProtocolTcp = 6;
inline constexpr std::uint8_t kIpProtocolUdp = 17;

struct TcpSegment {
  static constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;
  std::uint16_t source_port = 0, destination_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;  // the acknowledgment number (meaningful with kAck)
  std::uint8_t flags = 0;
  std::span<const std::uint8_t> payload;

  bool fin() const noexcept { return (flags & kFin) != 0; }
  bool syn() const noexcept { return (flags & kSyn) != 0; }
  bool rst() const noexcept { return (flags & kRst) != 0; }
  bool acks() const noexcept { return (flags & kAck) != 0; }
};

inline std::optional<TcpSegment> parse_tcp(std::span<const std::uint8_t> b) noexcept {
  if (b.size() < 20) return std::nullopt;
  const std::size_t header = static_cast<std::size_t>(b[12] >> 4) * 4;
  if (header < 20 || header > b.size()) return std::nullopt;
  TcpSegment s;
  s.source_port = util::load_be16(b.data());
  s.destination_port = util::load_be16(b.data() + 2);
  s.seq = util::load_be32(b.data() + 4);
  s.ack = util::load_be32(b.data() + 8);
  s.flags = b[13];
  s.payload = b.subspan(header);
  return s;
}

}  // namespace dltdump::net
