#include "net/udp_frame.hpp"

#include <cstring>

#include "util/byte_order.hpp"

namespace dltdump::net {

std::uint16_t ipv4_header_checksum(const std::uint8_t* header) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < kIpv4HeaderBytes; i += 2) sum += util::load_be16(header + i);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

void write_ipv4_udp_headers(std::uint8_t* ip, const UdpEndpoints& e, std::size_t payload_size, std::uint16_t ip_id) {
  ip[0] = 0x45;  // version 4, 20-byte header
  ip[1] = 0;
  util::store(ip + 2, static_cast<std::uint16_t>(kIpv4HeaderBytes + kUdpHeaderBytes + payload_size), true);
  util::store(ip + 4, ip_id, true);
  util::store<std::uint16_t>(ip + 6, 0x4000, true);  // don't fragment
  ip[8] = 64;                                        // TTL
  ip[9] = 17;                                        // UDP
  util::store<std::uint16_t>(ip + 10, 0, true);
  util::store(ip + 12, e.source_ip, true);
  util::store(ip + 16, e.destination_ip, true);
  util::store(ip + 10, ipv4_header_checksum(ip), true);

  std::uint8_t* udp = ip + kIpv4HeaderBytes;
  util::store(udp, e.source_port, true);
  util::store(udp + 2, e.destination_port, true);
  util::store(udp + 4, static_cast<std::uint16_t>(kUdpHeaderBytes + payload_size), true);
  util::store<std::uint16_t>(udp + 6, 0, true);
}

std::size_t write_udp_frame(std::uint8_t* out, const UdpEndpoints& e, std::span<const std::uint8_t> payload,
                            std::uint16_t ip_id) {
  std::memcpy(out, e.destination_mac, 6);
  std::memcpy(out + 6, e.source_mac, 6);
  util::store<std::uint16_t>(out + 12, 0x0800, true);
  write_ipv4_udp_headers(out + kEthernetHeaderBytes, e, payload.size(), ip_id);
  if (!payload.empty()) std::memcpy(out + kUdpFrameHeaderBytes, payload.data(), payload.size());

  std::size_t n = kUdpFrameHeaderBytes + payload.size();
  if (n < kMinEthernetFrame) {
    std::memset(out + n, 0, kMinEthernetFrame - n);
    n = kMinEthernetFrame;
  }
  return n;
}

}  // namespace dltdump::net
