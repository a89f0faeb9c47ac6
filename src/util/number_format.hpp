// Fast integer and floating-point text, appended to a TextBuffer.
//
// Integers use std::to_chars (no locale, no allocation); 128-bit integers are split into
// 19-digit blocks. Floats print like C's printf("%g") (six significant digits), with
// `inf`, `-inf` and `nan` for the special values.
#pragma once

#include <charconv>
#include <cstdint>

#include "util/text_buffer.hpp"

namespace dltdump::util {

// "00".."99": two characters per entry.
extern const char kTwoDigits[201];

// Writes v (0..99) as exactly two digits.
inline void put_two_digits(char* p, unsigned v) {
  p[0] = kTwoDigits[2 * v];
  p[1] = kTwoDigits[2 * v + 1];
}

// Writes v (0..255) in decimal without leading zeros; returns the end.
inline char* put_u8(char* p, unsigned v) {
  if (v >= 100) {
    *p++ = static_cast<char>('0' + v / 100);
    put_two_digits(p, v % 100);
    return p + 2;
  }
  if (v >= 10) {
    put_two_digits(p, v);
    return p + 2;
  }
  *p = static_cast<char>('0' + v);
  return p + 1;
}

template <typename T>
inline void append_int(TextBuffer& out, T v) {
  char* p = out.reserve(24);
  out.advance(static_cast<std::size_t>(std::to_chars(p, p + 24, v).ptr - p));
}

void append_u128(TextBuffer& out, unsigned __int128 v);
void append_i128(TextBuffer& out, __int128 v);

// `0x` + lowercase hex of the low `bytes` bytes of v, zero-padded to 2*bytes digits.
void append_hex_value(TextBuffer& out, unsigned __int128 v, unsigned bytes);

// `0b` + the low `bytes` bytes of v, most significant first, as 4-bit groups separated
// by spaces (`0b0001 0010`).
void append_bin_value(TextBuffer& out, unsigned __int128 v, unsigned bytes);

// printf("%g") of v.
void append_float_g(TextBuffer& out, double v);
void append_float_g(TextBuffer& out, long double v);

// Seconds with four decimals from a count of 0.1 ms units: 12310 -> `1.2310`.
// put_tenth_millis writes at most 11 characters and returns the end.
inline char* put_tenth_millis(char* p, std::uint32_t units) {
  p = std::to_chars(p, p + 10, units / 10000).ptr;
  const std::uint32_t frac = units % 10000;
  p[0] = '.';
  put_two_digits(p + 1, frac / 100);
  put_two_digits(p + 3, frac % 100);
  return p + 5;
}
void append_tenth_millis(TextBuffer& out, std::uint32_t units);

}  // namespace dltdump::util
