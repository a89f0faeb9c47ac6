#include "util/value_text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

namespace dltdump::util {

namespace {

// The length of the well-formed UTF-8 sequence at s[i], or 0 if there is none.
std::size_t sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b = byte(i);
  if (b < 0x80) return 1;
  // The sequence's length and the range of its second byte (RFC 3629's table).
  std::size_t n = 0;
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;  // overlong below
    if (b == 0xED) hi = 0x9F;  // surrogates above
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;  // overlong below
    if (b == 0xF4) hi = 0x8F;  // beyond U+10FFFF above
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

// Whether the well-formed sequence of length n at s[i] is a control character.
bool is_control(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = static_cast<std::uint8_t>(s[i]);
  return b < 0x20 || b == 0x7F || (b == 0xC2 && n == 2 && static_cast<std::uint8_t>(s[i + 1]) < 0xA0);
}

// U+2028 or U+2029 (E2 80 A8, E2 80 A9), well-formed, of length n at s[i].
bool is_line_separator(std::string_view s, std::size_t i, std::size_t n) {
  return n == 3 && s.compare(i, 2, "\xE2\x80") == 0 && (static_cast<std::uint8_t>(s[i + 2]) & 0xFE) == 0xA8;
}

void append_hex(std::string& out, std::uint8_t b) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[b >> 4];
  out += kHex[b & 15];
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    const std::size_t n = sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

bool shows_as_dot(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n != 0 && (is_control(s, i, n) || is_line_separator(s, i, n))) return true;
    i += n == 0 ? 1 : n;
  }
  return false;
}

bool valid_utf8(std::string_view s) { return invalid_utf8_at(s) == std::string_view::npos; }

namespace {

// Whether the well-formed sequence of length n at s[i] is a line or paragraph separator or a
// bidirectional formatting character (see printable).
bool breaks_line(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
  if (n == 2) return b(0) == 0xD8 && b(1) == 0x9C;  // U+061C
  if (n != 3 || b(0) != 0xE2) return false;
  const std::uint32_t c = 0x2000u | (std::uint32_t{b(1)} & 0x3Fu) << 6 | (b(2) & 0x3Fu);
  return c == 0x200E || c == 0x200F || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string printable_as(std::string_view s, bool line) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_length(s, i);
    if (n == 0 || is_control(s, i, n) || (line && breaks_line(s, i, n))) {
      for (std::size_t k = 0; k < (n == 0 ? 1 : n); ++k) append_hex(out, static_cast<std::uint8_t>(s[i + k]));
      i += n == 0 ? 1 : n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

std::string printable(std::string_view s) { return printable_as(s, true); }
std::string printable_in_json(std::string_view s) { return printable_as(s, false); }

std::string quoted(std::string_view s) { return "'" + printable(s) + "'"; }

std::string shell_word(std::string_view name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("._/+-,=:@%").find(c) != std::string_view::npos;
  });
  std::string word(name);
  if (!plain) {
    word = "'";
    for (const char c : name) word += c == '\'' ? std::string("'\\''") : std::string(1, c);
    word += "'";
  }
  if (!name.empty() && name.front() == '-') word = "./" + word;
  return word;
}

}  // namespace dltdump::util
