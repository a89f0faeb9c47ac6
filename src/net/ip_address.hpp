// An IPv4 or IPv6 address as one 16-byte value: IPv6 addresses as they are, IPv4 addresses
// as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d), so that flows and fragment sets of both
// versions share one key type and never collide.
#pragma once

#include <cstdint>

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

}  // namespace dltdump::net
