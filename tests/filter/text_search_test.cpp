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

// ---- The prefilter: payload bytes prove a verbose text cannot match ----

#include <random>

#include "dlt/packet_builder.hpp"
#include "dlt/verbose_payload.hpp"
#include "util/text_buffer.hpp"

namespace {
using dltdump::test::Bytes;

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A random verbose payload of every kind of argument, strings of random printable ASCII
// (so anchors and separators occur), and its argument count.
Bytes random_payload(std::mt19937& rng, unsigned& noar) {
  using namespace dltdump::test;
  Bytes p;
  noar = 1 + rng() % 6;
  for (unsigned a = 0; a < noar; ++a) {
    switch (rng() % 7) {
      case 0: {
        std::string s;
        for (unsigned k = rng() % 12; k > 0; --k) s += static_cast<char>(0x20 + rng() % 0x5F);
        p = cat({p, arg_string(s, false, rng() % 2 == 0)});
        break;
      }
      case 1: p = cat({p, arg_uint(rng(), 4, false)}); break;
      case 2: p = cat({p, arg_uint(rng(), 4, false, 0x10000)}); break;         // hex
      case 3: p = cat({p, arg_uint(rng() & 0xFF, 1, false, 0x18000)}); break;  // binary
      case 4: p = cat({p, arg_sint(-static_cast<std::int64_t>(rng() % 1000), 2, false)}); break;
      case 5: {  // bool
        put(p, 0x11, 4, false);
        p.push_back(static_cast<std::uint8_t>(rng() % 2));
        break;
      }
      default: {  // float32
        put(p, 0x83, 4, false);
        put(p, rng(), 4, false);
        break;
      }
    }
  }
  return p;
}
}  // namespace

TEST(TextSearch, PrefilterNeedsAnAnchorInEveryNeedle) {
  EXPECT_TRUE(TextSearch({"door="}, {}, false).has_prefilter());
  EXPECT_TRUE(TextSearch({"Speed", "gone"}, {}, false).has_prefilter());
  EXPECT_FALSE(TextSearch({"door=", "1.5"}, {}, false).has_prefilter());  // 1.5 may be a float
  EXPECT_FALSE(TextSearch({"true"}, {}, false).has_prefilter());
  EXPECT_FALSE(TextSearch({"door"}, {}, true).has_prefilter());  // -i: no
  EXPECT_TRUE(TextSearch({}, {"door=\\d+"}, false).has_prefilter());
  EXPECT_FALSE(TextSearch({}, {"door|window"}, false).has_prefilter());
  EXPECT_FALSE(TextSearch({}, {"(?i)door"}, false).has_prefilter());
  EXPECT_FALSE(TextSearch({}, {"do?r"}, false).has_prefilter());  // "d" and "r": no anchor left
}

TEST(TextSearch, PrefilterLooksForTheVerbatimRunInThePayload) {
  TextSearch s({"door=12"}, {}, false);
  EXPECT_TRUE(s.may_match_verbose_payload(bytes("xx door=12 yy")));
  EXPECT_FALSE(s.may_match_verbose_payload(bytes("xx door=5 yy")));
  EXPECT_FALSE(s.may_match_verbose_payload(bytes("window")));
}

// Escapes, classes and counted quantifiers are no literals of the text (a new user's
// findings: `t\x69meout`, `\p{L}`, `[0-9]{2,}` and `ro{1,}ute` ruled out every verbose
// message that matched).
TEST(TextSearch, PrefilterPassesOverEscapesClassesAndQuantifiers) {
  using dltdump::test::arg_string;
  const Bytes payload = arg_string("route timeout 12 é+", false, true);
  for (const char* re : {"t\\x69meout", "t\\151meout", "\\x{74}imeout", "\\x2B", "\\p{L}", "\\pLoute", "[0-9]{2,}",
                         "ro{1,}ute", "rout{1,2}e", "[[:alpha:]]oute", "[\\]x]?timeout", "é*timeout",
                         "\\N{U+0074}imeout", "(r)\\g{1}?oute", "\\cJ?route", "q{0}route"}) {
    TextSearch s({}, {re}, false);
    auto scratch = s.scratch();
    EXPECT_TRUE(s.matches("route timeout 12 é+", *scratch)) << re;
    EXPECT_TRUE(s.may_match_verbose_payload(payload)) << re;
  }
}

TEST(TextSearch, SkipLinesAreRuledOutOnlyWhenTheirCharactersCannotMatch) {
  EXPECT_FALSE(TextSearch({"door="}, {}, false).may_match_skip_text());
  EXPECT_TRUE(TextSearch({"bytes"}, {}, false).may_match_skip_text());
  EXPECT_TRUE(TextSearch({}, {"Reason: .*"}, false).may_match_skip_text());
  EXPECT_FALSE(TextSearch({}, {"door=\\d"}, false).may_match_skip_text());
}

// The claim the prefilter rests on, tested on random payloads: whenever the text matches,
// the payload bytes say it may.
TEST(TextSearch, PrefilterNeverRulesOutAMatch) {
  std::mt19937 rng(11);
  int checked = 0, ruled_out = 0, prefiltered = 0;
  for (int round = 0; round < 20000; ++round) {
    unsigned noar = 0;
    const Bytes payload = random_payload(rng, noar);
    dltdump::util::TextBuffer text;
    ASSERT_TRUE(dltdump::dlt::format_verbose(payload, false, static_cast<std::uint8_t>(noar), text));
    const std::string t(text.view());
    if (t.empty()) continue;
    const std::size_t at = rng() % t.size();
    const std::string needle = t.substr(at, 1 + rng() % 10);
    // The needle as a pattern: each character as itself (escaped where it is special), `.`,
    // a hex, braced hex or octal escape, a class, a group or under a quantifier that keeps
    // it; and now and then a character that may be absent (`Z?`, `é*`, `q{0}`).
    std::string pattern;
    for (char c : needle) {
      const auto u = static_cast<unsigned char>(c);
      char hex[16];
      switch (rng() % 16) {
        case 0: pattern += '.'; break;
        case 1: std::snprintf(hex, sizeof hex, "\\x%02x", u), pattern += hex; break;
        case 2: std::snprintf(hex, sizeof hex, "\\x{%x}", u), pattern += hex; break;
        case 3: std::snprintf(hex, sizeof hex, "\\%03o", u), pattern += hex; break;
        case 4: std::snprintf(hex, sizeof hex, "[\\x%02x]", u), pattern += hex; break;
        case 5: std::snprintf(hex, sizeof hex, "(\\x%02x)", u), pattern += hex; break;
        case 6: std::snprintf(hex, sizeof hex, "\\x%02x{1,}", u), pattern += hex; break;
        case 7: pattern += std::isprint(u) ? "[[:print:]]" : "\\C"; break;
        case 8: pattern += "(?:Z)?"; [[fallthrough]];  // alternation-free, but `(?`: no prefilter
        default:
          if (std::isalnum(u) || c == '=' || c == '_' || c == ' ') pattern += c;
          else pattern += std::string("\\") + c;
          if (std::isalnum(u) && rng() % 6 == 0) pattern += "{1,3}";
      }
      if (rng() % 12 == 0) pattern += rng() % 2 ? "Z?" : rng() % 2 ? "é*" : "q{0}";
    }
    for (const TextSearch* s : {new TextSearch({needle}, {}, false), new TextSearch({}, {pattern}, false)}) {
      auto scratch = s->scratch();
      prefiltered += s->has_prefilter();
      if (s->matches(t, *scratch)) {
        ++checked;
        ASSERT_TRUE(s->may_match_verbose_payload(payload))
            << "needle '" << needle << "' pattern '" << pattern << "' text '" << t << "'";
      }
      delete s;
    }
    // A needle that is not in the text is often ruled out without formatting.
    TextSearch absent({"Zq" + needle}, {}, false);
    auto scratch = absent.scratch();
    if (!absent.matches(t, *scratch) && !absent.may_match_verbose_payload(payload)) ++ruled_out;
  }
  EXPECT_GT(checked, 10000);
  EXPECT_GT(ruled_out, 1000);
  EXPECT_GT(prefiltered, 3000);  // patterns whose literals make a prefilter, checked above
}
