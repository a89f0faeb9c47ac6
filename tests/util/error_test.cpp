// The error model (util/error.hpp): what an Error carries, what its exit code makes of it,
// how it is printed, and that the faults util finds are raised with their culprit.
#include "util/error.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <exception>
#include <optional>
#include <string>

#include "output/temp_dir.hpp"
#include "util/create_file.hpp"
#include "util/fd_writer.hpp"
#include "util/input_file.hpp"

namespace dltdump::util {
namespace {

// What print_error writes for `e`.
std::string printed(const Error& e) {
  const int fd = ::memfd_create("printed", 0);
  EXPECT_GE(fd, 0);
  print_error(fd, e);
  std::string out(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  EXPECT_EQ(::pread(fd, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
  ::close(fd);
  return out;
}

// The Error `step` throws (a test fails if it throws none).
template <typename Step>
std::optional<Error> thrown_by(Step step) {
  try {
    step();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no util::Error";
  return std::nullopt;
}

TEST(ExitCode, TheSpecsCodes) {
  EXPECT_EQ(exit_status(ExitCode::Success), 0);
  EXPECT_EQ(exit_status(ExitCode::OptionError), 1);
  EXPECT_EQ(exit_status(ExitCode::InputUriError), 2);
  EXPECT_EQ(exit_status(ExitCode::NoInputProcessed), 3);
  EXPECT_EQ(exit_status(ExitCode::Partial), 4);
  EXPECT_EQ(exit_status(ExitCode::OutputError), 5);
  EXPECT_EQ(exit_status(ExitCode::FibexError), 6);
  EXPECT_EQ(exit_status(ExitCode::StoppedBySigint), 130);
  EXPECT_EQ(exit_status(ExitCode::StoppedBySigterm), 143);
  EXPECT_EQ(exit_status(ExitCode::InternalError), 255);
}

TEST(Error, CarriesItsExitCodeCulpritAndLine) {
  const Error e(ExitCode::FibexError, Culprit::Fibex, "model.xml", "model.xml: no frame 7");
  EXPECT_EQ(e.exit_code(), ExitCode::FibexError);
  EXPECT_EQ(e.culprit(), Culprit::Fibex);
  EXPECT_EQ(e.name(), "model.xml");
  EXPECT_STREQ(e.what(), "model.xml: no frame 7");
  EXPECT_FALSE(e.ends_input_only());  // a FIBEX fault ends the run
  EXPECT_FALSE(e.quiet());
}

TEST(Error, TheCommonKinds) {
  const Error in = input_error("a.dlt", "File not found a.dlt");
  EXPECT_EQ(in.exit_code(), ExitCode::NoInputProcessed);
  EXPECT_EQ(in.culprit(), Culprit::Input);
  EXPECT_EQ(in.name(), "a.dlt");
  EXPECT_TRUE(in.ends_input_only());
  EXPECT_FALSE(in.quiet());

  const Error made = creation_error("out.txt", "The file '/x/out.txt' already exists.");
  EXPECT_EQ(made.culprit(), Culprit::Output);
  EXPECT_TRUE(made.ends_input_only());  // the output's culprit, the input's consequence

  const Error out = output_error("standard output", "Couldn't write to standard output (No space left on device)");
  EXPECT_EQ(out.exit_code(), ExitCode::OutputError);
  EXPECT_EQ(out.culprit(), Culprit::Output);
  EXPECT_FALSE(out.ends_input_only());
  EXPECT_FALSE(out.quiet());

  const Error pipe = broken_pipe("standard output", "Couldn't write to standard output (Broken pipe)");
  EXPECT_EQ(pipe.exit_code(), ExitCode::Success);
  EXPECT_EQ(pipe.culprit(), Culprit::Output);
  EXPECT_FALSE(pipe.ends_input_only());
  EXPECT_TRUE(pipe.quiet());
}

// Handed on as a value (a replay's fault) or across threads (a worker's exception_ptr),
// an Error keeps everything it carries.
TEST(Error, CrossesAHandOffWhole) {
  std::optional<Error> kept = output_error("o.dlt", "Couldn't write to o.dlt (Disk quota exceeded)");
  const std::exception_ptr handed = std::make_exception_ptr(*kept);
  kept.reset();
  try {
    std::rethrow_exception(handed);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::OutputError);
    EXPECT_EQ(e.culprit(), Culprit::Output);
    EXPECT_EQ(e.name(), "o.dlt");
    EXPECT_STREQ(e.what(), "Couldn't write to o.dlt (Disk quota exceeded)");
  }
}

TEST(ErrorLine, TheLineAsIsWithItsEnd) {
  EXPECT_EQ(error_line(input_error("a.dlt", "File not found a.dlt")), "File not found a.dlt\n");
  EXPECT_EQ(error_line(output_error("standard output", "Couldn't write to standard output (No space left on device)")),
            "Couldn't write to standard output (No space left on device)\n");
}

TEST(ErrorLine, TheCommandLinesErrorsNameTheProgram) {
  EXPECT_EQ(error_line(Error(ExitCode::OptionError, Culprit::Option, "--bogus", "Option '--bogus' not recognized")),
            "dltdump: Option '--bogus' not recognized\n");
  EXPECT_EQ(error_line(Error(ExitCode::InputUriError, Culprit::Input, "tcp://", "Invalid input tcp:// (no host name)")),
            "dltdump: Invalid input tcp:// (no host name)\n");
}

TEST(ErrorLine, AControlCharacterCannotBreakTheLine) {
  EXPECT_EQ(error_line(input_error("a\nb\x1b[31m", "File not found a\nb\x1b[31m")),
            "File not found a\\x0Ab\\x1B[31m\n");
  EXPECT_EQ(error_line(input_error("\xff", "File not found \xff")), "File not found \\xFF\n");
}

TEST(ErrorLine, ABrokenPipeSaysNothing) {
  EXPECT_EQ(error_line(broken_pipe("standard output", "Couldn't write to standard output (Broken pipe)")), "");
}

TEST(PrintError, WritesTheLineOnce) {
  EXPECT_EQ(printed(output_error("o.txt", "Couldn't write to o.txt (File too large)")),
            "Couldn't write to o.txt (File too large)\n");
  EXPECT_EQ(printed(Error(ExitCode::OptionError, Culprit::Option, "x", "Option 'x' missing argument")),
            "dltdump: Option 'x' missing argument\n");
  EXPECT_EQ(printed(broken_pipe("standard output", "Couldn't write to standard output (Broken pipe)")), "");
}

TEST(WithOsReason, AppendsTheReasonInParentheses) {
  EXPECT_EQ(with_os_reason("Couldn't open file x", ENOENT), "Couldn't open file x (No such file or directory)");
}

// The faults util finds are raised where found, with their culprit named.
TEST(ErrorRaised, AnInputThatCannotBeOpened) {
  test::TempDir d;
  const std::string path = d / "missing.dlt";
  const auto e = thrown_by([&] { (void)InputFile::open(path); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->exit_code(), ExitCode::NoInputProcessed);
  EXPECT_EQ(e->culprit(), Culprit::Input);
  EXPECT_EQ(e->name(), path);
  EXPECT_EQ(std::string(e->what()), "File not found " + path);
}

TEST(ErrorRaised, AnOutputFileThatExists) {
  test::TempDir d;
  const std::string path = d / "out.txt";
  ::close(create_file(path, false));
  const auto e = thrown_by([&] { ::close(create_file(path, false)); });
  ASSERT_TRUE(e);
  EXPECT_EQ(e->exit_code(), ExitCode::NoInputProcessed);
  EXPECT_EQ(e->culprit(), Culprit::Output);
  EXPECT_EQ(e->name(), path);
  EXPECT_EQ(std::string(e->what()), "The file '" + path + "' already exists.");
}

TEST(ErrorRaised, AWriteThatFails) {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  FdWriter w(fd, "the console");
  w.buffer().append("line\n");
  w.line_done();
  const auto e = thrown_by([&] { w.flush(); });
  ::close(fd);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->exit_code(), ExitCode::OutputError);
  EXPECT_EQ(e->culprit(), Culprit::Output);
  EXPECT_EQ(e->name(), "the console");
  EXPECT_STREQ(e->what(), "Couldn't write to the console (No space left on device)");
}

}  // namespace
}  // namespace dltdump::util
