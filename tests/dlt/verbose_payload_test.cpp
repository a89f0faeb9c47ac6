#include "dlt/verbose_payload.hpp"

#include <gtest/gtest.h>
#include <optional>

#include "dlt/packet_builder.hpp"
#include "dlt/text_encoding.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {
// The text of a payload, or nullopt when it is invalid. Checks that validation and
// formatting agree.
// Checks too that the walk making the text and the JSON arguments at once (the framer's for
// JSON Lines) agrees with both walks apart.
std::optional<std::string> decode(const Bytes& payload, bool be, unsigned noar) {
  bool valid = dlt::validate_verbose(payload, be, static_cast<std::uint8_t>(noar));
  util::TextBuffer t;
  bool formatted = dlt::format_verbose(payload, be, static_cast<std::uint8_t>(noar), t);
  EXPECT_EQ(valid, formatted);
  util::TextBuffer both_text, both_json;
  bool plain = false;
  EXPECT_EQ(dlt::format_verbose_with_json(payload, be, static_cast<std::uint8_t>(noar), both_text, both_json, plain),
            valid);
  if (!valid) return std::nullopt;
  // A text said to be plain is what a JSON string holds of it (the record copies it as is).
  if (plain) {
    util::TextBuffer escaped;
    dlt::append_json_printable(escaped, both_text.view());
    EXPECT_EQ(escaped.view(), both_text.view());
  }
  util::TextBuffer json;
  EXPECT_TRUE(dlt::format_verbose_json(payload, be, static_cast<std::uint8_t>(noar), json));
  EXPECT_EQ(both_text.view(), t.view());
  EXPECT_EQ(both_json.view(), json.view());
  return std::string(t.view());
}
Bytes ti(std::uint32_t v, bool be) {
  Bytes b;
  put(b, v, 4, be);
  return b;
}

class BothOrders : public ::testing::TestWithParam<bool> {};
}  // namespace

INSTANTIATE_TEST_SUITE_P(Verbose, BothOrders, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

TEST_P(BothOrders, Bool) {
  bool be = GetParam();
  EXPECT_EQ(decode(cat({ti(0x11, be), {1}}), be, 1), "true");
  EXPECT_EQ(decode(cat({ti(0x10, be), {0}}), be, 1), "false");
  EXPECT_EQ(decode(cat({ti(0x12, be), {0, 2}}), be, 1), "true");     // 16-bit bool, any byte set
  EXPECT_EQ(decode(ti(0x11, be), be, 1), std::nullopt);              // data missing
  EXPECT_EQ(decode(cat({ti(0x16, be), {0}}), be, 1), std::nullopt);  // TYLE 6 invalid
}

TEST_P(BothOrders, SignedAndUnsignedIntegers) {
  bool be = GetParam();
  EXPECT_EQ(decode(arg_sint(-5, 1, be), be, 1), "-5");
  EXPECT_EQ(decode(arg_sint(-30000, 2, be), be, 1), "-30000");
  EXPECT_EQ(decode(arg_sint(-559038737, 4, be), be, 1), "-559038737");
  EXPECT_EQ(decode(arg_sint(INT64_MIN, 8, be), be, 1), "-9223372036854775808");
  EXPECT_EQ(decode(arg_uint(255, 1, be), be, 1), "255");
  EXPECT_EQ(decode(arg_uint(UINT64_MAX, 8, be), be, 1), "18446744073709551615");
  EXPECT_EQ(decode(arg_uint(0x40, 1, be, 2u << 15), be, 1), "0x40");
  EXPECT_EQ(decode(arg_uint(0xabcd, 4, be, 2u << 15), be, 1), "0x0000abcd");
  EXPECT_EQ(decode(arg_uint(0x40, 1, be, 3u << 15), be, 1), "0b0100 0000");
  EXPECT_EQ(decode(arg_uint(0x1234, 2, be, 3u << 15), be, 1), "0b0001 0010 0011 0100");
}

TEST_P(BothOrders, Integers128) {  // Q15: decimal, not `Type Info: … Data: …`
  bool be = GetParam();
  Bytes data(16, 0xFF);
  EXPECT_EQ(decode(cat({ti(0x45, be), data}), be, 1), "340282366920938463463374607431768211455");
  EXPECT_EQ(decode(cat({ti(0x25, be), data}), be, 1), "-1");
  Bytes one(16, 0);
  (be ? one[15] : one[0]) = 1;
  EXPECT_EQ(decode(cat({ti(0x45 | (2u << 15), be), one}), be, 1), "0x00000000000000000000000000000001");
}

TEST_P(BothOrders, Floats) {
  bool be = GetParam();
  float f = 1.9f;
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  EXPECT_EQ(decode(cat({ti(0x83, be),
                        [&] {
                          Bytes b;
                          put(b, u, 4, be);
                          return b;
                        }()}),
                   be, 1),
            "1.9");
  double d = 1e20;
  std::uint64_t u8;
  std::memcpy(&u8, &d, 8);
  EXPECT_EQ(decode(cat({ti(0x84, be),
                        [&] {
                          Bytes b;
                          put(b, u8, 8, be);
                          return b;
                        }()}),
                   be, 1),
            "1e+20");
  Bytes half;
  put(half, 0xC100, 2, be);  // -2.5 in binary16
  EXPECT_EQ(decode(cat({ti(0x82, be), half}), be, 1), "-2.5");
  Bytes quad(16, 0);  // 1.5 in binary128
  if (be) quad[0] = 0x3F, quad[1] = 0xFF, quad[2] = 0x80;
  else quad[15] = 0x3F, quad[14] = 0xFF, quad[13] = 0x80;
  EXPECT_EQ(decode(cat({ti(0x85, be), quad}), be, 1), "1.5");
  Bytes inf;
  put(inf, 0x7F800000u, 4, be);
  EXPECT_EQ(decode(cat({ti(0x83, be), inf}), be, 1), "inf");
  EXPECT_EQ(decode(cat({ti(0x81, be), {0}}), be, 1), std::nullopt);  // 8-bit float invalid
}

TEST_P(BothOrders, Strings) {
  bool be = GetParam();
  EXPECT_EQ(decode(arg_string("Hello BMW", be), be, 1), "Hello BMW");
  EXPECT_EQ(decode(arg_string("no nul", be, false, false), be, 1), "no nul");
  EXPECT_EQ(decode(arg_string(std::string("a\0\0", 3), be), be, 1), "a..");  // one NUL dropped only
  EXPECT_EQ(decode(arg_string("\xE4\xA4", be), be, 1), "ä€");                // ISO-8859-15
  EXPECT_EQ(decode(arg_string("Gr\xC3\xBC\xC3\x9F"
                              "e",
                              be, true),
                   be, 1),
            "Grüße");
  EXPECT_EQ(decode(arg_string("\xFF", be, true), be, 1), "\xEF\xBF\xBD");
  EXPECT_EQ(decode(cat({arg_string("", be), arg_string("x", be)}), be, 2), " x");
  // What a JSON value escapes or replaces and a line shows otherwise (decode compares the
  // one walk that makes both with the walks apart): quotes, controls, NBSP, U+2028.
  EXPECT_EQ(decode(arg_string("say \"hi\" \\ \x01\x7F\xA0 long enough to take blocks", be), be, 1),
            "say \"hi\" \\ ..  long enough to take blocks");
  EXPECT_EQ(decode(cat({arg_string("a\xE2\x80\xA8z \xC3\x28 \xC2\x85 \"q\" and a tail of sixteen", be, true),
                        arg_string("\xE2\x80\xA9", be, true)}),
                   be, 2),
            "a.z \xEF\xBF\xBD( . \"q\" and a tail of sixteen .");  // the separators as '.' in a line
}

TEST_P(BothOrders, Raw) {
  bool be = GetParam();
  Bytes raw;
  put(raw, 0x400, 4, be);
  put(raw, 3, 2, be);
  raw.insert(raw.end(), {0x11, 0x22, 0xff});
  EXPECT_EQ(decode(raw, be, 1), "11 22 ff");
  Bytes empty;
  put(empty, 0x400, 4, be);
  put(empty, 0, 2, be);
  EXPECT_EQ(decode(empty, be, 1), "");
}

TEST_P(BothOrders, VariableInfoIsReadButNotShown) {  // Q15
  bool be = GetParam();
  Bytes b;
  put(b, 0x43 | 0x800, 4, be);  // uint32 with VARI
  put(b, 6, 2, be);             // name length
  put(b, 5, 2, be);             // unit length
  put_str(b, std::string("speed\0km/h\0", 11));
  put(b, 120, 4, be);
  EXPECT_EQ(decode(b, be, 1), "120");
  Bytes s;
  put(s, 0x200 | 0x800, 4, be);  // string with VARI: length, name length, name, data
  put(s, 3, 2, be);
  put(s, 2, 2, be);
  put_str(s, std::string("n\0ab\0", 5));
  EXPECT_EQ(decode(s, be, 1), "ab");
}

TEST_P(BothOrders, FixedPointTraceArrayStruct) {  // Q15
  bool be = GetParam();
  Bytes fixp;
  put(fixp, 0x23 | 0x1000, 4, be);
  put(fixp, 0x3F000000, 4, be);  // quantisation 0.5f
  put(fixp, 10, 4, be);          // offset
  put(fixp, static_cast<std::uint32_t>(-7), 4, be);
  EXPECT_EQ(decode(fixp, be, 1), "-7");

  Bytes trai;
  put(trai, 0x2000, 4, be);
  put(trai, 4, 2, be);
  put_str(trai, std::string("abc\0", 4));
  EXPECT_EQ(decode(trai, be, 1), "abc");

  Bytes arr;
  put(arr, 0x100 | 0x42, 4, be);  // array of uint16
  put(arr, 2, 2, be);             // two dimensions
  put(arr, 2, 2, be);
  put(arr, 2, 2, be);
  for (int v : {1, 2, 3, 4}) put(arr, static_cast<std::uint64_t>(v), 2, be);
  EXPECT_EQ(decode(arr, be, 1), "[1 2 3 4]");

  Bytes stru;
  put(stru, 0x4000, 4, be);
  put(stru, 2, 2, be);
  stru = cat({stru, arg_uint(5, 1, be), arg_string("x", be)});
  EXPECT_EQ(decode(cat({stru, arg_uint(9, 1, be)}), be, 2), "{5 x} 9");

  Bytes nested;  // { {} 1 }
  put(nested, 0x4000, 4, be);
  put(nested, 2, 2, be);
  put(nested, 0x4000, 4, be);
  put(nested, 0, 2, be);
  nested = cat({nested, arg_uint(1, 1, be)});
  EXPECT_EQ(decode(nested, be, 1), "{{} 1}");
}

TEST(Verbose, PayloadMustBeConsumedExactly) {
  EXPECT_EQ(decode(arg_uint(1, 1, false), false, 2), std::nullopt);              // missing argument
  EXPECT_EQ(decode(cat({arg_uint(1, 1, false), {0}}), false, 1), std::nullopt);  // leftover byte
  EXPECT_EQ(decode({}, false, 5), "");  // empty payload: accepted whatever NOAR says
  EXPECT_EQ(dlt::verbose_argument_count({}, 5), 0u);
}

TEST(Verbose, InvalidTypeCombinations) {
  EXPECT_EQ(decode(cat({ti(0x60 | 1, false), {0}}), false, 1), std::nullopt);  // SINT|UINT
  EXPECT_EQ(decode(cat({ti(0x0, false), {0}}), false, 1), std::nullopt);       // no type
  EXPECT_EQ(decode(cat({ti(0x300, false), {0, 0}}), false, 1), std::nullopt);  // ARAY|STRG
}

TEST(Verbose, StructNestingIsBounded) {
  Bytes deep;
  for (int i = 0; i < dlt::kMaxStructDepth + 2; ++i) {
    put(deep, 0x4000, 4, false);
    put(deep, 1, 2, false);
  }
  EXPECT_EQ(decode(deep, false, 1), std::nullopt);
}

TEST(Verbose, ArrayCountOverflowIsRejected) {
  Bytes arr;
  put(arr, 0x100 | 0x44, 4, false);
  put(arr, 4, 2, false);
  for (int i = 0; i < 4; ++i) put(arr, 0xFFFF, 2, false);
  EXPECT_EQ(decode(arr, false, 1), std::nullopt);
}
