#include "dlt/skip_message.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "dlt/marker_scan.hpp"
#include "util/byte_order.hpp"

namespace dltdump::dlt {

void write_storage_header(std::uint8_t* out, util::Timestamp time, const std::uint8_t* ecu) {
  std::uint32_t seconds = 0, micros = 0;
  if (time.valid) {
    // Seconds are unsigned 32-bit, microseconds signed (Timestamp::from_storage): a time
    // outside the seconds' range — one a storage header made with microseconds beyond a
    // second, before 1970 or after 2106 — keeps what the microseconds can carry of it
    // (all of it for every time a storage header can hold) instead of wrapping around.
    std::int64_t s = time.us / 1000000, us = time.us % 1000000;
    if (us < 0) --s, us += 1000000;
    constexpr std::int64_t kMaxSeconds = 0xFFFFFFFF;
    const std::int64_t first = std::clamp<std::int64_t>(s, 0, kMaxSeconds);
    const std::int64_t rest = std::clamp<std::int64_t>(time.us - first * 1000000, INT32_MIN, INT32_MAX);
    seconds = static_cast<std::uint32_t>(first);
    micros = static_cast<std::uint32_t>(static_cast<std::int32_t>(rest));
  }
  std::memcpy(out, kFileMarker, 4);
  util::store(out + 4, seconds, false);
  util::store(out + 8, micros, false);
  if (ecu) std::memcpy(out + 12, ecu, 4);
  else std::memset(out + 12, 0, 4);
}

namespace {

// Verbose argument type info bits (DLT v1, little endian payload).
constexpr std::uint32_t kTypeSint = 0x20;
constexpr std::uint32_t kTypeString = 0x200;
constexpr std::uint32_t kCodingUtf8 = 1u << 15;

std::uint8_t* put_string(std::uint8_t* p, std::string_view s) {
  util::store(p, kTypeString | kCodingUtf8, false);
  util::store(p + 4, static_cast<std::uint16_t>(s.size() + 1), false);
  std::memcpy(p + 6, s.data(), s.size());
  p[6 + s.size()] = 0;
  return p + 6 + s.size() + 1;
}

template <typename T>
std::uint8_t* put_sint(std::uint8_t* p, std::uint32_t length_code, T v) {
  util::store(p, kTypeSint | length_code, false);
  util::store(p + 4, v, false);
  return p + 4 + sizeof v;
}

}  // namespace

std::size_t write_skip_packet(const SkipRecord& skip, std::uint8_t counter, std::uint8_t* out) {
  constexpr std::size_t kHeaders = 4 + 10;  // standard header (no optional fields) + extended
  std::uint8_t* p = out + kHeaders;
  p = put_string(p, "Skipped:");
  const std::uint64_t n = skip.length;
  if (n <= 0x7F) p = put_sint(p, 1, static_cast<std::int8_t>(n));
  else if (n <= 0x7FFF) p = put_sint(p, 2, static_cast<std::int16_t>(n));
  else if (n <= 0x7FFFFFFF) p = put_sint(p, 3, static_cast<std::int32_t>(n));
  else p = put_sint(p, 4, static_cast<std::int64_t>(std::min<std::uint64_t>(n, INT64_MAX)));
  p = put_string(p, "bytes; Reason:");
  // The reasons are short constants; the cap only guards the buffer.
  p = put_string(p, skip.reason.substr(0, std::min<std::size_t>(skip.reason.size(), 80)));
  const auto len = static_cast<std::uint16_t>(p - out);

  out[0] = htyp::kUseExtendedHeader | htyp::kVersion1;
  out[1] = counter;
  util::store(out + 2, len, true);
  out[4] = 0x31;  // log warn, verbose
  out[5] = 4;     // NOAR
  std::memcpy(out + 6, "SKIP", 4);
  std::memcpy(out + 10, "SKIP", 4);
  return len;
}

}  // namespace dltdump::dlt
