#include "util/json_number.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

#include "util/number_format.hpp"

namespace dltdump::util {

void append_json_int(TextBuffer& out, std::int64_t v) {
  const std::uint64_t magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  const bool quoted = magnitude > kJsonExactInteger;
  if (quoted) out.put('"');
  append_int(out, v);
  if (quoted) out.put('"');
}

void append_json_uint(TextBuffer& out, std::uint64_t v) {
  const bool quoted = v > kJsonExactInteger;
  if (quoted) out.put('"');
  append_int(out, v);
  if (quoted) out.put('"');
}

void append_json_int(TextBuffer& out, __int128 v) {
  if (v >= INT64_MIN && v <= INT64_MAX) {
    append_json_int(out, static_cast<std::int64_t>(v));
    return;
  }
  out.put('"');
  append_i128(out, v);
  out.put('"');
}

void append_json_uint(TextBuffer& out, unsigned __int128 v) {
  if (v <= UINT64_MAX) {
    append_json_uint(out, static_cast<std::uint64_t>(v));
    return;
  }
  out.put('"');
  append_u128(out, v);
  out.put('"');
}

namespace {
template <class F>
void append_float(TextBuffer& out, F v) {
  if (std::isnan(v)) {
    out.append("\"NaN\"");
  } else if (std::isinf(v)) {
    out.append(v > 0 ? std::string_view("\"Infinity\"") : std::string_view("\"-Infinity\""));
  } else {
    char* p = out.reserve(64);
    const auto r = std::to_chars(p, p + 64, v);  // shortest round trip; at most ~50 characters
    auto n = static_cast<std::size_t>(r.ptr - p);
    // An integral value gets `.0`, so that readers take it as a float (and -0 keeps its sign).
    if (std::string_view(p, n).find_first_of(".e") == std::string_view::npos) {
      p[n++] = '.';
      p[n++] = '0';
    }
    out.advance(n);
  }
}
}  // namespace

void append_json_float(TextBuffer& out, float v) { append_float(out, v); }
void append_json_float(TextBuffer& out, double v) { append_float(out, v); }
void append_json_float(TextBuffer& out, long double v) { append_float(out, v); }

}  // namespace dltdump::util
