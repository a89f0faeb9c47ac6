#include "dlt/csv_record.hpp"

#include <cstring>

#include "dlt/catalogue_frame.hpp"
#include "dlt/line_formatter.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/record_fields.hpp"
#include "dlt/text_encoding.hpp"
#include "dlt/verbose_payload.hpp"
#include "util/number_format.hpp"
#include "util/value_text.hpp"

namespace dltdump::dlt {

namespace {

// `"<value>"` with quotes doubled. Values hold no control byte (the line's texts and ids,
// the input name shown printable), so a row stays one line.
void put_quoted(util::TextBuffer& out, std::string_view v) {
  out.put('"');
  for (std::size_t at = 0;;) {
    const std::size_t q = v.find('"', at);
    out.append(v.substr(at, q - at));
    if (q == std::string_view::npos) break;
    out.append("\"\"");
    at = q + 1;
  }
  out.put('"');
}

}  // namespace

void CsvRecordFormatter::put_place(std::string_view input, std::uint64_t position, util::Timestamp time,
                                   util::TextBuffer& out) {
  out.append(input_field_.get(input, [](std::string_view name, util::TextBuffer& field) {
    // An input name may hold anything a file name can: shown as diagnostics show it.
    put_quoted(field, util::printable(name));
  }));
  out.put(',');
  util::append_int(out, position);
  out.put(',');
  if (time.valid) {
    char* p = out.reserve(util::UtcTimeFormatter::kWidth);
    time_.format(time, p);
    out.advance(util::UtcTimeFormatter::kWidth);
  }
  out.put(',');
}

namespace {
inline char* put_text(char* p, std::string_view v) {
  std::memcpy(p, v.data(), v.size());
  return p + v.size();
}
// "message," 8, position 20, time 27, device time 11, counter 3, ids 3 × 10, session 11,
// kind 13, type and subtype 24 (a fixed copy), message id 10, count 10, separators 16,
// and the 8-byte stores of the number writers 8 < 200.
constexpr std::size_t kRowHeadBound = 200;
}  // namespace

void CsvRecordFormatter::format(const Message& m, std::string_view input, util::TextBuffer& out) {
  out.append("message,");
  put_place(input, m.position, m.time, out);
  char* const start = out.reserve(kRowHeadBound);
  char* p = start;
  if (m.has_device_time) p = util::put_tenth_millis(p, m.device_time);
  *p++ = ',';
  p = util::put_u8(p, m.counter);
  *p++ = ',';
  p = put_quoted_id<Quoting::Csv>(p, m.shown_ecu());
  *p++ = ',';
  p = put_quoted_id<Quoting::Csv>(p, m.app);
  *p++ = ',';
  p = put_quoted_id<Quoting::Csv>(p, m.ctx);
  *p++ = ',';
  if (m.has_session) p = util::put_i64(p, static_cast<std::int32_t>(m.session));
  p = put_text(p, m.kind == PayloadKind::Verbose      ? std::string_view(",verbose,")
                  : m.kind == PayloadKind::NonVerbose ? std::string_view(",non-verbose,")
                                                      : std::string_view(",control,"));
  // The type `log error` is the columns `log,error`: its space becomes the separator.
  const std::string_view type = type_text(m);
  std::memcpy(p, type.data(), kTypeTextReadable);
  const std::size_t space = type.find(' ');
  if (space != std::string_view::npos) p[space] = ',';
  p += type.size();
  if (space == std::string_view::npos) *p++ = ',';
  *p++ = ',';
  if (m.kind == PayloadKind::NonVerbose) p = util::put_u64(p, nonverbose_message_id(m.payload, m.big_endian));
  *p++ = ',';
  if (m.kind == PayloadKind::Verbose) p = util::put_u8(p, verbose_argument_count(m.payload, m.noar));
  else if (m.kind == PayloadKind::NonVerbose)
    p = util::put_u64(p, m.frame_decodes && m.frame ? m.frame->arg_count : 1u);
  *p++ = ',';
  out.advance(static_cast<std::size_t>(p - start));
  const std::string_view text = payload_text_of(m, text_);
  put_quoted(out, text);
  out.put('\n');
}

void CsvRecordFormatter::format(const SkipRecord& s, std::string_view input, util::TextBuffer& out) {
  out.append("skip,");
  put_place(input, s.position, s.time, out);
  out.append(",,,,,,,,,,,");
  text_.clear();
  format_skip_text(s, text_);
  put_quoted(out, text_.view());
  out.put('\n');
}

}  // namespace dltdump::dlt
