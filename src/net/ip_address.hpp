// An IPv4 or IPv6 address as one 16-byte value: IPv6 addresses as they are, IPv4 addresses
// as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), so that flows and fragment sets of both
// versions share one key type and never collide.
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <string>

#include "util/byte_order.hpp"

namespace dltdump::net {

struct IpAddress {
  std::uint64_t high = 0, low = 0;  // the 16 bytes as two big-endian halves
  bool operator==(const IpAddress&) const = default;
  auto operator<=>(const IpAddress&) const = default;

  static IpAddress v4(std::uint32_t a) noexcept { return {0, 0x0000FFFF00000000ull | a}; }
  // The 16 bytes at `b` (an IPv6 header's address field).
  static IpAddress v6(const std::uint8_t* b) noexcept {
    return {util::load<std::uint64_t>(b, true), util::load<std::uint64_t>(b + 8, true)};
  }
  bool is_v4() const noexcept { return high == 0 && (low >> 32) == 0xFFFF; }
};

// `10.0.0.1` or `fd00::64` (RFC 5952 text, as inet_ntop writes it).
inline std::string to_string(const IpAddress& a) {
  char text[INET6_ADDRSTRLEN] = {};
  if (a.is_v4()) {
    std::uint8_t b[4];
    util::store(b, static_cast<std::uint32_t>(a.low), true);
    inet_ntop(AF_INET, b, text, sizeof text);
  } else {
    std::uint8_t b[16];
    util::store(b, a.high, true);
    util::store(b + 8, a.low, true);
    inet_ntop(AF_INET6, b, text, sizeof text);
  }
  return text;
}

}  // namespace dltdump::net
