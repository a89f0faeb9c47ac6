#include "dlt/line_formatter.hpp"

#include <cstring>

#include "dlt/control_payload.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/record_fields.hpp"
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
  if (options_.time != TimeColumn::Local) [[unlikely]] {
    put_other_time(time, out);
    return;
  }
  char* t = out.reserve(util::LocalTimeFormatter::kWidth + 1);
  time_.format(time, t);
  t[util::LocalTimeFormatter::kWidth] = ' ';
  out.advance(util::LocalTimeFormatter::kWidth + 1);
}

void LineFormatter::put_other_time(util::Timestamp time, util::TextBuffer& out) {
  constexpr int kIso = util::UtcTimeFormatter::kWidth;
  switch (options_.time) {
    case TimeColumn::Local:
    case TimeColumn::Device: return;
    case TimeColumn::Utc:
    case TimeColumn::Iso: {
      // A line without a time shows the epoch, as the local column shows it unconverted.
      char* t = out.reserve(kIso + 1);
      utc_.format({time.valid ? time.us : 0, true}, t);
      if (options_.time == TimeColumn::Iso) {
        t[kIso] = ' ';
        out.advance(kIso + 1);
      } else {  // `yyyy/MM/dd HH:mm:ss.ffffff`, as the local column
        t[4] = t[7] = '/';
        t[10] = ' ';
        t[kIso - 1] = ' ';  // in place of the Z
        out.advance(kIso);
      }
      return;
    }
    case TimeColumn::Relative: {
      if (!time.valid) {
        out.append("- ");
        return;
      }
      if (!have_origin_) {
        have_origin_ = true;
        origin_us_ = time.us;
      }
      const std::int64_t d = time.us - origin_us_;
      const std::uint64_t magnitude = d < 0 ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
      if (d < 0) out.put('-');
      util::append_int(out, magnitude / 1000000);
      char* p = out.reserve(8);
      p[0] = '.';
      std::uint64_t micros = magnitude % 1000000;
      for (int i = 6; i >= 1; --i, micros /= 10) p[i] = static_cast<char>('0' + micros % 10);
      p[7] = ' ';
      out.advance(8);
      return;
    }
  }
}

void format_payload_text(const Message& m, util::TextBuffer& out) {
  if (m.has_payload_text) {
    out.append(m.payload_text);
    return;
  }
  switch (m.kind) {
    case PayloadKind::Verbose: format_verbose(m.payload, m.big_endian, m.noar, out); break;
    case PayloadKind::NonVerbose: format_nonverbose(m, out); break;
    case PayloadKind::Control:
      format_control(m.payload, m.big_endian, static_cast<ControlKind>(m.type_info()), out);
      break;
  }
}

std::string_view payload_text_of(const Message& m, util::TextBuffer& scratch) {
  if (m.has_payload_text) return m.payload_text;
  scratch.clear();
  format_payload_text(m, scratch);
  return scratch.view();
}

namespace {
// Unchecked writers into space reserved in advance (kHeaderBound covers every field and the
// fixed-size copies' overhang).
inline char* put_id(char* p, const Id& id) {
  std::memcpy(p, id.chars, 4);  // fixed size: one store; only `size` characters count
  return p + id.size();
}
// Device time 11 + counter 3 + ids 3 * 4 + session 11 + type 24 (a fixed copy) + tail
// start 24 (a catalogue frame's argument count has up to 10 digits) + separators 6 + the
// 8-byte store of the last number 8 < 112.
constexpr std::size_t kHeaderBound = 112;
}  // namespace

void LineFormatter::format(const Message& m, util::TextBuffer& out) {
  if (options_.style != Style::Text) [[unlikely]] {
    const std::string_view input = m.input.empty() ? options_.input : m.input;
    if (options_.style == Style::Json) json_.format(m, input, out);
    else if (options_.style == Style::Csv) csv_.format(m, input, out);
    else append_facts(out, facts_of(m));
    return;
  }
  format_head(m, out);
  format_payload_text(m, out);
  end_line(out);
}

void LineFormatter::format_head(const Message& m, util::TextBuffer& out) {
  coloured_ = false;
  if (options_.colour) [[unlikely]] {
    const std::string_view colour = line_colour(m);
    out.append(colour);
    coloured_ = !colour.empty();
  }
  put_prefix(m.position, m.time, out);
  char* const start = out.reserve(kHeaderBound);
  char* p = start;
  p = util::put_tenth_millis(p, m.has_device_time ? m.device_time : 0);  // 0 prints 0.0000
  *p++ = ' ';
  p = util::put_u8(p, m.counter);
  *p++ = ' ';
  Id ecu = m.shown_ecu(), app = m.app, ctx = m.ctx;
  if (any_control(ecu, app, ctx)) [[unlikely]] {  // one line, no escape sequence (Q20)
    ecu = ecu.shown();
    app = app.shown();
    ctx = ctx.shown();
  }
  p = put_id(p, ecu);
  *p++ = ' ';
  p = put_id(p, app);
  *p++ = ' ';
  p = put_id(p, ctx);
  *p++ = ' ';
  // Session ids are mostly small (or one process id throughout): a well-predicted test
  // spares the general writer.
  p = m.session < 256 ? util::put_u8(p, m.session) : util::put_i64(p, static_cast<std::int32_t>(m.session));
  *p++ = ' ';
  const std::string_view type = type_text(m);
  std::memcpy(p, type.data(), kTypeTextReadable);
  p += type.size();
  switch (m.kind) {
    case PayloadKind::Verbose:
      p = put_literal(p, " verbose ");
      p = util::put_u8(p, verbose_argument_count(m.payload, m.noar));
      *p++ = ' ';
      break;
    case PayloadKind::NonVerbose:
      if (m.frame_decodes && m.frame) [[unlikely]] {
        p = put_literal(p, " non-verbose ");
        p = util::put_i64(p, m.frame->arg_count);
        *p++ = ' ';
      } else {
        p = put_literal(p, " non-verbose 1 ");
      }
      break;
    case PayloadKind::Control: p = put_literal(p, " non-verbose "); break;
  }
  out.advance(static_cast<std::size_t>(p - start));
}

void LineFormatter::format(const SkipRecord& s, util::TextBuffer& out) {
  if (options_.style != Style::Text) [[unlikely]] {
    const std::string_view input = s.input.empty() ? options_.input : s.input;
    if (options_.style == Style::Json) json_.format(s, input, out);
    else if (options_.style == Style::Csv) csv_.format(s, input, out);
    else append_facts(out, facts_of(s));
    return;
  }
  if (options_.colour) [[unlikely]]
    out.append(kSkipColour);
  put_prefix(s.position, s.time, out);
  out.append("0.0000 -1  SKIP SKIP 0 log warn verbose 4 ");
  format_skip_text(s, out);
  if (options_.colour) [[unlikely]]
    out.append(kColourReset);
  out.put('\n');
}

void format_skip_text(const SkipRecord& s, util::TextBuffer& out) {
  out.append("Skipped: ");
  util::append_int(out, s.length);
  out.append(" bytes; Reason: ");
  out.append(s.reason);
}

}  // namespace dltdump::dlt
