#include "dlt/text_encoding.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
  // Line and paragraph separators end a line for Python's splitlines and many editors: '.'
  // too; the characters beside them in the same block stay.
  EXPECT_EQ(utf8({'a', 0xE2, 0x80, 0xA8, 'b', 0xE2, 0x80, 0xA9, 'c'}), "a.b.c");
  EXPECT_EQ(utf8({0xE2, 0x80, 0xA7, 0xE2, 0x80, 0xAA, 0xC2, 0x85}), "\xE2\x80\xA7\xE2\x80\xAA.");
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

namespace {
std::string json_utf8(const std::string& s) {
  util::TextBuffer t;
  dlt::append_json_utf8(t, s);
  return std::string(t.view());
}
std::string json_printable(const std::string& s) {
  util::TextBuffer t;
  dlt::append_json_printable(t, s);
  return std::string(t.view());
}
std::string json_value(const std::string& s, bool utf8) {
  util::TextBuffer t;
  dlt::append_json_string_value(t, reinterpret_cast<const std::uint8_t*>(s.data()), s.size(), utf8);
  return std::string(t.view());
}
}  // namespace

// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR are valid raw in JSON, but JavaScript
// line splitters and some JSON-Lines readers split records on them: every JSON string
// writes them as escapes. Other characters around them (U+2027, U+202A, the same lead
// byte) stay as they are.
TEST(TextEncoding, JsonEscapesLineAndParagraphSeparators) {
  const std::string ls = "\xE2\x80\xA8", ps = "\xE2\x80\xA9";
  for (auto* f : {&json_utf8, &json_printable}) {
    EXPECT_EQ((*f)("a" + ls + "b" + ps + "c"), "a\\u2028b\\u2029c");
    EXPECT_EQ((*f)(ls), "\\u2028");
    EXPECT_EQ((*f)("ab" + ps), "ab\\u2029");
    // in the middle of a long run (the word-at-a-time paths)
    EXPECT_EQ((*f)("0123456789abcdef" + ls + "0123456789abcdef"), "0123456789abcdef\\u20280123456789abcdef");
    EXPECT_EQ((*f)("\xE2\x80\xA7\xE2\x80\xAA\xE2\x9C\x93"), "\xE2\x80\xA7\xE2\x80\xAA\xE2\x9C\x93");
    EXPECT_EQ((*f)("q\"\\" + ls), "q\\\"\\\\\\u2028");
  }
  EXPECT_EQ(json_value("x" + ls, true), "\"x\\u2028\"");
  // a separator cut short is invalid UTF-8: replaced, not escaped
  EXPECT_EQ(json_utf8("\xE2\x80"), "\xEF\xBF\xBD");
  // ISO-8859-15 strings cannot hold them: 0xE2 0x80 0xA8 are three characters
  EXPECT_EQ(json_value(ls, false), "\"\xC3\xA2\\u0080\xC5\xA1\"");  // â, U+0080, š
}

// The word-at-a-time copy resumes after each escape (and after a `€`, whose lead byte 0xE2
// a separator shares): every special text at every place of texts of every length up to
// three words, against an escape made byte by byte.
TEST(TextEncoding, JsonPrintableEscapesAtEveryPlaceOfAText) {
  const auto by_bytes = [](const std::string& s) {
    std::string r;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s.compare(i, 3, "\xE2\x80\xA8") == 0 || s.compare(i, 3, "\xE2\x80\xA9") == 0) {
        r += s[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
        i += 2;
        continue;
      }
      if (s[i] == '"' || s[i] == '\\') r += '\\';
      r += s[i];
    }
    return r;
  };
  for (const std::string special : {"\"", "\\", "\xE2\x82\xAC", "\xE2\x80\xA8", "\"\"\\"}) {
    for (std::size_t n = 0; n <= 24; ++n) {
      for (std::size_t at = 0; at <= n; ++at) {
        std::string s(n, 'x');
        for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
        s.insert(at, special);
        if (at % 5 == 2) s.insert(0, special);  // two of them, one early
        EXPECT_EQ(json_printable(s), by_bytes(s)) << "length " << n << ", at " << at;
      }
    }
  }
}

// The same for a string argument's JSON value, UTF-8 and ISO-8859-15 (their plain runs are
// copied 16 bytes at a time): a text's escape is that of its parts, wherever the special
// part stands among plain letters.
TEST(TextEncoding, JsonValuesEscapeAtEveryPlaceOfAText) {
  const auto json_iso = [](const std::string& s) {
    util::TextBuffer t;
    dlt::append_json_iso8859_15(t, reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    return std::string(t.view());
  };
  const auto letters = [](std::size_t n, std::size_t from) {
    std::string s(n, 'x');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (from + i) % 26);
    return s;
  };
  const std::string specials[] = {"\"",   "\\",       std::string(1, '\0'), "\x1F",
                                  "\x7F", "\xC3\xA4", "\xE2\x82\xAC",       "\xE2\x80\xA8",
                                  "\xFF", "\xC2\x85", "\xF0\x9F\x98\x80"};
  for (auto* f : {&json_utf8, static_cast<std::string (*)(const std::string&)>(nullptr)}) {
    for (const std::string& special : specials) {
      for (std::size_t n = 0; n <= 40; ++n) {
        for (std::size_t at = 0; at <= n; ++at) {
          const std::string a = letters(at, 0), b = letters(n - at, at);
          const auto escape = [&](const std::string& s) { return f ? (*f)(s) : json_iso(s); };
          EXPECT_EQ(escape(a + special + b), escape(a) + escape(special) + escape(b))
              << (f ? "utf8" : "iso") << ", length " << n << ", at " << at;
        }
      }
    }
  }
}

// append_text_and_json (one scan for a string argument's line text and JSON value, as the
// framer makes them for JSON Lines) writes what the four writers write apart, wherever an
// escape, a replacement or a multi-byte character falls against its 16- and 8-byte blocks:
// random strings of 0..80 bytes drawn from plain letters, quotes, backslashes, controls,
// DEL, C1, NBSP, €, lead and continuation bytes and U+2028's, for both codings.
TEST(TextEncoding, TextAndJsonInOneScanEqualTheWritersApart) {
  const std::vector<std::vector<std::uint8_t>> pieces = {{'a'},
                                                         {'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'},
                                                         {'"'},
                                                         {'\\'},
                                                         {0x00},
                                                         {0x1F},
                                                         {0x7F},
                                                         {0x85},
                                                         {0xA0},
                                                         {0xA4},
                                                         {0xFF},
                                                         {0xC3, 0xBC},
                                                         {0xE2, 0x82, 0xAC},
                                                         {0xE2, 0x80, 0xA8},
                                                         {0xE2, 0x80, 0xA9},
                                                         {0xE2, 0x80},
                                                         {0xF0, 0x9F, 0x98, 0x80},
                                                         {0xC2, 0x85},
                                                         {0xED, 0xA0, 0x80},
                                                         {0x80},
                                                         {' '}};
  std::uint32_t state = 12345;
  const auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return state >> 16;
  };
  for (int round = 0; round < 4000; ++round) {
    std::vector<std::uint8_t> s;
    const std::size_t target = next() % 81;
    while (s.size() < target) {
      const auto& piece = pieces[next() % pieces.size()];
      s.insert(s.end(), piece.begin(), piece.end());
    }
    for (const bool utf8 : {false, true}) {
      util::TextBuffer line, json, both_line, both_json;
      bool replaced = false;
      if (utf8) {
        dlt::append_utf8(line, s.data(), s.size());
        replaced = dlt::append_json_utf8(json, s.data(), s.size());
      } else {
        dlt::append_iso8859_15(line, s.data(), s.size());
        dlt::append_json_iso8859_15(json, s.data(), s.size());
      }
      both_line.append("<");  // what the buffers held before stays
      both_json.append("<");
      bool plain = true;
      const bool both_replaced = dlt::append_text_and_json(both_line, both_json, s.data(), s.size(), utf8, plain);
      const std::string input(s.begin(), s.end());
      // Plain exactly when every byte is printable ASCII but `"` and `\`.
      const bool printable = std::all_of(s.begin(), s.end(),
                                         [](std::uint8_t b) { return b >= 0x20 && b < 0x7F && b != '"' && b != '\\'; });
      EXPECT_EQ(plain, printable) << "utf8 " << utf8 << ", input " << input;
      EXPECT_EQ(both_line.view(), "<" + std::string(line.view())) << "utf8 " << utf8 << ", input " << input;
      EXPECT_EQ(both_json.view(), "<" + std::string(json.view())) << "utf8 " << utf8 << ", input " << input;
      EXPECT_EQ(both_replaced, replaced) << "utf8 " << utf8 << ", input " << input;
    }
  }
}
