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
#include <functional>
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

// What a new user's program found a Dump accepting while the command line refused it.
TEST(Dump, RefusesTheCombinationsTheCommandLineRefuses) {
  const auto refused = [](const std::function<void(DumpOptions&)>& set, Error::Kind kind = Error::Kind::argument) {
    DumpOptions o;
    o.inputs = {"in.dlt"};
    set(o);
    return refusal(o, kind);
  };
  const std::string cannot = " on the console; it cannot be combined with ";
  EXPECT_EQ(refused([](DumpOptions& o) { o.count = true, o.stats = dltdump::StatsFormat::text; }),
            "Option 'count' prints counts" + cannot + "'stats'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.count = true, o.output = "c.txt"; }),
            "Option 'count' prints counts" + cannot + "'output'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.count = true, o.records = dltdump::OutputFormat::json; }),
            "Option 'count' prints counts" + cannot + "'out'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.stats = dltdump::StatsFormat::json, o.output = "s.txt"; }),
            "Option 'stats' prints a report" + cannot + "'output'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.stats = dltdump::StatsFormat::text, o.split_lifecycle = true; }),
            "Option 'stats' prints a report" + cannot + "'split'");
  const std::string list = "Option 'lifecycles' prints the list of lifecycles; it cannot be combined with ";
  EXPECT_EQ(refused([](DumpOptions& o) { o.list_lifecycles = true, o.output = "x_%LC%.dlt"; }), list + "'output'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.list_lifecycles = true, o.count = true; }), list + "'count'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.list_lifecycles = true, o.stats = dltdump::StatsFormat::text; }),
            list + "'stats'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.list_lifecycles = true, o.lifecycles = {1}; }), list + "'lifecycle'");
  EXPECT_EQ(refused([](DumpOptions& o) { o.filter.invert(); }).rfind("Option 'invert-match' needs a filter", 0), 0u);
  EXPECT_EQ(refused([](DumpOptions& o) { o.none = true, o.filter.invert(); }),
            "Option 'invert-match' cannot invert 'none' (it prints no line; leave one of them out)");
  EXPECT_EQ(refused([](DumpOptions& o) {
              o.lifecycles = {2, 0};
            }),
            "Option 'lifecycle' takes lifecycle numbers as --lifecycles lists them (1, 2, ...), not '0'");
  EXPECT_EQ(refused([](DumpOptions& o) {
              o.udp_ports = {3490, 0};
            }),
            "Option 'udp-port' must list port numbers from 1 to 65535, not '0'");
  EXPECT_NE(refused([](DumpOptions& o) { o.filter.appid("NAV"), o.after_context = 0xFFFFFFFFu; }), "no error");
  EXPECT_NE(refused([](DumpOptions& o) { o.stats = static_cast<dltdump::StatsFormat>(5); }), "no error");
  EXPECT_EQ(refused([](DumpOptions& o) { o.inputs.clear(); }), "No input given");
  EXPECT_EQ(refused([](DumpOptions& o) { o.inputs = {""}; }, Error::Kind::input),
            "Input '' is an empty name (an empty argument?)");
  for (const char* name : {"x.pcap", "x.pcapng.gz", "x.dlt", "x.jsonl", "x.csv"})
    EXPECT_EQ(refused([&](DumpOptions& o) { o.inputs = {"udp://127.0.0.1:39999"}, o.capture = name; }),
              "Option 'capture' names '" + std::string(name) +
                  "', but the capture of the datagrams is an uncompressed PCAP-NG file (name it *.pcapng)");
  // A run over time on standard input: an option's fault, as the command line's exit 1.
  EXPECT_NE(refused([](DumpOptions& o) { o.sort = true, o.inputs = {"-"}; }), "no error");
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
  DumpOptions more;
  more.inputs = {"in.dlt"};
  more.before_context = 3;
  more.filter.ignore_case();
  more.nv_verbose = true;
  EXPECT_EQ(Dump{more}.warnings(),
            (std::vector<std::string>{
                "Option 'nv-verbose' has no effect without 'fibex'",
                "Option 'before-context' has no effect without a filter (context surrounds the lines a filter selects)",
                "Option 'ignorecase' has no effect without -s or -r",
            }));
  // The ports choose a capture's flows: changed where no input can be a capture, they are
  // a warning; the defaults, or an input that may be a capture, are not.
  DumpOptions ports;
  ports.inputs = {"in.dlt"};
  ports.udp_ports = {5};
  EXPECT_TRUE(Dump{ports}.warnings().empty());
  ports.format = dltdump::Format::file;
  ports.tcp_ports = {6, 7};
  EXPECT_EQ(Dump{ports}.warnings(),
            (std::vector<std::string>{
                "Option 'udp-port' has no effect: 'format' reads no input as a capture (the ports choose a capture's "
                "DLT flows)",
                "Option 'tcp-port' has no effect: 'format' reads no input as a capture (the ports choose a capture's "
                "DLT flows)",
            }));
  ports.format = dltdump::Format::capture;
  EXPECT_TRUE(Dump{ports}.warnings().empty());
  DumpOptions live;
  live.inputs = {"tcp://localhost:3490"};
  live.udp_ports = {5};
  EXPECT_EQ(Dump{live}.warnings(),
            (std::vector<std::string>{"Option 'udp-port' has no effect: no input is a file that may be a capture (the "
                                      "ports choose a capture's DLT flows)"}));
}

// A catalogue with warnings: the command line refuses it (exit 6); a program may accept it,
// and the Dump says what the warnings are.
TEST(Dump, ACataloguesWarningsAreItsWarnings) {
  const std::string fibex = std::string(DLTDUMP_SHARED_DATA) + "/fibex/fibex-tcb-error-pduid.xml";
  if (!fs::exists(fibex)) GTEST_SKIP() << fibex << " is not there (../shared/data)";
  DumpOptions o;
  o.inputs = {"in.dlt"};
  o.catalogue.emplace(std::vector<std::string>{fibex});
  ASSERT_FALSE(o.catalogue->warnings().empty());
  EXPECT_EQ(Dump{o}.warnings(), o.catalogue->warnings());
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
