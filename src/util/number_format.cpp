#include "util/number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace dltdump::util {

const char kTwoDigits[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

void append_u128(TextBuffer& out, unsigned __int128 v) {
  constexpr std::uint64_t k1e16 = 10000000000000000ull;
  char* p = out.reserve(48);
  char* e;
  if (v <= UINT64_MAX) {
    e = put_u64(p, static_cast<std::uint64_t>(v));
  } else {
    // Up to 39 digits: a head of at most 20 and one or two 16-digit blocks. Each block is
    // the remainder of one 128-bit division (the product subtracted, not a second division).
    const unsigned __int128 upper = v / k1e16;
    const auto low = static_cast<std::uint64_t>(v - upper * k1e16);
    if (upper <= UINT64_MAX) {
      e = put_u64(p, static_cast<std::uint64_t>(upper));
    } else {
      const auto top = static_cast<std::uint64_t>(upper / k1e16);  // < 10^7
      const auto mid = static_cast<std::uint64_t>(upper - static_cast<unsigned __int128>(top) * k1e16);
      e = put_u64(p, top);
      put_sixteen_digits(e, mid);
      e += 16;
    }
    put_sixteen_digits(e, low);
    e += 16;
  }
  out.advance(static_cast<std::size_t>(e - p));
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

namespace {

// Powers of ten that a double holds exactly.
constexpr double kExactPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// `%.6g` of a finite, non-zero double, without the general conversion: the six significant
// digits come from one correctly rounded multiplication or division by an exact power of
// ten, r = |v|·10^(5-X) (1 + δ) with |δ| ≤ 2^-53, and are rounded to an integer. The result
// can differ from exact rounding only when r lies within r·2^-52 of a rounding boundary
// (x.5); such values, and decimal exponents X outside [-17, 27] (where 10^(5-X) is not an
// exact double), return false and take the exact path. Writes at most 13 characters.
bool format_g6_fast(double v, char* p, std::size_t& length) {
  const double a = std::fabs(v);
  int x = (std::ilogb(a) * 78913) >> 18;  // floor(e2 · log10 2): X or X - 1
  double r = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int s = 5 - x;
    if (s < -22 || s > 22) return false;
    r = s >= 0 ? a * kExactPow10[s] : a / kExactPow10[-s];
    if (r < 999999.5) break;
    ++x;  // the estimate was one too low
  }
  if (r < 99999.5 || r >= 999999.5) return false;
  const double floor_r = std::floor(r);
  const double fraction = r - floor_r;
  if (std::fabs(fraction - 0.5) < r * 0x1p-50) return false;  // too close to call
  auto n = static_cast<std::uint32_t>(floor_r) + (fraction > 0.5 ? 1 : 0);
  if (n == 1000000) {
    n = 100000;
    ++x;
  }
  char digits[6];
  for (int i = 5; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  int last = 5;  // the last significant digit to print (trailing zeros are dropped)
  while (last > 0 && digits[last] == '0') --last;
  std::size_t k = 0;
  if (std::signbit(v)) p[k++] = '-';
  if (x >= -4 && x < 6) {
    if (x >= 0) {
      for (int i = 0; i <= x; ++i) p[k++] = digits[i];
      if (last > x) {
        p[k++] = '.';
        for (int i = x + 1; i <= last; ++i) p[k++] = digits[i];
      }
    } else {
      p[k++] = '0';
      p[k++] = '.';
      for (int i = 0; i < -x - 1; ++i) p[k++] = '0';
      for (int i = 0; i <= last; ++i) p[k++] = digits[i];
    }
  } else {
    p[k++] = digits[0];
    if (last > 0) {
      p[k++] = '.';
      for (int i = 1; i <= last; ++i) p[k++] = digits[i];
    }
    p[k++] = 'e';
    p[k++] = x < 0 ? '-' : '+';
    const int e = x < 0 ? -x : x;  // at most 27 here
    p[k++] = static_cast<char>('0' + e / 10);
    p[k++] = static_cast<char>('0' + e % 10);
  }
  length = k;
  return true;
}

}  // namespace

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
  if constexpr (std::is_same_v<F, double>) {
    std::size_t length = 0;
    if (v != 0 && format_g6_fast(v, p, length)) {
      out.advance(length);
      return;
    }
  }
  auto r = std::to_chars(p, p + 64, v, std::chars_format::general, 6);
  out.advance(static_cast<std::size_t>(r.ptr - p));
}

void append_float_g(TextBuffer& out, double v) { append_float_impl(out, v); }
void append_float_g(TextBuffer& out, long double v) {
  // Same value, same text: a value a double holds exactly (any float32/64 widened, most
  // float128 arguments in practice) takes the double path, which avoids the library's
  // long double conversion through printf.
  const auto narrow = static_cast<double>(v);
  if (static_cast<long double>(narrow) == v) append_float_impl(out, narrow);
  else append_float_impl(out, v);
}

void append_tenth_millis(TextBuffer& out, std::uint32_t units) {
  char* p = out.reserve(16);
  out.advance(static_cast<std::size_t>(put_tenth_millis(p, units) - p));
}

}  // namespace dltdump::util
