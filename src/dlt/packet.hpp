// Parsing of one DLT v1 packet (standard header onward).
#pragma once

#include <cstdint>
#include <span>

#include "dlt/message.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// Minimum LEN for a standard header whose first byte is `htyp`.
inline unsigned minimum_packet_length(std::uint8_t htyp) {
  return 4u + 4u * (((htyp >> 2) & 1) + ((htyp >> 3) & 1) + ((htyp >> 4) & 1)) + 10u * (htyp & 1);
}

// If the 4 bytes at `p` start a valid DLT v1 standard header (version 1, LEN at least the
// minimum for its flags), returns LEN; otherwise 0.
inline unsigned standard_header_length(const std::uint8_t* p) {
  if ((p[0] & htyp::kVersionMask) != htyp::kVersion1) return 0;
  unsigned len = (static_cast<unsigned>(p[2]) << 8) | p[3];
  return len >= minimum_packet_length(p[0]) ? len : 0;
}

// Tells, from a message's decoded headers alone, whether its payload text is wanted (a
// filter that already rejects the message does not need it). A message refused here is
// still validated and delivered, without text, so a wrong "no" costs only time: the text
// can be made later with format_payload_text.
class TextGate {
 public:
  virtual ~TextGate() = default;
  virtual bool wants_text(const Message& m) const = 0;
};

// Decodes the headers of `packet` (exactly LEN bytes, the standard header checked by
// standard_header_length) into `m` and validates the payload by the rules of its kind:
// verbose arguments must consume the payload exactly; control messages must be a known
// service of the right size; verbose MSIN must name a valid type. Returns false if the
// packet is invalid. Fields of `m` that describe the input (position, time, raw,
// storage_ecu) are left to the caller.
//
// With `payload_text`, the payload's text is produced in the same walk that validates it
// (appended to *payload_text, which the caller clears) and m.payload_text points at it;
// without, m.payload_text stays unset and the text can be made later with
// format_payload_text. With a `gate` as well, the text is made only if the gate wants it
// (asked once the headers and the caller's fields are in `m`).
bool parse_packet(std::span<const std::uint8_t> packet, Message& m, util::TextBuffer* payload_text = nullptr,
                  const TextGate* gate = nullptr);

}  // namespace dltdump::dlt
