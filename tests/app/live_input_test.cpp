// Live inputs end to end, in process: a TCP test server (stream end, idle end, retries and
// reconnect, refused connections), a pseudo-terminal as serial port, and UDP from two
// senders with the capture tap, whose file must replay to the same lines.
#include "app/live_input.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pty.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/options.hpp"
#include "dlt/packet_builder.hpp"
#include "input/live_peers.hpp"
#include "output/temp_dir.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::test {
namespace {

using namespace std::chrono_literals;

// Message i: APP1 or APP2, one string argument `msg <i>`.
Bytes message(int i) {
  PacketSpec s;
  s.counter = static_cast<std::uint8_t>(i);
  s.noar = 1;
  s.app = i % 2 ? "APP1" : "APP2";
  return packet(s, arg_string("msg " + std::to_string(i), false));
}

Bytes messages(int from, int count, Bytes (*frame)(const Bytes&) = nullptr) {
  Bytes out;
  for (int i = from; i < from + count; ++i) {
    const Bytes m = frame ? frame(message(i)) : message(i);
    out.insert(out.end(), m.begin(), m.end());
  }
  return out;
}

struct DumpResult {
  int code;
  std::string out;
};

// Runs the dump command on `args` with its output (lines and diagnostics) in memory.
DumpResult run_dump(const std::vector<std::string>& args) {
  const cli::Options options = cli::parse_options(args);
  const int fd = ::memfd_create("dltdump-out", 0);
  const int code = Dump{options.dump}.run(fd, fd);
  std::string out(static_cast<std::size_t>(::lseek(fd, 0, SEEK_END)), '\0');
  ::pread(fd, out.data(), out.size(), 0);
  ::close(fd);
  util::clear_stop();
  return {code, out};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines without their date and time (the PC clock of the run).
std::vector<std::string> untimed(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& line : lines_of(text)) {
    const std::size_t second_space = line.find(' ', line.find(' ') + 1);
    out.push_back(second_space == std::string::npos ? line : line.substr(second_space + 1));
  }
  return out;
}

// The lines dltdump prints for `bytes` decoded from a file as `format`.
std::string decoded(const Bytes& bytes, const std::string& format) {
  TempDir dir;
  std::ofstream(dir / "in.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return run_dump({"--format=" + format, dir / "in.bin"}).out;
}

TEST(LiveTcp, StreamEndsWhenThePeerCloses) {
  TcpServer server;
  const Bytes data = messages(0, 50);
  std::thread peer([&] {
    const int c = server.accept_one();
    send_all(c, Bytes(data.begin(), data.begin() + 1001));  // a message cut across two sends
    std::this_thread::sleep_for(50ms);
    send_all(c, Bytes(data.begin() + 1001, data.end()));
    ::close(c);
  });
  const DumpResult r = run_dump({server.uri()});
  peer.join();
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(untimed(r.out), untimed(decoded(data, "net")));
  // Lines carry the PC clock, not the 1970 of a recording without time.
  ASSERT_FALSE(r.out.empty());
  EXPECT_NE(r.out.substr(0, 4), "1970");
}

TEST(LiveTcp, FormatOptionChoosesTheFraming) {
  TcpServer server;
  const Bytes data = messages(0, 20, serial);
  std::thread peer([&] {
    const int c = server.accept_one();
    send_all(c, data);
    ::close(c);
  });
  const DumpResult r = run_dump({"--format=ser", server.uri()});
  peer.join();
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(untimed(r.out), untimed(decoded(data, "ser")));
  EXPECT_EQ(lines_of(r.out).size(), 20u);
}

// Deviation Q9: live lines carry the PC clock as an instant, and the time filters compare
// instants, whatever the time zone.
TEST(LiveTcp, TimeFiltersCompareThePcClock) {
  const std::time_t hour_ago = std::time(nullptr) - 3600;
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&hour_ago));
  for (const auto& [option, lines] :
       {std::pair{std::string("--not-before=") + stamp, 5u}, std::pair{std::string("--not-after=") + stamp, 0u}}) {
    TcpServer server;
    std::thread peer([&] {
      const int c = server.accept_one();
      send_all(c, messages(0, 5));
      ::close(c);
    });
    const DumpResult r = run_dump({option, server.uri()});
    peer.join();
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(lines_of(r.out).size(), lines) << option;
  }
}

TEST(LiveTcp, StreamEndsAfterFiveSecondsWithoutData) {
  TcpServer server;
  std::atomic<bool> done{false};
  std::thread peer([&] {
    const int c = server.accept_one();
    send_all(c, messages(0, 3));
    while (!done) std::this_thread::sleep_for(10ms);  // holds the connection open, silent
    ::close(c);
  });
  const auto start = std::chrono::steady_clock::now();
  const DumpResult r = run_dump({server.uri()});
  const auto took = std::chrono::steady_clock::now() - start;
  done = true;
  peer.join();
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(lines_of(r.out).size(), 3u);
  EXPECT_GE(took, 4900ms);
}

TEST(LiveTcp, RetriesReconnectAndContinueTheOutput) {
  TcpServer server;
  const Bytes first = messages(0, 10), half = message(10), second = messages(11, 9);
  std::thread peer([&] {
    int c = server.accept_one();
    send_all(c, first);
    send_all(c, Bytes(half.begin(), half.begin() + 7));  // the stream ends inside a message
    ::close(c);
    c = server.accept_one();
    send_all(c, second);
    ::close(c);
    server.close_listener();  // the reconnect after the second stream is refused
  });
  TempDir dir;
  const DumpResult r = run_dump({"--retries=1", server.uri(), "-o", dir / "rec.dlt"});
  peer.join();
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(lines_of(r.out), (std::vector<std::string>{
                                 "Couldn't connect to " + server.uri() + ". Retry 1...",
                                 "Couldn't connect to the stream end-point " + server.uri() + " (Connection refused).",
                             }));
  // One output across both connections: every message, and the cut one as a SKIP message.
  const auto lines = untimed(run_dump({dir / "rec.dlt"}).out);
  ASSERT_EQ(lines.size(), 20u);
  EXPECT_NE(lines[9].find("msg 9"), std::string::npos);
  EXPECT_NE(lines[10].find("Skipped: 7 bytes"), std::string::npos);
  EXPECT_NE(lines[11].find("msg 11"), std::string::npos);
  EXPECT_NE(lines[19].find("msg 19"), std::string::npos);
}

TEST(LiveTcp, RefusedConnectionsAreRetriedThenReported) {
  const std::string uri = "tcp://127.0.0.1:" + std::to_string(unused_port(SOCK_STREAM));
  const DumpResult r = run_dump({"--retries=2", uri});
  EXPECT_EQ(r.code, 3);  // never connected: not processed
  EXPECT_EQ(lines_of(r.out), (std::vector<std::string>{
                                 "Couldn't connect to " + uri + ". Retry 1...",
                                 "Couldn't connect to " + uri + ". Retry 2...",
                                 "Couldn't connect to the stream end-point " + uri + " (Connection refused).",
                             }));
  const DumpResult once = run_dump({uri});
  EXPECT_EQ(once.code, 3);
  EXPECT_EQ(lines_of(once.out).size(), 1u);
}

TEST(LiveTcp, AStopRequestEndsRetryingForever) {
  const std::string uri = "tcp://127.0.0.1:" + std::to_string(unused_port(SOCK_STREAM));
  std::thread stopper([] {
    std::this_thread::sleep_for(1500ms);
    util::request_stop();
  });
  const DumpResult r = run_dump({"--retries=-1", uri});
  stopper.join();
  EXPECT_EQ(r.code, 0);
  EXPECT_GE(lines_of(r.out).size(), 1u);  // Retry 1... (and perhaps 2)
}

TEST(LiveSerial, PseudoTerminalWithMarkersAndGarbage) {
  int master = -1, slave = -1;
  char name[256] = {};
  ASSERT_EQ(::openpty(&master, &slave, name, nullptr, nullptr), 0);
  termios raw{};
  ::tcgetattr(slave, &raw);
  ::cfmakeraw(&raw);
  ::tcsetattr(slave, TCSANOW, &raw);  // no line discipline on what the test writes first
  Bytes data = messages(0, 40, serial);
  const Bytes garbage = {'x', 'D', 'L', 'S', 0x07, 0x00, 0x01};
  data.insert(data.begin() + 300, garbage.begin(), garbage.end());  // resynchronised at the next marker
  std::thread writer([&] {
    std::this_thread::sleep_for(300ms);
    for (std::size_t at = 0; at < data.size(); at += 97) {  // in pieces, as a UART delivers
      const std::size_t n = std::min<std::size_t>(97, data.size() - at);
      if (::write(master, data.data() + at, n) != static_cast<ssize_t>(n)) break;
      std::this_thread::sleep_for(2ms);
    }
    std::this_thread::sleep_for(300ms);
    ::close(slave);
    ::close(master);  // the port goes away: the input ends
  });
  const DumpResult r = run_dump({std::string("ser:") + name + ",115200,8,N,1"});
  writer.join();
  EXPECT_EQ(r.code, 0);
  const auto expected = untimed(decoded(data, "ser"));
  EXPECT_EQ(untimed(r.out), expected);
  EXPECT_EQ(expected.size(), 41u);  // 40 messages and one skip line
}

TEST(LiveSerial, AMissingPortIsNotProcessed) {
  const DumpResult r = run_dump({"ser:/dev/does-not-exist,115200,8,N,1"});
  EXPECT_EQ(r.code, 3);
  EXPECT_EQ(r.out, "Couldn't open serial port /dev/does-not-exist (No such file or directory)\n");
}

TEST(LiveUdp, TwoSendersSplitMessagesAndTheCaptureReplaysToTheSameLines) {
  TempDir dir;
  const std::uint16_t port = unused_port(SOCK_DGRAM);
  const Bytes stream = messages(0, 2000);
  DumpResult r;
  std::thread dump([&] {
    r = run_dump({"udp://127.0.0.1:" + std::to_string(port), "--capture", dir / "raw.pcapng", "-o", dir / "out.txt"});
  });
  std::this_thread::sleep_for(300ms);  // the receiver is bound
  send_udp(stream, port, 2, 20000);    // the rate this test states: 20 000 datagrams/s
  std::this_thread::sleep_for(300ms);
  util::request_stop();
  dump.join();
  EXPECT_EQ(r.code, 0);
  std::ifstream in(dir / "out.txt");
  const std::string live((std::istreambuf_iterator<char>(in)), {});
  // Every message is there. (Loopback may deliver two senders' datagrams in another order
  // than they were sent when the sender moves between cores, so the order is not compared.)
  auto got = untimed(live), want = untimed(decoded(stream, "net"));
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  const DumpResult replay = run_dump({"--udp-port=" + std::to_string(port), dir / "raw.pcapng"});
  EXPECT_EQ(replay.code, 0);
  EXPECT_EQ(replay.out, live);
}

}  // namespace
}  // namespace dltdump::test
