#include "util/date_parse.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using dltdump::util::format_utc_seconds;
using dltdump::util::parse_date_time;

namespace {
constexpr std::int64_t kSec = 10'000'000;
constexpr std::int64_t k20220618 = 1655510400;  // 2022-06-18T00:00:00Z in seconds

// Runs the test body in a time zone, restoring TZ afterwards.
struct ZoneGuard {
  std::string old;
  bool had;
  explicit ZoneGuard(const char* tz) {
    const char* o = std::getenv("TZ");
    had = o != nullptr;
    if (o) old = o;
    setenv("TZ", tz, 1);
    tzset();
  }
  ~ZoneGuard() {
    if (had) setenv("TZ", old.c_str(), 1);
    else unsetenv("TZ");
    tzset();
  }
};
}  // namespace

TEST(DateParse, UtcForms) {
  ZoneGuard z("UTC0");
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00Z"), (k20220618 + 8 * 3600 + 30 * 60) * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18Z08:30:00"), (k20220618 + 8 * 3600 + 30 * 60) * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18T10:30:00+02:00"), (k20220618 + 8 * 3600 + 30 * 60) * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18T06:30:00-0200"), (k20220618 + 8 * 3600 + 30 * 60) * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.1234567Z"), (k20220618 + 8 * 3600 + 30 * 60) * kSec + 1234567);
  // Nanoseconds, as tshark prints them (a new user's finding: refused): to a whole tick,
  // down unless asked up.
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.123456789Z"), (k20220618 + 8 * 3600 + 30 * 60) * kSec + 1234567);
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.123456789Z", dltdump::util::Rounding::Up),
            (k20220618 + 8 * 3600 + 30 * 60) * kSec + 1234568);
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.12345670Z", dltdump::util::Rounding::Up),
            (k20220618 + 8 * 3600 + 30 * 60) * kSec + 1234567);  // nothing below the tick
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.999999999Z", dltdump::util::Rounding::Up),
            (k20220618 + 8 * 3600 + 30 * 60 + 1) * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18T08:30:00.5Z"), (k20220618 + 8 * 3600 + 30 * 60) * kSec + 5000000);
}

TEST(DateParse, LocalFormsFollowTheTimeZone) {
  ZoneGuard z("CET-1CEST,M3.5.0,M10.5.0/3");  // summer time in June: UTC+2
  const std::int64_t utc_0830 = (k20220618 + 8 * 3600 + 30 * 60) * kSec;
  EXPECT_EQ(parse_date_time("2022-06-18T10:30:00"), utc_0830);
  EXPECT_EQ(parse_date_time("2022-06-18 10:30:00"), utc_0830);
  EXPECT_EQ(parse_date_time("  2022/06/18 10:30  "), utc_0830);
  EXPECT_EQ(parse_date_time("06/18/2022 10:30"), utc_0830);
  EXPECT_EQ(parse_date_time("6/18/2022 10:30 AM"), utc_0830);
  EXPECT_EQ(parse_date_time("6/18/2022 10:30 pm"), utc_0830 + 12 * 3600 * kSec);
  EXPECT_EQ(parse_date_time("2022-06-18"), (k20220618 - 2 * 3600) * kSec);  // local midnight
  EXPECT_EQ(parse_date_time("2022-01-18T10:30:00"),
            (k20220618 - 151 * 86400 + 9 * 3600 + 30 * 60) * kSec);  // winter: UTC+1
}

TEST(DateParse, RejectsWhatIsNotADate) {
  for (const char* bad : {"", "yesterday", "2022-13-01", "2022-02-29", "2022-06-31", "2022-06-18T24:00:00",
                          "2022-06-18T10:60", "2022-06-18T10", "2022-06-18T10:30:00.", "2022-06-18T10:30:00.1234567890",
                          "2022-06-18 13:00 PM", "2022-06-18T10:30:00+25:00", "2022-06-18x", "18.06.2022"})
    EXPECT_FALSE(parse_date_time(bad).has_value()) << bad;
  EXPECT_TRUE(parse_date_time("2024-02-29").has_value());  // a leap year
}

TEST(DateParse, FormatsUtcSeconds) {
  EXPECT_EQ(format_utc_seconds((k20220618 + 8 * 3600 + 30 * 60) * kSec + 9999999), "2022-06-18T08:30:00");
  EXPECT_EQ(format_utc_seconds(-1), "1969-12-31T23:59:59");
}
