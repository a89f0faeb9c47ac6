#include "output/file_template.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

using namespace dltdump;
using output::FileTemplate;

namespace {

// 2024-03-01T10:20:30.5Z (the tests run with TZ=UTC).
constexpr util::Timestamp kTime{1709288430500000, true};

}  // namespace

TEST(FileTemplate, PlainNameHasNoVariables) {
  FileTemplate t("out.txt");
  EXPECT_FALSE(t.has_file());
  EXPECT_FALSE(t.can_split());
  EXPECT_FALSE(t.has_time());
  EXPECT_EQ(t.expand({"in", 7, kTime}), "out.txt");
}

TEST(FileTemplate, UnsetVariablesAreNamedOnceInOrder) {
  unsetenv("DLTDUMP_TEST_UNSET_A");
  unsetenv("DLTDUMP_TEST_UNSET_B");
  setenv("DLTDUMP_TEST_SET", "x", 1);
  const FileTemplate t(
      "%DLTDUMP_TEST_UNSET_B%_%FILE%_%DLTDUMP_TEST_SET%%DLTDUMP_TEST_UNSET_A%_%DLTDUMP_TEST_UNSET_B%_%%.txt");
  EXPECT_EQ(t.unset_variables(), (std::vector<std::string>{"DLTDUMP_TEST_UNSET_B", "DLTDUMP_TEST_UNSET_A"}));
  EXPECT_EQ(t.expand({"in", 1, kTime}), "_in_x__%.txt");
  EXPECT_TRUE(FileTemplate("%FILE%_%CTR%_%LC%_%CDATE%.dlt").unset_variables().empty());
}

TEST(FileTemplate, FileIsTheInputStem) {
  FileTemplate t("%FILE%.txt");
  EXPECT_TRUE(t.has_file());
  EXPECT_FALSE(t.can_split());
  EXPECT_EQ(t.expand({"trip", 1, {}}), "trip.txt");
}

TEST(FileTemplate, CounterHasAtLeastThreeDigits) {
  FileTemplate t("part_%CTR%.dlt");
  EXPECT_TRUE(t.can_split());
  EXPECT_FALSE(t.has_time());
  EXPECT_EQ(t.expand({"", 1, {}}), "part_001.dlt");
  EXPECT_EQ(t.expand({"", 42, {}}), "part_042.dlt");
  EXPECT_EQ(t.expand({"", 1000, {}}), "part_1000.dlt");
}

TEST(FileTemplate, LifecycleHasAtLeastThreeDigits) {
  FileTemplate t("trip_%LC%.dlt");
  EXPECT_TRUE(t.has_lifecycle());
  EXPECT_FALSE(t.can_split());
  EXPECT_EQ(t.expand({"", 1, {}, 7}), "trip_007.dlt");
  EXPECT_EQ(t.expand({"", 1, {}, 0}), "trip_000.dlt");  // a line of no lifecycle
  EXPECT_EQ(t.expand({"", 1, {}, 262144}), "trip_262144.dlt");
  EXPECT_EQ(t.fixed_name(), "trip_%LC%.dlt");
  EXPECT_FALSE(FileTemplate("trip_%CTR%.dlt").has_lifecycle());
}

TEST(FileTemplate, DateAndTimeOfTheFirstLineInLocalTime) {
  FileTemplate t("%CDATE%-%CTIME%-%CDATETIME%");
  EXPECT_TRUE(t.can_split());
  EXPECT_TRUE(t.has_time());
  EXPECT_EQ(t.expand({"", 1, kTime}), "20240301-102030-20240301T102030");
}

TEST(FileTemplate, LocalTimeFollowsTheTimeZone) {
  const char* old = getenv("TZ");
  setenv("TZ", "Europe/Berlin", 1);
  tzset();
  EXPECT_EQ(FileTemplate("%CDATETIME%").expand({"", 1, kTime}), "20240301T112030");
  if (old) setenv("TZ", old, 1);
  else unsetenv("TZ");
  tzset();
}

TEST(FileTemplate, ALineWithoutTimeGivesTheEpochUnconverted) {
  setenv("TZ", "Asia/Tokyo", 1);
  tzset();
  EXPECT_EQ(FileTemplate("%CDATE%_%CTIME%").expand({"", 1, {}}), "19700101_000000");
  setenv("TZ", "UTC", 1);
  tzset();
}

TEST(FileTemplate, EnvironmentVariablesAndPercent) {
  setenv("DLTDUMP_TEST_CAR", "car7", 1);
  unsetenv("DLTDUMP_TEST_UNSET");
  FileTemplate t("%DLTDUMP_TEST_CAR%/%DLTDUMP_TEST_UNSET%x_100%%.txt");
  EXPECT_FALSE(t.can_split());
  EXPECT_EQ(t.expand({"", 1, {}}), "car7/x_100%.txt");
}

TEST(FileTemplate, FixedNameResolvesTheEnvironmentOnly) {
  setenv("DLTDUMP_TEST_EXT", "csv", 1);
  unsetenv("DLTDUMP_TEST_UNSET");
  EXPECT_EQ(FileTemplate("y.%DLTDUMP_TEST_EXT%").fixed_name(), "y.csv");
  EXPECT_EQ(FileTemplate("%FILE%_%CTR%_%CDATE%%CTIME%%CDATETIME%%DLTDUMP_TEST_UNSET%.%DLTDUMP_TEST_EXT%").fixed_name(),
            "%FILE%_%CTR%_%CDATE%%CTIME%%CDATETIME%.csv");
  EXPECT_EQ(FileTemplate("a%%b%c").fixed_name(), "a%b%c");
  EXPECT_EQ(FileTemplate("%DLTDUMP_TEST_UNSET%").fixed_name(), "");
  unsetenv("DLTDUMP_TEST_EXT");
}

TEST(FileTemplate, BuiltInNamesWinOverTheEnvironment) {
  setenv("FILE", "from-env", 1);
  EXPECT_EQ(FileTemplate("%FILE%").expand({"trip", 1, {}}), "trip");
  unsetenv("FILE");
}

TEST(FileTemplate, NamesAreCaseSensitive) {
  unsetenv("file");
  FileTemplate t("%file%x");
  EXPECT_FALSE(t.has_file());
  EXPECT_EQ(t.expand({"trip", 1, {}}), "x");
}

TEST(FileTemplate, UnterminatedVariableIsKeptAsWritten) {
  FileTemplate t("out_%CTR");
  EXPECT_FALSE(t.can_split());
  EXPECT_EQ(t.expand({"", 3, {}}), "out_%CTR");
  EXPECT_EQ(FileTemplate("a%%b%c").expand({}), "a%b%c");
}

TEST(FileTemplate, FileStemDropsDirectoryAndLastExtension) {
  EXPECT_EQ(output::file_stem("/data/drive/trip.dlt"), "trip");
  EXPECT_EQ(output::file_stem("trip.tar.dlt"), "trip.tar");
  EXPECT_EQ(output::file_stem("dir.d/noext"), "noext");
  EXPECT_EQ(output::file_stem("-"), "stdin");
  // A compressed input (issue #26): the compression's extension goes too.
  EXPECT_EQ(output::file_stem("/data/trip.dlt.gz"), "trip");
  EXPECT_EQ(output::file_stem("drive.pcapng.zst"), "drive");
  EXPECT_EQ(output::file_stem("trip.xz"), "trip");
  EXPECT_EQ(output::file_stem(".gz"), ".gz");
  EXPECT_EQ(output::file_stem("A.DLT.ZST"), "A");     // in any case
  EXPECT_EQ(output::file_stem("c.dlt.zst.gz"), "c");  // every layer
  EXPECT_EQ(output::file_stem("x.bz2.XZ.gz"), "x");
  EXPECT_EQ(output::file_stem("only.zst.gz"), "only");
}
