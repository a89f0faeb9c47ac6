#include "util/number_format.hpp"

#include <gtest/gtest.h>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

using namespace dltdump::util;

namespace {
template <typename F>
std::string text(F&& f) {
  TextBuffer b;
  f(b);
  return std::string(b.view());
}
}  // namespace

TEST(NumberFormat, U128Decimal) {
  EXPECT_EQ(text([](auto& b) { append_u128(b, 0); }), "0");
  EXPECT_EQ(text([](auto& b) { append_u128(b, ~static_cast<unsigned __int128>(0)); }),
            "340282366920938463463374607431768211455");
  EXPECT_EQ(text([](auto& b) { append_u128(b, static_cast<unsigned __int128>(1) << 64); }), "18446744073709551616");
  // a middle block with leading zeros must keep them
  unsigned __int128 v = static_cast<unsigned __int128>(10000000000000000000ull) * 10000000000000000000ull + 5;
  EXPECT_EQ(text([&](auto& b) { append_u128(b, v); }), "100000000000000000000000000000000000005");
}

TEST(NumberFormat, I128Decimal) {
  __int128 min = static_cast<__int128>(static_cast<unsigned __int128>(1) << 127);
  EXPECT_EQ(text([&](auto& b) { append_i128(b, min); }), "-170141183460469231731687303715884105728");
  EXPECT_EQ(text([](auto& b) { append_i128(b, -1); }), "-1");
}

TEST(NumberFormat, HexAndBinary) {
  EXPECT_EQ(text([](auto& b) { append_hex_value(b, 0x40, 1); }), "0x40");
  EXPECT_EQ(text([](auto& b) { append_hex_value(b, 0xabcd, 4); }), "0x0000abcd");
  EXPECT_EQ(text([](auto& b) { append_bin_value(b, 0x40, 1); }), "0b0100 0000");
  EXPECT_EQ(text([](auto& b) { append_bin_value(b, 0x1234, 2); }), "0b0001 0010 0011 0100");
}

// The unchecked writers of fixed-width hex and binary digits (the catalogue's text plans)
// write what append_hex_value and append_bin_value write after `0x` and `0b`.
template <unsigned Bytes>
void expect_digits_as_the_appenders(std::uint64_t v) {
  char hex[32] = {}, bin[96] = {};
  const std::string h(hex, put_hex_digits<Bytes>(hex, v));
  const std::string b(bin, put_bin_groups<Bytes>(bin, v));
  EXPECT_EQ("0x" + h, text([&](auto& t) { append_hex_value(t, v, Bytes); })) << Bytes << " " << v;
  EXPECT_EQ("0b" + b, text([&](auto& t) { append_bin_value(t, v, Bytes); })) << Bytes << " " << v;
}

TEST(NumberFormat, FixedWidthHexAndBinaryDigits) {
  char out[96] = {};
  EXPECT_EQ(std::string(out, put_hex_digits<2>(out, 0x0a0b)), "0a0b");
  EXPECT_EQ(std::string(out, put_bin_groups<1>(out, 0x5c)), "0101 1100");
  std::uint64_t v = 0x0123456789abcdefull;
  for (int i = 0; i < 200; ++i) {
    for (const std::uint64_t x : {v, ~v, v >> (i % 64), std::uint64_t{0}, ~std::uint64_t{0}}) {
      expect_digits_as_the_appenders<1>(x);
      expect_digits_as_the_appenders<2>(x);
      expect_digits_as_the_appenders<4>(x);
      expect_digits_as_the_appenders<8>(x);
    }
    v = v * 6364136223846793005ull + 1442695040888963407ull;
  }
}

TEST(NumberFormat, FloatMatchesPrintfG) {
  const double values[] = {0.0,
                           -0.0,
                           1.9,
                           -1.2,
                           1e20,
                           123456.0,
                           1234567.0,
                           0.0001,
                           0.00001,
                           3.14159265358979,
                           1e-300,
                           5e-324,
                           1.7976931348623157e308,
                           100000.0,
                           999999.5,
                           0.5};
  for (double v : values) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", v);
    EXPECT_EQ(text([&](auto& b) { append_float_g(b, v); }), buf) << v;
  }
  EXPECT_EQ(text([](auto& b) { append_float_g(b, std::numeric_limits<double>::infinity()); }), "inf");
  EXPECT_EQ(text([](auto& b) { append_float_g(b, -std::numeric_limits<double>::infinity()); }), "-inf");
  EXPECT_EQ(text([](auto& b) { append_float_g(b, -std::numeric_limits<double>::quiet_NaN()); }), "nan");
}

// The shortest-digits fast path must print exactly what printf("%g") prints, for floats
// (after promotion to double, as printf sees them) and doubles: random bit patterns cover
// every exponent, subnormals, and values with few and many digits.
TEST(NumberFormat, FloatGMatchesPrintfOnRandomValues) {
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state;
  };
  auto check = [](auto v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
    std::string want = buf;
    if (want == "-nan") want = "nan";
    ASSERT_EQ(text([&](auto& b) { append_float_g(b, v); }), want) << want;
  };
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t bits = next();
    double d;
    std::memcpy(&d, &bits, 8);
    check(d);
    std::uint32_t fbits = static_cast<std::uint32_t>(bits >> 32);
    float f;
    std::memcpy(&f, &fbits, 4);
    check(f);
    // values across the fast path's range (decimal exponents -17..27), all 53 bits random
    check(std::ldexp(static_cast<double>(bits >> 11), static_cast<int>(bits % 150) - 110));
    check(static_cast<float>(std::ldexp(static_cast<double>(bits >> 40), static_cast<int>(bits % 120) - 80)));
    // values with few digits
    check(static_cast<double>(static_cast<std::int64_t>(bits % 2000001) - 1000000) / 1000.0);
    check(static_cast<float>(static_cast<std::int64_t>(bits % 20001) - 10000) / 100.0f);
  }
  for (double d : {1e-5,        1e-4,      0.0001234565, 999999.0,   1000000.0, 999999.5,  123456.0,
                   1e100,       1e-100,    0.5,          2.5,        1234565.0, 1234575.0, 0.000123456,
                   9.999995e-5, 9999995.0, 1e27,         9.99999e26, 1e-17,     1.5e-18,   123456789012.0,
                   0.1,         0.3,       1.0 / 3,      2.0 / 3,    100000.0,  1e6,       1e5 + 0.5})
    check(d);
  check(std::numeric_limits<float>::denorm_min());
  check(std::numeric_limits<double>::denorm_min());
  check(std::numeric_limits<float>::min());
  check(-0.0f);
}

TEST(NumberFormat, TenthMillis) {
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 12310); }), "1.2310");
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 0xFFFFFFFFu); }), "429496.7295");
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 0); }), "0.0000");
  std::vector<std::uint32_t> values = {9999, 10000, 99999999, 100000000, 100009999, 4200000000u, 999999999};
  std::uint32_t power = 1;
  for (int digits = 1; digits <= 9; ++digits, power *= 10) {
    values.push_back(power - 1);
    values.push_back(power);
  }
  std::uint64_t state = 3;
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    values.push_back(static_cast<std::uint32_t>(state >> 32) >> (state % 32));
  }
  for (std::uint32_t v : values) {
    char want[32];
    std::snprintf(want, sizeof want, "%u.%04u", v / 10000, v % 10000);
    ASSERT_EQ(text([&](auto& b) { append_tenth_millis(b, v); }), want);
  }
}

namespace {
// Decimal text of v by repeated division: the reference the fast writers are held to.
std::string reference_decimal(unsigned __int128 v, bool negative = false) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  return negative ? "-" + s : s;
}
}  // namespace

// Every digit count of every integer width, at the edges of each length (9..9, 10..0)
// and at random, must match the reference; the writers' over-long stores must stay within
// what they promise.
TEST(NumberFormat, IntegersOfEveryLengthMatchTheReference) {
  std::vector<std::uint64_t> values = {0, 1, 9, 10, 99, 100, 255, 256, UINT32_MAX, UINT64_MAX, UINT64_MAX - 1};
  std::uint64_t power = 1;
  for (int digits = 1; digits <= 19; ++digits) {
    power *= 10;
    values.push_back(power - 1);
    values.push_back(power);
    values.push_back(power + 1);
  }
  std::uint64_t state = 99;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    values.push_back(state >> (state % 64));  // every magnitude
  }
  for (std::uint64_t v : values) {
    ASSERT_EQ(text([&](auto& b) { append_int(b, v); }), reference_decimal(v)) << v;
    const auto s = static_cast<std::int64_t>(v);
    const bool negative = s < 0;
    const unsigned __int128 magnitude =
        negative ? 0 - static_cast<unsigned __int128>(s) : static_cast<unsigned __int128>(s);
    ASSERT_EQ(text([&](auto& b) { append_int(b, s); }), reference_decimal(magnitude, negative)) << s;
    ASSERT_EQ(text([&](auto& b) { append_int(b, static_cast<std::int32_t>(v)); }),
              std::to_string(static_cast<std::int32_t>(v)));
    char buf[32];
    std::memset(buf, '#', sizeof buf);
    char* end = put_u8(buf, static_cast<unsigned>(v & 0xFF));
    EXPECT_EQ(std::string(buf, end), std::to_string(v & 0xFF));
    EXPECT_EQ(buf[8], '#');  // stores 8 bytes, no more
    std::memset(buf, '#', sizeof buf);
    end = put_i64(buf, s);
    EXPECT_EQ(buf[25], '#');  // stores at most 25 bytes
    (void)end;
  }
  EXPECT_EQ(text([](auto& b) { append_int(b, INT64_MIN); }), "-9223372036854775808");
}

TEST(NumberFormat, U128MatchesTheReferenceAtEveryLength) {
  unsigned __int128 power = 1;
  std::uint64_t state = 7;
  for (int digits = 1; digits <= 39; ++digits) {
    power *= 10;
    for (unsigned __int128 v : {power - 1, power, power + 1}) {
      ASSERT_EQ(text([&](auto& b) { append_u128(b, v); }), reference_decimal(v));
    }
    for (int i = 0; i < 1000; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      const unsigned __int128 v = ((static_cast<unsigned __int128>(state) << 64) | (state * 31)) >> (state % 128);
      ASSERT_EQ(text([&](auto& b) { append_u128(b, v); }), reference_decimal(v));
    }
  }
}

// A float128 argument holding a double's value prints through the double path; one that
// does not prints through the long double path: both as printf prints the value.
TEST(NumberFormat, LongDoubleMatchesPrintf) {
  for (long double v : {1.5L, 3.14159L, -2.0L, 1e300L * 10, 1.0L / 3, 0.1L, 1e-4000L, -0.0L}) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%Lg", v);
    EXPECT_EQ(text([&](auto& b) { append_float_g(b, v); }), buf) << buf;
  }
}
