// An input file cut by another program while mapped: reads past the cut see zeros instead
// of killing the process (SIGBUS), and the InputFile says it was cut.
#include "util/shrink_guard.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "util/input_file.hpp"

namespace dltdump::util {
namespace {

// A temporary file of `size` bytes of a non-zero pattern.
struct TempFile {
  std::string path;
  explicit TempFile(std::size_t size) {
    char name[] = "/tmp/shrink_guard_test_XXXXXX";
    const int fd = ::mkstemp(name);
    path = name;
    std::vector<std::uint8_t> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>(1 + i % 251);
    EXPECT_EQ(::write(fd, bytes.data(), size), static_cast<ssize_t>(size));
    ::close(fd);
  }
  ~TempFile() { ::unlink(path.c_str()); }
  void cut(std::size_t size) const { EXPECT_EQ(::truncate(path.c_str(), static_cast<off_t>(size)), 0); }
};

std::uint64_t sum(std::span<const std::uint8_t> bytes) {
  return std::accumulate(bytes.begin(), bytes.end(), std::uint64_t{0});
}

TEST(ShrinkGuard, ReadingPastACutSeesZerosAndTheFileSaysItShrank) {
  constexpr std::size_t kSize = 1 << 20, kCut = 100'000;
  TempFile tmp(kSize);
  InputFile f = InputFile::open(tmp.path);
  ASSERT_TRUE(f.is_mapped());
  EXPECT_FALSE(f.shrunk_to());
  EXPECT_NO_THROW(f.check_not_shrunk());
  const auto whole = f.whole();
  const std::uint64_t before = sum(whole.first(kCut));
  tmp.cut(kCut);
  // The bytes before the cut are intact; every byte after it reads as zero (the pages past
  // the new end would raise SIGBUS without the guard).
  const std::uint64_t faults = ShrinkGuard::faults();
  EXPECT_EQ(sum(whole.first(kCut)), before);
  EXPECT_EQ(sum(whole.subspan(kCut)), 0u);
  EXPECT_GT(ShrinkGuard::faults(), faults) << "a copy across the cut must be able to tell";
  EXPECT_FALSE(ShrinkGuard::faulted(-1));
  EXPECT_TRUE(f.cut_flag()->load());
  ASSERT_TRUE(f.shrunk_to());
  EXPECT_EQ(*f.shrunk_to(), kCut);
  try {
    f.check_not_shrunk();
    ADD_FAILURE() << "no error for a cut file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(tmp.path + " shrank from 1048576 to 100000 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(ShrinkGuard, PollFlagsACutBeforeAnyReadFaults) {
  TempFile tmp(1 << 16);
  InputFile f = InputFile::open(tmp.path);
  EXPECT_FALSE(f.cut_flag()->load());
  ShrinkGuard::poll();
  EXPECT_FALSE(f.cut_flag()->load()) << "an intact file is not flagged";
  tmp.cut(4000);  // inside the first page: the tail of that page reads as zeros, no fault
  EXPECT_FALSE(f.cut_flag()->load());
  ShrinkGuard::poll();
  EXPECT_TRUE(f.cut_flag()->load());
}

TEST(ShrinkGuard, AMovedFileKeepsItsGuardAndAClosedOneFreesIt) {
  TempFile tmp(1 << 16);
  {
    InputFile a = InputFile::open(tmp.path);
    InputFile b(std::move(a));
    tmp.cut(0);
    EXPECT_EQ(sum(b.whole()), 0u);
    EXPECT_TRUE(b.shrunk_to());
  }
  // Every slot can be taken again: more files than slots, opened and closed in turn.
  TempFile other(1 << 12);
  for (std::size_t i = 0; i < 2 * ShrinkGuard::kSlots; ++i) {
    InputFile f = InputFile::open(other.path);
    EXPECT_FALSE(f.cut_flag()->load());
  }
}

TEST(ShrinkGuard, ManyFilesMappedAtOnceAreAllGuarded) {
  // A merge holds every input of a folder mapped at once (more than the 64 slots of old).
  TempFile tmp(1 << 16);
  std::vector<InputFile> files;
  for (int i = 0; i < 300; ++i) files.push_back(InputFile::open(tmp.path));
  for (const InputFile& f : files) ASSERT_TRUE(f.is_mapped());
  tmp.cut(100);
  EXPECT_EQ(sum(files.back().whole().subspan(4096)), 0u);  // zeros, not SIGBUS
  EXPECT_EQ(sum(files[150].whole().subspan(4096)), 0u);
  for (const InputFile& f : files) EXPECT_TRUE(f.shrunk_to());
}

TEST(ShrinkGuard, AFileNoGuardIsLeftForIsReadNotMapped) {
  struct rlimit limit {};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  const rlim_t want = ShrinkGuard::kSlots + 256;
  if (limit.rlim_max < want)
    GTEST_SKIP() << "the hard limit on open files (" << limit.rlim_max << ") is below " << want;
  const rlim_t before = limit.rlim_cur;
  limit.rlim_cur = want;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  TempFile tmp(1 << 12);
  {
    std::vector<InputFile> files;
    while (files.size() <= ShrinkGuard::kSlots) {
      files.push_back(InputFile::open(tmp.path));
      if (!files.back().is_mapped()) break;
    }
    InputFile& last = files.back();
    ASSERT_FALSE(last.is_mapped()) << "every slot taken, yet mapped";
    std::uint64_t read = 0, total = 0;
    for (auto w = last.next_window(); !w.empty(); w = last.next_window()) {
      read += w.size();
      total += sum(w);
    }
    EXPECT_EQ(read, 1u << 12);
    EXPECT_EQ(total, sum(files.front().whole()));
  }
  limit.rlim_cur = before;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

TEST(ShrinkGuard, PollOnOneThreadWhileAnotherClosesInputs) {
  // A merge closes its inputs on one thread while the output's writer polls on another:
  // poll must never ask a descriptor being closed (ThreadSanitizer checks this one), nor
  // flag a file that was not cut.
  TempFile tmp(1 << 12);
  std::atomic<bool> done{false};
  std::thread poller([&] {
    while (!done.load()) ShrinkGuard::poll();
  });
  bool any_flagged = false;
  for (int i = 0; i < 3000; ++i) {
    InputFile f = InputFile::open(tmp.path);
    any_flagged = any_flagged || f.cut_flag()->load();
  }
  done = true;
  poller.join();
  EXPECT_FALSE(any_flagged);
}

TEST(ShrinkGuardDeathTest, ASigbusOutsideAnyGuardedMappingStillKills) {
  TempFile tmp(1 << 16);
  InputFile guarded = InputFile::open(tmp.path);  // the handler is installed
  EXPECT_EXIT(
      {
        TempFile other(1 << 16);
        const int fd = ::open(other.path.c_str(), O_RDONLY);
        auto* p = static_cast<volatile const std::uint8_t*>(::mmap(nullptr, 1 << 16, PROT_READ, MAP_SHARED, fd, 0));
        other.cut(0);
        std::exit(p[8192]);
      },
      ::testing::KilledBySignal(SIGBUS), "");
}

}  // namespace
}  // namespace dltdump::util
