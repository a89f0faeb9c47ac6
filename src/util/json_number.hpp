// Numbers as JSON values (RFC 8259 §6), exact: a reader gets back the value that was written.
//
// JSON numbers are read as IEEE binary64 by most programs (jq, JavaScript, pandas), which
// hold integers exactly only up to 2^53: an integer beyond that is written as a JSON string
// of its decimal digits. Floating-point values are written in their shortest round-trip
// form (std::to_chars), a binary32 value as the shortest text that reads back to the same
// binary32; NaN and the infinities, which JSON numbers cannot express, as the strings
// "NaN", "Infinity" and "-Infinity" (the spelling of Python's json module and of JSON5).
#pragma once

#include <cstdint>

#include "util/number_format.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::util {

// The largest magnitude written as a JSON number: 2^53.
inline constexpr std::uint64_t kJsonExactInteger = std::uint64_t{1} << 53;

// Unchecked writers of the same integers into space reserved in advance: each stores at
// most 27 bytes at p and returns the end.
inline char* put_json_uint(char* p, std::uint64_t v) {
  if (v > kJsonExactInteger) [[unlikely]] {
    *p = '"';
    p = put_u64(p + 1, v);
    *p++ = '"';
    return p;
  }
  return put_u64(p, v);
}
inline char* put_json_int(char* p, std::int64_t v) {
  const bool negative = v < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  if (magnitude > kJsonExactInteger) [[unlikely]] {
    *p = '"';
    p = put_i64(p + 1, v);
    *p++ = '"';
    return p;
  }
  *p = '-';
  return put_u64(p + negative, magnitude);
}

void append_json_int(TextBuffer& out, std::int64_t v);
void append_json_uint(TextBuffer& out, std::uint64_t v);
void append_json_int(TextBuffer& out, __int128 v);
void append_json_uint(TextBuffer& out, unsigned __int128 v);

void append_json_float(TextBuffer& out, float v);
void append_json_float(TextBuffer& out, double v);
// A binary128 value held as long double (x87: 64 mantissa bits).
void append_json_float(TextBuffer& out, long double v);

}  // namespace dltdump::util
