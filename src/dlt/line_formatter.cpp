#include "dlt/line_formatter.hpp"

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

void LineFormatter::format(const Message& m, util::TextBuffer& out) {
  put_prefix(m.position, m.time, out);
  if (m.has_device_time) util::append_tenth_millis(out, m.device_time);
  else out.append("0.0000", 6);
  out.put(' ');
  util::append_int(out, m.counter);
  out.put(' ');
  out.append(m.shown_ecu().view());
  out.put(' ');
  out.append(m.app.view());
  out.put(' ');
  out.append(m.ctx.view());
  out.put(' ');
  util::append_int(out, static_cast<std::int32_t>(m.session));
  out.put(' ');
  out.append(type_text(m));
  switch (m.kind) {
    case PayloadKind::Verbose:
      out.append(" verbose ", 9);
      util::append_int(out, verbose_argument_count(m.payload, m.noar));
      out.put(' ');
      break;
    case PayloadKind::NonVerbose:
      out.append(" non-verbose 1 ", 15);
      break;
    case PayloadKind::Control:
      out.append(" non-verbose ", 13);
      break;
  }
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
