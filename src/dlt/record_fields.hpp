// Pieces the record writers share (the text line, JSON Lines, CSV: dlt/line_formatter.hpp,
// dlt/json_record.hpp, dlt/csv_record.hpp): unchecked writers into space reserved in
// advance, ids quoted for JSON or CSV, and the input's field made once per input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "dlt/id.hpp"
#include "dlt/message.hpp"
#include "util/text_buffer.hpp"
#include "util/word_scan.hpp"

namespace dltdump::dlt {

// Writes the string literal `s` (without its NUL) at `p`; returns the end.
template <std::size_t N>
inline char* put_literal(char* p, const char (&s)[N]) {
  std::memcpy(p, s, N - 1);
  return p + N - 1;
}

// How a quoted field escapes a quote: JSON with a backslash (which it escapes too), CSV by
// doubling it (RFC 4180).
enum class Quoting : unsigned char { Json, Csv };

// Writes id `id` as the line shows it (controls as '.') in double quotes; returns the end.
// Writes at most 10 bytes.
template <Quoting kQuoting>
inline char* put_quoted_id(char* p, const Id& id) {
  const Id shown = id.shown();
  std::uint32_t w;
  std::memcpy(&w, shown.chars, 4);
  // Most ids hold nothing to escape (a quote or backslash anywhere in the word, even after
  // the end, takes the byte loop): the four bytes as one store, the size decides the end.
  const auto lacks = [w](std::uint32_t c) {
    const std::uint32_t x = w ^ (0x01010101u * c);
    return ((x - 0x01010101u) & ~x & 0x80808080u) == 0;
  };
  if (lacks('"') && (kQuoting == Quoting::Csv || lacks('\\'))) [[likely]] {
    *p = '"';
    std::memcpy(p + 1, &w, 4);
    p += 1 + shown.size();
    *p++ = '"';
    return p;
  }
  *p++ = '"';
  for (char c : shown.view()) {
    if (kQuoting == Quoting::Json && (c == '"' || c == '\\')) *p++ = '\\';
    if (kQuoting == Quoting::Csv && c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

// Whether ids `a`, `b` and `c` go into a record as they are (put_plain_quoted_id): none
// holds a control byte, a quote or (JSON) a backslash, in any of its four bytes (a byte
// after an id's end counts too: the slow path then takes it, with the same result). One
// test for a record's three ids: real ids never need more, so it is always predicted.
template <Quoting kQuoting>
inline bool ids_plain(const Id& a, const Id& b, const Id& c) {
  std::uint32_t wa, wb, wc;
  std::memcpy(&wa, a.chars, 4);
  std::memcpy(&wb, b.chars, 4);
  std::memcpy(&wc, c.chars, 4);
  const std::uint64_t ab = wa | (static_cast<std::uint64_t>(wb) << 32),
                      cc = wc | (static_cast<std::uint64_t>(wc) << 32);
  const auto lacks = [ab, cc](std::uint8_t ch) { return util::word_lacks(ab, ch) && util::word_lacks(cc, ch); };
  return (control_bytes(ab) | control_bytes(cc)) == 0 && lacks('"') && (kQuoting == Quoting::Csv || lacks('\\'));
}

// Writes id `id`, which ids_plain accepted, in double quotes; returns the end. Writes at
// most 6 bytes.
inline char* put_plain_quoted_id(char* p, const Id& id) {
  *p = '"';
  std::memcpy(p + 1, id.chars, 4);  // a fixed size: the size decides the end
  p += 1 + id.size();
  *p++ = '"';
  return p;
}

// Where the space of a type text (dlt::type_text: `log error`) is, type.size() when it has
// none (the empty type). Reads kTypeTextReadable bytes at type.data(), as the type texts
// allow: two words searched at once, no call (std::string_view::find is a memchr).
inline std::size_t type_space(std::string_view type) {
  static_assert(kTypeTextReadable >= 16);
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::uint64_t w[2];
  std::memcpy(w, type.data(), 16);
  const std::uint64_t x0 = w[0] ^ (kOnes * ' '), x1 = w[1] ^ (kOnes * ' ');
  const std::uint64_t f0 = (x0 - kOnes) & ~x0 & kHigh, f1 = (x1 - kOnes) & ~x1 & kHigh;
  // The lowest flag marks the first space exactly; none in either word: past the end.
  const std::size_t at = f0   ? static_cast<std::size_t>(__builtin_ctzll(f0)) / 8
                         : f1 ? 8 + static_cast<std::size_t>(__builtin_ctzll(f1)) / 8
                              : type.size();
  return at < type.size() ? at : type.size();
}

// The text a record writes for its input, remade only when the input changes (records of
// one input name it line after line). `make(input, out)` appends that text. The text is
// followed by kPadding readable bytes (put_field).
class InputField {
 public:
  static constexpr std::size_t kPadding = 32;

  template <class Make>
  std::string_view get(std::string_view input, Make make) {
    // By content: a name's storage may be another's after it (a library's Readers one after
    // another, the next one's name where the last one's was: a new user's finding — its
    // records were given the last input's name).
    if (input != std::string_view(of_) || !made_) [[unlikely]]
      remake(input, make);
    return {text_.data(), size_};
  }

  // Writes `field` (from get) unchecked at p; returns the end. Stores max(field.size(),
  // kPadding) bytes: a name of up to kPadding bytes (most) as one fixed-size copy, no call.
  static char* put_field(char* p, std::string_view field) {
    if (field.size() <= kPadding) [[likely]]
      std::memcpy(p, field.data(), kPadding);
    else std::memcpy(p, field.data(), field.size());
    return p + field.size();
  }

 private:
  template <class Make>
  [[gnu::noinline]] void remake(std::string_view input, Make make) {
    util::TextBuffer field(64);
    make(input, field);
    size_ = field.size();
    text_.assign(field.view());
    text_.append(kPadding, '\0');
    of_.assign(input);
    made_ = true;
  }

  std::string of_;    // the name the field was made of
  std::string text_;  // the field, then kPadding zero bytes
  std::size_t size_ = 0;
  bool made_ = false;
};

}  // namespace dltdump::dlt
