#include "util/timestamp.hpp"

#include "util/number_format.hpp"

#include <cstring>
#include <ctime>
#include <limits>

namespace dltdump::util {

namespace {
inline void put2(char* p, int v) { put_two_digits(p, static_cast<unsigned>(v)); }
}  // namespace

LocalTimeFormatter::LocalTimeFormatter() {
  ::tzset();
  std::memset(cached_, 0, sizeof cached_);
}

namespace {
// The text of time stamp `us` up to its microseconds, `yyyy<d>MM<d>dd<t>HH:mm:ss.`, into
// `cached` (20 bytes) when it is not of the cached second; returns the microseconds.
// Lines of the same second (most of them) cost a subtraction. The difference is unsigned,
// so a time before the cached second also misses.
std::uint32_t cached_second(std::int64_t us, bool utc, char date_sep, char time_sep, bool& have_cache,
                            std::int64_t& cached_start_us, char* cached) {
  std::uint64_t frac = static_cast<std::uint64_t>(us) - static_cast<std::uint64_t>(cached_start_us);
  if (!have_cache || frac >= 1000000) {
    std::int64_t sec = us / 1000000;
    if (us % 1000000 < 0) sec -= 1;
    std::time_t tt = static_cast<std::time_t>(sec);
    std::tm tm{};
    if ((utc ? ::gmtime_r(&tt, &tm) : ::localtime_r(&tt, &tm)) == nullptr) std::memset(&tm, 0, sizeof tm);
    int year = tm.tm_year + 1900;
    if (year < 0) year = 0;
    if (year > 9999) year = 9999;
    put2(cached, year / 100);
    put2(cached + 2, year % 100);
    cached[4] = date_sep;
    put2(cached + 5, tm.tm_mon + 1);
    cached[7] = date_sep;
    put2(cached + 8, tm.tm_mday);
    cached[10] = time_sep;
    put2(cached + 11, tm.tm_hour);
    cached[13] = ':';
    put2(cached + 14, tm.tm_min);
    cached[16] = ':';
    put2(cached + 17, tm.tm_sec);
    cached[19] = '.';
    cached_start_us = sec * 1000000;
    have_cache = true;
    frac = static_cast<std::uint64_t>(us - cached_start_us);
  }
  return static_cast<std::uint32_t>(frac);
}
}  // namespace

void LocalTimeFormatter::format(Timestamp t, char* out) {
  if (!t.valid) {
    std::memcpy(out, "1970/01/01 00:00:00.000000", kWidth);
    return;
  }
  const std::uint32_t frac = cached_second(t.us, false, '/', ' ', have_cache_, cached_start_us_, cached_);
  // Eight digits of the microseconds ("00" and six) end the line's time; the cached text
  // then overwrites the two leading zeros.
  put_eight_digits(out + 18, frac);
  std::memcpy(out, cached_, 20);
}

void UtcTimeFormatter::format(Timestamp t, char* out) {
  const std::uint32_t frac = cached_second(t.us, true, '-', 'T', have_cache_, cached_start_us_, cached_);
  put_eight_digits(out + 18, frac);
  std::memcpy(out, cached_, 20);
  out[26] = 'Z';
}

std::string device_time_text(std::uint32_t tenths_of_ms) {
  return std::to_string(tenths_of_ms / 10000) + "." + std::to_string(10000 + tenths_of_ms % 10000).substr(1);
}

}  // namespace dltdump::util
