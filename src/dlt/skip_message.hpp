// Skip records and storage headers as DLT bytes, for outputs that write DLT (dltdump-spec
// §6.4): a skipped region becomes a synthetic verbose message, so that a DLT → DLT
// conversion documents where the input was corrupt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "dlt/message.hpp"

namespace dltdump::dlt {

// Writes a storage header: `DLT\1`, the seconds and microseconds of `time` (little endian;
// zeros for a time without a source), and `ecu` (4 bytes; null: zeros).
void write_storage_header(std::uint8_t* out, util::Timestamp time, const std::uint8_t* ecu);

// The counters SKIP messages take: each follows the counter of the message written before
// it (a skip message included), so an output's counters run on across its skipped regions.
class SkipCounter {
 public:
  // A message with counter `counter` was written.
  void written(std::uint8_t counter) { last_ = counter; }
  // The counter of the next SKIP message (which counts as written).
  std::uint8_t next() { return last_ = static_cast<std::uint8_t>(last_ + 1); }

 private:
  std::uint8_t last_ = 0xFF;  // a leading SKIP message counts 0
};

// Room enough for any skip packet (the reasons are the short kReason* texts).
inline constexpr std::size_t kMaxSkipPacketBytes = 256;

// Writes the packet (standard header onward) that stands for `skip`: HTYP UEH|version 1,
// MCNT `counter`, MSIN 0x31 (log warn, verbose), APP and CTX `SKIP`, four arguments —
// UTF-8 `Skipped:`, the byte count as the narrowest signed integer of 8/16/32/64 bits
// that holds it, `bytes; Reason:`, the reason — so that it decodes to the skip line's text.
// `out` has kMaxSkipPacketBytes; returns the packet's length.
std::size_t write_skip_packet(const SkipRecord& skip, std::uint8_t counter, std::uint8_t* out);

}  // namespace dltdump::dlt
