#include "util/number_format.hpp"

#include <cmath>
#include <cstring>

namespace dltdump::util {

const char kTwoDigits[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void append_u128(TextBuffer& out, unsigned __int128 v) {
  constexpr std::uint64_t kBlock = 10000000000000000000ull;  // 10^19
  if (v <= UINT64_MAX) {
    append_int(out, static_cast<std::uint64_t>(v));
    return;
  }
  // At most 39 digits: up to three blocks, the lower ones zero-padded to 19 digits.
  std::uint64_t blocks[3];
  int n = 0;
  while (v > 0 && n < 3) {
    blocks[n++] = static_cast<std::uint64_t>(v % kBlock);
    v /= kBlock;
  }
  append_int(out, blocks[n - 1]);
  for (int i = n - 2; i >= 0; --i) {
    char digits[20];
    auto r = std::to_chars(digits, digits + 20, blocks[i]);
    std::size_t len = static_cast<std::size_t>(r.ptr - digits);
    char* p = out.reserve(19);
    std::memset(p, '0', 19 - len);
    std::memcpy(p + 19 - len, digits, len);
    out.advance(19);
  }
}

void append_i128(TextBuffer& out, __int128 v) {
  if (v < 0) {
    out.put('-');
    append_u128(out, static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(v));
  } else {
    append_u128(out, static_cast<unsigned __int128>(v));
  }
}

void append_hex_value(TextBuffer& out, unsigned __int128 v, unsigned bytes) {
  char* p = out.reserve(2 + 2 * bytes);
  p[0] = '0';
  p[1] = 'x';
  for (unsigned i = 0; i < 2 * bytes; ++i) {
    unsigned shift = 4 * (2 * bytes - 1 - i);
    p[2 + i] = "0123456789abcdef"[static_cast<unsigned>(v >> shift) & 15];
  }
  out.advance(2 + 2 * bytes);
}

void append_bin_value(TextBuffer& out, unsigned __int128 v, unsigned bytes) {
  unsigned groups = 2 * bytes;
  char* p = out.reserve(2 + groups * 5);
  std::size_t k = 0;
  p[k++] = '0';
  p[k++] = 'b';
  for (unsigned g = 0; g < groups; ++g) {
    if (g) p[k++] = ' ';
    unsigned nibble = static_cast<unsigned>(v >> (4 * (groups - 1 - g))) & 15;
    for (int b = 3; b >= 0; --b) p[k++] = static_cast<char>('0' + ((nibble >> b) & 1));
  }
  out.advance(k);
}

template <typename F>
static void append_float_impl(TextBuffer& out, F v) {
  if (std::isnan(v)) {
    out.append("nan", 3);
    return;
  }
  if (std::isinf(v)) {
    if (v < 0) out.append("-inf", 4);
    else out.append("inf", 3);
    return;
  }
  char* p = out.reserve(64);
  auto r = std::to_chars(p, p + 64, v, std::chars_format::general, 6);
  out.advance(static_cast<std::size_t>(r.ptr - p));
}

void append_float_g(TextBuffer& out, double v) { append_float_impl(out, v); }
void append_float_g(TextBuffer& out, long double v) { append_float_impl(out, v); }

void append_tenth_millis(TextBuffer& out, std::uint32_t units) {
  char* p = out.reserve(16);
  out.advance(static_cast<std::size_t>(put_tenth_millis(p, units) - p));
}

}  // namespace dltdump::util
