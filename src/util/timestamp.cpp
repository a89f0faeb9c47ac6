#include "util/timestamp.hpp"

#include <cstring>
#include <ctime>
#include <limits>

namespace dltdump::util {

namespace {
void put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}
}  // namespace

LocalTimeFormatter::LocalTimeFormatter() : cached_sec_(std::numeric_limits<std::int64_t>::min()) {
  ::tzset();
  std::memset(cached_, 0, sizeof cached_);
}

void LocalTimeFormatter::format(Timestamp t, char* out) {
  if (!t.valid) {
    std::memcpy(out, "1970/01/01 00:00:00.000000", kWidth);
    return;
  }
  std::int64_t sec = t.us / 1000000;
  std::int64_t frac = t.us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    sec -= 1;
  }
  if (sec != cached_sec_) {
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
    cached_sec_ = sec;
  }
  std::memcpy(out, cached_, 19);
  out[19] = '.';
  int f = static_cast<int>(frac);
  put2(out + 20, f / 10000);
  put2(out + 22, f / 100 % 100);
  put2(out + 24, f % 100);
}

}  // namespace dltdump::util
