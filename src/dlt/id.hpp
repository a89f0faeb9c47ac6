// DLT identifiers (ECU, application, context): four bytes on the wire.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dltdump::dlt {

// An id as DltDump shows it: each byte masked with 0x7F; the id ends at the first byte
// that is zero after masking (so 0x80 terminates too); other control bytes are kept.
// The bytes after the id are zero, so the four bytes alone identify it (one compare).
struct Id {
  char chars[4] = {0, 0, 0, 0};
  std::uint8_t size = 0;

  std::string_view view() const { return {chars, size}; }
  bool empty() const { return size == 0; }
  std::uint32_t word() const {
    std::uint32_t w;
    std::memcpy(&w, chars, 4);
    return w;
  }
  friend bool operator==(const Id& a, const Id& b) { return a.word() == b.word(); }
};

inline Id parse_id(const std::uint8_t* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  w &= 0x7F7F7F7Fu;
  Id id;
  // Length = index of the first zero byte (memory order), 4 if none.
  std::uint32_t zero = (w - 0x01010101u) & ~w & 0x80808080u;
  if constexpr (std::endian::native == std::endian::little)
    id.size = static_cast<std::uint8_t>(zero ? __builtin_ctz(zero) / 8 : 4);
  else
    id.size = static_cast<std::uint8_t>(zero ? __builtin_clz(zero) / 8 : 4);
  // Clear the bytes after the id (they may be non-zero after the terminator).
  if (id.size < 4) {
    const unsigned keep_bits = 8u * id.size;
    if constexpr (std::endian::native == std::endian::little)
      w &= keep_bits ? (0xFFFFFFFFu >> (32 - keep_bits)) : 0u;
    else
      w &= keep_bits ? (0xFFFFFFFFu << (32 - keep_bits)) : 0u;
  }
  std::memcpy(id.chars, &w, 4);
  return id;
}

}  // namespace dltdump::dlt
