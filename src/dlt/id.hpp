// DLT identifiers (ECU, application, context): four bytes on the wire.
#pragma once

#include <cstdint>
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
  Id id;
  for (int i = 0; i < 4; ++i) {
    char c = static_cast<char>(p[i] & 0x7F);
    if (c == 0) break;
    id.chars[id.size++] = c;
  }
  return id;
}

}  // namespace dltdump::dlt
