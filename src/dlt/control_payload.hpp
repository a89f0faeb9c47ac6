// Control messages (MSTP = control): requests, responses and time messages.
//
// A request or response payload starts with a 32-bit service id. Each known service
// consumes a fixed or declared number of bytes D; the payload is valid when its length P
// satisfies D <= P <= D + 32 (senders pad). Unknown service ids below 0xFFF make the
// packet invalid; ids >= 0xFFF and negative ids are "software injections". The texts are
// DltDump's (`[set_log_level] info APP1 (CTX1)`, `[get_log_info 7] APP1 (CTX1 info on);`).
#pragma once

#include <cstdint>
#include <span>

#include "util/text_buffer.hpp"

namespace dltdump::dlt {

enum class ControlKind : std::uint8_t { Request = 1, Response = 2, Time = 3 };

// True if the payload is a valid control message of the given kind.
bool validate_control(std::span<const std::uint8_t> payload, bool big_endian, ControlKind kind);

// Appends the text of a valid control message; false if it is invalid after all.
bool format_control(std::span<const std::uint8_t> payload, bool big_endian, ControlKind kind, util::TextBuffer& out);

}  // namespace dltdump::dlt
