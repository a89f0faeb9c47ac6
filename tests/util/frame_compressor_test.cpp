// util::FrameCompressor: frames compressed side by side come back in the order given, the
// queue holds at most depth() of them, and an encoder's failure is the frame's.
#include "util/frame_compressor.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

using namespace dltdump;

namespace {

// "Compresses" by writing the input backwards; the frames it is given take longer the
// smaller their number, so that later frames are done first. "fail" fails.
class SlowReverser final : public util::FrameEncoder {
 public:
  std::string encode(std::string_view in, util::TextBuffer& out) override {
    if (in == "fail") return "no room";
    const int n = std::stoi(std::string(in));
    std::this_thread::sleep_for(std::chrono::milliseconds(n % 4 == 0 ? 20 : 1));
    out.append(std::string(in.rbegin(), in.rend()));
    return {};
  }
};

std::shared_ptr<util::FrameCompressor> compressor(unsigned workers) {
  return std::make_shared<util::FrameCompressor>([] { return std::make_unique<SlowReverser>(); }, workers);
}

}  // namespace

TEST(FrameCompressor, FramesComeBackInTheOrderGiven) {
  for (unsigned workers : {1u, 3u}) {
    util::FrameCompressor::Queue queue(compressor(workers));
    int next_in = 100, next_out = 100;
    while (next_out < 140) {
      if (next_in < 140 && !queue.full()) {
        queue.push(std::to_string(next_in++));
        continue;
      }
      ASSERT_FALSE(queue.empty());
      const auto& frame = queue.oldest();
      std::string want = std::to_string(next_out++);
      EXPECT_EQ(frame.in.view(), want);
      EXPECT_EQ(frame.out.view(), std::string(want.rbegin(), want.rend()));
      EXPECT_TRUE(frame.error.empty());
      queue.pop();
    }
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.bytes(), 0u);
  }
}

TEST(FrameCompressor, TheQueueIsBoundedAndCountsItsBytes) {
  util::FrameCompressor::Queue queue(compressor(2));
  std::size_t pushed = 0;
  while (!queue.full()) {
    queue.push_with([](util::TextBuffer& in) { in.append("12"); });
    ++pushed;
  }
  EXPECT_EQ(pushed, 4u);  // one per worker, and two
  EXPECT_EQ(queue.bytes(), 8u);
  queue.clear();
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(FrameCompressor, AFailureIsTheFramesOwn) {
  util::FrameCompressor::Queue queue(compressor(2));
  queue.push("1");
  queue.push("fail");
  queue.push("3");
  EXPECT_EQ(queue.oldest().out.view(), "1");
  queue.pop();
  EXPECT_EQ(queue.oldest().error, "no room");
  queue.pop();
  EXPECT_EQ(queue.oldest().out.view(), "3");
  queue.pop();
}

// A fill that throws hands nothing over.
TEST(FrameCompressor, AFillThatThrowsHandsNothingOver) {
  util::FrameCompressor::Queue queue(compressor(1));
  EXPECT_THROW(queue.push_with([](util::TextBuffer&) { throw std::runtime_error("source gone"); }), std::runtime_error);
  EXPECT_TRUE(queue.empty());
  queue.push("5");
  EXPECT_EQ(queue.oldest().out.view(), "5");
}
