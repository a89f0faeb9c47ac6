// Non-verbose payloads: the byte dump of a message no catalogue frame describes
// (dltdump-spec §3.3), and the text of any non-verbose message.
#pragma once

#include <cstdint>
#include <span>

#include "dlt/message.hpp"
#include "util/byte_order.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// The message id: the first 4 payload bytes in payload byte order, 0 if shorter.
inline std::uint32_t nonverbose_message_id(std::span<const std::uint8_t> payload, bool big_endian) {
  return payload.size() >= 4 ? util::load<std::uint32_t>(payload.data(), big_endian) : 0;
}

// Appends `[<id>] ` and the single argument: the remaining bytes as printable ASCII
// (others `-`), `|`, then as hex pairs (`[1] ----|de ad be ef`); nothing after `[<id>] `
// when no bytes remain.
void format_nonverbose(std::span<const std::uint8_t> payload, bool big_endian, util::TextBuffer& out);

// Appends the text of non-verbose message `m`: `[<id>] ` and the arguments its catalogue
// frame reads (m.frame_decodes), else the byte dump above.
void format_nonverbose(const Message& m, util::TextBuffer& out);

// For a message with a catalogue frame (m.frame): sets m.frame_decodes and, with `text`,
// appends the message's text as format_nonverbose does — one walk over the payload either
// way (with text, the arguments are formatted at once and replaced by the byte dump if
// they do not take the payload exactly).
void read_frame_payload(Message& m, util::TextBuffer* text);

}  // namespace dltdump::dlt
