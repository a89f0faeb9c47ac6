// Captured frames for generators and tests: Ethernet (with VLAN tags), Linux SLL/SLL2 and
// raw IP around IPv4/UDP datagrams, whole or fragmented, and TECMP frames. IPv4 headers
// carry a valid checksum; UDP checksums are 0 (none).
#pragma once

#include <algorithm>
#include <cstdint>
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

// The IPv4 fragments of one UDP datagram, `size` bytes of it per fragment (a multiple of 8).
inline std::vector<Frame> fragments(const Addresses& a, const Frame& datagram, std::size_t size, std::uint16_t id) {
  std::vector<Frame> out;
  for (std::size_t at = 0; at < datagram.size(); at += size) {
    const std::size_t n = std::min(size, datagram.size() - at);
    out.push_back(ipv4(a, Frame(datagram.begin() + static_cast<long>(at), datagram.begin() + static_cast<long>(at + n)),
                       id, static_cast<std::uint32_t>(at), at + n < datagram.size()));
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

inline Frame sll(const Frame& ip) {
  Frame b = {0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 0x0B, 0, 0};
  put_be(b, 0x0800, 2);
  b.insert(b.end(), ip.begin(), ip.end());
  return b;
}

inline Frame sll2(const Frame& ip) {
  Frame b;
  put_be(b, 0x0800, 2);
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
