#include "util/number_format.hpp"

#include <cmath>
#include <cstdio>
#include <gtest/gtest.h>
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

TEST(NumberFormat, TenthMillis) {
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 12310); }), "1.2310");
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 0xFFFFFFFFu); }), "429496.7295");
  EXPECT_EQ(text([](auto& b) { append_tenth_millis(b, 0); }), "0.0000");
}
