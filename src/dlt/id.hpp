// DLT identifiers (ECU, application, context): four bytes on the wire.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dltdump::dlt {

// An id as DltDump shows it: each byte masked with 0x7F; the id ends at the first byte
// that is zero after masking (so 0x80 terminates too); other control bytes are kept.
struct Id {
  char chars[4] = {0, 0, 0, 0};
  std::uint8_t size = 0;

  std::string_view view() const { return {chars, size}; }
  bool empty() const { return size == 0; }
  friend bool operator==(const Id& a, const Id& b) { return a.view() == b.view(); }
};

inline Id parse_id(const std::uint8_t* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  w &= 0x7F7F7F7Fu;
  Id id;
  std::memcpy(id.chars, &w, 4);
  // Length = index of the first zero byte (memory order), 4 if none.
  std::uint32_t zero = (w - 0x01010101u) & ~w & 0x80808080u;
  if constexpr (std::endian::native == std::endian::little)
    id.size = static_cast<std::uint8_t>(zero ? __builtin_ctz(zero) / 8 : 4);
  else
    id.size = static_cast<std::uint8_t>(zero ? __builtin_clz(zero) / 8 : 4);
  return id;
}

}  // namespace dltdump::dlt
