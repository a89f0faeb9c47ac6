#include "dlt/text_encoding.hpp"

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace dltdump;

namespace {
std::string iso(std::vector<std::uint8_t> b) {
  util::TextBuffer t;
  dlt::append_iso8859_15(t, b.data(), b.size());
  return std::string(t.view());
}
std::string utf8(std::vector<std::uint8_t> b) {
  util::TextBuffer t;
  dlt::append_utf8(t, b.data(), b.size());
  return std::string(t.view());
}
}  // namespace

TEST(TextEncoding, Iso8859_15) {
  EXPECT_EQ(iso({'a', 0x00, 0x1F, 0x7F, 0x9F, 'z'}), "a....z");
  EXPECT_EQ(iso({0xA0}), " ");
  EXPECT_EQ(iso({0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE}), "€ŠšŽžŒœŸ");
  EXPECT_EQ(iso({0xE4, 0xFF}), "äÿ");
}

TEST(TextEncoding, Utf8ReplacesMaximalInvalidSubparts) {
  EXPECT_EQ(utf8({0xC3, 0xBC}), "ü");
  EXPECT_EQ(utf8({0xE2, 0x9C, 0x93}), "✓");
  EXPECT_EQ(utf8({0xF0, 0x9F, 0x98, 0x80}), "😀");
  EXPECT_EQ(utf8({0xFF}), "\xEF\xBF\xBD");
  EXPECT_EQ(utf8({0xC0, 0xAF}), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong: two
  EXPECT_EQ(utf8({0xE2, 0x9C, 'a'}),
            "\xEF\xBF\xBD"
            "a");                                                               // truncated: one
  EXPECT_EQ(utf8({0xED, 0xA0, 0x80}), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(utf8({'a', 0x00, 'b'}), "a.b");  // controls as '.' (contract 3 of issue #19)
}

TEST(TextEncoding, HexBytes) {
  util::TextBuffer t;
  std::uint8_t b[] = {0x11, 0xab, 0x00};
  dlt::append_hex_bytes(t, b, 3);
  EXPECT_EQ(t.view(), "11 ab 00");
  t.clear();
  dlt::append_hex_bytes(t, b, 0);
  EXPECT_EQ(t.view(), "");
}
