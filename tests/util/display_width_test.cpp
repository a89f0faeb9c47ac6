#include "util/display_width.hpp"

#include <gtest/gtest.h>

using dltdump::util::display_width;

TEST(DisplayWidth, WideTakeTwoColumnsCombiningNone) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("trip.dlt"), 8u);
  EXPECT_EQ(display_width("\xC3\xA4"), 1u);                  // ä
  EXPECT_EQ(display_width("a\xCC\x88"), 1u);                 // a + combining diaeresis
  EXPECT_EQ(display_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4u);  // 日本
  EXPECT_EQ(display_width("\xED\x95\x9C"), 2u);              // 한 (Hangul)
  EXPECT_EQ(display_width("\xEF\xBC\xA1"), 2u);              // Ａ (fullwidth)
  EXPECT_EQ(display_width("\xF0\x9F\x98\x80"), 2u);          // 😀
  EXPECT_EQ(display_width("\xF0\xA0\x80\x80"), 2u);          // U+20000 (CJK extension B)
  EXPECT_EQ(display_width("x\xE2\x80\x8By"), 2u);            // zero width space
  EXPECT_EQ(display_width("\xE2\x80\xA6\xE2\x82\xAC"), 2u);  // … €: narrow
  EXPECT_EQ(display_width("\\xE2\\x80\\xA8"), 12u);          // an escape is ASCII
}
