// What a summary (--stats, -c) keeps of a message or skipped region: its header fields as
// numbers, in a fixed-size record. The parallel decoders carry these records from the
// worker that decoded a block to the thread that sums them, in the byte blocks that carry
// text lines otherwise (dlt::LineFormatter::Style::Facts), so a summary is made from the
// same events, in the same order, whatever the thread count.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "dlt/message.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

// Type slots: MSTP·16 + MTIN for the four defined message types, then one for messages
// whose line shows no type — one per TYPE column text a line can show (type_text).
inline constexpr std::size_t kTypeSlots = 65;
inline constexpr std::size_t kNoTypeSlot = 64;

// The type slot of message `m`: what its line's TYPE column shows.
inline std::size_t type_slot(const Message& m) {
  unsigned msin;
  if (m.frame) [[unlikely]] {
    msin = m.frame->msin;
  } else {
    if (!m.has_extended || ((m.msin >> 1) & 7) > 3) return kNoTypeSlot;
    msin = m.msin;
  }
  return ((msin >> 1) & 3) * 16 + (msin >> 4);
}

// The skip reasons (dlt/message.hpp), numbered for a record.
inline constexpr std::array<std::string_view, 6> kSkipReasons = {
    kReasonSearching, kReasonInvalidHeader, kReasonInvalidPacket, kReasonFlushing, kReasonEndOfStream, kReasonTcpGap};

struct Facts {
  // kHasIds: the message names its application and context (extended header or catalogue
  // frame). kTimeValid: its time is known (util::Timestamp::known: not a storage header of
  // zeros).
  static constexpr std::uint8_t kSkip = 1, kTimeValid = 2, kHasSession = 4, kHasDeviceTime = 8, kHasIds = 16;

  std::uint64_t position = 0;
  std::int64_t time_us = 0;
  std::uint64_t bytes = 0;                  // a message's bytes as in the input; a skipped region's length
  std::uint32_t ecu = 0, app = 0, ctx = 0;  // Id::word() of the ids as a line shows them (Id::shown)
  std::uint32_t session = 0;                // 0 without one
  std::uint32_t device_time = 0;            // 0 without one
  std::uint8_t counter = 0;
  std::uint8_t kind = 0;  // PayloadKind
  std::uint8_t type = 0;  // type slot; a skipped region's reason (kSkipReasons)
  std::uint8_t flags = 0;

  bool skip() const { return flags & kSkip; }
  bool has_session() const { return flags & kHasSession; }
  bool has_device_time() const { return flags & kHasDeviceTime; }
  bool has_ids() const { return flags & kHasIds; }
  util::Timestamp time() const { return {time_us, (flags & kTimeValid) != 0}; }
  static Id id(std::uint32_t word) {
    Id i;
    std::memcpy(i.chars, &word, 4);
    return i;
  }
};
static_assert(sizeof(Facts) == 48, "a record's size is part of the block format");

inline Facts facts_of(const Message& m) {
  Facts f;
  f.position = m.position;
  f.time_us = m.time.us;
  f.bytes = m.raw.size();
  // As shown: ids that differ only in control bytes are one id, as the filters compare them.
  f.ecu = m.shown_ecu().shown().word();
  f.app = m.app.shown().word();
  f.ctx = m.ctx.shown().word();
  f.session = m.has_session ? m.session : 0;
  f.device_time = m.has_device_time ? m.device_time : 0;
  f.counter = m.counter;
  f.kind = static_cast<std::uint8_t>(m.kind);
  f.type = static_cast<std::uint8_t>(type_slot(m));
  f.flags = static_cast<std::uint8_t>(
      (m.time.known() ? Facts::kTimeValid : 0) | (m.has_session ? Facts::kHasSession : 0) |
      (m.has_device_time ? Facts::kHasDeviceTime : 0) | (m.has_extended || m.frame ? Facts::kHasIds : 0));
  return f;
}

inline Facts facts_of(const SkipRecord& s) {
  Facts f;
  f.position = s.position;
  f.time_us = s.time.us;
  f.bytes = s.length;
  for (std::size_t i = 0; i < kSkipReasons.size(); ++i)
    if (kSkipReasons[i] == s.reason) f.type = static_cast<std::uint8_t>(i);
  f.flags = static_cast<std::uint8_t>(Facts::kSkip | (s.time.valid ? Facts::kTimeValid : 0));
  return f;
}

// Appends the record of `f` to `out`.
inline void append_facts(util::TextBuffer& out, const Facts& f) {
  std::memcpy(out.reserve(sizeof f), &f, sizeof f);
  out.advance(sizeof f);
}

// Calls `each(facts)` for each record of `block` (made by append_facts).
template <class Each>
void for_each_facts(std::string_view block, Each each) {
  for (std::size_t at = 0; at + sizeof(Facts) <= block.size(); at += sizeof(Facts)) {
    Facts f;
    std::memcpy(&f, block.data() + at, sizeof f);
    each(f);
  }
}

}  // namespace dltdump::dlt
