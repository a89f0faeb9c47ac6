// Naming, creation rules and splitting of output files, through the RecordWriter that
// text and DLT outputs use (records of 40 bytes, a split size of 100: a file is full
// after its third record).
#include "output/file_series.hpp"

#include <gtest/gtest.h>

#include <map>

#include "output/record_writer.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

constexpr std::int64_t kT0 = 1709288430000000;  // 2024-03-01T10:20:30Z (TZ=UTC)

// A 40-byte record naming itself, of lifecycle `lifecycle`.
void put(output::RecordWriter& w, const std::string& tag, std::int64_t time_us = kT0, std::uint64_t lifecycle = 0) {
  std::string r = tag;
  r.resize(39, '.');
  r += '\n';
  w.begin({time_us, true}, lifecycle).append(r);
  w.end();
}

output::FileSeriesOptions options(const TempDir& dir, const std::string& name, std::uint64_t split = 0,
                                  bool force = false) {
  return {dir / name, split, force, {}};
}

// Every file of `dir` with the tags of its records ("a1 a2 …").
std::map<std::string, std::string> contents(const TempDir& dir) {
  std::map<std::string, std::string> out;
  for (const auto& f : dir.files()) {
    std::string tags, text = read_file(dir / f);
    for (std::size_t at = 0; at + 40 <= text.size(); at += 40)
      tags += (tags.empty() ? "" : " ") + text.substr(at, text.find('.', at) - at);
    out[f] = tags;
  }
  return out;
}

// Two inputs as in the seed design's table: f1 with five records, f2 with two.
std::map<std::string, std::string> two_inputs(const TempDir& dir, const std::string& name, std::uint64_t split,
                                              bool new_second_per_record = false) {
  output::RecordWriter w(options(dir, name, split));
  std::int64_t t = kT0;
  w.begin_input("/in/f1.dlt");
  for (int i = 1; i <= 5; ++i) put(w, "a" + std::to_string(i), new_second_per_record ? t += 1000000 : t);
  w.begin_input("/in/f2.dlt");
  for (int i = 1; i <= 2; ++i) put(w, "b" + std::to_string(i), new_second_per_record ? t += 1000000 : t);
  w.finish();
  return contents(dir);
}

using Files = std::map<std::string, std::string>;

}  // namespace

// The eight rows of the table (seed §2.4.4.7, restated in docs/spec/README.md): %FILE%,
// %CTR%, %CDATETIME% present or not.
TEST(FileSeries, TableRow1NoVariablesConcatenatesWithoutSplitting) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "out.txt", 100), (Files{{"out.txt", "a1 a2 a3 a4 a5 b1 b2"}}));
}

TEST(FileSeries, TableRow2CounterSplitsAcrossInputs) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "out_%CTR%.txt", 100),
            (Files{{"out_001.txt", "a1 a2 a3"}, {"out_002.txt", "a4 a5 b1"}, {"out_003.txt", "b2"}}));
}

TEST(FileSeries, TableRow3CounterAndTimeUseTheFirstRecordsTime) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "out_%CTR%_%CDATETIME%.txt", 100, true), (Files{{"out_001_20240301T102031.txt", "a1 a2 a3"},
                                                                          {"out_002_20240301T102034.txt", "a4 a5 b1"},
                                                                          {"out_003_20240301T102037.txt", "b2"}}));
}

TEST(FileSeries, TableRow4TimeOnlyAppendsWhileTheNameStaysTheSame) {
  TempDir d;
  // Same second throughout: the name never changes, the file is reopened for append.
  EXPECT_EQ(two_inputs(d, "out_%CDATETIME%.txt", 100), (Files{{"out_20240301T102030.txt", "a1 a2 a3 a4 a5 b1 b2"}}));
}

TEST(FileSeries, TableRow4TimeOnlySplitsWhenTheTimeMoves) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "out_%CDATETIME%.txt", 100, true), (Files{{"out_20240301T102031.txt", "a1 a2 a3"},
                                                                    {"out_20240301T102034.txt", "a4 a5 b1"},
                                                                    {"out_20240301T102037.txt", "b2"}}));
}

TEST(FileSeries, TableRow5FileGivesOneOutputPerInput) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "%FILE%.txt", 100), (Files{{"f1.txt", "a1 a2 a3 a4 a5"}, {"f2.txt", "b1 b2"}}));
}

TEST(FileSeries, TableRow6FileAndCounterRestartTheCounterPerInput) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "%FILE%_%CTR%.txt", 100),
            (Files{{"f1_001.txt", "a1 a2 a3"}, {"f1_002.txt", "a4 a5"}, {"f2_001.txt", "b1 b2"}}));
}

TEST(FileSeries, TableRow7FileCounterAndTime) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "%FILE%_%CTR%_%CDATETIME%.txt", 100, true), (Files{{"f1_001_20240301T102031.txt", "a1 a2 a3"},
                                                                             {"f1_002_20240301T102034.txt", "a4 a5"},
                                                                             {"f2_001_20240301T102036.txt", "b1 b2"}}));
}

TEST(FileSeries, TableRow8FileAndTime) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "%FILE%_%CDATETIME%.txt", 0, true),
            (Files{{"f1_20240301T102031.txt", "a1 a2 a3 a4 a5"}, {"f2_20240301T102036.txt", "b1 b2"}}));
}

TEST(FileSeries, SplitIsIgnoredWithoutAVariableThatCanChange) {
  TempDir d;
  EXPECT_EQ(two_inputs(d, "%FILE%.txt", 100), (Files{{"f1.txt", "a1 a2 a3 a4 a5"}, {"f2.txt", "b1 b2"}}));
}

TEST(FileSeries, AFileEndsAtTheFirstRecordThatReachesTheLimit) {
  TempDir d;
  output::RecordWriter w(options(d, "p%CTR%", 120));  // 3 records reach exactly 120
  w.begin_input("x");
  for (int i = 1; i <= 4; ++i) put(w, "r" + std::to_string(i));
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"p001", "r1 r2 r3"}, {"p002", "r4"}}));
}

TEST(FileSeries, AnAppendedFilesLimitGrowsByAFifthOfTheSplitSize) {
  TempDir d;
  output::RecordWriter w(options(d, "%CDATE%.txt", 100));
  w.begin_input("x");
  // The limit is 100, then 120, 140, …: full after r3 (120), then again after each record
  // (160 ≥ 120, 200 ≥ 140, …); every reopening appends to the same file, nothing is lost.
  for (int i = 1; i <= 9; ++i) put(w, "r" + std::to_string(i));
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"20240301.txt", "r1 r2 r3 r4 r5 r6 r7 r8 r9"}}));
}

TEST(FileSeries, NoRecordNoFile) {
  TempDir d;
  output::RecordWriter w(options(d, "out.txt"));
  w.begin_input("a.dlt");
  w.begin_input("b.dlt");
  w.finish();
  EXPECT_TRUE(d.files().empty());
}

TEST(FileSeries, AnExistingFileIsRefusedWithoutForceAndKept) {
  TempDir d;
  write_file(d / "out.txt", "precious");
  output::RecordWriter w(options(d, "out.txt"));
  w.begin_input("a.dlt");
  try {
    put(w, "a1");
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "The file '" + (d / "out.txt") + "' already exists.");
  }
  EXPECT_EQ(read_file(d / "out.txt"), "precious");
}

TEST(FileSeries, ForceTruncatesAnExistingFile) {
  TempDir d;
  write_file(d / "out.txt", std::string(1000, 'x'));
  output::RecordWriter w(options(d, "out.txt", 0, true));
  w.begin_input("a.dlt");
  put(w, "a1");
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"out.txt", "a1"}}));
}

TEST(FileSeries, AnInputIsNeverOverwrittenEvenWithForce) {
  TempDir d;
  write_file(d / "in.dlt", "input bytes");
  auto o = options(d, "in.dlt", 0, true);
  o.inputs.push_back(*util::identity_of(d / "in.dlt"));
  output::RecordWriter w(std::move(o));
  w.begin_input(d / "in.dlt");
  try {
    put(w, "a1");
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "Not overwriting the input file " + (d / "in.dlt") + ".");
  }
  EXPECT_EQ(read_file(d / "in.dlt"), "input bytes");
}

TEST(FileSeries, AnInputIsRecognisedUnderAnotherName) {
  TempDir d;
  write_file(d / "in.dlt", "input bytes");
  ASSERT_EQ(::link((d / "in.dlt").c_str(), (d / "alias.dlt").c_str()), 0);
  auto o = options(d, "alias.dlt", 0, true);
  o.inputs.push_back(*util::identity_of(d / "in.dlt"));
  output::RecordWriter w(std::move(o));
  w.begin_input("in.dlt");
  EXPECT_THROW(put(w, "a1"), util::Error);
  EXPECT_EQ(read_file(d / "in.dlt"), "input bytes");
}

TEST(FileSeries, AFileThisRunCreatedIsNeverOverwritten) {
  TempDir d;
  output::RecordWriter w(options(d, "%FILE%.txt", 0, true));
  w.begin_input("/one/trip.dlt");
  put(w, "a1");
  w.begin_input("/two/trip.dlt");  // same stem: same name
  try {
    put(w, "b1");
    FAIL() << "no error";
  } catch (const util::Error& e) {
    // Both inputs named: the file's name alone does not say which one was dropped.
    EXPECT_EQ(std::string(e.what()), "Not overwriting previously created file " + (d / "trip.txt") +
                                         " (the output of /one/trip.dlt) with the output of /two/trip.dlt.");
  }
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"trip.txt", "a1"}}));
}

// Two members of one archive with the same base name (a/x.dlt and b/x.dlt): the line names
// both members, which the file's name alone does not tell apart.
TEST(FileSeries, TwoArchiveMembersOfOneBaseNameAreNamed) {
  TempDir d;
  output::RecordWriter w(options(d, "%FILE%.txt", 0, true));
  w.begin_input("bundle.zip/a/x.dlt", true);
  put(w, "a1");
  w.begin_input("bundle.zip/b/x.dlt", true);
  try {
    put(w, "b1");
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "Not overwriting previously created file " + (d / "x.txt") +
                                         " (the output of bundle.zip/a/x.dlt) with the output of bundle.zip/b/x.dlt.");
  }
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"x.txt", "a1"}}));
}

TEST(FileSeries, ASplitNameThatComesBackToAnEarlierFileIsRefused) {
  TempDir d;
  output::RecordWriter w(options(d, "%CTIME%.txt", 80));  // full after two records
  w.begin_input("x");
  put(w, "a1", kT0);
  put(w, "a2", kT0);
  put(w, "b1", kT0 + 1000000);
  put(w, "b2", kT0 + 1000000);
  EXPECT_THROW(put(w, "c1", kT0), util::Error);  // 102030.txt again, not the last file
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"102030.txt", "a1 a2"}, {"102031.txt", "b1 b2"}}));
}

TEST(FileSeries, ConcatenationKeepsTheFileOpenAcrossInputs) {
  TempDir d;
  output::RecordWriter w(options(d, "all.txt"));
  w.begin_input("a.dlt");
  put(w, "a1");
  w.begin_input("b.dlt");
  put(w, "b1");
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"all.txt", "a1 b1"}}));
}

TEST(FileSeries, BlocksAreTakenOnlyWhenTheNameCannotChange) {
  TempDir d;
  EXPECT_TRUE(output::RecordWriter(options(d, "a.txt", 1 << 20)).takes_blocks());  // split ignored
  EXPECT_TRUE(output::RecordWriter(options(d, "%FILE%.txt")).takes_blocks());
  EXPECT_FALSE(output::RecordWriter(options(d, "%CTR%.txt", 1 << 20)).takes_blocks());
  EXPECT_FALSE(output::RecordWriter(options(d, "%CDATE%.txt")).takes_blocks());
  EXPECT_TRUE(output::RecordWriter(1, "standard output").takes_blocks());
}

TEST(FileSeries, LifecyclesAlternatingGetAFileEach) {
  TempDir d;
  output::RecordWriter w(options(d, "lc_%LC%.txt", 100));  // no size split by lifecycle
  EXPECT_FALSE(w.takes_blocks());
  EXPECT_FALSE(w.records_revocable());
  w.begin_input("a.dlt");
  put(w, "s0");  // no lifecycle before the first: file 000
  for (int i = 1; i <= 4; ++i) {
    put(w, "a" + std::to_string(i), kT0, 1);
    put(w, "b" + std::to_string(i), kT0, 2);
  }
  put(w, "s1");  // a skip line stays in the current file
  put(w, "c1", kT0, 3);
  w.finish();
  EXPECT_EQ(contents(d), (Files{{"lc_000.txt", "s0"},
                                {"lc_001.txt", "a1 a2 a3 a4"},
                                {"lc_002.txt", "b1 b2 b3 b4 s1"},
                                {"lc_003.txt", "c1"}}));
}

TEST(FileSeries, MoreLifecyclesThanOpenFilesAreTakenUpAgainByAppend) {
  TempDir d;
  output::RecordWriter w(options(d, "lc_%LC%.csv"));
  w.set_header("h......................................\n");  // once per file, not per reopening
  const int lifecycles = static_cast<int>(output::LifecycleFiles<int>::kMaxOpen) + 5;
  for (int round = 0; round < 3; ++round)
    for (int n = 1; n <= lifecycles; ++n) put(w, "r" + std::to_string(round), kT0, static_cast<std::uint64_t>(n));
  w.finish();
  const Files files = contents(d);
  ASSERT_EQ(files.size(), static_cast<std::size_t>(lifecycles));
  for (const auto& [name, tags] : files) EXPECT_EQ(tags, "h r0 r1 r2") << name;
}

TEST(FileSeries, ALifecyclesFileThatExistsIsRefusedWithoutForce) {
  TempDir d;
  write_file(d / "lc_002.txt", "keep");
  output::RecordWriter w(options(d, "lc_%LC%.txt"));
  put(w, "a1", kT0, 1);
  EXPECT_THROW(put(w, "b1", kT0, 2), util::Error);
  put(w, "a2", kT0, 1);
  w.finish();
  EXPECT_EQ(read_file(d / "lc_002.txt"), "keep");
  EXPECT_EQ(read_file(d / "lc_001.txt").substr(0, 2), "a1");
}
