#include "util/value_text.hpp"

#include <gtest/gtest.h>

using dltdump::util::printable;
using dltdump::util::quoted;
using dltdump::util::shows_as_dot;
using dltdump::util::valid_utf8;

TEST(ValueText, ValidUtf8) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("timeout"));
  EXPECT_TRUE(valid_utf8("\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80"));  // ä € 😀
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_FALSE(valid_utf8("a\xC3"));             // cut short
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE2\x82"));
}

TEST(ValueText, QuotedShowsControlsAndStrayBytesAsHex) {
  EXPECT_EQ(quoted("TOOLONG"), "'TOOLONG'");
  EXPECT_EQ(quoted(""), "''");
  EXPECT_EQ(quoted("\xFF"), "'\\xFF'");
  EXPECT_EQ(quoted("a\nb\x1b[31m\x7F"), "'a\\x0Ab\\x1B[31m\\x7F'");
  EXPECT_EQ(quoted("\xC2\x85\xC2\xA0\xC3\xA4"), "'\\xC2\\x85\xC2\xA0\xC3\xA4'");  // NEL is C1; NBSP and ä are text
  EXPECT_EQ(quoted("a\xE2\x82"), "'a\\xE2\\x82'");
}

TEST(ValueText, PrintableIsQuotedWithoutQuotes) {
  EXPECT_EQ(printable("File not found /tmp/a\nb.dlt"), "File not found /tmp/a\\x0Ab.dlt");
  EXPECT_EQ(printable("already \\xFF escaped"), "already \\xFF escaped");  // a backslash is text
  EXPECT_EQ(printable(""), "");
}

TEST(ValueText, HasControl) {
  EXPECT_FALSE(shows_as_dot("a b\xC3\xA4"));
  EXPECT_TRUE(shows_as_dot("a\tb"));
  EXPECT_TRUE(shows_as_dot("\x7F"));
  EXPECT_TRUE(shows_as_dot("\xC2\x9F"));
  EXPECT_TRUE(shows_as_dot("a\xE2\x80\xA8"));  // U+2028, U+2029: '.' in a line too
  EXPECT_TRUE(
      shows_as_dot("\xE2\x80\xA9"
                   "b"));
  EXPECT_FALSE(shows_as_dot("\xE2\x80\xA7\xE2\x80\xAA"));
  EXPECT_FALSE(shows_as_dot("\xC2\xA0"));
}

TEST(ValueText, PrintableEscapesLineSeparatorsAndBidiControls) {
  // U+2028, U+2029, U+202E (right-to-left override), U+2066, U+061C, U+200F: bytes as \xHH.
  EXPECT_EQ(dltdump::util::printable("a\xE2\x80\xA8"
                                     "b"),
            "a\\xE2\\x80\\xA8b");
  EXPECT_EQ(dltdump::util::printable("\xE2\x80\xA9"), "\\xE2\\x80\\xA9");
  EXPECT_EQ(dltdump::util::printable("x\xE2\x80\xAEy"), "x\\xE2\\x80\\xAEy");
  EXPECT_EQ(dltdump::util::printable("\xE2\x81\xA6"), "\\xE2\\x81\\xA6");
  EXPECT_EQ(dltdump::util::printable("\xD8\x9C"), "\\xD8\\x9C");
  EXPECT_EQ(dltdump::util::printable("\xE2\x80\x8F"), "\\xE2\\x80\\x8F");
  // Controls and bad bytes as printable shows them; other characters as they are.
  EXPECT_EQ(dltdump::util::printable("a\nb\xFF"), "a\\x0Ab\\xFF");
  EXPECT_EQ(dltdump::util::printable("\xE6\x97\xA5\xE2\x80\xA6\xE2\x80\x94"), "\xE6\x97\xA5\xE2\x80\xA6\xE2\x80\x94");
  // (a new user found -c, CSV and diagnostics lines broken by a file name's U+2028)
}
