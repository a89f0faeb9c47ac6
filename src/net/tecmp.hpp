// TECMP (Technica Engineering capture modules), dltdump-spec §5.5 with deviation Q11.
//
// A TECMP frame (EtherType 0x99FE or 0x2090) wraps frames a capture module recorded.
// After the EtherType: device id (2), counter (2), version (1), message type (1), data type
// (2), reserved (2), CM flags (2) — then entries of a 16-byte header (interface id 4, time
// stamp 8, length 2, data flags 2) and `length` bytes of an Ethernet frame. Only log-stream
// messages (type 3) of Ethernet data (0x0080), unsegmented (CM flags low bits 11), are
// decoded; the version must be 3 (every other version is refused and counted — Q11). A
// truncated entry ends the frame. Module time stamps are ignored (capture time is used).
#pragma once

#include <cstdint>
#include <span>

#include "util/byte_order.hpp"

namespace dltdump::net {

enum class TecmpStatus { Decoded, NotEthernetLog, BadVersion, TooShort };

// Calls entry(inner_frame) for each entry of the TECMP payload `t` (the bytes after the
// EtherType). `inner_frame` is a view into `t`.
template <typename Entry>
TecmpStatus for_each_tecmp_entry(std::span<const std::uint8_t> t, Entry entry) {
  if (t.size() < 12 + 16) return TecmpStatus::TooShort;
  const std::uint8_t version = t[4], message_type = t[5];
  const std::uint16_t data_type = util::load_be16(t.data() + 6), flags = util::load_be16(t.data() + 10);
  if (message_type != 0x03 || data_type != 0x0080 || (flags & 3) != 3) return TecmpStatus::NotEthernetLog;
  if (version != 3) return TecmpStatus::BadVersion;
  std::size_t at = 12;
  while (t.size() - at >= 16) {
    const std::size_t len = util::load_be16(t.data() + at + 12);
    if (t.size() - at - 16 < len) break;  // truncated entry: the frame ends here
    entry(t.subspan(at + 16, len));
    at += 16 + len;
  }
  return TecmpStatus::Decoded;
}

}  // namespace dltdump::net
