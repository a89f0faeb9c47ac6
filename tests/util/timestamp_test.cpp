#include "util/timestamp.hpp"

#include <gtest/gtest.h>
#include <cstdlib>
#include <string>

using namespace dltdump::util;

namespace {
std::string fmt(Timestamp t) {
  LocalTimeFormatter f;
  char buf[LocalTimeFormatter::kWidth];
  f.format(t, buf);
  return std::string(buf, sizeof buf);
}
}  // namespace

TEST(Timestamp, NoSourcePrintsFixedDefault) { EXPECT_EQ(fmt(Timestamp{}), "1970/01/01 00:00:00.000000"); }

TEST(Timestamp, StorageHeaderTimeInUtc) {
  // ctest sets TZ=UTC for the unit tests.
  EXPECT_EQ(fmt(Timestamp::from_storage(1639688375, 237600)), "2021/12/16 20:59:35.237600");
  // microseconds above 10^6 are simply added
  EXPECT_EQ(fmt(Timestamp::from_storage(0, 1500000)), "1970/01/01 00:00:01.500000");
  EXPECT_EQ(fmt(Timestamp::from_storage(1, -1)), "1970/01/01 00:00:00.999999");
}

TEST(Timestamp, StorageSecondsAreUnsigned) {
  // DLT storage header seconds are unsigned 32-bit: 2^31 is 2038, not 1901.
  EXPECT_EQ(fmt(Timestamp::from_storage(0x80000000u, 0)), "2038/01/19 03:14:08.000000");
  EXPECT_EQ(fmt(Timestamp::from_storage(0xFFFFFFFFu, 999999)), "2106/02/07 06:28:15.999999");
  EXPECT_EQ(Timestamp::from_storage(0xFFFFFFFFu, 0).us, 4294967295000000);
}

TEST(Timestamp, HonoursTz) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "CET-1", 1);
  EXPECT_EQ(fmt(Timestamp::from_storage(0, 0)), "1970/01/01 01:00:00.000000");
  EXPECT_EQ(fmt(Timestamp{}), "1970/01/01 00:00:00.000000");  // the default is not converted
  if (old) setenv("TZ", saved.c_str(), 1);
  else unsetenv("TZ");
}
