// Telling an input's format from its first bytes: magics at offset 0, a chain of valid
// network packets, a sync marker later in the head; compressed data named; the warning for
// inputs that decode to nothing but skipped bytes.
#include "input/format_sniff.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include <algorithm>
#include <random>

#include "dlt/packet_builder.hpp"

namespace dltdump::input {
namespace {

using test::Bytes;

Content sniff(const Bytes& b) {
  return sniff_content([&](std::size_t n) {
    EXPECT_LE(n, kSniffBytes);
    return std::span<const std::uint8_t>(b.data(), std::min(n, b.size()));
  });
}
Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Bytes times(const Bytes& b, int n) {
  Bytes out;
  for (int i = 0; i < n; ++i) out = out + b;
  return out;
}

test::PacketSpec one_argument() {
  test::PacketSpec s;
  s.noar = 1;
  return s;
}
const Bytes kPacket = test::packet(one_argument(), test::arg_uint(7, 4, false));  // verbose
Bytes nonverbose(std::uint8_t counter) {
  test::PacketSpec s;
  s.extended = false;
  s.counter = counter;
  return test::packet(s, {1, 0, 0, 0, 0xAB});
}

TEST(FormatSniff, MagicsAtTheStart) {
  EXPECT_EQ(sniff(test::storage(kPacket)), Content::DltFile);
  EXPECT_EQ(sniff(test::serial(kPacket)), Content::DltSerial);
  EXPECT_EQ(sniff(Bytes{0x0A, 0x0D, 0x0D, 0x0A, 0x1C, 0, 0, 0}), Content::Pcapng);
  for (const Bytes& magic : {Bytes{0xA1, 0xB2, 0xC3, 0xD4}, Bytes{0xD4, 0xC3, 0xB2, 0xA1},
                             Bytes{0xA1, 0xB2, 0x3C, 0x4D}, Bytes{0x4D, 0x3C, 0xB2, 0xA1}})
    EXPECT_EQ(sniff(magic + Bytes(20, 0)), Content::Pcap);
  EXPECT_EQ(sniff(Bytes{0x1F, 0x8B, 0x08, 0x00, 0, 0}), Content::Gzip);
  EXPECT_EQ(sniff(Bytes{0xFD, '7', 'z', 'X', 'Z', 0x00, 0, 4}), Content::Xz);
  EXPECT_EQ(sniff(Bytes{0x28, 0xB5, 0x2F, 0xFD, 0x24, 0x04}), Content::Zstd);
  EXPECT_EQ(sniff(Bytes{0x5E, 0x2A, 0x4D, 0x18, 0x00, 0x00, 0x00, 0x00}), Content::Zstd);  // a skippable frame
  EXPECT_EQ(sniff(bytes("BZh91AY&SY")), Content::Bzip2);
  EXPECT_EQ(sniff(bytes("BZh0")), Content::Unknown);  // no block size: not bzip2
  EXPECT_EQ(sniff(bytes("PK\x03\x04") + Bytes(30, 0)), Content::Zip);
  EXPECT_EQ(sniff(bytes("PK\x05\x06") + Bytes(18, 0)), Content::Zip);  // an empty archive
  EXPECT_EQ(sniff(bytes("\x04\x22\x4D\x18") + Bytes(20, 0)), Content::Lz4);
  Bytes tar(512, 0);
  std::memcpy(tar.data() + 257, "ustar", 5);
  EXPECT_EQ(sniff(tar), Content::Tar);
  EXPECT_TRUE(is_compressed(Content::Tar));
  EXPECT_EQ(sniff({}), Content::Unknown);
  EXPECT_EQ(sniff(bytes("DL")), Content::Unknown);
  // An empty tar has no header, only the zero blocks of its end (GNU tar writes 10240
  // bytes of them); zeros of another size, or with more after them, are no tar.
  EXPECT_EQ(sniff(Bytes(10240, 0)), Content::Tar);
  EXPECT_EQ(sniff(Bytes(1024, 0)), Content::Tar);
  EXPECT_EQ(sniff(Bytes(512, 0)), Content::Unknown);
  EXPECT_EQ(sniff(Bytes(10000, 0)), Content::Unknown);
  EXPECT_EQ(sniff(Bytes(10240, 0) + Bytes{1}), Content::Unknown);
  EXPECT_EQ(sniff(Bytes(64 << 10, 0)), Content::Unknown);  // not seen whole
}

TEST(FormatSniff, ForeignRegionWarning) {
  EXPECT_EQ(foreign_region_warning("-", InputFormat::File, 1000, 500, Content::Pcapng, 1),
            "-: the 500 bytes skipped at byte 1000 begin like a PCAP-NG capture, which is not read inside data read as "
            "a DLT file (an input's format is chosen once, by its first bytes); give each part as an input of its own");
  EXPECT_EQ(foreign_region_warning("x", InputFormat::Serial, 0, 5, Content::DltFile, 3),
            "x: the 5 bytes skipped at byte 0 begin like a DLT file, which is not read inside data read as a serial "
            "recording (an input's format is chosen once, by its first bytes); 2 more skipped regions do; give each "
            "part as an input of its own");
}

TEST(FormatSniff, NetworkRecordingsAreAChainOfValidPackets) {
  EXPECT_EQ(sniff(times(kPacket, 5)), Content::DltNetwork);
  EXPECT_EQ(sniff(kPacket + nonverbose(1) + kPacket + Bytes(3, 0xEE)), Content::DltNetwork);  // garbage after three
  EXPECT_EQ(sniff(kPacket), Content::DltNetwork);                                             // all the input holds
  EXPECT_EQ(sniff(kPacket + kPacket), Content::DltNetwork);
  const Bytes cut(kPacket.begin(), kPacket.end() - 3);
  EXPECT_EQ(sniff(kPacket + kPacket + cut), Content::DltNetwork);  // two, then one cut short
  EXPECT_EQ(sniff(kPacket + cut), Content::Unknown);               // one lucky packet is not enough
  EXPECT_EQ(sniff(kPacket + Bytes(2, 0)), Content::Unknown);
  EXPECT_EQ(sniff(kPacket + Bytes(40, 0xEE)), Content::Unknown);  // garbage after the first
  test::PacketSpec unprintable = one_argument();
  unprintable.ecu = std::string("\x01\x02\x03\x04", 4);
  EXPECT_EQ(sniff(times(test::packet(unprintable, test::arg_uint(7, 4, false)), 3)), Content::Unknown);
  test::PacketSpec noar = one_argument();
  noar.noar = 2;  // says two arguments, holds one: invalid payload
  EXPECT_EQ(sniff(times(test::packet(noar, test::arg_uint(7, 4, false)), 3)), Content::Unknown);
}

TEST(FormatSniff, ASyncMarkerLaterInTheHeadAtWhichAMessageDecodes) {
  EXPECT_EQ(sniff(Bytes(100, 0xEE) + test::storage(kPacket) + test::storage(kPacket)), Content::DltFile);
  EXPECT_EQ(sniff(Bytes(100, 0xEE) + test::serial(kPacket) + test::serial(kPacket)), Content::DltSerial);
  // A marker followed by no valid packet does not count.
  EXPECT_EQ(sniff(Bytes(100, 0xEE) + bytes("DLT\x01") + Bytes(100, 0xEE)), Content::Unknown);
  // The first framing that decodes a message wins.
  EXPECT_EQ(sniff(Bytes(10, 0xEE) + test::serial(kPacket) + test::storage(kPacket)), Content::DltSerial);
  // Beyond 64 KiB: not looked for.
  EXPECT_EQ(sniff(Bytes(70000, 0xEE) + test::storage(kPacket)), Content::Unknown);
}

// A DLT file cut out of a longer one may begin with text (" speed speed timeout radar"):
// a space is a header without ids whose length comes from the next two bytes, and a
// non-verbose payload is any bytes, so the text reads as a chain of such packets. The
// storage headers that decode later in the head explain the bytes; the id-less chain does
// not. A recording of id-less packets with no marker behind them is still a network one.
TEST(FormatSniff, ACutFileBeginningWithTextIsNoChainOfIdLessPackets) {
  // Three id-less packets back to back, each spanning storage-header packets, as text does.
  Bytes file;
  for (int i = 0; i < 40; ++i) file = file + test::storage(kPacket, i, 0);
  auto bare = [](std::size_t length, std::uint8_t first) {
    Bytes b{first, 's', static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    return b;
  };
  const std::size_t span = 300;  // each bare packet: 4 header bytes and a payload of file bytes
  Bytes in;
  for (int k = 0; k < 3; ++k)
    in =
        in + bare(span, 0x20) +
        Bytes(file.begin() + static_cast<long>(k * (span - 4)), file.begin() + static_cast<long>((k + 1) * (span - 4)));
  in = in + file;
  EXPECT_EQ(sniff(in), Content::DltFile);
  // The same id-less chain with no marker behind it: a network recording.
  Bytes net;
  for (int k = 0; k < 3; ++k) net = net + bare(span, 0x20) + Bytes(span - 4, 0x55);
  EXPECT_EQ(sniff(net), Content::DltNetwork);
  EXPECT_EQ(sniff(times(nonverbose(3), 3)), Content::DltNetwork);  // ids: a network recording
}

TEST(FormatSniff, RandomBytesAreNeverCalledNetwork) {
  std::mt19937 rng(7);
  int network = 0;
  for (int i = 0; i < 3000; ++i) {
    Bytes b(200 + rng() % 2000);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    b[0] = static_cast<std::uint8_t>(0x20 | (b[0] & 0x1F));  // version 1: the worst case
    network += sniff(b) == Content::DltNetwork;
  }
  EXPECT_EQ(network, 0);
}

TEST(FormatSniff, FormatsAndConfirmation) {
  EXPECT_EQ(format_of(Content::DltFile), InputFormat::File);
  EXPECT_EQ(format_of(Content::Unknown), InputFormat::File);
  EXPECT_EQ(format_of(Content::DltNetwork), InputFormat::Network);
  EXPECT_EQ(format_of(Content::DltSerial), InputFormat::Serial);
  EXPECT_EQ(format_of(Content::Pcapng), InputFormat::Pcap);
  EXPECT_TRUE(confirms(Content::DltNetwork, InputFormat::Network));
  EXPECT_FALSE(confirms(Content::DltNetwork, InputFormat::File));
  EXPECT_FALSE(confirms(Content::Unknown, InputFormat::File));
  EXPECT_FALSE(confirms(Content::Gzip, InputFormat::File));
  // Automatic: the content decides, never the name; an explicit format wins.
  EXPECT_EQ(resolve_format(parse_input_argument("/a/b.pcap"), InputFormat::Automatic, Content::DltFile),
            InputFormat::File);
  EXPECT_EQ(resolve_format(parse_input_argument("/a/b.dlt"), InputFormat::Automatic, Content::Pcapng),
            InputFormat::Pcap);
  EXPECT_EQ(resolve_format(parse_input_argument("-"), InputFormat::Automatic, Content::DltSerial), InputFormat::Serial);
  EXPECT_EQ(resolve_format(parse_input_argument("/a/b.bin"), InputFormat::Network, Content::DltFile),
            InputFormat::Network);
}

TEST(FormatSniff, Messages) {
  EXPECT_EQ(compressed_message(Content::Gzip, "/d/x.dlt.gz"),
            "/d/x.dlt.gz: gzip-compressed data; decompress it first (e.g. gzip -dc /d/x.dlt.gz | dltdump -)");
  EXPECT_EQ(compressed_message(Content::Zstd, "-"),
            "-: zstd-compressed data; decompress it first (e.g. zstd -dc FILE | dltdump -)");
  EXPECT_EQ(compressed_message(Content::Zip, "/d/x.zip"),
            "/d/x.zip: a zip archive (its members are read one after another, but not by --sort, --lifecycle(s), %LC%, "
            "--follow or the library); extract it first (e.g. unzip -d DIR /d/x.zip) and name its files (-R DIR)");
  struct Case {
    std::string name;
    std::uint64_t bytes;
    InputFormat used;
    Content content;
    std::string warning;
  };
  const Case cases[] = {
      {"/d/x.bin", 5000, InputFormat::File, Content::Unknown,
       "/d/x.bin: no DLT message in 5000 bytes read as a DLT file (all skipped); is it another format? try "
       "--format=net or --format=ser"},
      {"-", 10, InputFormat::Network, Content::Unknown,
       "-: no DLT message in 10 bytes read as a network recording (all skipped); is it another format? try "
       "--format=file or --format=ser"},
      {"c", 10, InputFormat::File, Content::Pcapng,
       "c: no DLT message in 10 bytes read as a DLT file (all skipped); it looks like a PCAP-NG capture: try "
       "--format=pcap (or auto)"},
      {"c", 10, InputFormat::Serial, Content::DltNetwork,
       "c: no DLT message in 10 bytes read as a serial recording (all skipped); it looks like a DLT network "
       "recording: try --format=net (or auto)"},
      {"z", 3, InputFormat::File, Content::Xz,
       "z: no DLT message in 3 bytes read as a DLT file (all skipped); it looks like xz-compressed data: without "
       "--format it is read decompressed"},
      {"t", 3, InputFormat::File, Content::Tar,
       "t: no DLT message in 3 bytes read as a DLT file (all skipped); it looks like a tar archive: without --format "
       "its members are read one after another"},
      {"l", 3, InputFormat::File, Content::Lz4,
       "l: no DLT message in 3 bytes read as a DLT file (all skipped); it looks like lz4-compressed data: decompress "
       "it first"},
  };
  for (const Case& c : cases) {
    const util::Diagnostic d = skipped_only_warning(c.name, c.bytes, c.used, c.content);
    EXPECT_EQ(d.text, c.warning);
    EXPECT_EQ(d.name, c.name);
    EXPECT_EQ(d.culprit, util::Culprit::Input);
  }
}

}  // namespace
}  // namespace dltdump::input
