// PCAP-NG reader: valid files in both byte orders and every malformed case of
// aio-spec.md §5F (each must be a util::Error naming the offset, never a crash).
#include "pcap/pcapng_reader.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <tuple>
#include <vector>

#include "pcap/capture_reader_split.hpp"
#include "pcap/pcap_test_util.hpp"
#include "pcap/pcapng_format.hpp"
#include "util/error.hpp"

namespace dltdump::pcap {
namespace {

using testing::Bytes;
using testing::hex;
using testing::NgBuilder;
using testing::operator+;
using testing::read_bytes;

class PcapngBothOrders : public ::testing::TestWithParam<bool> {};
INSTANTIATE_TEST_SUITE_P(ByteOrder, PcapngBothOrders, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

TEST_P(PcapngBothOrders, EnhancedPacketsWithOptionsAndWithout) {
  NgBuilder b{GetParam(), {}};
  b.shb().idb(1, 0, b.option(9, {9}) + b.option(2, testing::ascii("eth0")) + b.end_of_options());
  b.epb(0, 1700000000123456789ull, hex("0102030405"), 60, b.option(2, b.u32_bytes(1)) + b.end_of_options());
  b.epb(0, 1700000000123456790ull, hex("0607"));  // no options, no end marker
  std::vector<Interface> itfs;
  const auto p = read_bytes(b.file, &itfs);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].data, hex("0102030405"));
  EXPECT_EQ(p[0].original_size, 60u);
  EXPECT_EQ(p[0].time_ns, 1700000000123456789);
  EXPECT_EQ(p[0].direction, aio::Direction::Inbound);
  EXPECT_EQ(p[0].link_type, 1);
  EXPECT_EQ(p[0].offset, 28u + 40 + 28);  // SHB 28, IDB 40, then the EPB's fixed part
  EXPECT_EQ(p[1].direction, aio::Direction::Unknown);
  EXPECT_EQ(p[1].time_ns, 1700000000123456790);
  ASSERT_EQ(itfs.size(), 1u);
  EXPECT_EQ(itfs[0].name, "eth0");
}

TEST_P(PcapngBothOrders, SimplePacketsUseTheFirstInterfaceAndItsSnaplen) {
  NgBuilder b{GetParam(), {}};
  b.shb().idb(228, 4).idb(1).spb(6, hex("01020304"));  // snaplen 4 cuts the 6-byte packet
  b.spb(3, hex("AABBCC"));
  const auto p = read_bytes(b.file);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].data, hex("01020304"));
  EXPECT_EQ(p[0].original_size, 6u);
  EXPECT_EQ(p[0].interface, 0u);
  EXPECT_EQ(p[0].link_type, 228);
  EXPECT_EQ(p[0].time_ns, aio::Packet::kNoTime);
  EXPECT_EQ(p[1].data, hex("AABBCC"));  // padding and trailer are not data
}

TEST_P(PcapngBothOrders, ObsoletePacketBlock) {
  NgBuilder b{GetParam(), {}};
  b.shb().idb(1);
  testing::ByteWriter w{GetParam(), {}};
  w.u16(0);  // interface
  w.u16(0);  // drops
  w.u32(0);
  w.u32(1000);  // 1000 µs
  w.u32(2);
  w.u32(2);
  w.bytes(hex("ABCD"));
  b.block(2, w.out);
  const auto p = read_bytes(b.file);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].data, hex("ABCD"));
  EXPECT_EQ(p[0].time_ns, 1000000);
}

TEST(PcapngReader, SectionsEachWithTheirOwnByteOrderAndInterfaces) {
  NgBuilder le{false, {}};
  le.shb().idb(1).idb(113).epb(1, 5, hex("11"));
  NgBuilder be{true, {}};
  be.shb(1, 2).idb(101).epb(0, 7, hex("22"));  // version 1.2 is accepted
  std::vector<Interface> itfs;
  const auto p = read_bytes(le.file + be.file + le.file, &itfs);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].interface, 1u);
  EXPECT_EQ(p[0].link_type, 113);
  EXPECT_EQ(p[1].interface, 2u);  // interfaces are numbered across sections
  EXPECT_EQ(p[1].link_type, 101);
  EXPECT_EQ(p[1].time_ns, 7000);  // default resolution: microseconds
  EXPECT_EQ(p[2].interface, 4u);
  EXPECT_EQ(itfs.size(), 5u);
}

TEST(PcapngReader, EveryTimeResolutionAndOffset) {
  struct Case {
    std::uint8_t tsresol;
    std::uint64_t units;
    std::int64_t ns;
  };
  const Case cases[] = {
      {6, 1'000'001, 1'000'001'000},
      {9, 123, 123},
      {3, 1500, 1'500'000'000},
      {0, 2, 2'000'000'000},
      {12, 5'000'000, 5'000},
      {19, 10'000'000'000'000'000'000ull, 1'000'000'000},
      {0x80 | 1, 3, 1'500'000'000},
      {0x80 | 10, 1024, 1'000'000'000},
      {0x80 | 32, 0x180000000ull, 1'500'000'000},
      {0x80 | 63, 1ull << 63, 1'000'000'000},
  };
  for (const Case& c : cases) {
    NgBuilder b;
    b.shb().idb(1, 0, b.option(9, {c.tsresol}) + b.end_of_options()).epb(0, c.units, hex("00"));
    const auto p = read_bytes(b.file);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].time_ns, c.ns) << "tsresol " << int(c.tsresol);
  }
  NgBuilder b;
  const Bytes offset = b.u64_bytes(static_cast<std::uint64_t>(-10));  // if_tsoffset = -10 s
  b.shb().idb(1, 0, b.option(14, offset) + b.option(9, {9}) + b.end_of_options()).epb(0, 3'000'000'000, hex("00"));
  EXPECT_EQ(read_bytes(b.file)[0].time_ns, -7'000'000'000);
}

// Micro- and nanoseconds take a fast path: the edge of the int64 range is the same there.
TEST(PcapngReader, TimeStampsAtTheEdgeOfTheRange) {
  constexpr std::uint64_t kMax = INT64_MAX;
  for (const auto& [tsresol, units, ok] : std::vector<std::tuple<std::uint8_t, std::uint64_t, bool>>{
           {9, kMax, true}, {9, kMax + 1, false}, {6, kMax / 1000, true}, {6, kMax / 1000 + 1, false}}) {
    NgBuilder b;
    b.shb().idb(1, 0, b.option(9, {tsresol}) + b.end_of_options()).epb(0, units, hex("00"));
    if (ok) {
      const auto p = read_bytes(b.file);
      ASSERT_EQ(p.size(), 1u);
      EXPECT_EQ(p[0].time_ns, tsresol == 9 ? INT64_MAX : static_cast<std::int64_t>(kMax / 1000 * 1000));
    } else {
      EXPECT_NE(testing::read_error(b.file).find("time stamp out of range"), std::string::npos) << units;
    }
  }
}

TEST(PcapngReader, SkipsOtherBlocks) {
  NgBuilder b;
  b.shb().block(4, hex("00000000")).idb(1).block(5, hex("00000000 00000000 00000000"));
  b.block(0xBAD, hex("12345678 AABB")).block(0x40000BAD, {}).block(0x80000001, hex("01"));
  b.block(10, hex("4B534C54 02000000 6162")).epb(0, 1, hex("99"));
  for (int i = 0; i < 1000; ++i) b.block(0x8000ABCD, {});  // a long run of unknown blocks
  b.epb(0, 2, hex("98"));
  const auto p = read_bytes(b.file);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].data, hex("98"));
}

TEST(PcapngReader, ManyInterfacesAndMixedLinkTypes) {
  NgBuilder b;
  b.shb();
  for (int i = 0; i < 100; ++i) b.idb(i % 2 ? 1 : 101);
  b.epb(99, 1, hex("01")).epb(42, 2, hex("02"));
  const auto p = read_bytes(b.file);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].link_type, 1);
  EXPECT_EQ(p[1].link_type, 101);
}

TEST(PcapngReader, ReadsFromAPipe) {
  NgBuilder b;
  b.shb().idb(1);
  for (int i = 0; i < 3000; ++i) b.epb(0, static_cast<std::uint64_t>(i), Bytes(static_cast<std::size_t>(i % 1500), 7));
  Bytes big(3 << 20, 0x5A);  // a block larger than one pipe read
  b.epb(0, 1, big);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    std::size_t done = 0;
    while (done < b.file.size()) {
      ssize_t n = ::write(fds[1], b.file.data() + done, std::min<std::size_t>(b.file.size() - done, 70000));
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  auto file = util::InputFile::from_fd(fds[0], "pipe", true);
  EXPECT_FALSE(file.is_mapped());
  const auto p = testing::read_all(file);
  writer.join();
  ASSERT_EQ(p.size(), 3001u);
  for (int i = 0; i < 3000; ++i) ASSERT_EQ(p[i].data.size(), static_cast<std::size_t>(i % 1500));
  EXPECT_EQ(p[3000].data, big);
  EXPECT_EQ(p[2999].offset, read_bytes(b.file)[2999].offset);
}

// ---- malformed files: each is one clear error with the offset ----

std::string error_of(const Bytes& file) { return testing::read_error(file); }

NgBuilder good_start() {
  NgBuilder b;
  b.shb().idb(1);
  return b;
}

TEST(PcapngReaderErrors, FileStart) {
  EXPECT_EQ(error_of({}), "no error");  // fewer than 4 bytes: nothing to read
  EXPECT_EQ(error_of(hex("0A0D0D")), "no error");
  EXPECT_NE(error_of(hex("0A0D0D0A 1C00")).find("truncated block header"), std::string::npos);
  EXPECT_NE(error_of(hex("01020304 1C000000 4D3C2B1A")).find("not a PCAP or PCAP-NG file (starts with 01 02 03 04)"),
            std::string::npos);
  NgBuilder bad_bom;
  bad_bom.shb();
  bad_bom.file[8] = 0x11;
  EXPECT_NE(error_of(bad_bom.file).find("bad byte-order magic at offset 0"), std::string::npos);
  NgBuilder v2;
  v2.shb(2, 0);
  EXPECT_NE(error_of(v2.file).find("unsupported version 2 at offset 0"), std::string::npos);
}

TEST(PcapngReaderErrors, BlockLengths) {
  for (std::uint32_t len : {0u, 8u, 13u, 0xFFFFFFFFu, pcapng::kMaxBlockBytes + 4}) {
    NgBuilder b = good_start();
    const std::size_t at = b.file.size();
    b.epb(0, 0, hex("01"));
    std::memcpy(b.file.data() + at + 4, &len, 4);
    const std::string e = error_of(b.file);
    EXPECT_NE(e.find("invalid length " + std::to_string(len) + " at offset " + std::to_string(at)), std::string::npos)
        << e;
  }
  NgBuilder shb;
  shb.shb();
  const std::uint32_t big = (1u << 20) + 4;
  std::memcpy(shb.file.data() + 4, &big, 4);
  EXPECT_NE(error_of(shb.file).find("invalid length"), std::string::npos);
}

TEST(PcapngReaderErrors, TrailerAndTruncation) {
  NgBuilder b = good_start();
  b.epb(0, 0, hex("01"));
  Bytes mismatch = b.file;
  mismatch[mismatch.size() - 4] = 0x30;
  EXPECT_NE(error_of(mismatch).find("trailing length 48 differs from its length 36 at offset 48"), std::string::npos)
      << error_of(mismatch);
  for (std::size_t cut : {1u, 4u, 20u, 35u}) {
    Bytes t(b.file.begin(), b.file.end() - static_cast<long>(cut));
    const std::string e = error_of(t);
    EXPECT_NE(e.find("truncated"), std::string::npos) << cut << ": " << e;
    EXPECT_NE(e.find("at offset 48"), std::string::npos) << cut << ": " << e;
  }
  Bytes garbage = b.file + hex("DEADBEEF 01");
  EXPECT_NE(error_of(garbage).find("at offset 84"), std::string::npos) << error_of(garbage);
  EXPECT_NE(error_of(hex("0A0D0D0A 1C000000 4D3C2B1A 0100")).find("truncated block (28 bytes, 14 left) at offset 0"),
            std::string::npos);
  NgBuilder idb_first;
  idb_first.idb(1);
  EXPECT_NE(error_of(idb_first.file).find("not a PCAP or PCAP-NG file (starts with 01 00 00 00)"), std::string::npos);
}

TEST(PcapngReaderErrors, PacketBlocks) {
  {  // shorter than its fixed part
    NgBuilder b = good_start();
    b.block(6, hex("00000000 00000000"));
    EXPECT_NE(error_of(b.file).find("enhanced packet block shorter than 32 bytes at offset 48"), std::string::npos);
  }
  {  // captured length past the block / into the trailer
    for (std::uint32_t cap : {5u, 8u, 1000u}) {
      NgBuilder b = good_start();
      b.epb(0, 0, hex("01020304"));
      std::memcpy(b.file.data() + 48 + 20, &cap, 4);
      std::memcpy(b.file.data() + 48 + 24, &cap, 4);
      EXPECT_NE(error_of(b.file).find("captured length " + std::to_string(cap) + " runs past the block"),
                std::string::npos)
          << error_of(b.file);
    }
  }
  {
    NgBuilder b = good_start();
    b.epb(0, 0, hex("01020304"), 2);
    std::uint32_t orig = 2;
    std::memcpy(b.file.data() + 48 + 24, &orig, 4);
    EXPECT_NE(error_of(b.file).find("captured length 4 exceeds its original length 2"), std::string::npos);
  }
  {
    NgBuilder b = good_start();
    b.epb(1, 0, hex("01"));
    EXPECT_NE(error_of(b.file).find("for interface 1 of a section with 1 interfaces at offset 48"), std::string::npos);
    NgBuilder c;
    c.shb().epb(0, 0, hex("01"));
    EXPECT_NE(error_of(c.file).find("for interface 0 of a section with 0 interfaces"), std::string::npos);
    NgBuilder d;  // interfaces of an earlier section do not count
    d.shb().idb(1).shb().epb(0, 0, hex("01"));
    EXPECT_NE(error_of(d.file).find("section with 0 interfaces"), std::string::npos);
  }
  {
    NgBuilder b;
    b.shb().spb(1, hex("01"));
    EXPECT_NE(error_of(b.file).find("simple packet block before any interface"), std::string::npos);
    NgBuilder c = good_start();
    c.spb(100, hex("01020304"));
    EXPECT_NE(error_of(c.file).find("simple packet block whose length 100 runs past the block"), std::string::npos);
  }
  {  // time stamp overflow: 2^64-1 seconds at resolution 10^0
    NgBuilder b;
    b.shb().idb(1, 0, b.option(9, {0}) + b.end_of_options()).epb(0, ~0ull, hex("01"));
    EXPECT_NE(error_of(b.file).find("time stamp out of range"), std::string::npos);
  }
}

TEST(PcapngReaderErrors, Options) {
  NgBuilder b;
  b.shb();
  Bytes long_option = b.option(2, hex("65746830"));
  long_option[2] = 0xFF;  // length 0xFFFF
  long_option[3] = 0xFF;
  b.idb(1, 0, long_option);
  EXPECT_NE(error_of(b.file).find("option 2 that runs past the end of its interface block at offset 28"),
            std::string::npos)
      << error_of(b.file);
  for (const Bytes& tsresol : {hex("0909"), Bytes{}, hex("14"), hex("7F"), hex("C0"), hex("FF")}) {
    NgBuilder c;
    c.shb().idb(1, 0, c.option(9, tsresol) + c.end_of_options());
    const std::string e = error_of(c.file);
    EXPECT_NE(e.find("interface description with invalid if_tsresol"), std::string::npos) << e;
  }
  NgBuilder c;
  c.shb().idb(1, 0, c.option(14, hex("01020304")));
  EXPECT_NE(error_of(c.file).find("invalid if_tsoffset of length 4"), std::string::npos);
  NgBuilder d = good_start();
  Bytes bad_flags = d.option(2, d.u32_bytes(1));
  bad_flags[2] = 40;
  d.epb(0, 0, hex("01"), 0, bad_flags);
  EXPECT_NE(error_of(d.file).find("enhanced packet block with option 2 that runs past the block"), std::string::npos);
  // Many options and long values are fine.
  NgBuilder e;
  Bytes opts;
  for (int i = 0; i < 500; ++i) opts = opts + e.option(1, Bytes(300, 'x'));
  e.shb().idb(1, 0, opts + e.option(2, Bytes(1000, 'n'))).epb(0, 0, hex("01"));
  std::vector<Interface> itfs;
  EXPECT_EQ(read_bytes(e.file, &itfs).size(), 1u);
  EXPECT_EQ(itfs[0].name.size(), 256u);  // if_name is capped
  NgBuilder f;                           // IDB shorter than its fixed part
  f.shb().block(1, hex("0100 0000"));
  EXPECT_NE(error_of(f.file).find("interface description block shorter than 20 bytes"), std::string::npos);
}

TEST(PcapngReaderErrors, InterfaceLimit) {
  NgBuilder b;
  b.shb();
  for (std::size_t i = 0; i <= PcapngReader::kMaxInterfaces; ++i) b.idb(1);
  EXPECT_NE(error_of(b.file).find("beyond the limit of 4096 interfaces"), std::string::npos);
}

TEST(PcapngReaderErrors, PacketsBeforeTheFaultAreDelivered) {
  NgBuilder b = good_start();
  b.epb(0, 0, hex("01")).epb(0, 0, hex("02"));
  Bytes cut(b.file.begin(), b.file.end() - 3);
  testing::TempFile f(cut);
  auto file = util::InputFile::open(f.path);
  auto reader = CaptureReader::open(file);
  aio::Packet p;
  EXPECT_EQ(reader->next(p), CaptureReader::Next::Packet);
  EXPECT_THROW(reader->next(p), util::Error);
}

// Batches (next_well_formed, replay's fast path) read exactly what next() reads, stop at
// every block they do not read (other block types, faults, the stop offset), and next()
// then reads it or names its fault.
TEST(PcapngReader, BatchesReadWhatNextReadsAndStopAtEverythingElse) {
  for (const bool big_endian : {false, true}) {
    NgBuilder b{big_endian, {}};
    b.shb().idb(1, 0, b.option(9, {9}) + b.end_of_options()).idb(113);
    b.epb(0, 10, hex("0102"), 0, b.option(2, b.u32_bytes(2)) + b.end_of_options());
    b.epb(1, 11, hex("030405"));
    b.spb(2, hex("0607"));
    b.epb(0, 12, hex("08"));
    b.block(5, hex("00000000"));  // an ISB: skipped
    b.epb(1, 13, hex("090A0B0C"));
    const std::size_t good = b.file.size();
    b.epb(0, 14, hex("0D"), 0, b.option(2, b.u32_bytes(1)));
    b.file[good + 28 + 4 + 2] = 40;  // the last EPB's option runs past the block
    const auto r = testing::read_in_batches(b.file, 64);
    EXPECT_NE(
        r.error.find("enhanced packet block with option 2 that runs past the block at offset " + std::to_string(good)),
        std::string::npos)
        << r.error;
    // The first packet comes through next() (the batch before the SHB's reading is empty).
    const auto expected = testing::read_bytes(Bytes(b.file.begin(), b.file.begin() + static_cast<long>(good)));
    EXPECT_TRUE(r.packets == expected);
    EXPECT_EQ(expected.size(), 5u);
    EXPECT_EQ(expected[0].direction, aio::Direction::Outbound);
    EXPECT_EQ(expected[1].time_ns, 11000);  // µs on the second interface
    // Batches took the EPB after the first packet, and the ones after the SPB and the ISB.
    EXPECT_EQ(r.batch_sizes, (std::vector<std::size_t>{0, 1, 1, 0}));
  }
}

TEST(PcapngReader, BatchesStopAtTheStopOffset) {
  NgBuilder b = good_start();
  b.epb(0, 1, hex("01"));
  const std::size_t second = b.file.size();
  b.epb(0, 2, hex("02")).epb(0, 3, hex("03"));
  testing::TempFile f(b.file);
  auto file = util::InputFile::open(f.path);
  auto reader = CaptureReader::open(file);
  aio::Packet p;
  ASSERT_EQ(reader->next(p), CaptureReader::Next::Packet);
  CaptureReaderSplit::stop_at(*reader, second + 1);  // the second block starts before the stop, the third after
  std::vector<aio::Packet> batch(8);
  EXPECT_EQ(reader->next_well_formed(batch), 1u);
  EXPECT_EQ(batch[0].data[0], 2);
  EXPECT_EQ(reader->next_well_formed(batch), 0u);
  EXPECT_EQ(reader->next(p), CaptureReader::Next::End);
}

}  // namespace
}  // namespace dltdump::pcap
