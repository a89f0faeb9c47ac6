#include <cstring>
#include <string>
#include <vector>

#include "api/access.hpp"
#include "dlt/catalogue_payload.hpp"
#include "dlt/line_formatter.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/verbose_argument.hpp"
#include "dlt/verbose_payload.hpp"
#include "dltdump/message.hpp"
#include "util/text_buffer.hpp"

namespace dltdump {

namespace {

Id public_id(const dlt::Id& id) {
  const std::uint32_t word = id.word();  // the bytes after the end cleared
  Id out;
  std::memcpy(out.chars.data(), &word, 4);
  return out;
}

// A Message that no Reader gave (default-constructed) reads as an empty verbose message
// without arguments: every accessor gives a value, none dereferences a null record.
const dlt::Message& rec(const void* record) {
  static const dlt::Message none = [] {
    dlt::Message m;
    m.kind = dlt::PayloadKind::Verbose;
    return m;
  }();
  return record ? *static_cast<const dlt::Message*>(record) : none;
}

}  // namespace

Time Message::time() const noexcept { return Time(std::chrono::microseconds(rec(record_).time.us)); }
bool Message::has_time() const noexcept { return rec(record_).time.valid; }
std::uint32_t Message::device_time() const noexcept { return rec(record_).device_time; }
bool Message::has_device_time() const noexcept { return rec(record_).has_device_time; }
std::uint8_t Message::counter() const noexcept { return rec(record_).counter; }
Id Message::ecu() const noexcept { return public_id(rec(record_).shown_ecu()); }
Id Message::app() const noexcept { return public_id(rec(record_).app); }
Id Message::ctx() const noexcept { return public_id(rec(record_).ctx); }
bool Message::has_extended_header() const noexcept { return rec(record_).has_extended; }
std::uint32_t Message::session() const noexcept { return rec(record_).session; }
bool Message::has_session() const noexcept { return rec(record_).has_session; }
// The message type and type info a line shows: a catalogue frame's for a message it
// describes (as its ids), else the extended header's.
MessageType Message::type() const noexcept {
  const dlt::Message& m = rec(record_);
  return static_cast<MessageType>(m.frame ? (m.frame->msin >> 1) & 7 : static_cast<unsigned>(m.type()));
}
std::uint8_t Message::type_info() const noexcept {
  const dlt::Message& m = rec(record_);
  return m.frame ? static_cast<std::uint8_t>(m.frame->msin >> 4) : m.type_info();
}
Level Message::level() const noexcept {
  const dlt::Message& m = rec(record_);
  const unsigned info = type_info();
  if (!(m.has_extended || m.frame) || type() != MessageType::log || info < 1 || info > 6) return Level::none;
  return static_cast<Level>(info);
}
std::string_view Message::type_text() const noexcept {
  std::string_view text = dlt::type_text(rec(record_));  // "nw_trace " for a type info without a name
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}
PayloadKind Message::kind() const noexcept {
  switch (rec(record_).kind) {
    case dlt::PayloadKind::Verbose: return PayloadKind::verbose;
    case dlt::PayloadKind::NonVerbose: return PayloadKind::non_verbose;
    case dlt::PayloadKind::Control: break;
  }
  return PayloadKind::control;
}
bool Message::big_endian() const noexcept { return rec(record_).big_endian; }
std::uint32_t Message::message_id() const noexcept {
  const dlt::Message& m = rec(record_);
  if (m.kind == dlt::PayloadKind::Verbose || m.payload.size() < 4) return 0;
  return dlt::nonverbose_message_id(m.payload, m.big_endian);
}
std::uint8_t Message::argument_count() const noexcept {
  const dlt::Message& m = rec(record_);
  switch (m.kind) {
    case dlt::PayloadKind::Verbose: return static_cast<std::uint8_t>(dlt::verbose_argument_count(m.payload, m.noar));
    case dlt::PayloadKind::NonVerbose: return static_cast<std::uint8_t>(dlt::nonverbose_argument_count(m));
    case dlt::PayloadKind::Control: break;
  }
  return 0;
}
std::uint64_t Message::position() const noexcept { return rec(record_).position; }
std::span<const std::uint8_t> Message::raw() const noexcept { return rec(record_).raw; }
std::span<const std::uint8_t> Message::packet() const noexcept { return rec(record_).packet; }
std::span<const std::uint8_t> Message::payload() const noexcept { return rec(record_).payload; }

namespace {
// The text of a message, in a buffer of the calling thread (valid until its next call).
std::string_view text_of(const dlt::Message& m) {
  thread_local util::TextBuffer scratch(util::TextBuffer::kLineBytes);
  return dlt::payload_text_of(m, scratch);
}
}  // namespace

std::string Message::text() const { return std::string(text_of(rec(record_))); }
void Message::append_text(std::string& out) const { out += text_of(rec(record_)); }

std::vector<Argument> Message::args() const {
  const dlt::Message& m = rec(record_);
  std::vector<Argument> out;
  thread_local std::vector<dlt::VerboseArgument> list;
  list.clear();
  if (m.kind == dlt::PayloadKind::Verbose) {
    dlt::list_verbose_arguments(m.payload, m.big_endian, m.noar, list);  // validated by the framer
  } else if (m.kind == dlt::PayloadKind::NonVerbose && m.frame && m.frame_decodes) {
    // The frame took the payload after the message id exactly when the line was made.
    dlt::list_frame_arguments(*m.frame, m.payload.subspan(4), m.big_endian, list);
  } else {
    return out;
  }
  out.reserve(list.size());
  for (const auto& a : list) out.push_back(detail::Access::argument(a));
  return out;
}

// Argument: the fields are the dlt layer's VerboseArgument, copied.
Argument detail::Access::argument(const dlt::VerboseArgument& a) {
  Argument out;
  out.type_ = static_cast<Argument::Type>(a.type);
  out.array_ = a.array;
  out.big_endian_ = a.big_endian;
  out.coding_ = static_cast<std::uint8_t>(a.coding);
  out.depth_ = a.depth;
  out.width_ = a.width;
  out.count_ = a.count;
  out.name_ = a.name;
  out.unit_ = a.unit;
  out.data_ = a.data;
  return out;
}

// What the value functions read of an argument.
dlt::VerboseArgument detail::Access::argument(const Argument& a) {
  dlt::VerboseArgument value;
  value.type = static_cast<dlt::VerboseArgument::Type>(a.type_);
  value.big_endian = a.big_endian_;
  value.coding = static_cast<dlt::VerboseArgument::Coding>(a.coding_);
  value.width = a.width_;
  value.data = a.data_;
  return value;
}

std::int64_t Argument::as_int(std::uint32_t i) const { return dlt::argument_int(detail::Access::argument(*this), i); }
std::uint64_t Argument::as_uint(std::uint32_t i) const {
  return dlt::argument_uint(detail::Access::argument(*this), i);
}
double Argument::as_double(std::uint32_t i) const { return dlt::argument_double(detail::Access::argument(*this), i); }
std::string Argument::as_string() const { return dlt::argument_string(detail::Access::argument(*this)); }

}  // namespace dltdump
