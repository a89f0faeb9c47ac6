// Builds Ethernet frames that carry one UDP/IPv4 datagram, for outputs that write packets
// (PCAP-NG output), without allocation: the frame is written into a buffer the caller owns.
//
// IPv4 header checksums are valid; the UDP checksum is 0 (none, allowed for IPv4); frames
// shorter than Ethernet's 60-byte minimum are padded with zeros, as on the wire (and as
// readers that drop runt IP packets expect).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dltdump::net {

struct UdpEndpoints {
  std::uint8_t source_mac[6] = {0x02, 0, 0x0A, 0, 0, 1};
  std::uint8_t destination_mac[6] = {0x01, 0x00, 0x5E, 0x7F, 0x2A, 0x63};
  std::uint32_t source_ip = 0x0A000001;       // host order: 10.0.0.1
  std::uint32_t destination_ip = 0xEFFF2A63;  // 239.255.42.99 (its MAC above)
  std::uint16_t source_port = 3490, destination_port = 3490;
};

inline constexpr std::size_t kEthernetHeaderBytes = 14;
inline constexpr std::size_t kIpv4HeaderBytes = 20;
inline constexpr std::size_t kUdpHeaderBytes = 8;
inline constexpr std::size_t kUdpFrameHeaderBytes = kEthernetHeaderBytes + kIpv4HeaderBytes + kUdpHeaderBytes;
inline constexpr std::size_t kMinEthernetFrame = 60;  // without the frame check sequence
// The largest UDP payload one IPv4 packet carries.
inline constexpr std::size_t kMaxIpv4PacketBytes = 65535;  // the total length is 16 bits
inline constexpr std::size_t kMaxUdpPayloadBytes = kMaxIpv4PacketBytes - kIpv4HeaderBytes - kUdpHeaderBytes;
// Room a frame buffer needs.
inline constexpr std::size_t kMaxUdpFrameBytes = kUdpFrameHeaderBytes + kMaxUdpPayloadBytes;

// The one's-complement checksum of a 20-byte IPv4 header (its checksum field taken as is:
// zero when computing, so that a valid header sums to 0).
std::uint16_t ipv4_header_checksum(const std::uint8_t* header);

// Writes the IPv4 and UDP headers (kIpv4HeaderBytes + kUdpHeaderBytes) of a datagram of
// `payload_size` (≤ kMaxUdpPayloadBytes) bytes from `e` at `out`; the payload follows them.
void write_ipv4_udp_headers(std::uint8_t* out, const UdpEndpoints& e, std::size_t payload_size, std::uint16_t ip_id);

// Writes into `out` (kMaxUdpFrameBytes) the Ethernet frame carrying `payload`
// (≤ kMaxUdpPayloadBytes) from `e`, IPv4 id `ip_id`. Returns the frame's length.
std::size_t write_udp_frame(std::uint8_t* out, const UdpEndpoints& e, std::span<const std::uint8_t> payload,
                            std::uint16_t ip_id);

}  // namespace dltdump::net
