#include "dlt/text_encoding.hpp"

#include <cstring>

#include "util/word_scan.hpp"

namespace dltdump::dlt {

namespace {

// Appends the code point cp (< 0x10000) as UTF-8.
inline void put_code_point(char* out, std::size_t& k, unsigned cp) {
  if (cp < 0x80) {
    out[k++] = static_cast<char>(cp);
  } else if (cp < 0x800) {
    out[k++] = static_cast<char>(0xC0 | (cp >> 6));
    out[k++] = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out[k++] = static_cast<char>(0xE0 | (cp >> 12));
    out[k++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[k++] = static_cast<char>(0x80 | (cp & 0x3F));
  }
}

unsigned iso8859_15_code_point(std::uint8_t b) {
  switch (b) {
    case 0xA0: return ' ';
    case 0xA4: return 0x20AC;  // €
    case 0xA6: return 0x0160;  // Š
    case 0xA8: return 0x0161;  // š
    case 0xB4: return 0x017D;  // Ž
    case 0xB8: return 0x017E;  // ž
    case 0xBC: return 0x0152;  // Œ
    case 0xBD: return 0x0153;  // œ
    case 0xBE: return 0x0178;  // Ÿ
    default: return b;
  }
}

inline bool is_printable_ascii(std::uint8_t b) { return b >= 0x20 && b < 0x7F; }

// How a text shows what a line cannot hold: for a line, controls as '.'; for a JSON string,
// controls as `\u00XX` escapes and `"` and `\` escaped (RFC 8259 §7), so that the value is
// exact and the record still one line without a control byte.
enum class Shown : std::uint8_t { Line, Json };

// The most bytes one input byte becomes: U+FFFD (3) or a `\u00XX` escape (6).
template <Shown kShown>
constexpr std::size_t kExpansion = kShown == Shown::Line ? 3 : 6;

// Writes the control or escaped character b (< 0xA0) as `kShown` shows it.
template <Shown kShown>
inline void put_special(char* out, std::size_t& k, std::uint8_t b) {
  if constexpr (kShown == Shown::Line) {
    (void)b;
    out[k++] = '.';
  } else if (b == '"' || b == '\\') {
    out[k++] = '\\';
    out[k++] = static_cast<char>(b);
  } else {
    std::memcpy(out + k, "\\u00", 4);
    out[k + 4] = kHexDigits[b >> 4];
    out[k + 5] = kHexDigits[b & 15];
    k += 6;
  }
}

// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (E2 80 A8, E2 80 A9) are valid raw
// in a JSON string, but JavaScript line splitters and some JSON-Lines readers end a record
// there: a JSON string writes them as `\u2028`, `\u2029` (6 bytes for 3), a line as `.`.
// Assumes 3 bytes at p.
inline bool is_line_separator(const std::uint8_t* p) { return p[0] == 0xE2 && p[1] == 0x80 && (p[2] & 0xFE) == 0xA8; }
inline void put_separator_escape(char* out, std::size_t& k, std::uint8_t last) {
  std::memcpy(out + k, "\\u2028", 6);
  out[k + 5] = last == 0xA8 ? '8' : '9';
  k += 6;
}

constexpr std::uint64_t kOnes = util::kWordOnes;
constexpr std::uint64_t kHighBits = util::kWordHighBits;

// True if all 8 bytes of w are printable ASCII (0x20..0x7E): no byte below 0x20, none
// above 0x7E (bit tricks from "Bit Twiddling Hacks", hasless/hasmore).
inline bool all_printable(std::uint64_t w) {
  std::uint64_t below = (w - kOnes * 0x20) & ~w & kHighBits;
  std::uint64_t above = ((w + kOnes * (127 - 0x7E)) | w) & kHighBits;
  return (below | above) == 0;
}

// Whether the ASCII byte b goes out as it is.
template <Shown kShown>
inline bool plain(std::uint8_t b) {
  return is_printable_ascii(b) && (kShown == Shown::Line || (b != '"' && b != '\\'));
}

// The bytes a JSON string value writes other than as they are: its escapes, and the
// bytes that are not ASCII (to be decoded).
constexpr util::StopBytes kJsonStops{'"', '\\', '"', true};

// Writes the single-byte character p[i] as `kShown` shows it at o[k]; advances i by one
// and k.
template <bool kIso15, Shown kShown>
[[gnu::always_inline]] inline void single_byte_step(char* o, const std::uint8_t* p, std::size_t& i, std::size_t& k) {
  const std::uint8_t b = p[i++];
  if (plain<kShown>(b)) {
    o[k++] = static_cast<char>(b);
  } else if (b < 0xA0) {  // C0 controls, DEL, C1 controls (and JSON's quote and backslash)
    put_special<kShown>(o, k, b);
  } else {
    // (A no-break space shows as a space in a line; a JSON value keeps it.)
    put_code_point(o, k, kIso15 && (kShown == Shown::Line || b != 0xA0) ? iso8859_15_code_point(b) : b);
  }
}

template <bool kIso15, Shown kShown = Shown::Line>
void append_single_byte_text(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  char* o = out.reserve(n * kExpansion<kShown>);
  const auto step = [o, p](std::size_t& i, std::size_t& k) { single_byte_step<kIso15, kShown>(o, p, i, k); };
  std::size_t k;
  if constexpr (kShown == Shown::Json) {
    // A value's `€` or escape sends only itself down the byte step (16 bytes at a time).
    k = util::copy_or_step<kJsonStops>(o, p, n, step);
  } else {
    k = util::copy_words_while(o, p, n, all_printable);
    for (std::size_t i = k; i < n;) step(i, k);
  }
  out.advance(k);
}

}  // namespace

void append_iso8859_15(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  append_single_byte_text<true>(out, p, n);
}

void append_latin1(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  append_single_byte_text<false>(out, p, n);
}

namespace {
// Writes the UTF-8 character (or maximal invalid subpart) at p[i] of [p, p+n) as `kShown`
// shows it at o[k]; advances i past it and k; sets `replaced` if it was invalid. How far i
// goes depends on the bytes alone, not on kShown.
template <Shown kShown>
[[gnu::always_inline]] inline void utf8_step(char* o, const std::uint8_t* p, std::size_t n, std::size_t& i,
                                             std::size_t& k, bool& replaced) {
  std::uint8_t b = p[i];
  if (b < 0x80) {
    if (plain<kShown>(b)) o[k++] = static_cast<char>(b);
    else put_special<kShown>(o, k, b);  // C0 controls, DEL (JSON: also `"` and `\`)
    ++i;
    return;
  }
  // Expected continuation count and the allowed range of the second byte (Unicode
  // table 3-7, "well-formed UTF-8 byte sequences").
  int need;
  std::uint8_t lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) need = 1;
  else if (b == 0xE0) need = 2, lo = 0xA0;
  else if (b >= 0xE1 && b <= 0xEC) need = 2;
  else if (b == 0xED) need = 2, hi = 0x9F;
  else if (b >= 0xEE && b <= 0xEF) need = 2;
  else if (b == 0xF0) need = 3, lo = 0x90;
  else if (b >= 0xF1 && b <= 0xF3) need = 3;
  else if (b == 0xF4) need = 3, hi = 0x8F;
  else need = -1;
  std::size_t j = i + 1;
  int got = 0;
  if (need > 0) {
    while (got < need && j < n) {
      std::uint8_t c = p[j];
      bool ok = got == 0 ? (c >= lo && c <= hi) : (c >= 0x80 && c <= 0xBF);
      if (!ok) break;
      ++got;
      ++j;
    }
  }
  if (need > 0 && got == need) {
    if (b == 0xC2 && p[i + 1] < 0xA0) {
      put_special<kShown>(o, k, p[i + 1]);  // a C1 control (U+0080-U+009F), as the single-byte decoders show it
    } else if (need == 2 && is_line_separator(p + i)) {
      // A line shows it as a control ('.'): readers that split at Unicode's line ends
      // (Python's splitlines, editors) would see two lines.
      if constexpr (kShown == Shown::Json) put_separator_escape(o, k, p[i + 2]);
      else o[k++] = '.';
    } else {
      for (std::size_t t = i; t < j; ++t) o[k++] = static_cast<char>(p[t]);
    }
  } else {
    put_code_point(o, k, 0xFFFD);  // one replacement per maximal invalid subpart
    replaced = true;
  }
  i = j;
}

// Returns whether a byte was replaced by U+FFFD.
template <Shown kShown>
bool append_utf8_as(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  // Invalid input expands at most 3x (one byte -> U+FFFD, three bytes), a JSON escape 6x.
  char* o = out.reserve(n * kExpansion<kShown>);
  bool replaced = false;
  const auto step = [o, p, n, &replaced](std::size_t& i, std::size_t& k) {
    utf8_step<kShown>(o, p, n, i, k, replaced);
  };
  std::size_t k;
  if constexpr (kShown == Shown::Json) {
    k = util::copy_or_step<kJsonStops>(o, p, n, step);  // as append_single_byte_text
  } else {
    // Words of printable ASCII are copied as they are; anything else (controls, non-ASCII)
    // goes to the byte loop, so the common text costs what the ASCII path costs.
    k = util::copy_words_while(o, p, n, all_printable);
    for (std::size_t i = k; i < n;) step(i, k);
  }
  out.advance(k);
  return replaced;
}
}  // namespace

void append_utf8(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  append_utf8_as<Shown::Line>(out, p, n);
}

bool append_json_utf8(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  return append_utf8_as<Shown::Json>(out, p, n);
}

bool append_text_and_json(util::TextBuffer& text, util::TextBuffer& json, const std::uint8_t* p, std::size_t n,
                          bool utf8, bool& plain) {
  char* const o = text.reserve(n * kExpansion<Shown::Line>);
  char* const j = json.reserve(n * kExpansion<Shown::Json>);
  std::size_t i = 0, k = 0, kj = 0;
  bool replaced = false;
  // The bytes a JSON value copies as they are, a line copies too; each of the others
  // advances both steps alike (by the bytes alone), the line's step from a copy of i.
  for (;;) {
    const std::size_t copied = util::copy_until_stop_twice<kJsonStops>(o + k, j + kj, p + i, n - i);
    i += copied;
    k += copied;
    kj += copied;
    if (i >= n) break;
    plain = false;  // a stop byte: a quote, a backslash, a control or not ASCII
    std::size_t at = i;
    if (utf8) {
      bool line_replaced = false;
      utf8_step<Shown::Line>(o, p, n, at, k, line_replaced);
      utf8_step<Shown::Json>(j, p, n, i, kj, replaced);
    } else {
      single_byte_step<true, Shown::Line>(o, p, at, k);
      single_byte_step<true, Shown::Json>(j, p, i, kj);
    }
  }
  text.advance(k);
  json.advance(kj);
  return replaced;
}

void append_json_string_value(util::TextBuffer& out, const std::uint8_t* p, std::size_t n, bool utf8, bool flagged) {
  out.put('"');
  bool replaced = false;
  if (utf8) replaced = append_json_utf8(out, p, n);
  else append_json_iso8859_15(out, p, n);
  out.put('"');
  if (replaced && !flagged) out.append(",\"replaced\":true");
}

void append_json_printable(util::TextBuffer& out, std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  char* o = out.reserve(2 * n);  // an escape doubles a byte (`\"`) or three (`\u2028`)
  // Runs without a quote, a backslash or a separator's lead byte go as they are (0xE2 also
  // leads `€` and most other symbols: such a byte takes the step, then copying goes on).
  constexpr util::StopBytes kStop{'"', '\\', 0xE2, false};
  const std::size_t k = util::copy_or_step<kStop>(o, p, n, [o, p, n](std::size_t& i, std::size_t& k) {
    if (p[i] == 0xE2 && i + 3 <= n && is_line_separator(p + i)) {
      put_separator_escape(o, k, p[i + 2]);
      i += 3;
      return;
    }
    if (p[i] == '"' || p[i] == '\\') o[k++] = '\\';
    o[k++] = static_cast<char>(p[i++]);
  });
  out.advance(k);
}

void append_json_iso8859_15(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  append_single_byte_text<true, Shown::Json>(out, p, n);
}

void append_hex_run(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  char* o = out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    o[2 * i] = kHexDigits[p[i] >> 4];
    o[2 * i + 1] = kHexDigits[p[i] & 15];
  }
  out.advance(n * 2);
}

void append_hex_bytes(util::TextBuffer& out, const std::uint8_t* p, std::size_t n) {
  if (n == 0) return;
  char* o = out.reserve(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    o[3 * i] = kHexDigits[p[i] >> 4];
    o[3 * i + 1] = kHexDigits[p[i] & 15];
    o[3 * i + 2] = ' ';
  }
  out.advance(n * 3 - 1);
}

}  // namespace dltdump::dlt
