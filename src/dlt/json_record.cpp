#include "dlt/json_record.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/catalogue_frame.hpp"
#include "dlt/catalogue_payload.hpp"
#include "dlt/line_formatter.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/record_fields.hpp"
#include "dlt/text_encoding.hpp"
#include "dlt/verbose_payload.hpp"
#include "util/json_number.hpp"
#include "util/number_format.hpp"
#include "util/value_text.hpp"

namespace dltdump::dlt {

std::string_view JsonRecordFormatter::input_field(std::string_view input) {
  return input_field_.get(input, [](std::string_view name, util::TextBuffer& field) {
    field.append("\"input\":\"");
    // As diagnostics and CSV show a name: controls, line separators, bidi controls and bytes
    // that are not UTF-8 as \xHH.
    append_json_printable(field, util::printable(name));
    field.append("\",\"position\":");
  });
}

// The microseconds are the second's digits, made once per second (records come in time
// order mostly), and the six digits within it, copied from the time field; a time before
// 1970-01-01T00:00:01Z is written whole.
char* JsonRecordFormatter::put_time_us(char* p, std::int64_t us, const char* fraction) {
  if (us < 1000000) [[unlikely]]
    return util::put_i64(p, us);
  if (static_cast<std::uint64_t>(us) - static_cast<std::uint64_t>(second_start_us_) >= 1000000) {
    const std::int64_t second = us / 1000000;
    second_start_us_ = second * 1000000;
    std::memset(second_text_, 0, sizeof second_text_);
    second_size_ =
        static_cast<std::uint8_t>(util::put_u64(second_text_, static_cast<std::uint64_t>(second)) - second_text_);
  }
  std::memcpy(p, second_text_, 16);  // a fixed size: at most 13 digits
  p += second_size_;
  std::memcpy(p, fraction, 8);  // a fixed size: the digits, then `Z"` to be overwritten
  return p + 6;
}

// `<position>,"time":"…","time_us":…`: at most 24 (put_u64's stores) + 9 + 27 + 12 + 24.
char* JsonRecordFormatter::put_place(char* p, std::uint64_t position, util::Timestamp time) {
  p = util::put_u64(p, position);
  if (time.valid) {
    p = put_literal(p, ",\"time\":\"");
    time_.format(time, p);
    // `yyyy-MM-ddTHH:mm:ss.ffffffZ`: the microseconds' digits at 20 (UTC's second starts
    // where the epoch's does: the same digits as us % 1000000 for times after the epoch).
    const char* const fraction = p + 20;
    p += util::UtcTimeFormatter::kWidth;
    p = put_literal(p, "\",\"time_us\":");
    p = put_time_us(p, time.us, fraction);
  } else {
    p = put_literal(p, ",\"time\":null,\"time_us\":null");
  }
  return p;
}

namespace {
// The place: `{"record":"message",` 20, the input's field (added; its fixed-size copy's
// overhang is less than what follows), position and time 100.
constexpr std::size_t kPlaceBound = 128;
}  // namespace

namespace {
// Keys and punctuation 190, device time 11, counter 3, ids 3 × 10, session 11, kind 13,
// the type's fields 80 (a fixed copy of their slot), numbers 10 + 10, and the 8-byte
// stores of the number writers 8 < 384.
constexpr std::size_t kHeadBound = 384;
}  // namespace

namespace {
// `,"type":…,"subtype":…,"mstp":…,"mtin":…` of a message whose line shows type `type`
// (dlt::type_text) and whose MSIN byte is `msin`, at p (at most 80 bytes); returns the end.
char* put_type_fields(char* p, std::string_view type, unsigned msin) {
  if (type.empty()) return put_literal(p, ",\"type\":null,\"subtype\":null,\"mstp\":null,\"mtin\":null");
  const std::size_t space = type_space(type);  // every type text has one
  p = put_literal(p, ",\"type\":\"");
  std::memcpy(p, type.data(), space);
  p += space;
  if (space + 1 >= type.size()) {
    p = put_literal(p, "\",\"subtype\":null");
  } else {
    p = put_literal(p, "\",\"subtype\":\"");
    std::memcpy(p, type.data() + space + 1, type.size() - space - 1);
    p += type.size() - space - 1;
    *p++ = '"';
  }
  p = put_literal(p, ",\"mstp\":");
  p = util::put_u8(p, (msin >> 1) & 7);
  p = put_literal(p, ",\"mtin\":");
  return util::put_u8(p, msin >> 4);
}

// Those fields of every MSIN byte, made once: a record copies its slot at a fixed size
// instead of finding the type's space and printing two numbers.
struct TypeFields {
  char text[80] = {};  // zero padded
  std::uint8_t size = 0;
};
struct TypeFieldTable {
  // By the MSIN byte: the type text of its MSTP (modulo 4, as a catalogue frame's type shows
  // it) and MTIN, mstp and mtin its own.
  TypeFields of_msin[256];
  TypeFields none;  // a line without a type (no extended header, MSTP above 3)
  TypeFieldTable() {
    char buffer[128];  // put_u8 stores 4 bytes at the end
    const auto fill = [&buffer](TypeFields& f, std::string_view type, unsigned msin) {
      const std::size_t n = static_cast<std::size_t>(put_type_fields(buffer, type, msin) - buffer);
      std::memcpy(f.text, buffer, n);
      f.size = static_cast<std::uint8_t>(n);
    };
    for (unsigned msin = 0; msin < 256; ++msin) fill(of_msin[msin], type_text((msin >> 1) & 3, msin >> 4), msin);
    fill(none, {}, 0);
  }
};
const TypeFieldTable kTypeFields;  // type_text's table is constant: no order of initialisation
}  // namespace

void JsonRecordFormatter::format(const Message& m, std::string_view input, util::TextBuffer& out) {
  const std::string_view field = input_field(input);
  char* const start = out.reserve(kPlaceBound + field.size() + kHeadBound);
  char* p = start;
  p = put_literal(p, "{\"record\":\"message\",");
  p = InputField::put_field(p, field);
  p = put_place(p, m.position, m.time);
  p = put_literal(p, ",\"device_time\":");
  if (m.has_device_time) p = util::put_tenth_millis(p, m.device_time);
  else p = put_literal(p, "null");
  p = put_literal(p, ",\"counter\":");
  p = util::put_u8(p, m.counter);
  // The ids as the line shows them (controls as '.', deviation Q20).
  const Id ecu = m.shown_ecu();
  if (ids_plain<Quoting::Json>(ecu, m.app, m.ctx)) [[likely]] {
    p = put_literal(p, ",\"ecu\":");
    p = put_plain_quoted_id(p, ecu);
    p = put_literal(p, ",\"app\":");
    p = put_plain_quoted_id(p, m.app);
    p = put_literal(p, ",\"ctx\":");
    p = put_plain_quoted_id(p, m.ctx);
  } else {
    p = put_literal(p, ",\"ecu\":");
    p = put_quoted_id<Quoting::Json>(p, ecu);
    p = put_literal(p, ",\"app\":");
    p = put_quoted_id<Quoting::Json>(p, m.app);
    p = put_literal(p, ",\"ctx\":");
    p = put_quoted_id<Quoting::Json>(p, m.ctx);
  }
  p = put_literal(p, ",\"session\":");
  if (m.has_session) p = util::put_i64(p, static_cast<std::int32_t>(m.session));
  else p = put_literal(p, "null");
  p = m.kind == PayloadKind::Verbose      ? put_literal(p, ",\"kind\":\"verbose\"")
      : m.kind == PayloadKind::NonVerbose ? put_literal(p, ",\"kind\":\"non-verbose\"")
                                          : put_literal(p, ",\"kind\":\"control\"");
  // The type: `log error` → type `log`, subtype `error` (null when the line shows none).
  const TypeFields& type = m.frame                                      ? kTypeFields.of_msin[m.frame->msin]
                           : !m.has_extended || ((m.msin >> 1) & 7) > 3 ? kTypeFields.none
                                                                        : kTypeFields.of_msin[m.msin];
  std::memcpy(p, type.text, sizeof type.text);  // a fixed size: the slot is zero padded
  p += type.size;
  p = put_literal(p, ",\"message_id\":");
  if (m.kind == PayloadKind::NonVerbose) p = util::put_u64(p, nonverbose_message_id(m.payload, m.big_endian));
  else p = put_literal(p, "null");
  p = put_literal(p, ",\"noar\":");
  switch (m.kind) {
    case PayloadKind::Verbose: p = util::put_u8(p, verbose_argument_count(m.payload, m.noar)); break;
    case PayloadKind::NonVerbose: p = util::put_u64(p, nonverbose_argument_count(m)); break;
    case PayloadKind::Control: p = put_literal(p, "null"); break;
  }
  p = put_literal(p, ",\"text\":\"");
  out.advance(static_cast<std::size_t>(p - start));
  const std::string_view text = payload_text_of(m, text_);
  if (m.has_payload_args && m.payload_text_plain) out.append(text);
  else append_json_printable(out, text);  // a line's text: UTF-8 without controls
  out.append("\",\"args\":[");
  switch (m.kind) {
    case PayloadKind::Verbose:
      // Made by the framer in the walk that made the text, when it was asked to.
      if (m.has_payload_args) out.append(m.payload_args);
      else format_verbose_json(m.payload, m.big_endian, m.noar, out);
      break;
    case PayloadKind::NonVerbose:
      if (m.frame_decodes && m.frame) {
        format_frame_args_json(*m.frame, m.payload.subspan(4), m.big_endian, out);
      } else if (m.payload.size() > 4) {  // the byte dump's one argument: the bytes after the id
        out.append("{\"type\":\"raw\",\"value\":\"");
        append_hex_run(out, m.payload.data() + 4, m.payload.size() - 4);
        out.append("\"}");
      }
      break;
    case PayloadKind::Control: break;  // the service is in the text
  }
  out.append("]}\n");
}

void JsonRecordFormatter::format(const SkipRecord& s, std::string_view input, util::TextBuffer& out) {
  const std::string_view field = input_field(input);
  char* const start = out.reserve(kPlaceBound + field.size());
  char* p = put_literal(start, "{\"record\":\"skip\",");
  p = InputField::put_field(p, field);
  p = put_place(p, s.position, s.time);
  out.advance(static_cast<std::size_t>(p - start));
  out.append(",\"length\":");
  util::append_int(out, s.length);
  out.append(",\"reason\":\"");
  append_json_printable(out, s.reason);
  out.append("\",\"text\":\"");
  text_.clear();
  format_skip_text(s, text_);
  append_json_printable(out, text_.view());
  out.append("\"}\n");
}

}  // namespace dltdump::dlt
