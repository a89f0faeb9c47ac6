#include "filter/text_search.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "util/error.hpp"

using dltdump::filter::TextSearch;

namespace {
bool search(const TextSearch& s, std::string_view text) {
  auto scratch = s.scratch();
  return s.matches(text, *scratch);
}
}  // namespace

TEST(TextSearch, SubstringsAreOrdinalAndCaseSensitive) {
  TextSearch s({"timeout", "a,b"}, {}, false);
  EXPECT_TRUE(search(s, "connection timeout after 5 s"));
  EXPECT_TRUE(search(s, "x a,b y"));
  EXPECT_FALSE(search(s, "connection TIMEOUT after 5 s"));
  EXPECT_FALSE(search(s, "time out"));
  EXPECT_FALSE(search(s, ""));
}

TEST(TextSearch, EmptySubstringMatchesEveryText) {
  TextSearch s({""}, {}, false);
  EXPECT_TRUE(search(s, ""));
  EXPECT_TRUE(search(s, "abc"));
}

TEST(TextSearch, IgnoreCaseFoldsUnicodeAndKeepsMetacharactersLiteral) {
  TextSearch s({"äbc.d"}, {}, true);
  EXPECT_TRUE(search(s, "xx ÄBC.D yy"));
  EXPECT_TRUE(search(s, "äbc.d"));
  EXPECT_FALSE(search(s, "ÄBCxD"));  // `.` is no wildcard in a substring
}

TEST(TextSearch, RegexesSearchAnywhereAndFormOneOrGroupWithSubstrings) {
  TextSearch s({"fatal"}, {R"(speed=(\d{3,}))"}, false);
  EXPECT_TRUE(search(s, "speed=120 km/h"));
  EXPECT_FALSE(search(s, "speed=99"));
  EXPECT_TRUE(search(s, "a fatal thing"));
  TextSearch i({}, {"^SPEED"}, true);
  EXPECT_TRUE(search(i, "speed=1"));
  EXPECT_FALSE(search(i, "the speed"));
}

TEST(TextSearch, RegexesWorkOnCharactersNotBytes) {
  TextSearch s({}, {"^.€$"}, false);
  EXPECT_TRUE(search(s, "ä€"));
}

TEST(TextSearch, InvalidRegexNamesThePatternAndTheReason) {
  try {
    TextSearch s({}, {"ok", "a(b"}, false);
    FAIL() << "no exception";
  } catch (const dltdump::util::Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("Invalid regular expression 'a(b': missing closing parenthesis", 0), 0u)
        << e.what();
  }
}

TEST(TextSearch, PathologicalPatternGivesUpAndIsCounted) {
  TextSearch s({}, {"(a+)+$"}, false);
  const std::string text = std::string(40, 'a') + "!";
  auto scratch = s.scratch();
  const auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < 3; ++k) EXPECT_FALSE(s.matches(text, *scratch));
  EXPECT_EQ(s.limit_hits(), 3u);
  // Not a timing test of the machine: 2^40 steps would take hours; the limit stops it.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}
