// The decompressors behind compress::Decompressor (issue #26) and the threaded source:
// the magics; each codec's streams of one and of two members, fed whole and in small
// pieces; a stream cut short and a corrupt one; the source's bytes, its faults (after the
// bytes before them) and the ratio limit. The test data is compressed here with the same
// libraries' encoders.
#include <bzlib.h>
#include <lzma.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compress/codec.hpp"
#include "compress/compress_samples.hpp"
#include "compress/decompressing_source.hpp"
#include "compress/decompressor.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"

namespace dltdump::compress {
namespace {

using test::Bytes;
using test::sample;

Bytes compress_with(Codec codec, const Bytes& in) {
  Bytes out;
  switch (codec) {
    case Codec::Gzip: {
      z_stream z{};
      deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
      out.resize(deflateBound(&z, in.size()) + 64);
      z.next_in = const_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(in.size());
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
      out.resize(z.total_out);
      deflateEnd(&z);
      break;
    }
    case Codec::Zstd:
      out.resize(ZSTD_compressBound(in.size()));
      out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
      break;
    case Codec::Xz: {
      out.resize(lzma_stream_buffer_bound(in.size()));
      std::size_t pos = 0;
      EXPECT_EQ(
          lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, in.data(), in.size(), out.data(), &pos, out.size()),
          LZMA_OK);
      out.resize(pos);
      break;
    }
    case Codec::Bzip2: {
      out.resize(in.size() + in.size() / 100 + 600);
      auto len = static_cast<unsigned>(out.size());
      EXPECT_EQ(BZ2_bzBuffToBuffCompress(reinterpret_cast<char*>(out.data()), &len,
                                         const_cast<char*>(reinterpret_cast<const char*>(in.data())),
                                         static_cast<unsigned>(in.size()), 9, 0, 0),
                BZ_OK);
      out.resize(len);
      break;
    }
  }
  return out;
}

enum class Verdict { Complete, Cut, Corrupt };

// Decompresses `data` fed in pieces of `piece` bytes (0: whole), output room `room`.
Verdict decompress(Codec codec, const Bytes& data, std::size_t piece, std::size_t room, Bytes& got) {
  auto d = make_decompressor(codec);
  Bytes out(room);
  std::size_t at = 0;
  for (;;) {
    const std::size_t n = piece == 0 ? data.size() - at : std::min(piece, data.size() - at);
    const bool last = at == data.size();
    Decompressor::Step step;
    try {
      step = d->run(std::span(data).subspan(at, n), out, last);
    } catch (const CorruptData&) {
      return Verdict::Corrupt;
    }
    EXPECT_LE(step.consumed, n);
    at += step.consumed;
    got.insert(got.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(step.produced));
    if (step.done) return Verdict::Complete;
    if (last && step.consumed == 0 && step.produced == 0) return Verdict::Cut;
  }
}

constexpr Codec kCodecs[] = {Codec::Gzip, Codec::Zstd, Codec::Xz, Codec::Bzip2};

TEST(Codec, MagicsAreKnown) {
  for (Codec c : kCodecs) EXPECT_EQ(codec_of(compress_with(c, sample(100, 1))), c) << codec_name(c);
  const Bytes skippable{0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0};
  EXPECT_EQ(codec_of(skippable), Codec::Zstd);
  EXPECT_EQ(codec_of(Bytes{'D', 'L', 'T', 1}), std::nullopt);
  EXPECT_EQ(codec_of(Bytes{0x1f}), std::nullopt);
  EXPECT_EQ(codec_of(Bytes{0x1f, 0x8b}), Codec::Gzip);  // cut short: the decoder says so
  EXPECT_EQ(codec_of(Bytes{'B', 'Z', 'h', '0'}), std::nullopt);
}

TEST(Decompressor, MembersWholeAndInPieces) {
  const Bytes a = sample(300000, 1), b = sample(70000, 2);
  Bytes both = a;
  both.insert(both.end(), b.begin(), b.end());
  for (Codec c : kCodecs) {
    Bytes packed = compress_with(c, a);
    const Bytes second = compress_with(c, b);
    packed.insert(packed.end(), second.begin(), second.end());
    for (std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
      for (std::size_t room : {std::size_t{1}, std::size_t{1000}, std::size_t{1} << 20}) {
        if (piece == 1 && room == 1) continue;  // slow, and nothing more than 1 × 1000
        Bytes got;
        EXPECT_EQ(decompress(c, packed, piece, room, got), Verdict::Complete) << codec_name(c) << " " << piece;
        EXPECT_EQ(got, both) << codec_name(c) << " piece " << piece << " room " << room;
      }
    }
  }
}

TEST(Decompressor, CutAndCorrupt) {
  const Bytes a = sample(300000, 3);
  for (Codec c : kCodecs) {
    const Bytes packed = compress_with(c, a);
    for (std::size_t keep : {packed.size() / 2, packed.size() - 1, std::size_t{3}}) {
      Bytes got;
      const Verdict v =
          decompress(c, Bytes(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(keep)), 4096, 65536, got);
      EXPECT_NE(v, Verdict::Complete) << codec_name(c) << " cut at " << keep;
      EXPECT_TRUE(std::equal(got.begin(), got.end(), a.begin())) << codec_name(c);  // a prefix of the data
    }
    Bytes bad = packed;
    for (std::size_t i = bad.size() / 2; i < bad.size() / 2 + 32; ++i) bad[i] ^= 0x5a;
    Bytes got;
    // Found corrupt, or (a zstd frame without a checksum, as ZSTD_compress makes it) made
    // into other bytes: never the data as if nothing happened.
    const Verdict v = decompress(c, bad, 0, 65536, got);
    EXPECT_TRUE(v != Verdict::Complete || got != a) << codec_name(c);
  }
}

// What follows an xz stream: padding (zero bytes, a multiple of four) and another stream
// are read, as xz -dc reads them; other bytes are data after the last stream, even a few
// (a new user's finding: 4 bytes of junk were called a cut), and the start of a next
// stream's magic alone is a cut. Fed whole and a byte at a time.
TEST(Decompressor, XzAfterAStream) {
  const Bytes a = sample(50000, 4), b = sample(20000, 5);
  const Bytes first = compress_with(Codec::Xz, a), second = compress_with(Codec::Xz, b);
  auto with = [&](const Bytes& tail) {
    Bytes d = first;
    d.insert(d.end(), tail.begin(), tail.end());
    return d;
  };
  auto verdict_and_reason = [](const Bytes& data, std::size_t piece) {
    auto d = make_decompressor(Codec::Xz);
    Bytes out(65536);
    std::size_t at = 0;
    try {
      for (;;) {
        const std::size_t n = piece == 0 ? data.size() - at : std::min(piece, data.size() - at);
        const bool last = at == data.size();
        const auto step = d->run(std::span(data).subspan(at, n), out, last);
        at += step.consumed;
        if (step.done) return std::string("complete");
        if (last && step.consumed == 0 && step.produced == 0) return std::string("cut");
      }
    } catch (const CorruptData& e) {
      return std::string(e.what());
    }
  };
  Bytes padded_then_second{0, 0, 0, 0, 0, 0, 0, 0};
  padded_then_second.insert(padded_then_second.end(), second.begin(), second.end());
  const std::pair<Bytes, std::string> cases[] = {
      {Bytes{0, 0, 0, 0}, "complete"},
      {padded_then_second, "complete"},
      {Bytes{'J', 'U', 'N', 'K'}, "data after the last stream"},
      {Bytes{0, 0, 0, 0, 'J', 'U', 'N', 'K', 'J', 'U', 'N', 'K', 'J', 'U', 'N', 'K'},
       "data after the zero bytes that follow the last stream"},
      {Bytes{0, 0, 0}, "stream padding not a multiple of four bytes"},
      {Bytes{0, 0, 0, 0xfd, '7', 'z', 'X', 'Z', 0}, "stream padding not a multiple of four bytes"},
      {Bytes{0xfd, '7', 'z'}, "cut"},
      {Bytes(second.begin(), second.begin() + 20), "cut"},
  };
  for (const auto& [tail, want] : cases)
    for (std::size_t piece : {std::size_t{0}, std::size_t{1}})
      EXPECT_EQ(verdict_and_reason(with(tail), piece), want) << tail.size() << " bytes after, piece " << piece;
  Bytes got;
  ASSERT_EQ(decompress(Codec::Xz, with(padded_then_second), 7, 1000, got), Verdict::Complete);
  Bytes both = a;
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_EQ(got, both);
}

// zstd frames with a checksum, of `in`.
Bytes zstd_with_checksum(const Bytes& in) {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  Bytes out(ZSTD_compressBound(in.size()));
  out.resize(ZSTD_compress2(c, out.data(), out.size(), in.data(), in.size()));
  ZSTD_freeCCtx(c);
  return out;
}

// Decompresses `data` as decompress() does, but keeps what the failing step made before
// its fault (CorruptData::produced), as the source delivers it.
Bytes made_before_fault(Codec codec, const Bytes& data, std::size_t piece, std::size_t room) {
  auto d = make_decompressor(codec);
  Bytes out(room), got;
  std::size_t at = 0;
  for (;;) {
    const std::size_t n = piece == 0 ? data.size() - at : std::min(piece, data.size() - at);
    const bool last = at == data.size();
    try {
      const Decompressor::Step step = d->run(std::span(data).subspan(at, n), out, last);
      at += step.consumed;
      got.insert(got.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(step.produced));
      if (step.done || (last && step.consumed == 0 && step.produced == 0)) {
        ADD_FAILURE() << "no fault found";
        return got;
      }
    } catch (const CorruptData& e) {
      got.insert(got.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(e.produced()));
      return got;
    }
  }
}

// A zstd fault comes after every byte of the blocks before it, however the input comes in
// pieces and the output room (a new user's finding: the bytes libzstd made in the call
// that found the fault were lost, more or less of them with the pieces, up to a whole
// output chunk of small blocks). Two frames of small blocks (repeated bytes); the second's
// checksum damaged (every byte comes before it), or a block in its middle.
TEST(Decompressor, ZstdGivesEveryBlockBeforeAFault) {
  const Bytes unit = sample(5000, 7);
  Bytes data;
  while (data.size() < (3u << 20)) data.insert(data.end(), unit.begin(), unit.end());
  const std::size_t half = data.size() / 2;
  Bytes packed = zstd_with_checksum(Bytes(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(half)));
  const Bytes second = zstd_with_checksum(Bytes(data.begin() + static_cast<std::ptrdiff_t>(half), data.end()));
  const std::size_t second_at = packed.size();
  packed.insert(packed.end(), second.begin(), second.end());
  Bytes sum = packed;
  ASSERT_FALSE(sum.empty());  // and tells GCC (TSan build, -Wstringop-overflow) that back() exists
  sum.back() ^= 0xFF;
  Bytes block = packed;
  for (std::size_t i = second_at + second.size() / 2; i < second_at + second.size() / 2 + 8; ++i) block[i] ^= 0x5A;
  // The damaged block's: the same bytes whatever the pieces (the first frame's, then what
  // the second made before its fault: the changed bytes may decode to others first).
  std::optional<Bytes> block_made;
  for (std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{65536}}) {
    for (std::size_t room : {std::size_t{1000}, std::size_t{1} << 20}) {
      EXPECT_EQ(made_before_fault(Codec::Zstd, sum, piece, room), data) << "piece " << piece << " room " << room;
      const Bytes got = made_before_fault(Codec::Zstd, block, piece, room);
      ASSERT_GE(got.size(), half) << "piece " << piece << " room " << room;
      EXPECT_TRUE(std::equal(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(half), got.begin()));
      if (!block_made) block_made = got;
      EXPECT_EQ(got, *block_made) << "piece " << piece << " room " << room;
    }
  }
}

util::InputFile memory_file(const Bytes& bytes) { return test::memory_file(bytes, "mem.gz"); }

// Reads the whole decompressed stream of `packed`; the fault's line in `fault`.
Bytes read_source(Codec codec, const Bytes& packed, Limits limits, std::string& fault) {
  util::InputFile raw = memory_file(packed);
  const auto identity = raw.identity();
  util::InputFile file = util::InputFile::from_source(
      std::make_unique<DecompressingSource>(std::move(raw), codec, "mem.gz", limits), "mem.gz", identity);
  Bytes got;
  try {
    for (auto w = file.next_window(); !w.empty(); w = file.next_window()) got.insert(got.end(), w.begin(), w.end());
  } catch (const util::Error& e) {
    EXPECT_TRUE(e.ends_input_only());
    fault = e.what();
  }
  return got;
}

TEST(DecompressingSource, GivesTheStreamThenItsEnd) {
  const Bytes a = sample(3u << 20, 4);  // several chunks, the queue full at times
  for (Codec c : kCodecs) {
    std::string fault;
    EXPECT_EQ(read_source(c, compress_with(c, a), {}, fault), a) << codec_name(c);
    EXPECT_EQ(fault, "") << codec_name(c);
  }
}

TEST(DecompressingSource, FaultsComeAfterTheBytesBeforeThem) {
  const Bytes a = sample(3u << 20, 5);
  const Bytes packed = compress_with(Codec::Zstd, a);
  std::string fault;
  const Bytes got = read_source(Codec::Zstd, Bytes(packed.begin(), packed.begin() + packed.size() / 2), {}, fault);
  EXPECT_GT(got.size(), a.size() / 4);
  EXPECT_TRUE(std::equal(got.begin(), got.end(), a.begin()));
  EXPECT_EQ(fault.rfind("Input mem.gz: zstd stream ends early at compressed byte ", 0), 0u) << fault;
  EXPECT_NE(fault.find("(decompressed byte " + std::to_string(got.size()) + "): the file is cut short"),
            std::string::npos)
      << fault;
}

// input_of_read() is where the bytes read so far came from in the compressed stream: it
// grows with them, stays behind what the thread has consumed (it reads ahead), and is
// reached only with the last byte. What names the place of a fault found in those bytes
// (an archive's, an inner layer's).
TEST(DecompressingSource, InputOfReadFollowsTheBytesRead) {
  const Bytes a = sample(6u << 20, 6);          // chunks enough for the thread to run ahead
  for (Codec c : {Codec::Gzip, Codec::Zstd}) {  // the same for every codec: two are enough
    const Bytes packed = compress_with(c, a);
    DecompressingSource source(memory_file(packed), c, "mem.gz", {});
    std::vector<std::uint8_t> buf(DecompressingSource::kChunkBytes);
    std::uint64_t last = 0;
    std::size_t read = 0;
    bool behind = false;
    for (std::size_t n; (n = source.read(buf.data(), buf.size())) != 0;) {
      read += n;
      const std::uint64_t at = source.input_of_read();
      EXPECT_GE(at, last) << codec_name(c);
      EXPECT_LE(at, source.input_progress()) << codec_name(c);
      if (read < a.size() / 2 && at < packed.size() / 2) behind = true;
      last = at;
    }
    EXPECT_EQ(read, a.size()) << codec_name(c);
    EXPECT_TRUE(behind) << codec_name(c) << ": the first half read from the first half";
    EXPECT_EQ(last, packed.size()) << codec_name(c);
  }
}

// A mapped zstd file of several frames, with workers: its frames decompressed side by side,
// each queued as one chunk (input_of_read after the first byte is the first frame's end;
// one thread fills a chunk of several frames first), the stream exactly as one thread
// makes it — whole, and cut in a frame: the same bytes, then the same fault.
TEST(DecompressingSource, FramesSideBySide) {
  Bytes a;
  Bytes packed;
  std::vector<std::size_t> ends;
  for (unsigned i = 0; i < 12; ++i) {
    const Bytes piece = sample(100u << 10, 20 + i);
    const Bytes frame = compress_with(Codec::Zstd, piece);
    a.insert(a.end(), piece.begin(), piece.end());
    packed.insert(packed.end(), frame.begin(), frame.end());
    ends.push_back(packed.size());
  }
  for (unsigned workers : {1u, 2u, 3u}) {
    DecompressingSource source(memory_file(packed), Codec::Zstd, "mem.zst", Limits{.workers = workers});
    Bytes got(1);
    ASSERT_EQ(source.read(got.data(), 1), 1u);
    if (workers > 1) EXPECT_EQ(source.input_of_read(), ends[0]);
    else EXPECT_GT(source.input_of_read(), ends[0]);
    std::vector<std::uint8_t> buf(64u << 10);
    for (std::size_t n; (n = source.read(buf.data(), buf.size())) != 0;)
      got.insert(got.end(), buf.begin(), buf.begin() + n);
    EXPECT_EQ(got, a) << workers << " workers";
  }
  const Bytes cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(ends[4] + 100));
  std::string one, two;
  const Bytes by_one = read_source(Codec::Zstd, cut, Limits{.workers = 1}, one);
  EXPECT_EQ(read_source(Codec::Zstd, cut, Limits{.workers = 2}, two), by_one);
  EXPECT_GE(by_one.size(), 5 * (100u << 10));
  EXPECT_NE(one, "");
  EXPECT_EQ(two, one);
}

TEST(DecompressingSource, StopsABomb) {
  const Bytes zeros(80u << 20, 0);
  const Bytes packed = compress_with(Codec::Zstd, zeros);
  std::string fault;
  const Bytes got = read_source(Codec::Zstd, packed, Limits{.max_ratio = 100}, fault);
  EXPECT_LT(got.size(), zeros.size());
  EXPECT_GE(got.size(), Limits::kRatioFloor - DecompressingSource::kChunkBytes);
  EXPECT_NE(fault.find("over 100 times the compressed size"), std::string::npos) << fault;
  fault.clear();
  EXPECT_EQ(read_source(Codec::Zstd, packed, Limits{.max_ratio = 0}, fault).size(), zeros.size());
  EXPECT_EQ(fault, "");
}

}  // namespace
}  // namespace dltdump::compress
