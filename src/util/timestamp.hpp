// Absolute time of a line, and its text form in the local time zone.
#pragma once

#include <cstdint>
#include <string>

namespace dltdump::util {

// Microseconds since 1970-01-01T00:00:00Z. `valid` is false for lines without a time
// source (network and serial recordings, skip lines before the first storage header).
struct Timestamp {
  std::int64_t us = 0;
  bool valid = false;

  // A storage header's seconds are unsigned (to 2106), its microseconds signed (as
  // dlt-daemon's and dlt-viewer's structures have them; out-of-range values are added).
  static Timestamp from_storage(std::uint32_t seconds, std::int32_t micros) {
    return {static_cast<std::int64_t>(seconds) * 1000000 + micros, true};
  }
  // Whether the time tells when the message was stored, for ordering and lifecycles: a
  // storage header of zeros (1970-01-01T00:00:00.000000, what a logger without a clock and
  // dltdump's DLT file of a recording write) tells nothing, so it counts as no time there —
  // as the recording's own messages, which have none (a new user's finding: --sort of such
  // a file interleaved two lifecycles, dated 1969). The lines still show it as it is.
  bool known() const noexcept { return valid && us != 0; }
};

// Formats time stamps as `yyyy/MM/dd HH:mm:ss.ffffff` in the local time zone (TZ is
// honoured: tzset() runs at construction). A time stamp without a source prints the
// fixed text `1970/01/01 00:00:00.000000`, which is not converted. The date and time of
// day are cached per second, so consecutive lines of the same second cost a copy.
class LocalTimeFormatter {
 public:
  static constexpr int kWidth = 26;
  LocalTimeFormatter();
  // Writes exactly kWidth characters to `out`.
  void format(Timestamp t, char* out);

 private:
  bool have_cache_ = false;
  std::int64_t cached_start_us_ = 0;  // first microsecond of the cached second
  char cached_[20];                   // `yyyy/MM/dd HH:mm:ss.` of that second
};

// Formats time stamps as RFC 3339 UTC with microseconds, `yyyy-MM-ddTHH:mm:ss.ffffffZ`
// (machine-readable records; years outside 0000-9999 are clamped). Cached per second.
class UtcTimeFormatter {
 public:
  static constexpr int kWidth = 27;
  // Writes exactly kWidth characters to `out`. Assumes t.valid.
  void format(Timestamp t, char* out);

 private:
  bool have_cache_ = false;
  std::int64_t cached_start_us_ = 0;
  char cached_[20];  // `yyyy-MM-ddTHH:mm:ss.` of that second
};

// A device time (uptime, in the 0.1 ms units of DLT's TMSP) as seconds with four
// decimals, as the lines show it: 3306974 → "330.6974".
std::string device_time_text(std::uint32_t tenths_of_ms);

}  // namespace dltdump::util
