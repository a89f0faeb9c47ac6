// Fast integer and floating-point text, appended to a TextBuffer.
//
// Integers up to 64 bits are written eight digits at a time without branches on their
// magnitude; 128-bit integers are split into 16-digit blocks. Floats print like C's
// printf("%g") (six significant digits), with
// `inf`, `-inf` and `nan` for the special values.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "util/text_buffer.hpp"

namespace dltdump::util {

// "00".."99": two characters per entry.
extern const char kTwoDigits[201];

// Writes v (0..99) as exactly two digits.
inline void put_two_digits(char* p, unsigned v) {
  p[0] = kTwoDigits[2 * v];
  p[1] = kTwoDigits[2 * v + 1];
}

// Decimal digits of v (< 10^8), zero-padded to eight, one digit value (0..9) per byte in
// memory order: the most significant digit is the lowest byte. No branch and no table: the
// two 4-digit halves are split into 2-digit and then 1-digit lanes of one 64-bit word by
// multiplications with scaled reciprocals that are exact for the lane ranges (n·10486 >>
// 20 = n/100 for n < 10^4; n·103 >> 10 = n/10 for n < 100), so random magnitudes cost no
// mispredictions.
inline std::uint64_t eight_digit_values(std::uint32_t v) {
  static_assert(std::endian::native == std::endian::little, "lane order assumes little endian");
  const std::uint64_t halves = (v / 10000) | (static_cast<std::uint64_t>(v % 10000) << 32);
  const std::uint64_t hundreds = ((halves * 10486) >> 20) & 0x0000007F0000007Full;
  const std::uint64_t pairs = ((halves - 100 * hundreds) << 16) | hundreds;
  const std::uint64_t tens = ((pairs * 103) >> 10) & 0x000F000F000F000Full;
  return tens | ((pairs - 10 * tens) << 8);
}

inline constexpr std::uint64_t kAsciiZeros = 0x3030303030303030ull;

// Writes v (< 10^8) as exactly eight digits.
inline void put_eight_digits(char* p, std::uint32_t v) {
  const std::uint64_t text = eight_digit_values(v) + kAsciiZeros;
  std::memcpy(p, &text, 8);
}

// Writes v (< 10^16) as exactly sixteen digits.
inline void put_sixteen_digits(char* p, std::uint64_t v) {
  put_eight_digits(p, static_cast<std::uint32_t>(v / 100000000));
  put_eight_digits(p + 8, static_cast<std::uint32_t>(v % 100000000));
}

// Writes v (< 10^8) without leading zeros; stores 8 bytes whatever the length; returns the
// end.
inline char* put_below_1e8(char* p, std::uint32_t v) {
  const std::uint64_t digits = eight_digit_values(v);
  // Leading zero digits are the low zero bytes; the bit at 56 keeps the last digit of 0.
  const unsigned zeros = static_cast<unsigned>(__builtin_ctzll(digits | (1ull << 56))) / 8;
  const std::uint64_t text = (digits + kAsciiZeros) >> (8 * zeros);
  std::memcpy(p, &text, 8);
  return p + 8 - zeros;
}

// Writes v in decimal without leading zeros; stores up to 24 bytes; returns the end. Values
// below 10^8 (most) take one branch-free path.
inline char* put_u64(char* p, std::uint64_t v) {
  constexpr std::uint64_t k1e8 = 100000000, k1e16 = k1e8 * k1e8;
  if (v < k1e8) return put_below_1e8(p, static_cast<std::uint32_t>(v));
  if (v < k1e16) {
    p = put_below_1e8(p, static_cast<std::uint32_t>(v / k1e8));
    put_eight_digits(p, static_cast<std::uint32_t>(v % k1e8));
    return p + 8;
  }
  p = put_below_1e8(p, static_cast<std::uint32_t>(v / k1e16));  // at most 1844
  put_sixteen_digits(p, v % k1e16);
  return p + 16;
}

// Writes v in decimal (`-` first when negative); stores up to 25 bytes; returns the end.
inline char* put_i64(char* p, std::int64_t v) {
  const bool negative = v < 0;
  *p = '-';
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  return put_u64(p + negative, magnitude);
}

// Decimal texts of 0..255: up to three characters in the low bytes (memory order), the
// length in the top byte.
inline constexpr std::array<std::uint32_t, 256> kByteDecimal = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t v = 0; v < 256; ++v) {
    const std::uint32_t size = v >= 100 ? 3 : v >= 10 ? 2 : 1;
    std::uint32_t entry = size << 24;
    for (std::uint32_t i = 0, scale = size == 3 ? 100 : size == 2 ? 10 : 1; i < size; ++i, scale /= 10)
      entry |= ('0' + v / scale % 10) << (8 * i);
    table[v] = entry;
  }
  return table;
}();

// Writes v (0..255) in decimal without leading zeros; stores 4 bytes; returns the end.
inline char* put_u8(char* p, unsigned v) {
  const std::uint32_t entry = kByteDecimal[v & 0xFF];
  std::memcpy(p, &entry, 4);
  return p + (entry >> 24);
}

// "000102…feff": the two lowercase hex digits of each byte value.
inline constexpr std::array<char, 512> kHexPairs = [] {
  std::array<char, 512> table{};
  for (unsigned v = 0; v < 256; ++v) {
    table[2 * v] = "0123456789abcdef"[v >> 4];
    table[2 * v + 1] = "0123456789abcdef"[v & 15];
  }
  return table;
}();

// Writes the low `Bytes` bytes of v as 2·Bytes lowercase hex digits, most significant
// first (append_hex_value's digits); returns the end.
template <unsigned Bytes>
inline char* put_hex_digits(char* p, std::uint64_t v) {
  for (unsigned i = 0; i < Bytes; ++i) std::memcpy(p + 2 * i, &kHexPairs[2 * ((v >> (8 * (Bytes - 1 - i))) & 0xFF)], 2);
  return p + 2 * Bytes;
}

// "0000 " … "1111 ": each nibble's four bits, most significant first, and a space, in the
// low five bytes (memory order).
inline constexpr std::array<std::uint64_t, 16> kNibbleBits = [] {
  std::array<std::uint64_t, 16> table{};
  for (unsigned v = 0; v < 16; ++v) {
    std::uint64_t entry = static_cast<std::uint64_t>(' ') << 32;
    for (unsigned b = 0; b < 4; ++b) entry |= static_cast<std::uint64_t>('0' + ((v >> (3 - b)) & 1)) << (8 * b);
    table[v] = entry;
  }
  return table;
}();

// Writes the low `Bytes` bytes of v as 4-bit groups separated by spaces, most significant
// first (append_bin_value's digits, without `0b`); stores up to 3 bytes past the end;
// returns the end.
template <unsigned Bytes>
inline char* put_bin_groups(char* p, std::uint64_t v) {
  static_assert(std::endian::native == std::endian::little, "the table's byte order");
  for (unsigned g = 0; g < 2 * Bytes; ++g)
    std::memcpy(p + 5 * g, &kNibbleBits[(v >> (4 * (2 * Bytes - 1 - g))) & 15], 8);
  return p + 10 * Bytes - 1;
}

// Appends an integer of up to 64 bits in decimal.
template <typename T>
inline void append_int(TextBuffer& out, T v) {
  static_assert(std::is_integral_v<T> && sizeof(T) <= 8);
  char* p = out.reserve(25);
  char* e = std::is_signed_v<T> ? put_i64(p, static_cast<std::int64_t>(v)) : put_u64(p, static_cast<std::uint64_t>(v));
  out.advance(static_cast<std::size_t>(e - p));
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
// put_tenth_millis stores at most 11 bytes and returns the end.
inline char* put_tenth_millis(char* p, std::uint32_t units) {
  // The low eight digits (four of seconds, four of the fraction) in one word; the seconds'
  // top digits (0..42) from the byte table, if any; without branches.
  const std::uint32_t high = units / 100000000;
  const std::uint64_t digits = eight_digit_values(units % 100000000);
  const std::uint32_t high_entry = kByteDecimal[high];
  const unsigned high_size = high ? high_entry >> 24 : 0;
  // Leading zeros of the low seconds, when there are no top digits (one digit stays).
  const unsigned zeros = high ? 0 : static_cast<unsigned>(__builtin_ctzll(digits | (1ull << 24))) / 8;
  const std::uint64_t text = digits + kAsciiZeros;
  const auto seconds = static_cast<std::uint32_t>(text) >> (8 * zeros);
  const auto fraction = static_cast<std::uint32_t>(text >> 32);
  std::memcpy(p, &high_entry, 4);
  p += high_size;
  std::memcpy(p, &seconds, 4);
  p += 4 - zeros;
  *p = '.';
  std::memcpy(p + 1, &fraction, 4);
  return p + 5;
}
void append_tenth_millis(TextBuffer& out, std::uint32_t units);

}  // namespace dltdump::util
