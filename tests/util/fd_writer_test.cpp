// FdWriter's failure rule: a regular file ends on a whole record after a failed write.
#include "util/fd_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

#include "output/temp_dir.hpp"
#include "util/error.hpp"
#include "util/exit_code_of.hpp"
#include "util/file_size_limit.hpp"
#include "util/stop_signal.hpp"

using namespace dltdump;
using dltdump::testing::exit_code_of;
using dltdump::testing::FileSizeLimit;

namespace {

// The line of the util::Error `step` throws for its output (a failed write, or a broken
// pipe); empty if it throws none.
std::string output_error_of(const std::function<void()>& step) {
  try {
    step();
  } catch (const util::Error& e) {
    EXPECT_EQ(e.culprit(), util::Culprit::Output) << e.what();
    return e.what();
  }
  return "";
}

off_t size_of(const std::string& path) {
  struct stat st {};
  stat(path.c_str(), &st);
  return st.st_size;
}

}  // namespace

TEST(FdWriter, AFailedWriteLeavesTheFileEndingOnAWholeRecord) {
  test::TempDir d;
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  {
    FileSizeLimit limit(1010);
    util::FdWriter w(fd, "out");
    for (int i = 0; i < 100; ++i) {
      w.buffer().append(std::string(39, 'a' + i % 26) + "\n");
      w.line_done();
    }
    EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't write to out (File too large)");
  }
  ::close(fd);
  EXPECT_EQ(size_of(d / "out"), 1000);  // 25 whole records of 40 bytes; the 26th was cut
}

TEST(FdWriter, AFailedBlockIsRemovedWholeWhenNoLineOfItMadeIt) {
  test::TempDir d;
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  {
    FileSizeLimit limit(1000);
    util::FdWriter w(fd, "out");
    w.buffer().append(std::string(99, 'r') + "\n");
    w.line_done();
    EXPECT_EQ(exit_code_of([&] { w.write_direct(std::string(2000, 'b') + "\n"); }), util::ExitCode::OutputError);
  }
  ::close(fd);
  EXPECT_EQ(size_of(d / "out"), 100);  // the record before the block stays
}

// Defect 5 of issue #19: a block of text lines (parallel decoding writes megabytes at
// once) keeps the lines that made it whole, not just what came before it.
TEST(FdWriter, AFailedBlockKeepsItsWholeLines) {
  test::TempDir d;
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(29, static_cast<char>('a' + i % 26)) + "\n";
  {
    FileSizeLimit limit(1015);
    util::FdWriter w(fd, "out");
    w.buffer().append(std::string(99, 'r') + "\n");
    w.line_done();
    EXPECT_EQ(output_error_of([&] { w.write_direct(block); }), "Couldn't write to out (File too large)");
  }
  ::close(fd);
  EXPECT_EQ(size_of(d / "out"), 100 + 30 * 30);  // the record, then 30 whole lines of 30 bytes
}

// Defect 10 of issue #19: the run tells a closed pipe (stop quietly) from other failures.
TEST(FdWriter, ABrokenPipeIsAQuietOutputError) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  ::close(p[0]);
  auto old = std::signal(SIGPIPE, SIG_IGN);
  util::FdWriter w(p[1], "standard output");
  w.buffer().append("line\n");
  w.line_done();
  EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't write to standard output (Broken pipe)");
  w.buffer().append("line\n");
  w.line_done();
  EXPECT_EQ(exit_code_of([&] { w.flush(); }), util::ExitCode::Success);                  // quiet
  EXPECT_EQ(exit_code_of([&] { w.write_direct("block\n"); }), util::ExitCode::Success);  // quiet
  std::signal(SIGPIPE, old);
  ::close(p[1]);
}

TEST(FdWriter, SizeCountsWhatTheFileHeldBefore) {
  util::FdWriter w(-1, "nothing", 500);
  w.buffer().append("12345");
  EXPECT_EQ(w.size(), 505u);
}

namespace {
// A file holding `bytes`, open for reading.
int source_with(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  return fd;
}
std::string contents(const std::string& path) {
  std::string s(static_cast<std::size_t>(size_of(path)), '\0');
  const int fd = ::open(path.c_str(), O_RDONLY);
  EXPECT_EQ(::read(fd, s.data(), s.size()), static_cast<ssize_t>(s.size()));
  ::close(fd);
  return s;
}
}  // namespace

// Buffered records and copied ranges land in call order, whether the kernel copies
// (a regular file) or the writer reads and writes (a pipe); the source may be closed as
// soon as copy_from returns.
TEST(FdWriter, CopiedRangesKeepTheirPlaceAmongRecords) {
  test::TempDir d;
  std::string source;
  for (int i = 0; i < 300000; ++i) source += static_cast<char>('a' + i % 26);
  for (bool to_pipe : {false, true}) {
    const int in = source_with(d / "in", source);
    int p[2] = {-1, -1};
    const int out = to_pipe ? (pipe(p), p[1]) : ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string received;
    std::thread reader;
    if (to_pipe)
      reader = std::thread([&] {
        char buf[65536];
        ssize_t n;
        while ((n = ::read(p[0], buf, sizeof buf)) > 0) received.append(buf, static_cast<std::size_t>(n));
      });
    {
      util::FdWriter w(out, "out");
      w.buffer().append("head\n");
      w.line_done();
      w.copy_from(in, "in", 10, 250000);
      ::close(in);
      w.buffer().append("middle\n");
      w.line_done();
      w.copy_from(::open((d / "in").c_str(), O_RDONLY), "in", 0, 5);  // (leaks one descriptor in a test)
      w.flush();
      EXPECT_EQ(w.size(), 5u + 250000u + 7u + 5u);
    }
    ::close(out);
    const std::string expected = "head\n" + source.substr(10, 250000) + "middle\n" + source.substr(0, 5);
    if (to_pipe) {
      reader.join();
      ::close(p[0]);
      EXPECT_EQ(received, expected);
    } else {
      EXPECT_EQ(contents(d / "out"), expected);
    }
  }
}

TEST(FdWriter, AFailedCopyIsRemovedWholeAndReportedByTheNextCall) {
  test::TempDir d;
  const int in = source_with(d / "in", std::string(5000, 'c'));
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  {
    FileSizeLimit limit(1000);
    util::FdWriter w(fd, "out");
    w.buffer().append(std::string(99, 'r') + "\n");
    w.line_done();
    w.copy_from(in, "in", 0, 2000);
    EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't write to out (File too large)");
  }
  ::close(fd);
  ::close(in);
  EXPECT_EQ(size_of(d / "out"), 100);  // the record before the copy stays
}

TEST(FdWriter, AFailedCopyKeepsTheWholeRecordsThatArrived) {
  test::TempDir d;
  const int in = source_with(d / "in", std::string(5000, 'c'));
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::uint64_t asked = 0;
  {
    FileSizeLimit limit(1050);
    util::FdWriter w(fd, "out");
    w.buffer().append(std::string(99, 'r') + "\n");
    w.line_done();
    // Records of 100 bytes: 9 of them fit whole after the first 100 bytes.
    w.copy_from(in, "in", 0, 2000, [&](std::uint64_t from, std::uint64_t written) {
      asked = written;
      return from + (written - from) / 100 * 100;
    });
    EXPECT_EQ(exit_code_of([&] { w.flush(); }), util::ExitCode::OutputError);
  }
  ::close(fd);
  ::close(in);
  EXPECT_EQ(asked, 950u);  // what arrived before the limit
  EXPECT_EQ(size_of(d / "out"), 1000);
}

TEST(FdWriter, ACopyFromASourceThatEndsEarlyNamesTheSource) {
  test::TempDir d;
  const int in = source_with(d / "in", std::string(100, 's'));
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  {
    util::FdWriter w(fd, "out");
    w.copy_from(in, "in.dlt", 50, 100);  // 50 bytes are missing
    EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't copy from in.dlt to out (Input/output error)");
  }
  ::close(fd);
  ::close(in);
  EXPECT_EQ(size_of(d / "out"), 0);
}

// A source cut while its bytes were copied (the input shrank): the whole records that
// arrived stay, and what is written next follows them — no hole of zeros between (a new
// user's finding: the offset stayed where the failed copy had ended).
TEST(FdWriter, WritingGoesOnFromWhereAFailedCopyWasCutBack) {
  test::TempDir d;
  const int in = source_with(d / "in", std::string(1050, 'c'));  // 10 records of 100 and half of one
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  {
    util::FdWriter w(fd, "out");
    w.copy_from(in, "in.dlt", 0, 2000,
                [](std::uint64_t from, std::uint64_t arrived) { return from + (arrived - from) / 100 * 100; });
    EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't copy from in.dlt to out (Input/output error)");
    w.buffer().append(std::string(9, 'n') + "\n");  // the next input's record
    w.line_done();
    w.flush();
  }
  ::close(fd);
  ::close(in);
  EXPECT_EQ(test::read_file(d / "out"), std::string(1000, 'c') + std::string(9, 'n') + "\n");
}

// The same into a pipe, which cannot be cut back: only whole records go out (read and
// written, not copied in the kernel), never part of one.
TEST(FdWriter, ACopyIntoAPipeWritesWholeRecordsOnly) {
  test::TempDir d;
  const int in = source_with(d / "in", std::string(1050, 'c'));
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  {
    util::FdWriter w(pipe_fds[1], "pipe");
    w.copy_from(in, "in.dlt", 0, 2000,
                [](std::uint64_t from, std::uint64_t arrived) { return from + (arrived - from) / 100 * 100; });
    EXPECT_EQ(output_error_of([&] { w.flush(); }), "Couldn't copy from in.dlt to pipe (Input/output error)");
  }
  ::close(pipe_fds[1]);
  std::string got;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  ::close(in);
  EXPECT_EQ(got, std::string(1000, 'c'));
}

// Defect 9 of issue #19: SIGINT interrupting a write blocked on a pipe whose reader is slow
// ends the write on a whole line (what was begun is finished, the rest dropped) and
// throws util::Stopped, instead of blocking on or leaving half a line.
TEST(FdWriter, AStopInterruptingABlockedWriteEndsOnAWholeLine) {
  for (bool block : {false, true}) {
    int p[2];
    ASSERT_EQ(pipe(p), 0);
    std::string text;
    for (int i = 0; text.size() < (512u << 10); ++i) text += "line " + std::to_string(i) + std::string(90, 'x') + "\n";
    util::clear_stop();
    util::install_stop_handlers();
    std::atomic<bool> stopped{false};
    std::thread writer([&] {
      util::FdWriter w(p[1], "pipe");
      try {
        if (block) {
          w.write_direct(text);
        } else {
          for (std::size_t at = 0; at < text.size();) {
            const std::size_t end = text.find('\n', at) + 1;
            w.buffer().append(std::string_view(text).substr(at, end - at));
            w.line_done();
            at = end;
          }
          w.flush();
        }
      } catch (const util::Stopped&) {
        stopped = true;
      }
      ::close(p[1]);  // the reader reads to the end
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the pipe is full: blocked
    pthread_kill(writer.native_handle(), SIGINT);
    std::string got;
    char chunk[4096];
    ssize_t n;
    while ((n = ::read(p[0], chunk, sizeof chunk)) > 0) got.append(chunk, static_cast<std::size_t>(n));
    writer.join();
    ::close(p[0]);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    util::clear_stop();
    EXPECT_TRUE(stopped) << (block ? "block" : "buffered");
    EXPECT_LT(got.size(), text.size());
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.back(), '\n');
    EXPECT_EQ(text.compare(0, got.size(), got), 0);
  }
}
