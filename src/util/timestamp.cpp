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

void LocalTimeFormatter::format(Timestamp t, char* out) {
  if (!t.valid) {
    std::memcpy(out, "1970/01/01 00:00:00.000000", kWidth);
    return;
  }
  // Lines of the same second (most of them) cost a subtraction and six digits. The
  // difference is unsigned, so a time before the cached second also misses.
  std::uint64_t frac = static_cast<std::uint64_t>(t.us) - static_cast<std::uint64_t>(cached_start_us_);
  if (!have_cache_ || frac >= 1000000) {
    std::int64_t sec = t.us / 1000000;
    if (t.us % 1000000 < 0) sec -= 1;
    std::time_t tt = static_cast<std::time_t>(sec);
    std::tm tm{};
    if (::localtime_r(&tt, &tm) == nullptr) std::memset(&tm, 0, sizeof tm);
    int year = tm.tm_year + 1900;
    if (year < 0) year = 0;
    if (year > 9999) year = 9999;
    put2(cached_, year / 100);
    put2(cached_ + 2, year % 100);
    cached_[4] = '/';
    put2(cached_ + 5, tm.tm_mon + 1);
    cached_[7] = '/';
    put2(cached_ + 8, tm.tm_mday);
    cached_[10] = ' ';
    put2(cached_ + 11, tm.tm_hour);
    cached_[13] = ':';
    put2(cached_ + 14, tm.tm_min);
    cached_[16] = ':';
    put2(cached_ + 17, tm.tm_sec);
    cached_[19] = '.';
    cached_start_us_ = sec * 1000000;
    have_cache_ = true;
    frac = static_cast<std::uint64_t>(t.us - cached_start_us_);
  }
  // Eight digits of the microseconds ("00" and six) end the line's time; the cached text
  // then overwrites the two leading zeros.
  put_eight_digits(out + 18, static_cast<std::uint32_t>(frac));
  std::memcpy(out, cached_, 20);
}

}  // namespace dltdump::util
