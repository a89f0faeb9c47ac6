#include "dlt/line_formatter.hpp"

#include <charconv>
#include <cstring>

#include "dlt/control_payload.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/text_encoding.hpp"
#include "dlt/verbose_payload.hpp"
#include "util/number_format.hpp"

namespace dltdump::dlt {

void LineFormatter::put_prefix(std::uint64_t position, util::Timestamp time, util::TextBuffer& out) {
  if (options_.position) {
    char* p = out.reserve(20);
    int digits = 8;
    while (digits < 16 && (position >> (4 * digits)) != 0) ++digits;
    for (int d = 0; d < digits; ++d) p[d] = kHexDigits[(position >> (4 * (digits - 1 - d))) & 15];
    p[digits] = ':';
    p[digits + 1] = ' ';
    out.advance(static_cast<std::size_t>(digits) + 2);
  }
  char* t = out.reserve(util::LocalTimeFormatter::kWidth + 1);
  time_.format(time, t);
  t[util::LocalTimeFormatter::kWidth] = ' ';
  out.advance(util::LocalTimeFormatter::kWidth + 1);
}

void format_payload_text(const Message& m, util::TextBuffer& out) {
  if (m.has_payload_text) {
    out.append(m.payload_text);
    return;
  }
  switch (m.kind) {
    case PayloadKind::Verbose:
      format_verbose(m.payload, m.big_endian, m.noar, out);
      break;
    case PayloadKind::NonVerbose:
      format_nonverbose(m.payload, m.big_endian, out);
      break;
    case PayloadKind::Control:
      format_control(m.payload, m.big_endian, static_cast<ControlKind>(m.type_info()), out);
      break;
  }
}

namespace {
// Unchecked writers into space reserved in advance (kHeaderBound covers every field).
inline char* put_text(char* p, std::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());  // an empty view may hold nullptr
  return p + s.size();
}
template <typename T>
inline char* put_int(char* p, T v) {
  return std::to_chars(p, p + 24, v).ptr;
}
// Everything before the payload text: device time, counter, ids, session, type, tail
// start. 11 + 1 + 3 + 1 + 3 * 5 + 11 + 1 + 18 + 15 < 96.
constexpr std::size_t kHeaderBound = 96;
}  // namespace

void LineFormatter::format(const Message& m, util::TextBuffer& out) {
  put_prefix(m.position, m.time, out);
  char* const start = out.reserve(kHeaderBound);
  char* p = start;
  if (m.has_device_time) {
    p = put_int(p, m.device_time / 10000);
    std::uint32_t frac = m.device_time % 10000;
    p[0] = '.';
    p[1] = static_cast<char>('0' + frac / 1000);
    p[2] = static_cast<char>('0' + frac / 100 % 10);
    p[3] = static_cast<char>('0' + frac / 10 % 10);
    p[4] = static_cast<char>('0' + frac % 10);
    p += 5;
  } else {
    p = put_text(p, "0.0000");
  }
  *p++ = ' ';
  p = put_int(p, m.counter);
  *p++ = ' ';
  p = put_text(p, m.shown_ecu().view());
  *p++ = ' ';
  p = put_text(p, m.app.view());
  *p++ = ' ';
  p = put_text(p, m.ctx.view());
  *p++ = ' ';
  p = put_int(p, static_cast<std::int32_t>(m.session));
  *p++ = ' ';
  p = put_text(p, type_text(m));
  switch (m.kind) {
    case PayloadKind::Verbose:
      p = put_text(p, " verbose ");
      p = put_int(p, verbose_argument_count(m.payload, m.noar));
      *p++ = ' ';
      break;
    case PayloadKind::NonVerbose:
      p = put_text(p, " non-verbose 1 ");
      break;
    case PayloadKind::Control:
      p = put_text(p, " non-verbose ");
      break;
  }
  out.advance(static_cast<std::size_t>(p - start));
  format_payload_text(m, out);
  out.put('\n');
}

void LineFormatter::format(const SkipRecord& s, util::TextBuffer& out) {
  put_prefix(s.position, s.time, out);
  out.append("0.0000 -1  SKIP SKIP 0 log warn verbose 4 Skipped: ");
  util::append_int(out, s.length);
  out.append(" bytes; Reason: ");
  out.append(s.reason);
  out.put('\n');
}

}  // namespace dltdump::dlt
