#include "util/date_parse.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace dltdump::util {

namespace {

constexpr std::int64_t kTicksPerSecond = 10'000'000;

// A cursor over the text with the few lexical steps the forms need.
struct Cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i == s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  bool take_ci(char c) {
    if (done() || std::tolower(static_cast<unsigned char>(s[i])) != c) return false;
    ++i;
    return true;
  }
  std::size_t spaces() {
    std::size_t n = 0;
    while (take(' ')) ++n;
    return n;
  }
  // Reads min..max digits; returns the count read (0 if fewer than min).
  int digits(int min, int max, int& value) {
    value = 0;
    int n = 0;
    while (n < max && !done() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      value = value * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    return n >= min ? n : 0;
  }
};

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool parse_date(Cursor& c, int& y, int& m, int& d) {
  const std::size_t start = c.i;
  int first;
  const int n = c.digits(1, 4, first);
  if (n == 4 && (c.peek() == '-' || c.peek() == '/')) {
    const char sep = c.s[c.i++];
    y = first;
    return c.digits(1, 2, m) && c.take(sep) && c.digits(1, 2, d);
  }
  c.i = start;
  return c.digits(1, 2, m) && c.take('/') && c.digits(1, 2, d) && c.take('/') && c.digits(4, 4, y);
}

}  // namespace

std::optional<std::int64_t> parse_date_time(std::string_view text, Rounding rounding) {
  Cursor c{text};
  c.spaces();
  int y = 0, mo = 0, d = 0;
  if (!parse_date(c, y, mo, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;

  bool utc = false;
  std::int64_t offset_seconds = 0;
  int hour = 0, minute = 0, second = 0;
  std::int64_t fraction_ticks = 0;
  const bool z_separator = c.peek() == 'Z' && c.i + 1 < c.s.size();
  if (c.take('T') || (z_separator && c.take('Z')) || c.spaces() > 0) {
    if (z_separator) utc = true;
    if (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek()))) {
      if (!c.digits(1, 2, hour) || !c.take(':') || !c.digits(2, 2, minute)) return std::nullopt;
      if (c.take(':')) {
        if (!c.digits(2, 2, second)) return std::nullopt;
        if (c.take('.')) {
          int f = 0;
          const int n = c.digits(1, 9, f);
          if (!n) return std::nullopt;
          fraction_ticks = f;
          for (int k = n; k < 7; ++k) fraction_ticks *= 10;
          if (n > 7) {  // nanoseconds (a new user pasted tshark's times): to a whole tick
            const int per_tick = n == 8 ? 10 : 100;
            fraction_ticks = f / per_tick + (rounding == Rounding::Up && f % per_tick != 0 ? 1 : 0);
          }
        }
      }
      const std::size_t before_ampm = c.i;
      c.spaces();
      if (c.take_ci('a') || c.take_ci('p')) {
        const bool pm = std::tolower(static_cast<unsigned char>(c.s[c.i - 1])) == 'p';
        if (!c.take_ci('m') || hour < 1 || hour > 12) return std::nullopt;
        hour = hour % 12 + (pm ? 12 : 0);
      } else {
        c.i = before_ampm;
      }
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  c.spaces();
  if (c.take('Z')) {
    utc = true;
  } else if (c.peek() == '+' || c.peek() == '-') {
    const bool minus = c.s[c.i++] == '-';
    int oh = 0, om = 0;
    if (!c.digits(2, 2, oh)) return std::nullopt;
    c.take(':');
    if (!c.done() && std::isdigit(static_cast<unsigned char>(c.peek())) && !c.digits(2, 2, om)) return std::nullopt;
    if (oh > 14 || om > 59) return std::nullopt;
    utc = true;
    offset_seconds = (minus ? -1 : 1) * (oh * 3600 + om * 60);
  }
  c.spaces();
  if (!c.done()) return std::nullopt;

  std::int64_t seconds;
  if (utc) {
    seconds = days_from_civil(y, mo, d) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  } else {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    tm.tm_isdst = -1;  // the zone's rules decide
    seconds = static_cast<std::int64_t>(std::mktime(&tm));
  }
  return seconds * kTicksPerSecond + fraction_ticks;
}

std::string format_utc_seconds(std::int64_t ticks) {
  std::int64_t seconds = ticks / kTicksPerSecond;
  if (ticks % kTicksPerSecond < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace dltdump::util
