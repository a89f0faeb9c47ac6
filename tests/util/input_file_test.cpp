// InputFile::head: the first bytes of a file or a pipe, peeked without losing them.
#include "util/input_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "pcap/pcap_test_util.hpp"

namespace dltdump::util {
namespace {

std::string text(std::span<const std::uint8_t> s) { return std::string(s.begin(), s.end()); }

std::string read_rest(InputFile& f) {
  std::string all;
  for (auto w = f.next_window(); !w.empty(); w = f.next_window()) all += text(w);
  return all;
}

TEST(InputFileHead, AMappedFileIsPeekedInPlace) {
  testing::TempFile t(testing::ascii("DLT\x01 and the rest"));
  auto f = InputFile::open(t.path);
  ASSERT_TRUE(f.is_mapped());
  EXPECT_EQ(text(f.head(4)), "DLT\x01");
  EXPECT_EQ(text(f.head(100)), "DLT\x01 and the rest");
  EXPECT_EQ(read_rest(f), "DLT\x01 and the rest");
}

// A pipe is read only as far as asked (a writer that has sent 5 bytes and waits is not
// waited for beyond them), and the bytes peeked come first from next_window().
TEST(InputFileHead, APipeIsReadAsFarAsAskedAndDeliveredAgain) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "ab", 2), 2);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(::write(fds[1], "cde", 3), 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(::write(fds[1], "fgh", 3), 3);
    ::close(fds[1]);
  });
  auto f = InputFile::from_fd(fds[0], "pipe", true);
  ASSERT_FALSE(f.is_mapped());
  EXPECT_EQ(text(f.head(1)), "a");
  EXPECT_EQ(text(f.head(4)), "abcd");
  EXPECT_EQ(read_rest(f), "abcdefgh");
  writer.join();
}

TEST(InputFileHead, AnInputShorterThanAskedEndsThere) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "xyz", 3), 3);
  ::close(fds[1]);
  auto f = InputFile::from_fd(fds[0], "pipe", true);
  EXPECT_EQ(text(f.head(10)), "xyz");
  EXPECT_EQ(text(f.head(20)), "xyz");
  EXPECT_EQ(read_rest(f), "xyz");
  EXPECT_TRUE(f.next_window().empty());
}

// read() hands out the same stream as next_window(), the bytes head() peeked first, in
// pieces of any size, for a pipe and a mapped file alike; the two may take turns.
TEST(InputFileRead, TheStreamInPiecesOfAnySizeThePeekedBytesFirst) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "abcdefghij", 10), 10);
  ::close(fds[1]);
  auto f = InputFile::from_fd(fds[0], "pipe", true);
  EXPECT_EQ(text(f.head(6)), "abcdef");
  std::uint8_t b[8];
  ASSERT_EQ(f.read(b, 2), 2u);
  EXPECT_EQ(text({b, 2}), "ab");
  ASSERT_EQ(f.read(b, 1), 1u);
  EXPECT_EQ(text({b, 1}), "c");
  EXPECT_EQ(text(f.next_window()), "defghij");  // the rest of the peeked bytes (head read all)
  EXPECT_EQ(f.read(b, 8), 0u);

  testing::TempFile t(testing::ascii("0123456789"));
  auto m = InputFile::open(t.path);
  EXPECT_EQ(text(m.head(3)), "012");
  ASSERT_EQ(m.read(b, 4), 4u);
  EXPECT_EQ(text({b, 4}), "0123");
  ASSERT_EQ(m.read(b, 8), 6u);
  EXPECT_EQ(text({b, 6}), "456789");
  EXPECT_EQ(m.read(b, 8), 0u);
}

}  // namespace
}  // namespace dltdump::util
