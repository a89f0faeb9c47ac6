// The merge's own contract (app/sort/merge.hpp): messages in key order across inputs, each
// input held back only as far as the survey found it out of order, and an input changed
// between the survey and the merge left out with one line.
#include "app/sort/merge.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/dump_app.hpp"
#include "app/sort/survey.hpp"
#include "dlt/packet_builder.hpp"
#include "input/input_spec.hpp"
#include "util/error.hpp"

using namespace dltdump;
using dltdump::test::Bytes;

namespace {

// A DLT file of ECU `ecu`, booted at second `boot`: messages at the given uptimes (ms),
// each received `delay_ms` late; the payload byte is the message's uptime / 10 ms.
std::string write_file(const std::string& name, const std::string& ecu, std::int32_t boot,
                       const std::vector<std::pair<std::uint32_t, std::uint32_t>>& uptime_delay_ms) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream f(path, std::ios::binary);
  for (auto [uptime, delay] : uptime_delay_ms) {
    dltdump::test::PacketSpec spec;
    spec.ecu = ecu;
    spec.with_time = true;
    spec.device_time = uptime * 10;
    spec.extended = false;
    const Bytes pkt = dltdump::test::packet(spec, Bytes{static_cast<std::uint8_t>(uptime / 10)});
    const std::int64_t at_us = std::int64_t{boot} * 1000000 + (std::int64_t{uptime} + delay) * 1000;
    const Bytes stored = dltdump::test::storage(pkt, static_cast<std::int32_t>(at_us / 1000000),
                                                static_cast<std::int32_t>(at_us % 1000000), ecu);
    f.write(reinterpret_cast<const char*>(stored.data()), static_cast<std::streamsize>(stored.size()));
  }
  return path;
}

struct Collect : app::MergeTarget {
  std::vector<std::pair<std::string, int>> got;  // ECU, payload byte
  void message(std::span<const std::uint8_t> stored, const app::LifecycleInfo& l, std::size_t, std::uint64_t) override {
    got.emplace_back(std::string(l.ecu.view()), stored.back());
  }
  void skip(const dlt::SkipRecord&, std::size_t) override { got.emplace_back("skip", 0); }
};

app::DumpConfig config_of(const std::vector<std::string>& paths) {
  app::DumpConfig c;
  for (const auto& p : paths) c.inputs.push_back(input::parse_input_argument(p));
  return c;
}

TEST(Merge, KeyOrderAcrossInputsAndWithinEach) {
  // ECU A received with delays out of order; ECU B on time, booted 15 ms after A.
  const std::string a = write_file("merge_a.dlt", "A", 100, {{10, 0}, {30, 0}, {20, 25}, {40, 0}, {60, 0}, {50, 15}});
  const std::string b = write_file("merge_b.dlt", "B", 100, {{5, 0}, {25, 0}, {45, 0}});
  const app::DumpConfig config = config_of({a, b});
  const app::Survey survey = app::survey_inputs(config, 2);
  EXPECT_EQ(survey.failed, 0u);
  EXPECT_GE(survey.inputs[0].lateness_us, 15000);
  Collect out;
  EXPECT_EQ(app::merge_inputs(survey, config, {}, out, 2), 0u);
  const std::vector<std::pair<std::string, int>> want = {{"B", 0}, {"A", 1}, {"A", 2}, {"B", 2}, {"A", 3},
                                                         {"A", 4}, {"B", 4}, {"A", 5}, {"A", 6}};
  EXPECT_EQ(out.got, want);
}

// A target that ends the merge at its first message (as -m does): the input that failed
// before it is counted all the same (MergeOptions::failures), for the exit code.
TEST(Merge, AFailureIsCountedAlsoWhenTheTargetEndsTheMerge) {
  const std::string a = write_file("merge_e.dlt", "A", 100, {{10, 0}, {20, 0}});
  const std::string b = write_file("merge_f.dlt", "B", 100, {{15, 0}});
  const app::DumpConfig config = config_of({a, b});
  const app::Survey survey = app::survey_inputs(config, 2);
  write_file("merge_e.dlt", "A", 100, {{10, 0}, {20, 0}, {30, 0}});  // grown meanwhile: fails when opened
  struct Ends : app::MergeTarget {
    void message(std::span<const std::uint8_t>, const app::LifecycleInfo&, std::size_t, std::uint64_t) override {
      throw std::runtime_error("enough");
    }
    void skip(const dlt::SkipRecord&, std::size_t) override {}
  } ends;
  std::vector<std::pair<std::size_t, std::string>> failures;
  app::MergeOptions options;
  options.failures = &failures;
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(null, 0);
  EXPECT_THROW(app::merge_inputs(survey, config, options, ends, null), std::runtime_error);
  ::close(null);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].first, 0u);  // the input, and its line (the --stats row's reason)
  EXPECT_EQ(failures[0].second, a + " changed between the two reads of a sorted run (replaced, rewritten, grown or "
                                    "cut); its messages are left out");
}

TEST(Merge, AnInputChangedBetweenThePassesIsLeftOut) {
  const std::string a = write_file("merge_c.dlt", "A", 100, {{10, 0}, {20, 0}});
  const std::string b = write_file("merge_d.dlt", "B", 100, {{15, 0}});
  const app::DumpConfig config = config_of({a, b});
  const app::Survey survey = app::survey_inputs(config, 2);
  write_file("merge_c.dlt", "A", 100, {{10, 0}, {20, 0}, {30, 0}});  // grown meanwhile
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Collect out;
  EXPECT_EQ(app::merge_inputs(survey, config, {}, out, fds[1]), 1u);
  ::close(fds[1]);
  char line[512] = {};
  const ssize_t n = ::read(fds[0], line, sizeof line - 1);
  ::close(fds[0]);
  ASSERT_GT(n, 0);
  EXPECT_NE(std::string(line).find("changed between the two reads"), std::string::npos) << line;
  const std::vector<std::pair<std::string, int>> want = {{"B", 1}};
  EXPECT_EQ(out.got, want);
}

// An input cut by another program while the survey reads it: its failure is said once (by
// the survey), and the messages the survey read before the cut are merged — not left out
// as a file changed between the passes (a new user's finding), nor more of them.
TEST(Merge, AnInputCutWhileSurveyedGivesTheMessagesBeforeTheCut) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> uptimes;
  for (std::uint32_t u = 0; u < 40000; ++u) uptimes.emplace_back(u * 10, 0);
  const std::string a = write_file("merge_cut.dlt", "A", 100, uptimes);
  const std::string b = write_file("merge_cut_b.dlt", "B", 100, {{15, 0}, {400005, 0}});
  const app::DumpConfig config = config_of({a, b});
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const off_t cut = 500000;  // inside a message, about a third of the file
  const app::Survey survey = app::survey_inputs(config, fds[1], [&](std::size_t i, util::InputFile&) {
    if (i == 0) {
      ASSERT_EQ(::truncate(a.c_str(), cut), 0);
    }
  });
  ::close(fds[1]);
  char line[512] = {};
  ASSERT_GT(::read(fds[0], line, sizeof line - 1), 0);
  ::close(fds[0]);
  EXPECT_NE(std::string(line).find("shrank"), std::string::npos) << line;
  EXPECT_EQ(survey.failed, 1u);
  const app::InputSurvey& cut_input = survey.inputs[0];
  EXPECT_TRUE(cut_input.cut_while_read);
  ASSERT_GT(cut_input.messages, 1000u);
  ASSERT_LT(cut_input.messages, 40000u);
  Collect out;
  EXPECT_EQ(app::merge_inputs(survey, config, {}, out, 2), 0u);  // said once, by the survey
  std::vector<int> got_a;
  for (const auto& [ecu, payload] : out.got) {
    EXPECT_NE(ecu, "skip");  // nor the partial message the cut left
    if (ecu == "A") got_a.push_back(payload);
  }
  ASSERT_EQ(got_a.size(), cut_input.messages);
  for (std::size_t i = 0; i < got_a.size(); ++i) ASSERT_EQ(got_a[i], static_cast<std::uint8_t>(i)) << i;
  EXPECT_EQ(std::count(out.got.begin(), out.got.end(), std::pair<std::string, int>{"B", 1}), 1);
}

// A file of ECU A with its regions in reverse order: uptimes 0..count-1 (×10 ms), each
// received on time, in `block`-long regions written last first (so the survey finds the
// file out of order by nearly its whole length).
std::string reversed_blocks(const std::string& name, std::uint32_t count, std::uint32_t block,
                            const std::string& ecu = "A", std::uint32_t offset_ms = 0) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> uptime_delay;
  for (std::uint32_t start = (count - 1) / block * block;; start -= block) {
    for (std::uint32_t u = start; u < std::min(count, start + block); ++u)
      uptime_delay.emplace_back(u * 10 + offset_ms, 0);
    if (start == 0) break;
  }
  return write_file(name, ecu, 100, uptime_delay);
}

// TMPDIR set to `dir` while it lives (where runs on disk go), as it was after.
struct ScopedTmpdir {
  explicit ScopedTmpdir(const char* dir) : had(std::getenv("TMPDIR") != nullptr) {
    if (had) saved = std::getenv("TMPDIR");
    ::setenv("TMPDIR", dir, 1);
  }
  ~ScopedTmpdir() {
    if (had) ::setenv("TMPDIR", saved.c_str(), 1);
    else ::unsetenv("TMPDIR");
  }
  ScopedTmpdir(const ScopedTmpdir&) = delete;
  ScopedTmpdir& operator=(const ScopedTmpdir&) = delete;
  bool had;
  std::string saved;
};

TEST(Merge, AnInputRewrittenInPlaceBetweenThePassesIsLeftOut) {
  const std::string a = write_file("merge_e.dlt", "A", 100, {{10, 0}, {20, 0}});
  const app::DumpConfig config = config_of({a});
  const app::Survey survey = app::survey_inputs(config, 2);
  ::usleep(10000);                                          // a modification time of its own
  write_file("merge_e.dlt", "A", 100, {{10, 0}, {30, 0}});  // the same size, other bytes
  Collect out;
  EXPECT_EQ(app::merge_inputs(survey, config, {}, out, 2), 1u);
  EXPECT_TRUE(out.got.empty());
}

TEST(Merge, AnInputTooFarOutOfOrderIsSortedThroughRunsOnDisk) {
  // 3000 messages of ~40 bytes held back whole: a bound of 32 KiB makes many runs.
  const std::string a = reversed_blocks("merge_spill.dlt", 3000, 250);
  const app::DumpConfig config = config_of({a});
  const app::Survey survey = app::survey_inputs(config, 2);
  ASSERT_EQ(survey.failed, 0u);
  app::MergeOptions options;
  options.max_held_bytes = 32u << 10;
  Collect spilled, in_memory;
  EXPECT_EQ(app::merge_inputs(survey, config, options, spilled, 2), 0u);
  EXPECT_EQ(app::merge_inputs(survey, config, {}, in_memory, 2), 0u);
  ASSERT_EQ(spilled.got.size(), 3000u);
  EXPECT_EQ(spilled.got, in_memory.got);  // the same order as holding everything
  for (std::size_t i = 0; i < spilled.got.size(); ++i)
    ASSERT_EQ(spilled.got[i].second, static_cast<int>(i % 256)) << i;  // uptime order
}

TEST(Merge, ManyInputsTogetherOverTheTotalBoundAreSortedThroughRunsOnDisk) {
  // Six inputs, each out of order in blocks of 100 (about 50 KiB held back each): within
  // the bound per input, but over a total bound of 96 KiB — so the later ones are sorted
  // through runs on disk, and the order stays that of holding them all.
  std::vector<std::string> paths;
  for (std::uint32_t i = 0; i < 6; ++i)
    paths.push_back(reversed_blocks("merge_total_" + std::to_string(i) + ".dlt", 600, 100,
                                    std::string(1, static_cast<char>('A' + i)), i));
  const app::DumpConfig config = config_of(paths);
  const app::Survey survey = app::survey_inputs(config, 2);
  ASSERT_EQ(survey.failed, 0u);
  app::MergeOptions bounded;
  bounded.max_total_held_bytes = 96u << 10;
  Collect on_disk, in_memory;
  EXPECT_EQ(app::merge_inputs(survey, config, bounded, on_disk, 2), 0u);
  EXPECT_EQ(app::merge_inputs(survey, config, {}, in_memory, 2), 0u);
  ASSERT_EQ(on_disk.got.size(), 3600u);
  EXPECT_EQ(on_disk.got, in_memory.got);
  // The runs on disk were used: without a place for them, inputs fail (in one line each).
  std::size_t failed = 0, failed_unbounded = 0;
  {
    const ScopedTmpdir nowhere("/nonexistent-dltdump-dir");
    Collect failing;
    const int null = ::open("/dev/null", O_WRONLY);
    failed = app::merge_inputs(survey, config, bounded, failing, null);
    failed_unbounded = app::merge_inputs(survey, config, {}, failing, null);
    ::close(null);
  }
  EXPECT_GT(failed, 0u);
  EXPECT_LT(failed, 6u);  // the first ones fit
  EXPECT_EQ(failed_unbounded, 0u);
}

TEST(Merge, RunsOnDiskThatCannotBeWrittenEndTheInputInOneLine) {
  const std::string a = reversed_blocks("merge_spill_fail.dlt", 3000, 250);
  const app::DumpConfig config = config_of({a});
  const app::Survey survey = app::survey_inputs(config, 2);
  app::MergeOptions options;
  options.max_held_bytes = 32u << 10;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  Collect out;
  std::size_t failed = 0;
  {
    const ScopedTmpdir nowhere("/nonexistent-dltdump-dir");
    failed = app::merge_inputs(survey, config, options, out, fds[1]);
  }
  ::close(fds[1]);
  char line[512] = {};
  const ssize_t n = ::read(fds[0], line, sizeof line - 1);
  ::close(fds[0]);
  EXPECT_EQ(failed, 1u);
  ASSERT_GT(n, 0);
  const std::string text(line);
  EXPECT_NE(text.find("too far out of order to sort in memory"), std::string::npos) << text;
  EXPECT_NE(text.find("/nonexistent-dltdump-dir"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
}

// The whole sorted run (app/sort/sorted_run.hpp) on 1 and 2 threads: the same bytes, and
// an output failure ends the run on both.
std::string sorted_output(const std::vector<std::string>& paths, unsigned threads, int out_fd = -1,
                          util::ExitCode* code = nullptr) {
  app::DumpConfig config = config_of(paths);
  config.sort = true;
  config.threads = threads;
  const int out = out_fd >= 0 ? out_fd : ::memfd_create("sorted", MFD_CLOEXEC);
  const int diag = ::memfd_create("diag", MFD_CLOEXEC);
  util::ExitCode rc{};
  try {
    rc = app::run_dump(config, out, diag);
  } catch (const util::Error& e) {
    rc = e.exit_code();
  }
  if (code) *code = rc;
  std::string text;
  if (out_fd < 0) {
    text.resize(static_cast<std::size_t>(::lseek(out, 0, SEEK_END)));
    EXPECT_EQ(::pread(out, text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
    ::close(out);
  }
  ::close(diag);
  return text;
}

// Two ECUs of many messages each (several of the merge's 1 MiB batches of text), in files
// named after `test` (CTest runs the tests at once).
std::vector<std::string> two_big_inputs(const std::string& test) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> a, b;
  for (std::uint32_t u = 0; u < 40000; ++u) {
    a.emplace_back(u * 2, u % 7);
    b.emplace_back(u * 2 + 1, u % 5);
  }
  return {write_file(test + "_a.dlt", "A", 100, a), write_file(test + "_b.dlt", "B", 100, b)};
}

TEST(SortedRun, TwoThreadsGiveTheBytesOfOne) {
  const auto paths = two_big_inputs("sorted_run_threads");
  const std::string one = sorted_output(paths, 1);
  EXPECT_EQ(std::count(one.begin(), one.end(), '\n'), 80000);
  EXPECT_EQ(sorted_output(paths, 2), one);
}

TEST(SortedRun, AnOutputFailureEndsTheRun) {
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  if (full < 0) GTEST_SKIP() << "no /dev/full";
  for (unsigned threads : {1u, 2u}) {
    util::ExitCode code{};
    sorted_output(two_big_inputs("sorted_run_full_" + std::to_string(threads)), threads, full, &code);
    EXPECT_EQ(code, util::ExitCode::OutputError) << threads << " threads";
  }
  ::close(full);
}

}  // namespace
