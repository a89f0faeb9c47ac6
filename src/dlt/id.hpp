// DLT identifiers (ECU, application, context): four bytes on the wire.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dltdump::dlt {

// An id as DltDump shows it: each byte masked with 0x7F; the id ends at the first byte
// that is zero after masking (so 0x80 terminates too); other control bytes are kept (and
// compared), and shown as '.' (shown()).
// `chars` holds the four masked bytes as they came: bytes after the end may be non-zero.
// Decoding stops there, because most ids are never looked at (a filter that rejects on
// the application id never needs the context id): the end is found when an id is shown
// or compared.
struct Id {
  char chars[4] = {0, 0, 0, 0};

  // The four bytes with those after the end cleared: equal words, equal ids.
  std::uint32_t word() const {
    std::uint32_t w;
    std::memcpy(&w, chars, 4);
    if constexpr (std::endian::native == std::endian::little) {
      // `zero`'s lowest set bit marks the first zero byte exactly (bits above it may be
      // spurious); none set keeps all four.
      const std::uint32_t zero = (w - 0x01010101u) & ~w & 0x80808080u;
      return w & (((zero & (0u - zero)) >> 7) - 1u);
    } else {
      std::uint8_t b[4] = {};
      for (std::size_t k = 0; k < size(); ++k) b[k] = static_cast<std::uint8_t>(chars[k]);
      std::memcpy(&w, b, 4);
      return w;
    }
  }
  // Characters before the first zero byte.
  std::size_t size() const {
    if constexpr (std::endian::native == std::endian::little) {
      std::uint32_t w;
      std::memcpy(&w, chars, 4);
      const std::uint32_t zero = (w - 0x01010101u) & ~w & 0x80808080u;
      // Bit 32 stands for "no zero byte": 4, without a branch (ids vary line by line).
      return static_cast<std::size_t>(__builtin_ctzll(zero | (1ull << 32))) / 8;
    } else {
      std::size_t n = 0;
      while (n < 4 && chars[n] != 0) ++n;
      return n;
    }
  }
  std::string_view view() const { return {chars, size()}; }
  // The id as a line shows it: control bytes (0x01-0x1F, 0x7F) as '.', so that an id can
  // neither end a line nor reach a terminal as an escape sequence (deviation from DltDump,
  // which prints them raw). Zero bytes stay, so the end is where it was. Assumes masked
  // bytes (< 0x80), as parse_id makes them. Bit tricks, no branch: ids vary line by line.
  Id shown() const;
  bool empty() const { return chars[0] == 0; }
  friend bool operator==(const Id& a, const Id& b) { return a.word() == b.word(); }

  // The id whose characters are `text` (at most 4, none zero).
  static Id from_text(std::string_view text) {
    Id id;
    std::memcpy(id.chars, text.data(), text.size() < 4 ? text.size() : 4);
    return id;
  }
};

// Bit 7 set in each byte of `w` that is a control (0x01-0x1F, 0x7F), for masked bytes
// (< 0x80: adding up to 0x7F to each never carries into the next).
constexpr std::uint64_t control_bytes(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  const std::uint64_t printable = w + 0x60 * kOnes;  // bit 7 set: byte >= 0x20
  const std::uint64_t nonzero = w + 0x7F * kOnes;    // bit 7 set: byte != 0
  const std::uint64_t del = w + kOnes;               // bit 7 set: byte == 0x7F
  return ((~printable & nonzero) | del) & (0x80 * kOnes);
}

inline Id Id::shown() const {
  std::uint32_t w;
  std::memcpy(&w, chars, 4);
  const std::uint32_t mask = static_cast<std::uint32_t>(control_bytes(w) >> 7) * 0xFFu;
  w = (w & ~mask) | (0x2E2E2E2Eu & mask);
  Id id;
  std::memcpy(id.chars, &w, 4);
  return id;
}

// Whether any of three ids holds a control byte (one test for a line's three ids: real ids
// never do, so a branch on it is always predicted).
inline bool any_control(const Id& a, const Id& b, const Id& c) {
  std::uint32_t wa, wb, wc;
  std::memcpy(&wa, a.chars, 4);
  std::memcpy(&wb, b.chars, 4);
  std::memcpy(&wc, c.chars, 4);
  return (control_bytes(wa | (static_cast<std::uint64_t>(wb) << 32)) | control_bytes(wc)) != 0;
}

// Tells whether ids equal one given id, from their bytes as they came (no end search): the
// given id's characters and, if it is shorter than four, the zero byte after them must
// match; what follows does not count.
//
// Ids compare as shown (Id::shown: a control byte shows as `.`), on both sides: `E.1` (or
// `E\n1`) matches the ids `E\n1`, `E\x7f1` and `E.1`, which every output shows alike (a
// new user's finding: only the raw bytes matched). A given id without a `.` can only equal
// an id as shown where the bytes are equal, so only an id with one takes the slower look.
class IdMatcher {
 public:
  explicit IdMatcher(const Id& given) {
    const Id id = given.shown();
    const std::size_t n = id.size();
    char mask[4] = {};
    for (std::size_t k = 0; k < 4 && k <= n; ++k) mask[k] = static_cast<char>(0xFF);
    std::memcpy(&mask_, mask, 4);
    value_ = id.word();
    dots_ = std::memchr(id.chars, '.', n) != nullptr;
  }
  bool matches(const Id& id) const {
    std::uint32_t w;
    std::memcpy(&w, (dots_ ? id.shown() : id).chars, 4);
    return (w & mask_) == value_;
  }

 private:
  std::uint32_t mask_ = 0, value_ = 0;
  bool dots_ = false;  // the given id holds a `.`: ids are compared as shown
};

// `a` if `pick`, else `b`, as a select of two words rather than a branch (for flags that
// vary from message to message, where a branch would often be mispredicted).
inline Id select_id(bool pick, const Id& a, const Id& b) {
  std::uint32_t wa, wb;
  std::memcpy(&wa, a.chars, 4);
  std::memcpy(&wb, b.chars, 4);
  const std::uint32_t mask = 0u - static_cast<std::uint32_t>(pick);
  const std::uint32_t w = (wa & mask) | (wb & ~mask);
  Id id;
  std::memcpy(id.chars, &w, 4);
  return id;
}

// The id in the four bytes at `p`.
inline Id parse_id(const std::uint8_t* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  w &= 0x7F7F7F7Fu;
  Id id;
  std::memcpy(id.chars, &w, 4);
  return id;
}

}  // namespace dltdump::dlt
