#include "app/parallel/dlt_stream_blocks.hpp"

#include "app/parallel/dlt_blocks.hpp"
#include "app/skip_tally.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "dlt/framer.hpp"
#include "dlt/packet_builder.hpp"
#include "output/buffer_sink.hpp"
#include "util/byte_source.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"
#include "util/stop_signal.hpp"

using namespace dltdump;
using namespace dltdump::test;
using dltdump::app::kLookahead;

namespace {

// A decompressed stream as compress::DecompressingSource hands it out: in chunks of
// `chunk` bytes (a read returns no more than the rest of the current chunk), and, at
// `fault`, the fault of the compressed data (util::Error) or a stop (util::Stopped) after
// every byte before it.
class ChunkedSource final : public util::ByteSource {
 public:
  enum class End { Clean, Fault, Stop };
  ChunkedSource(const Bytes& bytes, std::size_t chunk, End how, std::size_t at)
      : bytes_(bytes), chunk_(chunk), how_(how), end_(how == End::Clean ? bytes.size() : at) {}
  std::size_t read(std::uint8_t* into, std::size_t n) override {
    if (pos_ == end_) {
      if (how_ == End::Fault)
        throw util::input_error("s.zst", "zstd data corrupt at decompressed byte " + std::to_string(end_));
      if (how_ == End::Stop) throw util::Stopped();
      return 0;
    }
    const std::size_t k = std::min({n, chunk_ - pos_ % chunk_, end_ - pos_});
    std::memcpy(into, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  bool ready() const noexcept override { return true; }
  std::uint64_t input_progress() const noexcept override { return pos_; }

 private:
  const Bytes& bytes_;
  const std::size_t chunk_;
  const End how_;
  const std::size_t end_;
  std::size_t pos_ = 0;
};

// One framer's text (with each line's position, so that a byte lost or repeated where the
// pieces join shows), fed the stream's first `upto` bytes; `finish`: the stream ends there
// (else a read faulted there: the serial walk does not finish).
std::string one_framer(const Bytes& stream, std::size_t upto, bool finish) {
  util::TextBuffer text;
  output::BufferSink sink({true}, text);
  dlt::Framer framer(dlt::StreamFormat::File);
  // In windows, as the walk reads a pipe (the events do not depend on them).
  for (std::size_t at = 0; at < upto; at += 1u << 20)
    framer.feed({stream.data() + at, std::min<std::size_t>(upto - at, 1u << 20)}, sink);
  if (finish) framer.finish(sink);
  return std::string(text.view());
}

struct Decoded {
  std::string text;
  std::string error;  // the fault's message, "stopped", or empty
};

Decoded parallel(const Bytes& stream, std::size_t chunk, ChunkedSource::End how, std::size_t at, unsigned threads,
                 std::uint64_t block, const std::atomic<bool>* interrupt = nullptr) {
  util::InputFile file =
      util::InputFile::from_source(std::make_unique<ChunkedSource>(stream, chunk, how, at), "s.zst", {});
  Decoded run;
  std::uint64_t last_end = 0;
  try {
    app::decode_dlt_stream_blocks(file, {true}, {threads, block, interrupt},
                                  [&](std::string_view text, std::uint64_t, std::uint64_t end) {
                                    EXPECT_GE(end, last_end);
                                    last_end = end;
                                    run.text.append(text);
                                  });
    EXPECT_EQ(last_end, stream.size());
  } catch (const util::Error& e) {
    run.error = e.what();
  } catch (const util::Stopped&) {
    run.error = "stopped";
  }
  return run;
}

Bytes message(int i) {
  PacketSpec s;
  s.noar = 1;
  s.counter = static_cast<std::uint8_t>(i);
  return storage(packet(s, arg_string("message number " + std::to_string(i), false)), i, 0);
}

// A valid packet whose raw argument holds `inner` complete, valid packets, each followed by
// a marker: cuts are found inside it, and its framer runs past them.
Bytes straddling(int i, int inner, std::size_t pad) {
  Bytes raw;
  for (int j = 0; j < inner; ++j) raw = cat({raw, message(100000 + i * 10 + j), Bytes{'D', 'L', 'T', 1}});
  raw.resize(std::max(raw.size(), pad), 'x');
  PacketSpec s;
  s.noar = 1;
  return storage(packet(s, arg_raw(raw)), i, 0);
}

// About `size` bytes: messages, packets straddling cuts (some as long as a packet can be,
// reaching a piece's whole lookahead), damaged packets, short and long runs of garbage
// (longer than a block: a cut with no verified packet start), and a cut last packet.
Bytes stream_corpus(unsigned seed, std::size_t size) {
  std::mt19937 rng(seed);
  Bytes s;
  for (int i = 0; s.size() < size; ++i) {
    const unsigned pick = rng() % 100;
    Bytes m = pick < 10   ? straddling(i, 1 + static_cast<int>(rng() % 3), 0)
              : pick < 12 ? straddling(i, 200, 65000 + rng() % 500)
                          : message(i);
    if (rng() % 9 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    s.insert(s.end(), m.begin(), m.end());
    if (rng() % 11 == 0)
      for (int g = 0; g < 7; ++g) s.push_back(static_cast<std::uint8_t>('a' + rng() % 20));
    if (rng() % 300 == 0)
      for (unsigned g = 0, n = 5000 + rng() % 80000; g < n; ++g)
        s.push_back(static_cast<std::uint8_t>('a' + rng() % 20));
  }
  s.erase(s.end() - 5, s.end());
  return s;
}

}  // namespace

// Whatever the chunks the stream comes in and the blocks it is cut into, the lines are
// exactly one framer's over the whole stream.
TEST(ParallelStreamDecode, SameTextAsOneFramerForEveryChunkAndBlock) {
  for (unsigned seed : {1u, 2u}) {
    const Bytes stream = stream_corpus(seed, 400000);
    const std::string expected = one_framer(stream, stream.size(), true);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{4093}, std::size_t{65536}, std::size_t{1} << 20})
      for (std::uint64_t block : {4096ull, 70000ull, 300000ull})
        for (unsigned threads : {1u, 2u, 3u}) {
          // Chunks of a byte and one thread say nothing more on every block (and are slow).
          if ((chunk == 1 && block != 4096) || (threads == 1 && chunk != 4093)) continue;
          if (seed == 2 && chunk != 4093) continue;
          const Decoded run = parallel(stream, chunk, ChunkedSource::End::Clean, 0, threads, block);
          EXPECT_EQ(run.error, "");
          EXPECT_TRUE(run.text == expected)
              << "seed " << seed << " chunk " << chunk << " block " << block << " threads " << threads << ": "
              << run.text.size() << " bytes, not " << expected.size();
        }
  }
}

// An empty stream, one shorter than a cut's lookahead, and one of garbage only.
TEST(ParallelStreamDecode, ShortAndEmptyStreams) {
  const Bytes big = stream_corpus(9, 200000);
  const Bytes garbage(300000, 'q');
  for (const Bytes* s : {&garbage, &big}) {
    for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{70000}, s->size()}) {
      const Bytes stream(s->begin(), s->begin() + static_cast<std::ptrdiff_t>(size));
      const Decoded run = parallel(stream, 4096, ChunkedSource::End::Clean, 0, 2, 4096);
      EXPECT_EQ(run.error, "");
      EXPECT_TRUE(run.text == one_framer(stream, stream.size(), true)) << "size " << size;
    }
  }
}

// A stretch of a block and more with no verified packet start is cut anyway (memory stays
// bounded), and there no guess is trusted: here the cut falls on a marker whose header is
// invalid, so the framer before it ends exactly there with a skip record open, which one
// framer extends over the marker and the garbage after it — one skip line, not two.
TEST(ParallelStreamDecode, AStretchWithoutCutsIsCutWhereNoGuessIsTrusted) {
  // With 4 KiB blocks the piece from 0 looks for its cut from 4096 and gives up 64 KiB on,
  // at 4096 + 65536 (dlt_stream_blocks.cpp: kScanStep), after two reads.
  const std::size_t forced = 4096 + 65536;
  Bytes stream = message(0);
  stream.resize(forced, 'q');
  const Bytes marker = {'D', 'L', 'T', 1};
  stream.insert(stream.end(), marker.begin(), marker.end());
  stream.resize(stream.size() + 16, 0);  // the rest of a storage header, a standard header of length 0
  stream.resize(200000, 'q');
  for (int i = 1; stream.size() < 300000; ++i) {
    const Bytes m = message(i);
    stream.insert(stream.end(), m.begin(), m.end());
  }
  const std::string expected = one_framer(stream, stream.size(), true);
  ASSERT_NE(expected.find("SKIP"), std::string::npos);
  for (std::size_t chunk : {std::size_t{4093}, std::size_t{1} << 20})
    for (unsigned threads : {1u, 2u}) {
      const Decoded run = parallel(stream, chunk, ChunkedSource::End::Clean, 0, threads, 4096);
      EXPECT_EQ(run.error, "");
      EXPECT_EQ(run.text, expected) << "chunk " << chunk << " threads " << threads;
    }
}

// A fault anywhere — in a piece, at a cut, inside a piece's lookahead, just before or past
// it, in a long packet, in garbage — gives the lines one framer fed the stream up to the
// fault gives, with the end-of-stream rules (the packet the fault cut and the skip open
// there are skip lines, as at a file's end: a new user's finding), then the fault.
TEST(ParallelStreamDecode, AFaultAnywhereGivesTheSerialLinesThenTheFault) {
  const Bytes stream = stream_corpus(3, 300000);
  for (std::uint64_t block : {4096ull, 70000ull}) {
    std::vector<std::size_t> faults = {
        0, 1, 4, 17, kLookahead - 1, kLookahead, kLookahead + 1, stream.size() - 1, stream.size()};
    for (std::size_t at = 0; at < stream.size(); at += stream.size() / 23 + 1) faults.push_back(at);
    for (std::uint64_t j : {1ull, 2ull, 3ull})
      for (std::int64_t d : {-5, -1, 0, 1, 4, 5, 100})
        for (std::uint64_t extra : {std::uint64_t{0}, kLookahead, kLookahead + 4})
          faults.push_back(static_cast<std::size_t>(static_cast<std::int64_t>(j * block + extra) + d));
    for (std::size_t i = 0; i < faults.size(); ++i) {
      const std::size_t at = faults[i];
      if (at > stream.size()) continue;
      const std::string expected = one_framer(stream, at, true);
      {
        const std::size_t chunk = i % 2 ? 4093 : std::size_t{1} << 20;  // small and large chunks in turn
        const Decoded run = parallel(stream, chunk, ChunkedSource::End::Fault, at, 2, block);
        EXPECT_EQ(run.error, "zstd data corrupt at decompressed byte " + std::to_string(at));
        EXPECT_TRUE(run.text == expected) << "fault at " << at << " block " << block << " chunk " << chunk << ": "
                                          << run.text.size() << " bytes, not " << expected.size();
      }
    }
  }
}

// A stop while a read waits ends the stream like a fault: the serial lines, then Stopped.
TEST(ParallelStreamDecode, AStopWhileReadingGivesTheSerialLinesThenStopped) {
  const Bytes stream = stream_corpus(4, 300000);
  for (std::size_t at : {std::size_t{0}, std::size_t{50000}, std::size_t{123457}, stream.size()}) {
    const Decoded run = parallel(stream, 65536, ChunkedSource::End::Stop, at, 2, 8192);
    EXPECT_EQ(run.error, "stopped");
    EXPECT_TRUE(run.text == one_framer(stream, at, false)) << "stop at " << at;
  }
}

// The interrupt flag (SIGINT) ends the lines after a whole packet: a prefix of one framer's.
TEST(ParallelStreamDecode, AnInterruptEmitsAPrefixOfOneFramersLines) {
  const Bytes stream = stream_corpus(5, 300000);
  const std::string expected = one_framer(stream, stream.size(), true);
  for (int stop_after : {0, 1, 3, 7}) {
    std::atomic<bool> flag{stop_after == 0};
    util::InputFile file = util::InputFile::from_source(
        std::make_unique<ChunkedSource>(stream, 4093, ChunkedSource::End::Clean, 0), "s.zst", {});
    std::string out;
    int calls = 0;
    bool stopped = false;
    try {
      app::decode_dlt_stream_blocks(file, {true}, {2, 8192, &flag},
                                    [&](std::string_view text, std::uint64_t, std::uint64_t) {
                                      out.append(text);
                                      if (++calls == stop_after) flag = true;
                                    });
    } catch (const util::Stopped&) {
      stopped = true;
    }
    EXPECT_EQ(expected.compare(0, out.size(), out), 0) << "stop after " << stop_after << ": not a prefix";
    EXPECT_TRUE(out.empty() || out.back() == '\n');
    if (stop_after == 0) {
      EXPECT_TRUE(stopped && out.empty());
    }
    if (!stopped) {
      EXPECT_TRUE(out == expected) << "returned normally, so decoded whole";
    }
  }
}

namespace {

// What one SkipTally finds in `stream` framed as a DLT file, seeing the whole stream at
// every event (the reference of the tests below).
std::optional<app::SkipTally::Foreign> foreign_in_one_feed(const Bytes& stream) {
  util::TextBuffer text;
  output::BufferSink sink({true}, text);
  app::SkipTally tally(sink, dlt::StreamFormat::File);
  dlt::Framer framer(dlt::StreamFormat::File);
  tally.window(stream, 0);
  framer.feed(stream, tally);
  framer.finish(tally);
  return tally.foreign();
}

}  // namespace

// Skipped regions that begin like another format (a gzip stream, a PCAP-NG capture joined
// inside): both parallel decoders, mapped and read, find what one SkipTally over the whole
// stream finds — the first region and how many — however the blocks cut them, also a
// region longer than a block (a piece decoded on by the framer before it) and one at a
// block's very start (found by fuzz_cli: the multi-core walk of a mapped file did not look).
TEST(ParallelStreamDecode, ForeignRegionsAreFoundAsByOneTally) {
  const Bytes gzip_start = {0x1f, 0x8b, 0x08, 0x00};
  const Bytes pcapng_start = {0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, 0x4d, 0x3c, 0x2b, 0x1a};
  std::mt19937 rng(11);
  Bytes stream;
  for (int i = 0; stream.size() < 400000; ++i) {
    const Bytes m = message(i);
    stream.insert(stream.end(), m.begin(), m.end());
    if (i % 97 == 50) {
      const Bytes& magic = (i / 97) % 2 ? gzip_start : pcapng_start;
      stream.insert(stream.end(), magic.begin(), magic.end());
      stream.resize(stream.size() + (i % 3 == 0 ? 70000 : 10 + rng() % 3000), 'q');
    }
  }
  const auto one_tally = foreign_in_one_feed(stream);
  ASSERT_TRUE(one_tally.has_value());
  ASSERT_GT(one_tally->regions, 4u);
  const auto same = [&](const std::optional<app::SkipTally::Foreign>& f, const std::string& what) {
    ASSERT_TRUE(f.has_value()) << what;
    EXPECT_EQ(f->position, one_tally->position) << what;
    EXPECT_EQ(f->length, one_tally->length) << what;
    EXPECT_EQ(f->content, one_tally->content) << what;
    EXPECT_EQ(f->regions, one_tally->regions) << what;
  };
  const auto ignore = [](std::string_view, std::uint64_t, std::uint64_t) {};
  for (std::uint64_t block : {4096ull, 30000ull, 1ull << 20})
    for (unsigned threads : {1u, 2u, 3u}) {
      const std::string what = "block " + std::to_string(block) + " threads " + std::to_string(threads);
      same(app::decode_dlt_blocks(stream, {true}, {threads, block}, ignore), "mapped, " + what);
      util::InputFile file = util::InputFile::from_source(
          std::make_unique<ChunkedSource>(stream, 4093, ChunkedSource::End::Clean, 0), "s.zst", {});
      same(app::decode_dlt_stream_blocks(file, {true}, {threads, block}, ignore), "read, " + what);
    }
}

// One framer fed window by window (decode_stream, one thread): a region the framer delivers
// by a later feed or by finish, when its window is gone, is looked at as one delivered at
// once — here a serial packet or a gzip stream joined in near the end, then a few messages
// and maybe garbage, all delivered by finish. Found by fuzz_cli: on one thread such regions were never looked at, on
// several (the blocks see the whole file) they were.
TEST(ParallelStreamDecode, RegionsDeliveredAfterTheirWindowAreLookedAt) {
  const auto foreign_of = [](const Bytes& stream, std::size_t window) {
    util::TextBuffer text;
    output::BufferSink sink({true}, text);
    app::SkipTally tally(sink, dlt::StreamFormat::File);
    dlt::Framer framer(dlt::StreamFormat::File);
    for (std::size_t at = 0; at < stream.size(); at += window) {
      const auto piece = std::span<const std::uint8_t>(stream).subspan(at, std::min(window, stream.size() - at));
      tally.window(piece, at);
      framer.feed(piece, tally);
      tally.after_feed(framer);
    }
    tally.window({}, framer.fed());
    framer.finish(tally);
    return tally.foreign();
  };
  int checked = 0;
  for (const bool serial : {true, false})
    for (int after : {0, 1, 2, 3, 5})
      for (std::size_t garbage : {std::size_t{0}, std::size_t{60}}) {
        Bytes stream;
        const auto add = [&](const Bytes& b) { stream.insert(stream.end(), b.begin(), b.end()); };
        for (int i = 0; i < 300; ++i) add(message(i));
        // A skip, then a marker whose header claims more bytes than the stream has left: the
        // framer holds the skip open and waits for them to the end, so every event after it
        // is delivered by finish.
        stream.resize(stream.size() + 40, 'q');
        add({'D', 'L', 'T', 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 'E', 'C', 'U', '1', 0x20, 0x00, 0xFF, 0xF0});
        for (int i = 0; i < 3; ++i) add(message(400 + i));
        if (serial) {  // a serial recording's packet: its marker, no storage header
          const Bytes m = message(300);
          add({'D', 'L', 'S', 0x01});
          stream.insert(stream.end(), m.begin() + 16, m.end());
        } else {
          add({0x1f, 0x8b, 0x08, 0x00});
        }
        stream.resize(stream.size() + 200, 'q');
        for (int i = 0; i < after; ++i) add(message(500 + i));
        stream.resize(stream.size() + garbage, 'z');
        const std::string what = std::string(serial ? "serial" : "gzip") + ", " + std::to_string(after) +
                                 " messages after, " + std::to_string(garbage) + " bytes of garbage";
        const auto reference = foreign_in_one_feed(stream);
        ASSERT_TRUE(reference.has_value()) << what;
        for (std::size_t window : {std::size_t{1000}, std::size_t{4093}, stream.size()}) {
          const auto f = foreign_of(stream, window);
          ASSERT_TRUE(f.has_value()) << what << ", windows of " << window;
          EXPECT_EQ(f->position, reference->position) << what << ", windows of " << window;
          EXPECT_EQ(f->regions, reference->regions) << what << ", windows of " << window;
          ++checked;
        }
      }
  EXPECT_EQ(checked, 60);
}
