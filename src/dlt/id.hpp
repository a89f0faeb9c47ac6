// DLT identifiers (ECU, application, context): four bytes on the wire.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dltdump::dlt {

// An id as DltDump shows it: each byte masked with 0x7F; the id ends at the first byte
// that is zero after masking (so 0x80 terminates too); other control bytes are kept.
// The bytes after the id are zero, so the four bytes alone identify it (one compare), and
// its length follows from them: an id is never decoded further than a message's filter.
struct Id {
  char chars[4] = {0, 0, 0, 0};

  std::uint32_t word() const {
    std::uint32_t w;
    std::memcpy(&w, chars, 4);
    return w;
  }
  // Characters before the first zero byte (memory order).
  std::size_t size() const {
    const std::uint32_t w = word();
    if constexpr (std::endian::native == std::endian::little) return (static_cast<unsigned>(std::bit_width(w)) + 7) / 8;
    else return w == 0 ? 0 : 4 - static_cast<unsigned>(std::countr_zero(w)) / 8;
  }
  std::string_view view() const { return {chars, size()}; }
  bool empty() const { return word() == 0; }
  friend bool operator==(const Id& a, const Id& b) { return a.word() == b.word(); }

  // The id whose characters are `text` (at most 4, none zero).
  static Id from_text(std::string_view text) {
    Id id;
    std::memcpy(id.chars, text.data(), text.size() < 4 ? text.size() : 4);
    return id;
  }
};

inline Id parse_id(const std::uint8_t* p) {
  Id id;
  if constexpr (std::endian::native == std::endian::little) {
    std::uint32_t w;
    std::memcpy(&w, p, 4);
    w &= 0x7F7F7F7Fu;
    // Clear the bytes from the first zero one on: `zero`'s lowest set bit marks the first
    // zero byte exactly (bits above it may be spurious); none set keeps all four.
    const std::uint32_t zero = (w - 0x01010101u) & ~w & 0x80808080u;
    w &= ((zero & (0u - zero)) >> 7) - 1u;
    std::memcpy(id.chars, &w, 4);
  } else {
    for (int k = 0; k < 4 && (p[k] & 0x7F) != 0; ++k) id.chars[k] = static_cast<char>(p[k] & 0x7F);
  }
  return id;
}

}  // namespace dltdump::dlt
