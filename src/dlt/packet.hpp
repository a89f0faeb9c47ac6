// Parsing of one DLT v1 packet (standard header onward).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dlt/message.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// Minimum LEN for a standard header whose first byte is `htyp`.
inline unsigned minimum_packet_length(std::uint8_t htyp) {
  // 4, plus 4 per ECU, session and time stamp field, plus 10 for the extended header: one
  // look-up by the five flag bits.
  static constexpr auto kLength = [] {
    std::array<std::uint8_t, 32> length{};
    for (unsigned f = 0; f < 32; ++f)
      length[f] =
          static_cast<std::uint8_t>(4u + 4u * (((f >> 2) & 1) + ((f >> 3) & 1) + ((f >> 4) & 1)) + 10u * (f & 1));
    return length;
  }();
  return kLength[htyp & 0x1F];
}

// Offset of the extended header (if any) in a packet whose first byte is `htyp`: the
// standard header with its optional fields.
inline unsigned extended_header_at(std::uint8_t htyp) {
  return minimum_packet_length(static_cast<std::uint8_t>(htyp & ~htyp::kUseExtendedHeader));
}

// Whether a packet whose first byte is `htyp` carries ids (an ECU id or an extended
// header). One without is what any byte of 0x20-0x3F in text starts, its length from the
// next two bytes: network framing (stream starts, deviation Q29) and format sniffing hold
// such packets to more.
inline bool has_ids(std::uint8_t htyp) { return (htyp & (htyp::kWithEcuId | htyp::kUseExtendedHeader)) != 0; }

// If the 4 bytes at `p` start a valid DLT v1 standard header (version 1, LEN at least the
// minimum for its flags), returns LEN; otherwise 0.
inline unsigned standard_header_length(const std::uint8_t* p) {
  if ((p[0] & htyp::kVersionMask) != htyp::kVersion1) return 0;
  unsigned len = (static_cast<unsigned>(p[2]) << 8) | p[3];
  return len >= minimum_packet_length(p[0]) ? len : 0;
}

// Tells, from a message's decoded headers alone, what its payload is needed for — so a
// filter that already rejects a message spares the payload's formatting, and often its
// validation too. A wrong answer towards "less" costs only time where the contract below
// allows it: text can be made later with format_payload_text.
class PayloadGate {
 public:
  enum class Need : std::uint8_t {
    Text,        // validate and format: the message may be printed or searched
    Validation,  // validate only: the message is delivered, its text made on demand
    Nothing,     // nobody takes this message, nor a skip line in its place: the framer may
                 // drop it unvalidated where that cannot change the other events' bytes
  };
  virtual ~PayloadGate() = default;
  virtual Need need(const Message& m) const = 0;
  // A quicker first look, before any header field is decoded: true only if need() would
  // say kNothing for whatever message `packet` (LEN bytes, standard header checked) holds.
  // False means undecided. Lets the framer pass over rejected packets without decoding them.
  virtual bool drops_unparsed(std::span<const std::uint8_t> packet) const {
    (void)packet;
    return false;
  }
  // False when drops_unparsed never says true, so the framer need not ask it.
  virtual bool looks_unparsed() const { return false; }
};

// Decodes the headers of `packet` (exactly LEN bytes, the standard header checked by
// standard_header_length) into `m`, including m.kind and m.payload. Fields of `m` that
// describe the input (position, time, raw, storage_ecu) are left to the caller.
void parse_headers(std::span<const std::uint8_t> packet, Message& m);

// Validates the payload of a message parse_headers filled by the rules of its kind:
// verbose arguments must consume the payload exactly; control messages must be a known
// service of the right size; verbose MSIN must name a valid type. Returns false if the
// packet is invalid. With `payload_text`, the text is produced in the same walk (appended
// to *payload_text, which the caller clears) and m.payload_text points at it; without,
// m.has_payload_text is false and the text can be made later with format_payload_text.
// m.has_payload_args stays as parse_headers left it (false).
bool check_payload(Message& m, util::TextBuffer* payload_text);

// check_payload with payload text, and for a verbose payload its typed arguments as a JSON
// record writes them made in the same walk too (appended to `payload_args`, which the
// caller clears; m.payload_args points at them, m.has_payload_args is set). Other kinds:
// check_payload (no arguments).
bool check_payload_with_args(Message& m, util::TextBuffer& payload_text, util::TextBuffer& payload_args);

// Validates the payload as check_payload does and appends its text to `out` in the same
// walk (a line being written in place: see dlt::InPlaceLines); m.has_payload_text is not
// set. Returns false if the packet is invalid (some text may have been appended). For a
// message with a catalogue frame (m.frame) the caller has set m.frame_decodes, which its
// line's head shows too: true appends the frame's arguments unchecked, false the byte dump.
bool check_payload_into(const Message& m, util::TextBuffer& out);

// parse_headers then check_payload.
inline bool parse_packet(std::span<const std::uint8_t> packet, Message& m, util::TextBuffer* payload_text = nullptr) {
  parse_headers(packet, m);
  return check_payload(m, payload_text);
}

}  // namespace dltdump::dlt
