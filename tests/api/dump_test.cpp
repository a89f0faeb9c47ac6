// dltdump::Dump (include/dltdump/dump.hpp): a program runs what the command line runs.
// Each field of DumpOptions is checked against an independent reference where one exists
// (a Reader with the same Filter counts the messages; the files of %LC% hold every message
// once) and against the command line's own words (errors, warnings, exit statuses).
#include "dltdump/dump.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "api/generated_files.hpp"
#include "dltdump/error.hpp"
#include "dltdump/reader.hpp"
#include "util/scoped_fd.hpp"

namespace {

namespace fs = std::filesystem;
using dltdump::Dump;
using dltdump::DumpOptions;
using dltdump::Error;

using dltdump::test::dltgen;
using dltdump::test::TempDir;

// What a run wrote: its exit status, its console and its diagnostics.
struct Ran {
  int status;
  std::string out, diag;
};

std::string read_all(int fd) {
  std::string text(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  if (::pread(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) ADD_FAILURE() << "pread";
  return text;
}

Ran run(Dump& dump) {
  const dltdump::util::ScopedFd out(::memfd_create("dump-out", MFD_CLOEXEC));
  const dltdump::util::ScopedFd diag(::memfd_create("dump-diag", MFD_CLOEXEC));
  const int status = dump.run(out.get(), diag.get());
  return {status, read_all(out.get()), read_all(diag.get())};
}

Ran run(const DumpOptions& options) {
  Dump dump{options};
  return run(dump);
}

// Messages a Reader gives for `path` through `filter`.
std::uint64_t count(const std::string& path, const dltdump::Filter& filter = {}) {
  std::uint64_t n = 0;
  dltdump::Reader r{path, filter};
  for (const auto& m : r) {
    (void)m;
    ++n;
  }
  return n;
}

// The message of the Error making a Dump of `options` throws, and checks its kind.
std::string refusal(const DumpOptions& options, Error::Kind kind) {
  try {
    Dump dump{options};
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  return "no error";
}

class DumpRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    // Three ECUs, five lifecycles (an ECU restarting every 1000 messages).
    trip_ = dltgen(*dir_, "trip.dlt", "--count 3000 --seed 5 --timeline --restart-every 1000");
    other_ = dltgen(*dir_, "other.net", "--format net --count 800 --seed 6");
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
  static std::string trip_, other_;
};
TempDir* DumpRuns::dir_ = nullptr;
std::string DumpRuns::trip_, DumpRuns::other_;

TEST_F(DumpRuns, CountsWhatAReaderWithTheSameFilterGives) {
  for (const unsigned threads : {1u, 3u}) {
    DumpOptions o;
    o.inputs = {trip_, other_};
    o.filter.ecuid("ECU1").level(dltdump::Level::info);
    o.count = true;
    o.threads = threads;
    ASSERT_GT(count(trip_, o.filter), 0u);
    const Ran r = run(o);
    EXPECT_EQ(r.status, 0) << r.diag;
    EXPECT_EQ(r.diag, "");
    EXPECT_EQ(r.out, trip_ + ":" + std::to_string(count(trip_, o.filter)) + "\n" + other_ + ":" +
                         std::to_string(count(other_, o.filter)) + "\n")
        << threads << " threads";
  }
}

TEST_F(DumpRuns, LinesWithContextAreTheFilteredLinesAndTheirNeighbours) {
  DumpOptions all;
  all.inputs = {trip_};
  all.threads = 1;
  std::vector<std::string> lines;
  std::istringstream every(run(all).out);
  for (std::string line; std::getline(every, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), count(trip_));
  // The reference: every line of TCB and the line before each (a plain walk over all).
  std::vector<std::string> want;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const bool match = lines[i].find(" TCB ") != std::string::npos;
    const bool before = i + 1 < lines.size() && lines[i + 1].find(" TCB ") != std::string::npos;
    if (match || before) want.push_back(lines[i]);
  }
  for (const unsigned threads : {1u, 2u}) {
    DumpOptions o = all;
    o.filter.ecuid("TCB");
    o.before_context = 1;
    o.threads = threads;
    const Ran r = run(o);
    std::vector<std::string> got;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
      if (line != "--") got.push_back(line);  // grep's separator between groups
    EXPECT_EQ(got, want) << threads << " threads";
  }
}

TEST_F(DumpRuns, FilesByLifecycleHoldEveryMessageOnce) {
  // %LC%: what a Writer cannot do (it needs the run's lifecycles), a Dump can.
  DumpOptions list;
  list.inputs = {trip_};
  list.list_lifecycles = true;
  const Ran listed = run(list);
  ASSERT_EQ(listed.status, 0) << listed.diag;
  const auto lifecycles = static_cast<std::size_t>(std::count(listed.out.begin(), listed.out.end(), '\n')) - 1;
  ASSERT_GE(lifecycles, 3u) << listed.out;

  const TempDir out;
  DumpOptions o;
  o.inputs = {trip_};
  o.output = out / "trip_%LC%.dlt";
  const Ran r = run(o);
  ASSERT_EQ(r.status, 0) << r.diag;
  std::uint64_t messages = 0;
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(out.path)) {
    messages += count(e.path().string());
    ++files;
  }
  EXPECT_EQ(files, lifecycles);
  EXPECT_EQ(messages, count(trip_));
}

TEST_F(DumpRuns, StatisticsAsJson) {
  DumpOptions o;
  o.inputs = {trip_, other_};
  o.stats = dltdump::StatsFormat::json;
  const Ran r = run(o);
  ASSERT_EQ(r.status, 0) << r.diag;
  // The report counts every message of both inputs.
  const std::string total = "{\"stats_version\":1,\"messages\":" + std::to_string(count(trip_) + count(other_)) + ",";
  EXPECT_EQ(r.out.rfind(total, 0), 0u) << r.out.substr(0, 400);
}

TEST(Dump, RefusesWhatTheCommandLineRefusesInItsWords) {
  DumpOptions o;
  o.inputs = {"in.dlt"};
  o.output = "x.pcap";
  EXPECT_EQ(refusal(o, Error::Kind::argument).rfind("Option 'output' names 'x.pcap', but dltdump does not write", 0),
            0u);
  o.output = "x.dlt";
  o.records = dltdump::OutputFormat::json;
  EXPECT_EQ(refusal(o, Error::Kind::argument),
            "Option 'out' asks for 'json' records, but the output 'x.dlt' is a DLT file");
  o = {};
  o.inputs = {"in.dlt"};
  o.filter.regex("(");
  EXPECT_NE(refusal(o, Error::Kind::argument), "no error");
  o = {};
  o.inputs = {"in.dlt"};
  o.split_lifecycle = true;
  o.output = "x.dlt";
  EXPECT_NE(refusal(o, Error::Kind::argument).find("needs %LC% in the output name"), std::string::npos);
  // Input arguments: the command line's exit 2.
  o = {};
  o.inputs = {"-", "-"};
  EXPECT_EQ(refusal(o, Error::Kind::input), "Input '-' (standard input) given 2 times; it can be read only once");
  o.inputs = {"tcp://a", "b.dlt"};
  EXPECT_EQ(refusal(o, Error::Kind::input), "Only one input argument allowed for live streams.");
  o = {};
  o.inputs = {"in.dlt"};
  o.threads = 65;
  EXPECT_NE(refusal(o, Error::Kind::argument), "no error");
  o.threads = 1;
  o.udp_ports.clear();
  EXPECT_EQ(refusal(o, Error::Kind::argument), "Option 'udp-port' lists no port");
}

TEST(Dump, WarnsOfWhatHasNoEffect) {
  DumpOptions o;
  o.inputs = {"in.dlt"};
  o.split_bytes = 1 << 20;
  o.retries = 3;
  const Dump d{o};
  EXPECT_EQ(d.warnings(), (std::vector<std::string>{
                              "Option 'split' has no effect without an output file (-o): nothing is split",
                              "Option 'retries' has no effect without a tcp:// input",
                          }));
  DumpOptions quiet;
  quiet.inputs = {"in.dlt"};
  EXPECT_TRUE(Dump{quiet}.warnings().empty());
}

TEST_F(DumpRuns, ExitStatusesAreTheCommandLines) {
  // An input that fails beside one that is read: 4, the failure one line on diag.
  DumpOptions o;
  o.inputs = {trip_, *dir_ / "missing.dlt"};
  o.count = true;
  Dump dump{o};
  Ran r = run(dump);
  EXPECT_EQ(r.status, 4);
  EXPECT_EQ(std::count(r.diag.begin(), r.diag.end(), '\n'), 1) << r.diag;
  EXPECT_NE(r.diag.find("missing.dlt"), std::string::npos);
  // Run once: a second call does nothing.
  r = run(dump);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "");
  // A folder of no files with -R: nothing read, 3.
  const TempDir empty;
  o.inputs = {empty.path};
  o.recursive = true;
  Dump none{o};
  ASSERT_EQ(none.warnings().size(), 1u);
  EXPECT_EQ(run(none).status, 3);
  // A console that cannot be written: 5, one line naming it.
  o.inputs = {trip_};
  o.recursive = false;
  o.count = false;
  const dltdump::util::ScopedFd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
  const dltdump::util::ScopedFd diag(::memfd_create("dump-diag", MFD_CLOEXEC));
  Dump lines{o};
  EXPECT_EQ(lines.run(full.get(), diag.get()), 5);
  const std::string said = read_all(diag.get());
  EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 1) << said;
  // A reader gone (a pipe closed): 0, nothing said, as a pipe's reader that read enough.
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  ::close(pipe_fds[0]);
  const dltdump::util::ScopedFd write_end(pipe_fds[1]);
  const dltdump::util::ScopedFd diag2(::memfd_create("dump-diag", MFD_CLOEXEC));
  Dump piped{o};
  const auto old = std::signal(SIGPIPE, SIG_IGN);  // as the program does (the library does not)
  EXPECT_EQ(piped.run(write_end.get(), diag2.get()), 0);
  std::signal(SIGPIPE, old);
  EXPECT_EQ(read_all(diag2.get()), "");
}

}  // namespace
