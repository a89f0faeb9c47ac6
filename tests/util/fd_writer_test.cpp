// FdWriter's failure rule: a regular file ends on a whole record after a failed write.
#include "util/fd_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include "output/temp_dir.hpp"
#include "util/error.hpp"

using namespace dltdump;

namespace {

// Limits the size of files this process writes to `bytes` while alive (a write beyond it
// fails with EFBIG instead of raising SIGXFSZ).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_signal_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old_);
    rlimit r = old_;
    r.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &r);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_signal_);
  }

 private:
  rlimit old_{};
  void (*old_signal_)(int);
};

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
    try {
      w.flush();
      FAIL() << "the limit did not stop the write";
    } catch (const util::OutputError& e) {
      EXPECT_EQ(std::string(e.what()), "Couldn't write to out (File too large)");
    }
  }
  ::close(fd);
  EXPECT_EQ(size_of(d / "out"), 1000);  // 25 whole records of 40 bytes; the 26th was cut
}

TEST(FdWriter, AFailedBlockIsRemovedWhole) {
  test::TempDir d;
  const int fd = ::open((d / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  {
    FileSizeLimit limit(1000);
    util::FdWriter w(fd, "out");
    w.buffer().append(std::string(99, 'r') + "\n");
    w.line_done();
    EXPECT_THROW(w.write_direct(std::string(2000, 'b')), util::OutputError);
  }
  ::close(fd);
  EXPECT_EQ(size_of(d / "out"), 100);  // the record before the block stays
}

TEST(FdWriter, ABrokenPipeIsAnOutputError) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  ::close(p[0]);
  auto old = std::signal(SIGPIPE, SIG_IGN);
  util::FdWriter w(p[1], "standard output");
  w.buffer().append("line\n");
  w.line_done();
  try {
    w.flush();
    FAIL();
  } catch (const util::OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "Couldn't write to standard output (Broken pipe)");
  }
  std::signal(SIGPIPE, old);
  ::close(p[1]);
}

TEST(FdWriter, SizeCountsWhatTheFileHeldBefore) {
  util::FdWriter w(-1, "nothing", 500);
  w.buffer().append("12345");
  EXPECT_EQ(w.size(), 505u);
}
