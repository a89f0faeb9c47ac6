// Captured frames for generators and tests: Ethernet (with VLAN tags), Linux SLL/SLL2 and
// raw IP around IPv4 or IPv6 packets carrying UDP datagrams or TCP segments, whole or
// fragmented (IPv6 with extension headers), and TECMP frames. IPv4 headers carry a valid
// checksum; UDP and TCP checksums are 0 (not verified by readers of captures).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "net/udp_frame.hpp"

namespace dltdump::tools {

using Frame = std::vector<std::uint8_t>;

inline void put_be(Frame& b, std::uint64_t v, unsigned width) {
  for (unsigned i = 0; i < width; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * (width - 1 - i))));
}

struct Addresses {
  std::uint32_t source = 0x0A00000B;       // 10.0.0.11
  std::uint32_t destination = 0x0A000064;  // 10.0.0.100
  std::uint16_t source_port = 50000, destination_port = 3490;
};

// A UDP datagram (header + payload).
inline Frame udp(const Addresses& a, const Frame& payload) {
  Frame b;
  put_be(b, a.source_port, 2);
  put_be(b, a.destination_port, 2);
  put_be(b, 8 + payload.size(), 2);
  put_be(b, 0, 2);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// An IPv4 packet carrying `data` (a UDP datagram or a fragment of one) at fragment offset
// `offset` bytes, with the MF flag as given.
inline Frame ipv4(const Addresses& a, const Frame& data, std::uint16_t id = 1, std::uint32_t offset = 0,
                  bool more = false, std::uint8_t protocol = 17) {
  Frame b;
  b.push_back(0x45);
  b.push_back(0);
  put_be(b, 20 + data.size(), 2);
  put_be(b, id, 2);
  put_be(b, (more ? 0x2000 : 0) | (offset / 8), 2);
  b.push_back(64);
  b.push_back(protocol);
  put_be(b, 0, 2);  // checksum, below
  put_be(b, a.source, 4);
  put_be(b, a.destination, 4);
  const std::uint16_t sum = net::ipv4_header_checksum(b.data());
  b[10] = static_cast<std::uint8_t>(sum >> 8);
  b[11] = static_cast<std::uint8_t>(sum);
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// The IPv4 fragments of one UDP datagram (or TCP segment: `protocol` 6), `size` bytes of it
// per fragment (a multiple of 8).
inline std::vector<Frame> fragments(const Addresses& a, const Frame& datagram, std::size_t size, std::uint16_t id,
                                    std::uint8_t protocol = 17) {
  std::vector<Frame> out;
  for (std::size_t at = 0; at < datagram.size(); at += size) {
    const std::size_t n = std::min(size, datagram.size() - at);
    out.push_back(ipv4(a, Frame(datagram.begin() + static_cast<long>(at), datagram.begin() + static_cast<long>(at + n)),
                       id, static_cast<std::uint32_t>(at), at + n < datagram.size(), protocol));
  }
  return out;
}

// A TCP segment (20-byte header, or 32 with a timestamp option) carrying `payload`,
// acknowledging `ack` (the ACK flag set) or nothing (nullopt: a client's first SYN).
inline Frame tcp(const Addresses& a, std::uint32_t seq, std::uint8_t flags, const Frame& payload, bool options,
                 std::optional<std::uint32_t> ack) {
  Frame b;
  put_be(b, a.source_port, 2);
  put_be(b, a.destination_port, 2);
  put_be(b, seq, 4);
  put_be(b, ack.value_or(0), 4);
  b.push_back(static_cast<std::uint8_t>((options ? 8 : 5) << 4));
  b.push_back(static_cast<std::uint8_t>(flags | (ack ? 0x10 : 0)));
  put_be(b, 65535, 2);  // window
  put_be(b, 0, 4);      // checksum, urgent pointer
  if (options) {
    const Frame ts = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};  // NOP, NOP, timestamps
    b.insert(b.end(), ts.begin(), ts.end());
  }
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}
// The same, acknowledging 1, as on a running connection.
inline Frame tcp(const Addresses& a, std::uint32_t seq, std::uint8_t flags, const Frame& payload,
                 bool options = false) {
  return tcp(a, seq, flags, payload, options, 1);
}

// IPv6 addresses fd00::11 and fd00::64 (the last byte as the IPv4 ones' last byte).
struct Addresses6 {
  std::uint8_t source[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B};
  std::uint8_t destination[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64};
};

// An IPv6 extension header (hop-by-hop 0, routing 43, destination options 60) of 8 bytes
// + `extra` (a multiple of 8), announcing `next`.
inline Frame ipv6_option_header(std::uint8_t next, std::size_t extra = 0) {
  Frame b = {next, static_cast<std::uint8_t>(extra / 8), 1, 4, 0, 0, 0, 0};  // PadN
  b.resize(8 + extra, 0);
  return b;
}

// An IPv6 packet: `headers` (extension headers, the first announced as `first_next`)
// followed by `data`.
inline Frame ipv6(const Frame& data, std::uint8_t first_next, const Frame& headers = {}, const Addresses6& a = {}) {
  Frame b = {0x60, 0, 0, 0};
  put_be(b, headers.size() + data.size(), 2);
  b.push_back(first_next);
  b.push_back(64);
  b.insert(b.end(), a.source, a.source + 16);
  b.insert(b.end(), a.destination, a.destination + 16);
  b.insert(b.end(), headers.begin(), headers.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

// The IPv6 fragments of `datagram` (an upper-layer packet of protocol `next`), `size`
// bytes per fragment (a multiple of 8), each after `headers` (unfragmentable extension
// headers, the first announced as `first_next`; their last must announce 44, fragment).
inline std::vector<Frame> fragments6(const Frame& datagram, std::uint8_t next, std::size_t size, std::uint32_t id,
                                     std::uint8_t first_next = 44, const Frame& headers = {},
                                     const Addresses6& a = {}) {
  std::vector<Frame> out;
  for (std::size_t at = 0; at < datagram.size(); at += size) {
    const std::size_t n = std::min(size, datagram.size() - at);
    Frame f = headers;
    f.push_back(next);
    f.push_back(0);
    put_be(f, (at / 8) << 3 | (at + n < datagram.size() ? 1 : 0), 2);
    put_be(f, id, 4);
    f.insert(f.end(), datagram.begin() + static_cast<long>(at), datagram.begin() + static_cast<long>(at + n));
    out.push_back(ipv6(f, first_next, {}, a));
  }
  return out;
}

inline Frame ethernet(const Frame& payload, const std::vector<std::uint16_t>& tags = {},
                      std::uint16_t ether_type = 0x0800) {
  Frame b = {0x01, 0x00, 0x5E, 0x7F, 0x2A, 0x63, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0B};
  for (std::uint16_t tpid : tags) {
    put_be(b, tpid, 2);
    put_be(b, 100, 2);  // VLAN id 100
  }
  put_be(b, ether_type, 2);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

inline Frame sll(const Frame& ip, std::uint16_t protocol = 0x0800) {
  Frame b = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0x0B, 0, 0};
  put_be(b, protocol, 2);
  b.insert(b.end(), ip.begin(), ip.end());
  return b;
}

inline Frame sll2(const Frame& ip, std::uint16_t protocol = 0x0800) {
  Frame b;
  put_be(b, protocol, 2);
  put_be(b, 0, 2);
  put_be(b, 3, 4);
  put_be(b, 1, 2);
  b.push_back(0);
  b.push_back(6);
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(i));
  b.insert(b.end(), ip.begin(), ip.end());
  return b;
}

// A TECMP frame (Ethernet, EtherType 0x99FE) holding `inner` Ethernet frames as entries.
inline Frame tecmp(const std::vector<Frame>& inner, std::uint8_t version = 3, std::uint8_t message_type = 3,
                   std::uint16_t data_type = 0x0080, std::uint16_t flags = 3) {
  Frame t;
  put_be(t, 0x1234, 2);  // device id
  put_be(t, 7, 2);       // counter
  t.push_back(version);
  t.push_back(message_type);
  put_be(t, data_type, 2);
  put_be(t, 0, 2);
  put_be(t, flags, 2);
  for (const Frame& f : inner) {
    put_be(t, 1, 4);  // interface id
    put_be(t, 0, 8);  // time stamp (ignored)
    put_be(t, f.size(), 2);
    put_be(t, 0, 2);  // data flags
    t.insert(t.end(), f.begin(), f.end());
  }
  return ethernet(t, {}, 0x99FE);
}

}  // namespace dltdump::tools
