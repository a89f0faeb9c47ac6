// PCAP-NG writer: byte-exact blocks, padding, large packets, statistics, pipes and errors.
#include "pcap/pcapng_writer.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <thread>

#include "pcap/pcap_test_util.hpp"
#include "pcap/pcapng_format.hpp"
#include "util/error.hpp"
#include "util/exit_code_of.hpp"

namespace dltdump::pcap {
namespace {

using testing::Bytes;
using testing::exit_code_of;
using testing::hex;
using testing::TempFile;

const SectionInfo kSpecSection{"x86_64", "Linux", "Firedancer"};

// Runs `body` on a writer over a temporary file and returns the file's bytes.
template <typename F>
Bytes written(const SectionInfo& section, F body) {
  TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY | O_TRUNC);
  {
    PcapngWriter w(fd, f.path, section);
    body(w);
    w.flush();
  }
  ::close(fd);
  return f.read();
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n) { return Bytes(b.begin() + from, b.begin() + from + n); }

TEST(PcapngWriter, SectionHeaderMatchesTheSpecExample) {
  const Bytes b = written(kSpecSection, [](PcapngWriter&) {});
  EXPECT_EQ(b, hex("0A0D0D0A 48000000 4D3C2B1A 0100 0000 FFFFFFFFFFFFFFFF"
                   "0200 0600 7838365F3634 0000"          // "x86_64"
                   "0300 0500 4C696E7578 000000"          // "Linux"
                   "0400 0A00 4669726564616E636572 0000"  // "Firedancer"
                   "00000000 48000000"));
}

TEST(PcapngWriter, SectionHeaderOmitsEmptyOptions) {
  EXPECT_EQ(written({}, [](PcapngWriter&) {}),
            hex("0A0D0D0A 20000000 4D3C2B1A 0100 0000 FFFFFFFFFFFFFFFF 00000000 20000000"));
  EXPECT_EQ(written({"", "Linux", ""}, [](PcapngWriter&) {}),
            hex("0A0D0D0A 2C000000 4D3C2B1A 0100 0000 FFFFFFFFFFFFFFFF 0300 0500 4C696E7578 000000 00000000 2C000000"));
}

TEST(PcapngWriter, InterfaceBlocks) {
  const Bytes b = written({}, [](PcapngWriter& w) {
    EXPECT_EQ(w.add_interface({aio::link_type::kRaw, "", 0}), 0u);
    EXPECT_EQ(w.add_interface({aio::link_type::kEthernet, "eth0", 0}), 1u);
    EXPECT_EQ(w.add_interface({aio::link_type::kIpv4, "a-name-of-sixteen+", 1500}), 2u);
  });
  // The spec's 32-byte IDB with only if_tsresol = 9 (link type 101).
  EXPECT_EQ(slice(b, 32, 32), hex("01000000 20000000 6500 0000 00000000 0900 0100 09000000 00000000 20000000"));
  EXPECT_EQ(slice(b, 64, 40), hex("01000000 28000000 0100 0000 00000000 0900 0100 09000000 0200 0400 65746830"
                                  "00000000 28000000"));
  // 18-character name: length 18, padded to 20; link type 228, snaplen 1500.
  EXPECT_EQ(slice(b, 104, 56), hex("01000000 38000000 E400 0000 DC050000 0900 0100 09000000 0200 1200"
                                   "612D6E616D652D6F662D7369787465656E2B 0000 00000000 38000000"));
  EXPECT_EQ(b.size(), 160u);
}

TEST(PcapngWriter, PacketMatchesTheSpecExample) {
  const Bytes b = written({}, [](PcapngWriter& w) {
    w.add_interface({});
    w.write_packet(0, 0x12345678, hex("AABBCCDDEEFF"));
  });
  EXPECT_EQ(slice(b, 64, b.size() - 64), hex("06000000 2C000000 00000000 00000000 78563412 06000000 06000000"
                                             "AABBCCDD EEFF0000 00000000 2C000000"));
}

TEST(PcapngWriter, PaddingForPayloadLengthsZeroToFive) {
  const Bytes payload = hex("0102030405");
  for (std::size_t n = 0; n <= 5; ++n) {
    const Bytes b = written({}, [&](PcapngWriter& w) {
      w.add_interface({});
      w.write_packet(0, 0, {payload.data(), n});
    });
    const std::size_t padded = (n + 3) / 4 * 4;
    const std::size_t len = 28 + padded + 8;  // no epb_flags: end of options + trailer
    ASSERT_EQ(b.size(), 64 + len) << n;
    const Bytes epb = slice(b, 64, len);
    EXPECT_EQ(epb[4], len) << n;
    EXPECT_EQ(epb[20], n) << n;  // captured length
    EXPECT_EQ(epb[24], n) << n;  // original length
    EXPECT_EQ(slice(epb, 28, n), slice(payload, 0, n));
    for (std::size_t i = 28 + n; i < 28 + padded; ++i) EXPECT_EQ(epb[i], 0) << "padding byte " << i << " of " << n;
    EXPECT_EQ(slice(epb, len - 8, 4), hex("00000000"));
    EXPECT_EQ(epb[len - 4], len);
  }
  // The zero-size packet is the 36-byte EPB of aio-spec §5A.
  const Bytes b = written({}, [](PcapngWriter& w) {
    w.add_interface({});
    w.write_packet(0, 5, {});
  });
  EXPECT_EQ(slice(b, 64, 36), hex("06000000 24000000 00000000 00000000 05000000 00000000 00000000 00000000 24000000"));
}

TEST(PcapngWriter, DirectionOriginalLengthAndLargeTimes) {
  const Bytes b = written({}, [](PcapngWriter& w) {
    w.add_interface({});
    w.add_interface({});
    w.write_packet(1, 0x0000000123456789LL, hex("AB"), 60, aio::Direction::Inbound);
    w.write_packet(0, -5, hex("CD"), 0, aio::Direction::Outbound);
  });
  EXPECT_EQ(slice(b, 96, 48), hex("06000000 30000000 01000000 01000000 89674523 01000000 3C000000 AB000000"
                                  "0200 0400 01000000 00000000 30000000"));
  // Negative times are written as 0 (pcapng time stamps are unsigned).
  EXPECT_EQ(slice(b, 144, 48), hex("06000000 30000000 00000000 00000000 00000000 01000000 01000000 CD000000"
                                   "0200 0400 02000000 00000000 30000000"));
}

TEST(PcapngWriter, PacketsAboveSixtyFourKibAreOneBlockAndReadBack) {
  Bytes big(70000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  const Bytes b = written({}, [&](PcapngWriter& w) {
    w.add_interface({});
    w.write_packet(0, 1, big);
    w.write_packet(0, 2, hex("01"));
  });
  EXPECT_EQ(b.size(), 32u + 32u + (28 + 70000 + 8) + 40);
  const auto packets = testing::read_bytes(b);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].data, big);
  EXPECT_EQ(packets[0].original_size, 70000u);
  EXPECT_EQ(packets[1].time_ns, 2);
}

TEST(PcapngWriter, RefusesPacketsAboveTheBlockLimitAndUnknownInterfaces) {
  TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY);
  PcapngWriter w(fd, "out.pcapng", {});
  w.add_interface({});
  Bytes huge(pcapng::kMaxPacketBytes + 1);
  // The input being written fails; the run goes on.
  EXPECT_EQ(exit_code_of([&] { w.write_packet(0, 0, huge); }), util::ExitCode::NoInputProcessed);
  EXPECT_EQ(exit_code_of([&] { w.write_packet(1, 0, hex("01")); }), util::ExitCode::NoInputProcessed);
  w.write_packet(0, 0, hex("01"));
  w.flush();
  ::close(fd);
  EXPECT_EQ(testing::read_bytes(f.read()).size(), 1u);
}

TEST(PcapngWriter, StatisticsBlockPerInterfaceAtClose) {
  const Bytes b = written({}, [](PcapngWriter& w) {
    w.add_interface({});
    w.add_interface({});
    w.write_packet(0, 0x100000005LL, hex("01"));
    w.write_packet(0, 0x100000009LL, hex("02"));
    w.count_dropped(0, 3);
    w.count_os_dropped(1, 7);
    w.close(0x200000000LL);
    w.close(0x300000000LL);  // a second close writes nothing
  });
  // 32 SHB + 2×32 IDB + 2×40 EPB, then the ISBs.
  const std::size_t isb = 32 + 64 + 80;
  EXPECT_EQ(slice(b, isb, 76), hex("05000000 4C000000 00000000 02000000 00000000"
                                   "0200 0800 01000000 05000000"  // isb_starttime = first packet
                                   "0300 0800 02000000 00000000"  // isb_endtime = close time
                                   "0400 0800 0500000000000000"   // isb_ifrecv = 2 written + 3 dropped
                                   "0500 0800 0300000000000000"   // isb_ifdrop
                                   "00000000 4C000000"));
  EXPECT_EQ(slice(b, isb + 76, 88), hex("05000000 58000000 01000000 02000000 00000000"
                                        "0200 0800 02000000 00000000"  // no packet: start = close time
                                        "0300 0800 02000000 00000000"
                                        "0400 0800 0000000000000000"
                                        "0500 0800 0000000000000000"
                                        "0700 0800 0700000000000000"  // isb_osdrop
                                        "00000000 58000000"));
  EXPECT_EQ(b.size(), isb + 76 + 88);
}

TEST(PcapngWriter, WritesToAPipeWithoutSeeking) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Bytes got;
  std::thread reader([&] {
    std::uint8_t buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) got.insert(got.end(), buf, buf + n);
  });
  {
    PcapngWriter w(fds[1], "pipe", kSpecSection);
    w.add_interface({});
    for (int i = 0; i < 1000; ++i) w.write_packet(0, i, Bytes(100, static_cast<std::uint8_t>(i)));
    w.close(0);
  }
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
  EXPECT_EQ(testing::read_bytes(got).size(), 1000u);
}

TEST(PcapngWriter, DiskFullIsReportedAndRepeated) {
  int fd = ::open("/dev/full", O_WRONLY);
  ASSERT_GE(fd, 0);
  PcapngWriter w(fd, "/dev/full", {});
  w.add_interface({});
  try {
    w.flush();
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_STREQ(e.what(), "Couldn't write to /dev/full (No space left on device)");
    EXPECT_EQ(e.exit_code(), util::ExitCode::OutputError);
    EXPECT_EQ(e.name(), "/dev/full");
  }
  EXPECT_TRUE(w.failed());
  EXPECT_EQ(exit_code_of([&] { w.write_packet(0, 0, hex("01")); }), util::ExitCode::OutputError);
  EXPECT_EQ(exit_code_of([&] { w.close(0); }), util::ExitCode::OutputError);
  ::close(fd);
}

// The reader of a pipe went away (`tshark -c 5` on a named pipe has what it wanted): the run
// stops quietly, exit 0, as for every other output (a new user's finding: it was exit 5).
TEST(PcapngWriter, ABrokenPipeIsAQuietEnd) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ::close(fds[0]);
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  PcapngWriter w(fds[1], "pipe", {});
  EXPECT_EQ(exit_code_of([&] { w.flush(); }), util::ExitCode::Success);  // quiet
  EXPECT_TRUE(w.failed());
  EXPECT_EQ(exit_code_of([&] { w.close(0); }), util::ExitCode::Success);  // and stays so
  sigaction(SIGPIPE, &old, nullptr);
  ::close(fds[1]);
}

// A file size limit makes write(2) stop in the middle of a block: the writer must cut the
// file back to the last whole block, so that it stays readable.
TEST(PcapngWriter, ShortWriteLeavesOnlyWholeBlocks) {
  TempFile f;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit lim{100000, 100000};
    setrlimit(RLIMIT_FSIZE, &lim);
    int fd = ::open(f.path.c_str(), O_WRONLY | O_TRUNC);
    PcapngWriter w(fd, f.path, {});
    w.add_interface({});
    try {
      for (int i = 0; i < 1000; ++i) w.write_packet(0, i, Bytes(1000, 1));
      w.flush();
    } catch (const util::Error& e) {
      _exit(e.exit_code() == util::ExitCode::OutputError ? 3 : 4);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 3);
  const Bytes b = f.read();
  EXPECT_LE(b.size(), 100000u);
  const std::size_t epb = 28 + 1000 + 8;
  EXPECT_EQ((b.size() - 64) % epb, 0u) << b.size();
  EXPECT_EQ(testing::read_bytes(b).size(), (b.size() - 64) / epb);
}

}  // namespace
}  // namespace dltdump::pcap

namespace dltdump::pcap {
namespace {

// A big-endian section, then a little-endian one on the same descriptor: our reader (and
// Wireshark, in the interop test) reads both with the same times, lengths and counters.
TEST(PcapngWriter, BigEndianSectionsAndSectionsOfBothOrders) {
  TempFile f;
  int fd = ::open(f.path.c_str(), O_WRONLY | O_TRUNC);
  {
    PcapngWriter be(fd, f.path, {"", "", "", true});
    be.add_interface({aio::link_type::kLinuxSll, "any", 0});
    be.write_packet(0, 0x123456789ABCDEFLL, hex("0102030405"), 9, aio::Direction::Outbound);
    be.count_dropped(0, 2);
    be.close(0x200000000LL);
  }
  {
    PcapngWriter le(fd, f.path, {});
    le.add_interface({aio::link_type::kEthernet, "eth0", 0});
    le.write_packet(0, 7, hex("AA"));
    le.close(8);
  }
  ::close(fd);
  const Bytes b = f.read();
  EXPECT_EQ(slice(b, 0, 12), hex("0A0D0D0A 00000020 1A2B3C4D"));  // big-endian SHB
  // The EPB: type 6, length 52, interface 0, time stamp high then low, lengths, data, flags.
  EXPECT_EQ(slice(b, 32 + 40, 52), hex("00000006 00000034 00000000 01234567 89ABCDEF 00000005 00000009"
                                       "0102030405 000000 0002 0004 00000002 00000000 00000034"));
  // The ISB: start time = the packet's, counters as u64 in big endian.
  EXPECT_EQ(slice(b, 32 + 40 + 52, 76), hex("00000005 0000004C 00000000 00000002 00000000"
                                            "0002 0008 01234567 89ABCDEF"
                                            "0003 0008 00000002 00000000"
                                            "0004 0008 0000000000000003"
                                            "0005 0008 0000000000000002"
                                            "00000000 0000004C"));
  std::vector<Interface> itfs;
  const auto packets = testing::read_bytes(b, &itfs);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[0].time_ns, 0x123456789ABCDEFLL);
  EXPECT_EQ(packets[0].data, hex("0102030405"));
  EXPECT_EQ(packets[0].original_size, 9u);
  EXPECT_EQ(packets[0].direction, aio::Direction::Outbound);
  EXPECT_EQ(packets[0].link_type, aio::link_type::kLinuxSll);
  EXPECT_EQ(packets[1].interface, 1u);
  EXPECT_EQ(packets[1].time_ns, 7);
  ASSERT_EQ(itfs.size(), 2u);
  EXPECT_EQ(itfs[0].name, "any");
}

}  // namespace
}  // namespace dltdump::pcap
