// The run in the error model (util/error.hpp): an error that ends the run leaves run_dump
// unprinted — main prints it, once — by every capture decoding strategy, and the inputs
// after it are not read; an input's fault is printed by the run, which goes on.
#include "app/dump_app.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "app/capture_traffic.hpp"
#include "input/input_spec.hpp"
#include "pcap/pcap_test_util.hpp"
#include "pcap/pcapng_writer.hpp"
#include "util/error.hpp"

namespace dltdump::app {
namespace {

// A capture of 5 flows of DLT traffic.
testing::Bytes make_capture() {
  testing::TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY);
  {
    pcap::PcapngWriter w(fd, f.path, {});
    w.add_interface({aio::link_type::kEthernet, "eth0", 0});
    std::uint64_t i = 0;
    for (const auto& frame : testing::traffic({5, 2000, 3})) w.write_packet(0, 1000 + i++, frame);
    w.flush();
  }
  ::close(fd);
  return f.read();
}

std::string read_all(int fd) {
  std::string out(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  EXPECT_EQ(::pread(fd, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
  return out;
}

DumpConfig config_of(const std::vector<std::string>& inputs, unsigned threads, std::uint64_t block_bytes) {
  DumpConfig c;
  for (const auto& i : inputs) c.inputs.push_back(input::parse_input_argument(i));
  c.threads = threads;
  c.block_bytes = block_bytes;
  return c;
}

struct Strategy {
  const char* name;
  unsigned threads;
  std::uint64_t block_bytes;
};
// Serial; pipelined (the capture under two blocks); chunked (many blocks).
constexpr Strategy kStrategies[] = {{"serial", 1, 2u << 20}, {"pipelined", 2, 2u << 20}, {"chunked", 2, 4096}};

TEST(RunDump, AnOutputFailureWhileACaptureIsDecodedEndsTheRunUnprinted) {
  testing::TempFile capture(make_capture());
  ASSERT_GE(capture.read().size(), 2 * 4096u);
  for (const Strategy& s : kStrategies) {
    SCOPED_TRACE(s.name);
    const int out = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    const int diag = ::memfd_create("diag", 0);
    ASSERT_GE(out, 0);
    try {
      (void)run_dump(config_of({capture.path, "missing.dlt"}, s.threads, s.block_bytes), out, diag);
      ADD_FAILURE() << "no error";
    } catch (const util::Error& e) {
      EXPECT_EQ(e.exit_code(), util::ExitCode::OutputError);
      EXPECT_EQ(e.culprit(), util::Culprit::Output);
      EXPECT_EQ(e.name(), "standard output");
      EXPECT_STREQ(e.what(), "Couldn't write to standard output (No space left on device)");
    }
    EXPECT_EQ(read_all(diag), "");  // not printed, and the missing input was never tried
    ::close(out);
    ::close(diag);
  }
}

TEST(RunDump, AClosedPipeEndsTheRunQuietly) {
  testing::TempFile capture(make_capture());
  const auto old = std::signal(SIGPIPE, SIG_IGN);
  for (const Strategy& s : kStrategies) {
    SCOPED_TRACE(s.name);
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ::close(p[0]);
    const int diag = ::memfd_create("diag", 0);
    EXPECT_EQ(run_dump(config_of({capture.path}, s.threads, s.block_bytes), p[1], diag), util::ExitCode::Success);
    EXPECT_EQ(read_all(diag), "");
    // An input that failed before still makes the run partial (its line said).
    const int diag2 = ::memfd_create("diag", 0);
    EXPECT_EQ(run_dump(config_of({capture.path + ".missing", capture.path}, s.threads, s.block_bytes), p[1], diag2),
              util::ExitCode::Partial);
    EXPECT_NE(read_all(diag2).find("File not found"), std::string::npos);
    ::close(p[1]);
    ::close(diag);
    ::close(diag2);
  }
  std::signal(SIGPIPE, old);
}

TEST(RunDump, AnInputsFaultIsPrintedByTheRunWhichGoesOn) {
  testing::TempFile capture(make_capture());
  testing::TempFile cut(make_capture());
  {
    testing::Bytes b = cut.read();
    b.resize(b.size() - 10);  // the last block is cut
    cut.write(b);
  }
  for (const Strategy& s : kStrategies) {
    SCOPED_TRACE(s.name);
    const int out = ::memfd_create("out", 0), diag = ::memfd_create("diag", 0);
    const util::ExitCode code =
        run_dump(config_of({"/nonexistent/missing.dlt", cut.path, capture.path}, s.threads, s.block_bytes), out, diag);
    EXPECT_EQ(code, util::ExitCode::Partial);
    const std::string said = read_all(diag);
    EXPECT_EQ(said.substr(0, said.find('\n') + 1), "File not found /nonexistent/missing.dlt\n");
    EXPECT_NE(said.find(cut.path + ": PCAP-NG truncated block"), std::string::npos) << said;
    EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 2);
    EXPECT_GT(read_all(out).size(), 0u);
    ::close(out);
    ::close(diag);
  }
}

}  // namespace
}  // namespace dltdump::app
