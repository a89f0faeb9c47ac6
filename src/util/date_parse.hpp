// Dates and times as the time filters take them (dltdump-spec §1.2 --not-before/--not-after).
//
// Accepted forms (ASCII, surrounding spaces ignored):
//   date:  yyyy-MM-dd, yyyy/MM/dd, MM/dd/yyyy (months and days with 1 or 2 digits)
//   then optionally a time after `T`, spaces, or `Z` (which also makes the value UTC):
//          HH:mm, HH:mm:ss, HH:mm:ss.f (1 to 9 fraction digits: nanoseconds, as tshark prints
//          them; beyond 7, to a whole tick as `rounding` says), then optionally ` AM`/` PM`
//   then optionally a zone: `Z`, `+HH`, `+HHmm`, `+HH:mm` (or `-`).
// A value without a zone is local time (TZ honoured), a date alone is local midnight.
// Fields are range-checked (February 29 only in leap years; hour 1-12 with AM/PM).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dltdump::util {

// Which way a time finer than a tick (100 ns) goes: a lower bound up, an upper bound down,
// so that the bound keeps the same whole-microsecond times.
enum class Rounding { Down, Up };

// The instant `text` names, in 100 ns ticks since 1970-01-01T00:00:00Z; nullopt if it is not
// one of the accepted forms.
std::optional<std::int64_t> parse_date_time(std::string_view text, Rounding rounding = Rounding::Down);

// `yyyy-MM-ddTHH:mm:ss` of an instant (in 100 ns ticks) in UTC, fraction dropped.
std::string format_utc_seconds(std::int64_t ticks);

}  // namespace dltdump::util
