#include "app/parallel/dlt_blocks.hpp"

#include <gtest/gtest.h>
#include <random>
#include <set>

#include "dlt/cut_points.hpp"
#include "dlt/framer.hpp"
#include "dlt/packet_builder.hpp"
#include "output/buffer_sink.hpp"
#include "util/stop_signal.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

// One framer's text, the reference the parallel decoder must equal.
struct TextCollector {
  util::TextBuffer text;
  output::BufferSink sink{{true}, text};
};

std::string sequential(const Bytes& file) {
  TextCollector c;
  dlt::Framer framer(dlt::StreamFormat::File);
  framer.feed(file, c.sink);
  framer.finish(c.sink);
  return std::string(c.text.view());
}

std::string parallel(const Bytes& file, unsigned threads, std::uint64_t block) {
  std::string out;
  std::uint64_t last_end = 0;
  app::decode_dlt_blocks(file, {true}, {threads, block}, [&](std::string_view text, std::uint64_t, std::uint64_t end) {
    EXPECT_GE(end, last_end);
    last_end = end;
    out.append(text);
  });
  EXPECT_EQ(last_end, file.size());
  return out;
}

Bytes message(int i) {
  PacketSpec s;
  s.noar = 1;
  s.counter = static_cast<std::uint8_t>(i);
  return storage(packet(s, arg_string("message number " + std::to_string(i), false)), i, 0);
}

// A valid packet whose raw argument holds another complete, valid packet followed by a
// marker: a cut placed on the inner one makes the outer packet straddle the cut.
Bytes straddling(int i) {
  const Bytes raw = arg_raw(cat({message(1000 + i), Bytes{'D', 'L', 'T', 1}}));
  PacketSpec s;
  s.noar = 1;
  return storage(packet(s, raw), i, 0);
}

Bytes corpus(unsigned seed, bool with_straddlers) {
  std::mt19937 rng(seed);
  Bytes file;
  for (int i = 0; i < 300; ++i) {
    Bytes m = (with_straddlers && rng() % 5 == 0) ? straddling(i) : message(i);
    if (rng() % 9 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    file.insert(file.end(), m.begin(), m.end());
    if (rng() % 11 == 0)
      for (int g = 0; g < 7; ++g) file.push_back(static_cast<std::uint8_t>('a' + rng() % 20));
  }
  file.erase(file.end() - 5, file.end());  // a truncated end
  return file;
}

}  // namespace

TEST(ParallelDecode, SameTextAsOneFramer) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const Bytes file = corpus(seed, false);
    const std::string expected = sequential(file);
    for (std::uint64_t block : {64ull, 100ull, 999ull, 4096ull, 1ull << 20})
      for (unsigned threads : {1u, 2u, 3u})
        EXPECT_EQ(parallel(file, threads, block), expected) << "seed " << seed << " block " << block;
  }
}

TEST(ParallelDecode, PacketsStraddlingACutAreDecodedOnce) {
  const Bytes file = corpus(7, true);
  // Where one framer puts its events: a cut that is not among them lies inside a packet.
  struct Starts : dlt::FramerSink {
    std::set<std::uint64_t> at;
    void on_message(const dlt::Message& m) override { at.insert(m.position); }
    void on_skip(const dlt::SkipRecord& s) override { at.insert(s.position); }
  } starts;
  dlt::Framer framer(dlt::StreamFormat::File);
  framer.feed(file, starts);
  framer.finish(starts);
  const std::string expected = sequential(file);
  for (std::uint64_t block : {50ull, 128ull, 700ull}) {
    dlt::CutPoints points(file, block);
    std::size_t inside = 0;
    for (std::size_t k = 1; points.exists(k); ++k) inside += starts.at.count(points.at(k)) == 0;
    EXPECT_GT(inside, 0u) << "block " << block << ": the straddle path must be exercised";
    for (unsigned threads : {1u, 2u, 4u}) EXPECT_EQ(parallel(file, threads, block), expected) << "block " << block;
  }
}

TEST(CutPoints, VerifiedStartsOnly) {
  Bytes file = cat({message(1), Bytes{'D', 'L', 'T', 1, 0, 0}, message(2), message(3)});
  dlt::CutPoints points(file, 10);
  EXPECT_EQ(points.at(0), 0u);
  // the stray marker after message 1 is not a start; message 2 is
  EXPECT_EQ(points.at(1), message(1).size() + 6);
  EXPECT_EQ(points.at(2), message(1).size() + 6 + message(2).size());
  EXPECT_FALSE(points.exists(3));  // message 3 ends the file: no verified start after it
  EXPECT_EQ(points.at(9), file.size());
  EXPECT_EQ(dlt::next_verified_packet(file, file.size()), file.size());
}

// A stop (the interrupt flag) ends the lines exactly after some packet, as one framer
// interrupted there would: what went out is a prefix of one framer's lines, whatever the
// threads and blocks, and the decoder says so by throwing util::Stopped.
TEST(ParallelDecode, AStopEmitsAPrefixOfOneFramersLines) {
  for (unsigned seed : {4u, 5u}) {
    const Bytes file = corpus(seed, true);
    const std::string expected = sequential(file);
    for (std::uint64_t block : {64ull, 300ull, 999ull}) {
      for (unsigned threads : {1u, 2u, 3u}) {
        for (int stop_after : {0, 1, 2, 5}) {
          std::atomic<bool> flag{stop_after == 0};  // 0: stopped before it began
          std::string out;
          int calls = 0;
          bool stopped = false;
          try {
            app::decode_dlt_blocks(file, {true}, {threads, block, &flag},
                                   [&](std::string_view text, std::uint64_t, std::uint64_t) {
                                     out.append(text);
                                     if (++calls == stop_after) flag = true;
                                   });
          } catch (const util::Stopped&) {
            stopped = true;
          }
          const std::string what = "seed " + std::to_string(seed) + " block " + std::to_string(block) + " threads " +
                                   std::to_string(threads) + " stop after " + std::to_string(stop_after);
          EXPECT_EQ(expected.compare(0, out.size(), out), 0) << what << ": not a prefix";
          EXPECT_TRUE(out.empty() || out.back() == '\n') << what;
          if (stop_after == 0) {
            EXPECT_TRUE(stopped) << what;
            EXPECT_TRUE(out.empty()) << what << ": " << out.size() << " bytes emitted";
          }
          if (!stopped) {
            EXPECT_TRUE(out == expected) << what << ": returned normally, so decoded whole";
          }
        }
      }
    }
  }
}
