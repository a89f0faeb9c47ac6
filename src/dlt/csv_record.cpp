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
#include "util/word_scan.hpp"

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

// `,<position>,<time>,`: at most 1 + 24 (put_u64's stores) + 1 + 27 + 1 bytes.
char* CsvRecordFormatter::put_place(char* p, std::uint64_t position, util::Timestamp time) {
  *p++ = ',';
  p = util::put_u64(p, position);
  *p++ = ',';
  if (time.valid) {
    time_.format(time, p);
    p += util::UtcTimeFormatter::kWidth;
  }
  *p++ = ',';
  return p;
}

std::string_view CsvRecordFormatter::input_field(std::string_view input) {
  return input_field_.get(input, [](std::string_view name, util::TextBuffer& field) {
    // An input name may hold anything a file name can: shown as diagnostics show it.
    put_quoted(field, util::printable(name));
  });
}

namespace {
inline char* put_text(char* p, std::string_view v) {
  std::memcpy(p, v.data(), v.size());
  return p + v.size();
}

// `"<v>"` with quotes doubled, into 2 * v.size() + 2 bytes reserved; returns the end. Runs
// without a quote (nearly all of a line's text) are copied 16 bytes at a time.
inline char* put_quoted_text(char* p, std::string_view v) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(v.data());
  *p++ = '"';
  constexpr util::StopBytes kQuote{'"', '"', '"', false};
  p += util::copy_or_step<kQuote>(p, s, v.size(), [p, s](std::size_t& i, std::size_t& k) {
    if (s[i] == '"') p[k++] = '"';
    p[k++] = static_cast<char>(s[i++]);
  });
  *p++ = '"';
  return p;
}

// "message," 8, place 54, device time 11, counter 3, ids 3 × 10, session 11, kind 13, type
// and subtype 24 (a fixed copy), message id 10, count 10, separators 16, and the 8-byte
// stores of the number writers 8 < 256; then the input's field, the quoted text and "\n".
constexpr std::size_t kRowHeadBound = 256;
}  // namespace

void CsvRecordFormatter::format(const Message& m, std::string_view input, util::TextBuffer& out) {
  const std::string_view field = input_field(input);
  const std::string_view text = payload_text_of(m, text_);
  char* const start = out.reserve(kRowHeadBound + field.size() + 2 * text.size() + 3);
  char* p = start;
  p = put_literal(p, "message,");
  p = InputField::put_field(p, field);
  p = put_place(p, m.position, m.time);
  if (m.has_device_time) p = util::put_tenth_millis(p, m.device_time);
  *p++ = ',';
  p = util::put_u8(p, m.counter);
  *p++ = ',';
  const Id ecu = m.shown_ecu();
  if (ids_plain<Quoting::Csv>(ecu, m.app, m.ctx)) [[likely]] {
    p = put_plain_quoted_id(p, ecu);
    *p++ = ',';
    p = put_plain_quoted_id(p, m.app);
    *p++ = ',';
    p = put_plain_quoted_id(p, m.ctx);
  } else {
    p = put_quoted_id<Quoting::Csv>(p, ecu);
    *p++ = ',';
    p = put_quoted_id<Quoting::Csv>(p, m.app);
    *p++ = ',';
    p = put_quoted_id<Quoting::Csv>(p, m.ctx);
  }
  *p++ = ',';
  if (m.has_session) p = util::put_i64(p, static_cast<std::int32_t>(m.session));
  p = put_text(p, m.kind == PayloadKind::Verbose      ? std::string_view(",verbose,")
                  : m.kind == PayloadKind::NonVerbose ? std::string_view(",non-verbose,")
                                                      : std::string_view(",control,"));
  // The type `log error` is the columns `log,error`: its space becomes the separator.
  const std::string_view type = type_text(m);
  std::memcpy(p, type.data(), kTypeTextReadable);
  const std::size_t space = type_space(type);
  if (space < type.size()) p[space] = ',';
  p += type.size();
  if (space == type.size()) *p++ = ',';
  *p++ = ',';
  if (m.kind == PayloadKind::NonVerbose) p = util::put_u64(p, nonverbose_message_id(m.payload, m.big_endian));
  *p++ = ',';
  if (m.kind == PayloadKind::Verbose) p = util::put_u8(p, verbose_argument_count(m.payload, m.noar));
  else if (m.kind == PayloadKind::NonVerbose) p = util::put_u64(p, nonverbose_argument_count(m));
  *p++ = ',';
  p = put_quoted_text(p, text);
  *p++ = '\n';
  out.advance(static_cast<std::size_t>(p - start));
}

void CsvRecordFormatter::format(const SkipRecord& s, std::string_view input, util::TextBuffer& out) {
  const std::string_view field = input_field(input);
  char* const start = out.reserve(5 + field.size() + 54);
  char* p = put_literal(start, "skip,");
  p = InputField::put_field(p, field);
  p = put_place(p, s.position, s.time);
  out.advance(static_cast<std::size_t>(p - start));
  out.append(",,,,,,,,,,,");
  text_.clear();
  format_skip_text(s, text_);
  put_quoted(out, text_.view());
  out.put('\n');
}

}  // namespace dltdump::dlt
