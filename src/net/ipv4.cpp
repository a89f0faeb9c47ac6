#include "net/ipv4.hpp"

#include "util/byte_order.hpp"

namespace dltdump::net {

std::optional<Ipv4Packet> parse_ipv4_udp(std::span<const std::uint8_t> ip, std::size_t min_size) noexcept {
  if (ip.size() < min_size || ip.size() < 28 || (ip[0] >> 4) != 4) return std::nullopt;  // see the header
  const std::size_t header = static_cast<std::size_t>(ip[0] & 0x0F) * 4;
  const std::size_t total = util::load_be16(ip.data() + 2);
  if (header < 20 || total < header || total > ip.size() || ip[9] != 17) return std::nullopt;
  Ipv4Packet p;
  p.id = util::load_be16(ip.data() + 4);
  const std::uint16_t flags_offset = util::load_be16(ip.data() + 6);
  p.more_fragments = (flags_offset & 0x2000) != 0;
  p.fragment_offset = static_cast<std::uint32_t>(flags_offset & 0x1FFF) * 8;
  p.checksum = util::load_be16(ip.data() + 10);
  p.source = util::load_be32(ip.data() + 12);
  p.destination = util::load_be32(ip.data() + 16);
  p.payload = ip.subspan(header, total - header);
  return p;
}

std::optional<UdpDatagram> parse_udp_header(std::span<const std::uint8_t> b) noexcept {
  if (b.size() < 8) return std::nullopt;
  return UdpDatagram{util::load_be16(b.data()), util::load_be16(b.data() + 2), util::load_be16(b.data() + 4)};
}

}  // namespace dltdump::net
