// Classic PCAP reader: the four magics and the record checks of aio-spec.md §5G.
#include "pcap/pcap_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "pcap/capture_reader_split.hpp"
#include "pcap/pcap_test_util.hpp"
#include "util/error.hpp"

namespace dltdump::pcap {
namespace {

using testing::Bytes;
using testing::ByteWriter;
using testing::hex;
using testing::read_bytes;

Bytes pcap_file(bool big_endian, bool nano, std::uint32_t snaplen, std::uint32_t link,
                const std::vector<std::tuple<std::uint32_t, std::uint32_t, Bytes, std::uint32_t>>& records) {
  ByteWriter w{big_endian, {}};
  w.u32(nano ? 0xA1B23C4D : 0xA1B2C3D4);
  w.u16(2);
  w.u16(4);
  w.u32(0);
  w.u32(0);
  w.u32(snaplen);
  w.u32(link);
  for (const auto& [sec, frac, data, orig] : records) {
    w.u32(sec);
    w.u32(frac);
    w.u32(static_cast<std::uint32_t>(data.size()));
    w.u32(orig ? orig : static_cast<std::uint32_t>(data.size()));
    w.bytes(data);
  }
  return w.out;
}

TEST(PcapReader, FourMagics) {
  for (bool be : {false, true}) {
    for (bool nano : {false, true}) {
      const Bytes f =
          pcap_file(be, nano, 65535, 113, {{1700000000, 123, hex("0102"), 0}, {1700000001, 5, hex("03"), 90}});
      std::vector<Interface> itfs;
      const auto p = read_bytes(f, &itfs);
      ASSERT_EQ(p.size(), 2u) << be << nano;
      EXPECT_EQ(p[0].time_ns, 1700000000LL * 1000000000 + 123 * (nano ? 1 : 1000));
      EXPECT_EQ(p[0].data, hex("0102"));
      EXPECT_EQ(p[0].offset, 24u + 16);
      EXPECT_EQ(p[0].link_type, 113);
      EXPECT_EQ(p[1].original_size, 90u);
      EXPECT_EQ(p[1].offset, 24u + 16 + 2 + 16);
      ASSERT_EQ(itfs.size(), 1u);
      EXPECT_EQ(itfs[0].snaplen, 65535u);
    }
  }
}

TEST(PcapReader, LinkTypeIgnoresFcsBitsAndTimesAboveYear2038) {
  const auto p = read_bytes(pcap_file(false, false, 0, 0x10000001, {{0xF0000000u, 0, hex("01"), 0}}));
  EXPECT_EQ(p[0].link_type, 1);
  EXPECT_EQ(p[0].time_ns, 0xF0000000LL * 1000000000);  // seconds are unsigned
}

std::string error_of(const Bytes& file) { return testing::read_error(file); }

TEST(PcapReaderErrors, EveryMalformedCaseNamesTheRecord) {
  EXPECT_NE(error_of(hex("D4C3B2A1 0200")).find("file header truncated at offset 0"), std::string::npos);
  Bytes v3 = pcap_file(false, false, 0, 1, {});
  v3[4] = 3;
  EXPECT_NE(error_of(v3).find("unsupported version 3"), std::string::npos);
  EXPECT_NE(error_of(pcap_file(true, true, 0, 1, {{0, 0, hex("01020304"), 2}}))
                .find("captured length 4 exceeds its original length 2 at offset 24"),
            std::string::npos);
  Bytes huge = pcap_file(false, false, 0, 1, {{0, 0, hex("01"), 0}});
  huge[24 + 8] = 0xFF, huge[24 + 9] = 0xFF, huge[24 + 10] = 0xFF, huge[24 + 11] = 0x7F;
  huge[24 + 12] = 0xFF, huge[24 + 13] = 0xFF, huge[24 + 14] = 0xFF, huge[24 + 15] = 0x7F;
  EXPECT_NE(error_of(huge).find("above the limit"), std::string::npos);
  const Bytes ok = pcap_file(false, false, 0, 1, {{0, 0, hex("01020304"), 0}, {0, 0, hex("0506"), 0}});
  EXPECT_NE(error_of(Bytes(ok.begin(), ok.end() - 1)).find("record truncated (2 bytes captured, 1 left) at offset 44"),
            std::string::npos)
      << error_of(Bytes(ok.begin(), ok.end() - 1));
  EXPECT_NE(error_of(Bytes(ok.begin(), ok.end() - 10)).find("record header truncated (8 bytes left) at offset 44"),
            std::string::npos)
      << error_of(Bytes(ok.begin(), ok.end() - 10));
}

// Writers that cut packets to a length smaller than they say exist; Wireshark reads such
// records, so do we, up to a hard limit (the capture decoder counts them).
TEST(PcapReader, RecordsLongerThanTheSnapshotLengthAreReadUpToTheLimit) {
  const Bytes data(600, 0x5A);
  const Bytes file = pcap_file(false, false, 64, 1, {{0, 0, hex("0102"), 0}, {0, 0, data, 0}, {0, 0, hex("03"), 0}});
  const auto p = read_bytes(file);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1].data, data);
  EXPECT_EQ(p[2].data, hex("03"));
  const auto batches = testing::read_in_batches(file, 16);  // the fast path reads them too
  EXPECT_TRUE(batches.error.empty()) << batches.error;
  EXPECT_TRUE(batches.packets == p);
  // Beyond the limit (256 KiB, or the snapshot length if larger): an error naming it.
  const Bytes big(PcapReader::kMinRecordLimit + 1, 0);
  EXPECT_NE(error_of(pcap_file(false, false, 64, 1, {{0, 0, big, 0}}))
                .find("captured length 262145 above the limit of 262144 at offset 24"),
            std::string::npos);
  EXPECT_EQ(read_bytes(pcap_file(false, false, PcapReader::kMinRecordLimit + 1, 1, {{0, 0, big, 0}})).size(), 1u);
}

// Batches (next_well_formed, replay's fast path) read exactly what next() reads and stop
// at a record with a fault, which next() then names; and at the stop offset.
TEST(PcapReader, BatchesReadWhatNextReadsAndStopAtFaultsAndTheStop) {
  for (const bool big_endian : {false, true}) {
    for (const bool nano : {false, true}) {
      std::vector<std::tuple<std::uint32_t, std::uint32_t, Bytes, std::uint32_t>> records;
      for (std::uint32_t i = 0; i < 40; ++i)
        records.push_back({1700000000 + i, i * 7, Bytes(i % 9, std::uint8_t(i)), i % 3 ? 0 : 100});
      const Bytes good = pcap_file(big_endian, nano, 0, 1, records);
      records.push_back({1, 2, hex("01020304"), 2});  // captured above original: a fault
      const auto r = testing::read_in_batches(pcap_file(big_endian, nano, 0, 1, records), 16);
      EXPECT_NE(
          r.error.find("captured length 4 exceeds its original length 2 at offset " + std::to_string(good.size())),
          std::string::npos)
          << r.error;
      EXPECT_EQ(r.batch_sizes, (std::vector<std::size_t>{16, 16, 6}));  // 16 + 1 + 16 + 1 + 6 = 40, then the fault
      const auto expected = read_bytes(good);
      EXPECT_TRUE(r.packets == expected);
      EXPECT_EQ(expected.size(), 40u);
      EXPECT_EQ(expected[3].time_ns, 1700000003LL * 1000000000 + 21 * (nano ? 1 : 1000));
    }
  }
  // The stop: a record that starts before it is read whole, none after.
  const Bytes three = pcap_file(false, false, 0, 1, {{0, 0, hex("01"), 0}, {0, 0, hex("02"), 0}, {0, 0, hex("03"), 0}});
  testing::TempFile f(three);
  auto in = util::InputFile::open(f.path);
  auto reader = CaptureReader::open(in);
  CaptureReaderSplit::stop_at(*reader, 24 + 17 + 1);  // inside the second record
  std::vector<aio::Packet> batch(8);
  EXPECT_EQ(reader->next_well_formed(batch), 2u);
  EXPECT_EQ(batch[1].data[0], 2);
  EXPECT_EQ(reader->next_well_formed(batch), 0u);
  aio::Packet p;
  EXPECT_EQ(reader->next(p), CaptureReader::Next::End);
}

}  // namespace
}  // namespace dltdump::pcap
