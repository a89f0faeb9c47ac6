// Pieces the record writers share (the text line, JSON Lines, CSV: dlt/line_formatter.hpp,
// dlt/json_record.hpp, dlt/csv_record.hpp): unchecked writers into space reserved in
// advance, ids quoted for JSON or CSV, and the input's field made once per input.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "dlt/id.hpp"
#include "util/text_buffer.hpp"

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
  *p++ = '"';
  for (char c : shown.view()) {
    if (kQuoting == Quoting::Json && (c == '"' || c == '\\')) *p++ = '\\';
    if (kQuoting == Quoting::Csv && c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

// The text a record writes for its input, remade only when the input changes (records of
// one input name it line after line). `make(input, out)` appends that text.
class InputField {
 public:
  template <class Make>
  std::string_view get(std::string_view input, Make make) {
    if (input.data() != of_.data() || input.size() != of_.size() || !made_) {
      util::TextBuffer field(64);
      make(input, field);
      text_.assign(field.view());
      of_ = input;
      made_ = true;
    }
    return text_;
  }

 private:
  std::string_view of_;
  std::string text_;
  bool made_ = false;
};

}  // namespace dltdump::dlt
