#include "util/number_format.hpp"

#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
#include <cstring>
#include <limits>

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

TEST(NumberFormat, FloatMatchesPrintfG) {
  const double values[] = {0.0, -0.0, 1.9, -1.2, 1e20, 123456.0, 1234567.0, 0.0001, 0.00001, 3.14159265358979,
                           1e-300, 5e-324, 1.7976931348623157e308, 100000.0, 999999.5, 0.5};
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
  for (double d : {1e-5, 1e-4, 0.0001234565, 999999.0, 1000000.0, 999999.5, 123456.0, 1e100, 1e-100, 0.5, 2.5,
                   1234565.0, 1234575.0, 0.000123456, 9.999995e-5, 9999995.0, 1e27, 9.99999e26, 1e-17, 1.5e-18,
                   123456789012.0, 0.1, 0.3, 1.0 / 3, 2.0 / 3, 100000.0, 1e6, 1e5 + 0.5})
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
}
