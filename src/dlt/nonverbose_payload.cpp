#include "dlt/nonverbose_payload.hpp"

#include "dlt/catalogue_payload.hpp"
#include "dlt/text_encoding.hpp"
#include "util/byte_order.hpp"
#include "util/number_format.hpp"

namespace dltdump::dlt {

void format_nonverbose(std::span<const std::uint8_t> payload, bool big_endian, util::TextBuffer& out) {
  out.put('[');
  util::append_int(out, nonverbose_message_id(payload, big_endian));
  out.append("] ", 2);
  if (payload.size() <= 4) return;
  const std::uint8_t* d = payload.data() + 4;
  const std::size_t n = payload.size() - 4;
  char* o = out.reserve(n + 1);
  for (std::size_t i = 0; i < n; ++i) o[i] = (d[i] >= 0x20 && d[i] < 0x7F) ? static_cast<char>(d[i]) : '-';
  o[n] = '|';
  out.advance(n + 1);
  append_hex_bytes(out, d, n);
}

void read_frame_payload(Message& m, util::TextBuffer* text) {
  const std::span<const std::uint8_t> args = m.payload.subspan(4);  // a frame was found by a 4-byte id
  if (!text) {
    m.frame_decodes = frame_fits(*m.frame, args, m.big_endian);
    return;
  }
  const std::size_t start = text->size();
  m.frame_decodes = format_frame_text(*m.frame, args, m.big_endian, *text);
  if (m.frame_decodes) return;
  text->truncate(start);
  format_nonverbose(m.payload, m.big_endian, *text);
}

void format_nonverbose(const Message& m, util::TextBuffer& out) {
  if (!(m.frame_decodes && m.frame)) {
    format_nonverbose(m.payload, m.big_endian, out);
    return;
  }
  format_frame_text(*m.frame, m.payload.subspan(4), m.big_endian, out);
}

}  // namespace dltdump::dlt
