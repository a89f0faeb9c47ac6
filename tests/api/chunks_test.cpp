// The public API's chunked reads (dltdump/chunks.hpp): the chain of chunks read one by one
// equals the whole file's read — every message with every field, positions included, and
// the skipped bytes — for clean files, files with packets straddling verified cuts (a DLT
// record logged as a raw argument) and corrupt bytes, several chunk sizes and a filter.
#include "dltdump/chunks.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dlt/packet_builder.hpp"
#include "dltdump/dltdump.hpp"
#include "pcap/pcap_test_util.hpp"

using namespace dltdump::test;

namespace {

Bytes message(int i) {
  PacketSpec s;
  s.noar = 1;
  s.counter = static_cast<std::uint8_t>(i);
  s.app = i % 3 == 0 ? "NAV" : "HMI";
  s.msin = i % 2 == 0 ? 0x31 : 0x41;
  return storage(packet(s, arg_string("message number " + std::to_string(i), false)), i, i % 1000);
}

// A valid packet whose raw argument holds another complete, valid packet and a marker
// after it: the inner one is a verified packet start, so a cut may fall on it, inside the
// outer packet, which then straddles the cut.
Bytes straddling(int i) {
  const Bytes raw = arg_raw(cat({message(1000 + i), Bytes{'D', 'L', 'T', 1}}));
  PacketSpec s;
  s.noar = 1;
  s.app = "NAV";
  return storage(packet(s, raw), i, 0);
}

Bytes corpus(unsigned seed, bool straddlers, bool corrupt) {
  std::mt19937 rng(seed);
  Bytes file;
  for (int i = 0; i < 400; ++i) {
    Bytes m = straddlers && rng() % 4 == 0 ? straddling(i) : message(i);
    if (corrupt && rng() % 9 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    file.insert(file.end(), m.begin(), m.end());
    if (corrupt && rng() % 11 == 0)
      for (int g = 0; g < 7; ++g) file.push_back(static_cast<std::uint8_t>('a' + rng() % 20));
  }
  if (corrupt) file.erase(file.end() - 5, file.end());  // a truncated end
  return file;
}

// Every value of a message, as one line.
std::string record(const dltdump::Message& m) {
  return std::to_string(m.position()) + " " + std::to_string(m.time().time_since_epoch().count()) + " " +
         std::to_string(m.counter()) + " " + m.ecu().str() + " " + m.app().str() + " " + m.ctx().str() + " " +
         std::string(m.type_text()) + " " + std::to_string(m.raw().size()) + " " + m.text();
}

struct Read {
  std::vector<std::string> records;
  std::uint64_t skipped = 0;
  std::size_t chunks_read = 0, chunks_dropped = 0;
};

Read whole(const std::string& path, const dltdump::Filter& filter) {
  Read r;
  dltdump::Reader reader(path, filter);
  for (const dltdump::Message& m : reader) r.records.push_back(record(m));
  r.skipped = reader.skipped_bytes();
  return r;
}

// Every chunk read on its own (as on separate workers), then chained: chunk 0, then the
// chunk that begins where the last kept one's reading ended.
Read chained(const std::string& path, std::uint64_t chunk_bytes, const dltdump::Filter& filter) {
  const std::vector<std::uint64_t> points = dltdump::chunk_points(path, chunk_bytes);
  EXPECT_GE(points.size(), 2u);
  struct Chunk {
    std::vector<std::string> records;
    std::uint64_t skipped = 0, end = 0;
  };
  std::vector<Chunk> chunks;
  for (std::size_t k = 0; k + 1 < points.size(); ++k) {
    dltdump::ReaderOptions options;
    options.chunk_bytes = chunk_bytes;
    options.chunk_begin = points[k];
    options.batch_messages = 3;  // several steps per chunk
    dltdump::Reader reader(path, filter, options);
    Chunk c;
    for (const dltdump::Message& m : reader) c.records.push_back(record(m));
    c.skipped = reader.skipped_bytes();
    c.end = reader.offset();
    EXPECT_GE(c.end, points[k + 1]);
    chunks.push_back(std::move(c));
  }
  Read r;
  r.chunks_read = chunks.size();
  std::uint64_t at = 0;  // where the chain's reading has come
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    if (points[k] < at) {
      ++r.chunks_dropped;  // a packet straddled its begin: the chunk before read on over it
      continue;
    }
    EXPECT_EQ(points[k], at) << "the chain ended between cuts";
    r.records.insert(r.records.end(), chunks[k].records.begin(), chunks[k].records.end());
    r.skipped += chunks[k].skipped;
    at = chunks[k].end;
  }
  EXPECT_EQ(at, points.back());
  return r;
}

}  // namespace

TEST(ApiChunks, ChainEqualsTheWholeRead) {
  dltdump::Filter none;
  dltdump::Filter nav;
  nav.appid("NAV");
  for (unsigned seed : {1u, 2u}) {
    for (bool straddlers : {false, true}) {
      for (bool corrupt : {false, true}) {
        const Bytes file = corpus(seed, straddlers, corrupt);
        dltdump::testing::TempFile temp(file);
        std::size_t dropped = 0;
        for (const dltdump::Filter* filter : {&none, &nav}) {
          const Read expected = whole(temp.path, *filter);
          ASSERT_GT(expected.records.size(), 50u);
          for (std::uint64_t bytes : {1ull, 64ull, 333ull, 4096ull, 1ull << 30}) {
            const Read got = chained(temp.path, bytes, *filter);
            EXPECT_EQ(got.records, expected.records) << "seed " << seed << " bytes " << bytes;
            EXPECT_EQ(got.skipped, expected.skipped) << "seed " << seed << " bytes " << bytes;
            if (!straddlers) {
              EXPECT_EQ(got.chunks_dropped, 0u);
            }
            if (bytes == 1ull << 30) {
              EXPECT_EQ(got.chunks_read, 1u);
            }
            if (bytes == 64) {
              EXPECT_GT(got.chunks_read, 100u);
            }
            dropped += got.chunks_dropped;
          }
        }
        if (straddlers) {
          EXPECT_GT(dropped, 0u) << "the straddle path must be exercised";
        }
      }
    }
  }
}

TEST(ApiChunks, PointsAreTheParallelDecodersCuts) {
  const Bytes file = corpus(3, false, false);
  dltdump::testing::TempFile temp(file);
  const std::vector<std::uint64_t> points = dltdump::chunk_points(temp.path, 1000);
  ASSERT_GT(points.size(), 3u);
  EXPECT_EQ(points.front(), 0u);
  EXPECT_EQ(points.back(), file.size());
  for (std::size_t k = 1; k + 1 < points.size(); ++k) {
    EXPECT_GT(points[k], points[k - 1]);
    EXPECT_GE(points[k], k * 1000);  // about chunk_bytes apart
    EXPECT_EQ(file[points[k]], 'D');
  }
  EXPECT_TRUE(dltdump::chunk_points(temp.path, 0).empty());
  EXPECT_TRUE(dltdump::chunk_points(temp.path, 1000, dltdump::Format::network).empty());
}

TEST(ApiChunks, OtherInputsAreNotCut) {
  const Bytes file = corpus(4, false, false);
  dltdump::testing::TempFile temp(file);
  const std::string gz = temp.path + ".gz";
  ASSERT_EQ(std::system(("gzip -c '" + temp.path + "' > '" + gz + "'").c_str()), 0);
  EXPECT_TRUE(dltdump::chunk_points(gz, 1000).empty());
  dltdump::ReaderOptions options;
  options.chunk_bytes = 1000;
  try {
    dltdump::Reader r(gz, {}, options);
    FAIL() << "a compressed file read in chunks";
  } catch (const dltdump::Error& e) {
    EXPECT_EQ(e.kind(), dltdump::Error::Kind::argument);
    EXPECT_NE(std::string(e.what()).find(gz), std::string::npos) << e.what();
  }
  std::remove(gz.c_str());
  // A network recording (standard headers back to back) is no plain DLT file.
  PacketSpec s;
  s.noar = 1;
  Bytes net;
  for (int i = 0; i < 100; ++i) {
    const Bytes p = packet(s, arg_string("net " + std::to_string(i), false));
    net.insert(net.end(), p.begin(), p.end());
  }
  dltdump::testing::TempFile recording(net);
  EXPECT_TRUE(dltdump::chunk_points(recording.path, 100).empty());
  EXPECT_TRUE(dltdump::chunk_points("-", 100).empty());
  EXPECT_THROW(dltdump::Reader::from_memory(file, {}, options), dltdump::Error);
}

TEST(ApiChunks, BeginMustBeAChunkStart) {
  const Bytes file = corpus(5, false, false);
  dltdump::testing::TempFile temp(file);
  dltdump::ReaderOptions options;
  options.chunk_bytes = 1000;
  for (std::uint64_t begin : {std::uint64_t{1}, std::uint64_t{file.size()}}) {
    options.chunk_begin = begin;
    try {
      dltdump::Reader r(temp.path, {}, options);
      FAIL() << "begin " << begin;
    } catch (const dltdump::Error& e) {
      EXPECT_EQ(e.kind(), dltdump::Error::Kind::argument);
      EXPECT_NE(std::string(e.what()).find("no chunk start"), std::string::npos) << e.what();
    }
  }
  try {
    (void)dltdump::chunk_points(temp.path + ".missing", 1000);
    FAIL() << "no error";
  } catch (const dltdump::Error& e) {
    EXPECT_EQ(e.kind(), dltdump::Error::Kind::input);
  }
}
