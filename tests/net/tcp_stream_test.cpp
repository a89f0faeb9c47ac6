// TCP stream reassembly: order, wrap, overlaps, gaps, limits, starts and ends.
#include "net/tcp_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dltdump::net {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::size_t kCost = TcpStream::kSegmentCost;

// Records the stream as text: bytes as they are, a break as `[gap N]` or `[end]`.
struct Recorder final : TcpStreamSink {
  std::string stream;
  std::vector<std::uint64_t> offsets;  // file offset of every piece delivered
  std::vector<std::int64_t> times;
  void on_bytes(std::span<const std::uint8_t> b, std::uint64_t file_offset, std::int64_t time_ns, bool) override {
    stream.append(b.begin(), b.end());
    offsets.push_back(file_offset);
    times.push_back(time_ns);
  }
  void on_break(std::uint64_t missing, std::uint64_t, std::int64_t) override {
    stream += missing ? "[gap " + std::to_string(missing) + "]" : std::string("[end]");
  }
};

struct Harness {
  TcpBudget budget;
  TcpStream stream;
  Recorder out;
  std::vector<std::vector<std::uint8_t>> keep;  // payloads stay alive as captured packets do

  void add(std::uint32_t seq, const std::string& data, std::uint8_t flags = 0, std::int64_t time = 0,
           std::uint64_t offset = 0) {
    keep.emplace_back(data.begin(), data.end());
    TcpSegment s;
    s.seq = seq;
    s.flags = flags;
    s.payload = keep.back();
    stream.add(s, offset, time, budget, out);
  }
  // A server's SYN-ACK: the SYN that acknowledges the client's (its ISN + 1 in `ack`).
  void add_syn_ack(std::uint32_t seq, std::uint32_t ack, std::int64_t time = 0) {
    TcpSegment s;
    s.seq = seq;
    s.ack = ack;
    s.flags = TcpSegment::kSyn | TcpSegment::kAck;
    stream.add(s, 0, time, budget, out);
  }
  void flush() { stream.flush(budget, out); }
};

TEST(TcpStream, InOrderSegmentsAreDeliveredInPlace) {
  Harness h;
  h.add(1000, "", TcpSegment::kSyn);
  h.add(1001, "abc", 0, 5, 100);
  h.add(1004, "def", 0, 6, 200);
  EXPECT_EQ(h.out.stream, "abcdef");
  EXPECT_EQ(h.out.offsets, (std::vector<std::uint64_t>{100, 200}));
  EXPECT_EQ(h.stream.stats().bytes, 6u);
  EXPECT_EQ(h.stream.held_bytes(), 0u);
}

TEST(TcpStream, SequenceNumbersWrap) {
  Harness h;
  h.add(0xFFFFFFFEu, "ab");  // mid-stream start just below the wrap
  h.add(0x00000000u, "cd");
  h.add(0x00000004u, "gh");  // ahead of the wrap: held
  h.add(0x00000002u, "ef");
  EXPECT_EQ(h.out.stream, "abcdefgh");
  EXPECT_EQ(h.stream.stats().missing, 0u);
}

TEST(TcpStream, ReorderedSegmentsWaitForTheBytesBefore) {
  Harness h;
  h.add(10, "", TcpSegment::kSyn);
  h.add(17, "ghi", 0, 3, 300);
  h.add(14, "def", 0, 2, 200);
  EXPECT_EQ(h.out.stream, "");
  EXPECT_EQ(h.stream.held_bytes(), 6 + 2 * kCost);  // a held segment costs its bytes and its bookkeeping
  EXPECT_EQ(h.budget.held, 6 + 2 * kCost);
  h.add(11, "abc", 0, 1, 100);
  EXPECT_EQ(h.out.stream, "abcdefghi");
  EXPECT_EQ(h.out.offsets, (std::vector<std::uint64_t>{100, 200, 300}));  // each piece keeps its origin
  EXPECT_EQ(h.out.times, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(h.budget.held, 0u);
}

TEST(TcpStream, RetransmissionsAreCountedAndDropped) {
  Harness h;
  h.add(0, "abcdef");
  h.add(0, "abcdef");            // whole retransmission
  h.add(3, "defghi", 0, 0, 50);  // half old, half new
  EXPECT_EQ(h.out.stream, "abcdefghi");
  EXPECT_EQ(h.out.offsets.back(), 53u);  // the new half's own offset
  EXPECT_EQ(h.stream.stats().retransmitted, 9u);
  EXPECT_EQ(h.stream.stats().conflicts, 0u);
}

TEST(TcpStream, OverlapsKeepTheFirstCopyAndCountConflicts) {
  Harness h;
  h.add(0, "ab");
  h.add(6, "ghij");    // held
  h.add(4, "efgXij");  // overlaps the held one: g and ij agree, X differs
  EXPECT_EQ(h.stream.stats().conflicts, 1u);
  EXPECT_EQ(h.stream.stats().retransmitted, 4u);
  h.add(2, "cd");
  EXPECT_EQ(h.out.stream, "abcdefghij");  // the first copy of bytes 6..9
}

TEST(TcpStream, AHeldSegmentInsideAnotherIsARetransmission) {
  Harness h;
  h.add(0, "a");
  h.add(2, "cdefg");
  h.add(3, "de");
  h.add(1, "b");
  EXPECT_EQ(h.out.stream, "abcdefg");
  EXPECT_EQ(h.stream.stats().retransmitted, 2u);
}

TEST(TcpStream, AGapIsGivenUpAtTheEnd) {
  Harness h;
  h.add(0, "abc");
  h.add(10, "klm", 0, 0, 1010);
  h.flush();
  EXPECT_EQ(h.out.stream, "abc[gap 7]klm");
  EXPECT_EQ(h.stream.stats().missing, 7u);
  EXPECT_EQ(h.stream.stats().gaps, 1u);
  EXPECT_EQ(h.out.offsets.back(), 1010u);
  h.add(13, "no");  // delivery goes on after the gap
  EXPECT_EQ(h.out.stream, "abc[gap 7]klmno");
}

TEST(TcpStream, AGapIsGivenUpAfterTheTimeout) {
  Harness h;
  h.budget.limits.timeout_ns = 2 * kSecond;
  h.add(0, "ab", 0, 0);
  h.add(5, "fg", 0, 1 * kSecond);
  h.add(7, "hi", 0, 2 * kSecond);
  EXPECT_EQ(h.out.stream, "ab");
  h.add(9, "jk", 0, 3 * kSecond + 1);  // the gap opened at 1 s
  EXPECT_EQ(h.out.stream, "ab[gap 3]fghijk");
  h.add(2, "cde", 0, 4 * kSecond);  // too late
  EXPECT_EQ(h.out.stream, "ab[gap 3]fghijk");
  EXPECT_EQ(h.stream.stats().retransmitted, 3u);
  // A later gap is given up only once it too waited that long: the one that opened at 9 s
  // waits while the first goes (a tester's capture lost a message that came 0.5 s late).
  Harness two;
  two.budget.limits.timeout_ns = 2 * kSecond;
  two.add(0, "ab", 0, 0);
  two.add(5, "fg", 0, 1 * kSecond);
  two.add(9, "jk", 0, 2 * kSecond + kSecond / 2);
  two.add(11, "lm", 0, 3 * kSecond + 1);  // the first gap timed out; the second is 0.5 s old
  EXPECT_EQ(two.out.stream, "ab[gap 3]fg");
  two.add(7, "hi", 0, 3 * kSecond + 2);  // late, not lost
  EXPECT_EQ(two.out.stream, "ab[gap 3]fghijklm");
  EXPECT_EQ(two.stream.stats().missing, 3u);
  // Held bytes that came long ago date their gap from then.
  two.add(16, "rs", 0, 4 * kSecond);
  two.add(18, "tu", 0, 6 * kSecond + 1);  // the gap before "rs" opened at 4 s
  EXPECT_EQ(two.out.stream, "ab[gap 3]fghijklm[gap 3]rstu");
}

TEST(TcpStream, TheStreamLimitForcesTheGap) {
  Harness h;
  h.budget.limits.max_stream_bytes = 8 + 2 * kCost;
  h.add(0, "a");
  h.add(2, "cdef");
  EXPECT_EQ(h.out.stream, "a");
  h.add(6, "ghijk");  // 9 bytes in 2 segments held > 8
  EXPECT_EQ(h.out.stream, "a[gap 1]cdefghijk");
  EXPECT_EQ(h.stream.stats().forced, 1u);
  EXPECT_EQ(h.stream.held_bytes(), 0u);
  EXPECT_EQ(h.budget.held, 0u);
}

TEST(TcpStream, TheTotalLimitIsSharedByStreams) {
  TcpBudget budget;
  budget.limits.max_total_bytes = 2 * (6 + kCost) - 1;
  TcpStream a, b;
  Recorder out_a, out_b;
  const std::vector<std::uint8_t> six(6, 'x');
  TcpSegment s;
  s.payload = six;
  s.seq = 100;
  a.add(s, 0, 0, budget, out_a);
  b.add(s, 0, 0, budget, out_b);
  s.seq = 200;
  a.add(s, 0, 0, budget, out_a);
  EXPECT_EQ(budget.held, 6 + kCost);
  b.add(s, 0, 0, budget, out_b);  // 2 segments held in all: b gives its gap up
  EXPECT_EQ(b.stats().forced, 1u);
  EXPECT_EQ(out_b.stream, "xxxxxx[gap 94]xxxxxx");
  EXPECT_EQ(budget.held, 6 + kCost);
  a.flush(budget, out_a);
  EXPECT_EQ(budget.held, 0u);
}

TEST(TcpStream, AStreamAlreadyRunningStartsAtTheFirstSegment) {
  Harness h;
  h.add(123456789, "middle of a message");
  EXPECT_EQ(h.out.stream, "middle of a message");
}

TEST(TcpStream, FinEndsTheStreamOnceTheBytesBeforeItCame) {
  Harness h;
  h.add(0, "", TcpSegment::kSyn);
  h.add(4, "def", TcpSegment::kFin);
  EXPECT_EQ(h.out.stream, "");
  h.add(1, "abc");
  EXPECT_EQ(h.out.stream, "abcdef[end]");
  h.add(4, "", TcpSegment::kFin);  // a retransmitted FIN
  EXPECT_EQ(h.out.stream, "abcdef[end]");
}

TEST(TcpStream, MissingBytesBeforeAFinAreAGap) {
  Harness h;
  h.add(0, "", TcpSegment::kSyn);
  h.add(1, "ab");
  h.add(9, "", TcpSegment::kFin);
  h.flush();
  EXPECT_EQ(h.out.stream, "ab[gap 6][end]");
}

TEST(TcpStream, RstEndsAndANewSynRestarts) {
  Harness h;
  h.add(0, "", TcpSegment::kSyn);
  h.add(1, "ab");
  h.add(5, "ef");                  // held
  h.add(3, "", TcpSegment::kRst);  // at the next byte expected
  EXPECT_EQ(h.out.stream, "ab[gap 2]ef[end]");
  h.add(5000, "new");  // after RST: a fresh start
  h.add(9000, "", TcpSegment::kSyn);
  h.add(9001, "conn");
  EXPECT_EQ(h.out.stream, "ab[gap 2]ef[end]new[end]conn");
  h.add(9000, "", TcpSegment::kSyn);  // a retransmitted SYN changes nothing
  h.add(9005, "!");
  EXPECT_EQ(h.out.stream, "ab[gap 2]ef[end]new[end]conn!");
}

// Control segments as captures hold them (a new user's cases).
TEST(TcpStream, AnRstBehindOrBeyondTheWindowIsIgnored) {
  Harness h;
  h.budget.limits.window_bytes = 1000;
  h.add(0, "", TcpSegment::kSyn);
  h.add(1, "ab");
  h.add(1 + 100000, "", TcpSegment::kRst);  // forged: far beyond the window
  h.add(0, "", TcpSegment::kRst);           // stale: behind the next byte
  h.add(3, "cd");
  EXPECT_EQ(h.out.stream, "abcd");
  // Within the window but ahead of the next byte (captured before the last segment, which a
  // tester's capture lost at once): the connection is gone once the bytes before it came.
  h.add(5 + 999, "", TcpSegment::kRst);
  EXPECT_EQ(h.out.stream, "abcd");
  const std::string last(999, 'x');
  h.add(5, last);
  EXPECT_EQ(h.out.stream, "abcd" + last + "[end]");
  // At the next byte: at once.
  Harness now;
  now.add(0, "", TcpSegment::kSyn);
  now.add(1, "ab");
  now.add(3, "", TcpSegment::kRst);
  EXPECT_EQ(now.out.stream, "ab[end]");
  // Bytes before it that never come are given up by the timeout, as before a FIN.
  Harness lost;
  lost.budget.limits.timeout_ns = 2 * kSecond;
  lost.add(0, "", TcpSegment::kSyn, 0);
  lost.add(1, "ab", 0, 0);
  lost.add(8, "", TcpSegment::kRst, kSecond);
  lost.add(1, "ab", 0, 3 * kSecond + 1);
  EXPECT_EQ(lost.out.stream, "ab[gap 5][end]");
}

TEST(TcpStream, ASynCapturedAfterTheFirstDataIsTheStreamsOwn) {
  Harness h;
  h.add(101, "ab");
  h.add(103, "cd");
  h.add(100, "", TcpSegment::kSyn);  // the packets' order in the capture, not on the wire
  h.add(105, "ef");
  EXPECT_EQ(h.out.stream, "abcdef");
  EXPECT_FALSE(h.stream.began_plainly_at());  // a SYN came: no longer a plain continuation
  // Another SYN within the stream's bytes is a new connection, as before.
  h.add(102, "", TcpSegment::kSyn);
  h.add(103, "new");
  EXPECT_EQ(h.out.stream, "abcdef[end]new");
  // A SYN below a stream that has gone on for more than kLateSynBytes is a new connection.
  Harness far;
  const std::string block(1000, 'x');
  for (std::uint32_t k = 0; k * 1000 <= TcpStream::kLateSynBytes; ++k) far.add(5001 + k * 1000, block);
  far.add(5000, "", TcpSegment::kSyn);
  far.add(5001, "new");
  EXPECT_TRUE(far.out.stream.ends_with("x[end]new"));
}

TEST(TcpStream, DataFromBeforeTheSynIsANewConnection) {
  // The same addresses and ports again, the new connection's SYN not captured, its
  // sequence numbers a little below the old one's.
  Harness h;
  h.add(1000, "", TcpSegment::kSyn);
  h.add(1001, "old");
  h.add(1004, "", TcpSegment::kFin);
  h.add(1000, "x");  // a keep-alive's byte, just before: a retransmission
  h.add(700, "new");
  h.add(703, "er");
  EXPECT_EQ(h.out.stream, "old[end][end]newer");
  EXPECT_EQ(h.stream.stats().retransmitted, 1u);
}

TEST(TcpStream, DataBeyondTheFinIsANewConnection) {
  // The new connection's SYN not captured, its sequence numbers above the old one's FIN
  // (near, within the window, or far, beyond it): no bytes are missing.
  for (const std::uint32_t isn : {2000u, 90'000'000u}) {
    Harness h;
    h.add(100, "", TcpSegment::kSyn);
    h.add(101, "old");
    h.add(104, "", TcpSegment::kFin);
    h.add(isn, "new");
    h.add(isn + 3, "er");
    EXPECT_EQ(h.out.stream, "old[end][end]newer") << isn;
    EXPECT_EQ(h.stream.stats().missing, 0u) << isn;
    EXPECT_EQ(h.stream.stats().gaps, 0u) << isn;
    EXPECT_EQ(h.stream.stats().out_of_window, 0u) << isn;
  }
}

TEST(TcpStream, CopiesOfAnEndedConnectionAreNotANewOne) {
  // A mirror port records each frame twice; copies come a few frames late, also after the
  // RST or the next connection's SYN.
  constexpr std::int64_t kMs = 1'000'000;
  Harness h;
  h.add(0, "", TcpSegment::kSyn, 0);
  h.add(1, "ab", 0, kMs);
  h.add(3, "cd", 0, 2 * kMs);
  h.add(5, "", TcpSegment::kRst, 3 * kMs);
  h.add(1, "ab", 0, 4 * kMs);  // copies
  h.add(3, "cd", 0, 5 * kMs);
  EXPECT_EQ(h.out.stream, "abcd[end]");
  EXPECT_EQ(h.stream.stats().retransmitted, 4u);
  h.add(9000, "", TcpSegment::kSyn, 6 * kMs);  // a new connection above
  h.add(9001, "new", 0, 7 * kMs);
  h.add(3, "cd", 0, 8 * kMs);  // a late copy of the first: not data from before this SYN
  h.add(9004, "er", 0, 9 * kMs);
  EXPECT_EQ(h.out.stream, "abcd[end]newer");
  // Seconds after the end, the same bytes again are a stream's own (no copy comes so late).
  h.add(9006, "", TcpSegment::kRst, 10 * kMs);
  h.add(9001, "new", 0, 3000 * kMs);
  EXPECT_EQ(h.out.stream, "abcd[end]newer[end]new");
}

TEST(TcpStream, CopiesOfAShortConnectionsSynAndEndAreIgnored) {
  // A connection shorter than the mirror's lag: the copies of its SYN, data and FIN all
  // come after the next connection began.
  constexpr std::int64_t kMs = 1'000'000;
  Harness h;
  h.add(100, "", TcpSegment::kSyn, 0);
  h.add(101, "ab", 0, kMs / 10);
  h.add(103, "", TcpSegment::kRst, kMs / 5);
  h.add(50000, "", TcpSegment::kSyn, kMs / 2);
  h.add(100, "", TcpSegment::kSyn, kMs);  // the copies
  h.add(101, "ab", 0, kMs);
  h.add(103, "", TcpSegment::kRst, kMs);
  h.add(50001, "new", 0, 2 * kMs);
  EXPECT_EQ(h.out.stream, "ab[end]new");
}

TEST(TcpStream, CopiesOfAConnectionWithoutDataAreIgnored) {
  // The same for a connection that carried nothing (refused, or given up at once).
  constexpr std::int64_t kMs = 1'000'000;
  Harness h;
  h.add(100, "", TcpSegment::kSyn, 0);
  h.add(101, "", TcpSegment::kRst, kMs / 10);
  h.add(50000, "", TcpSegment::kSyn, kMs / 2);
  h.add(100, "", TcpSegment::kSyn, kMs);  // the copies
  h.add(101, "", TcpSegment::kRst, kMs);
  h.add(50001, "new", 0, 2 * kMs);
  EXPECT_EQ(h.out.stream, "[end]new");
  EXPECT_EQ(h.stream.stats().retransmitted, 0u);
}

TEST(TcpStream, ANewConnectionsBytesWhereTheOldOnesWereAreNotCopies) {
  // The same ISN again at once (a stack without random ISNs): its segments fall where the
  // old one's did, with other bytes.
  Harness h;
  h.add(100, "", TcpSegment::kSyn, 0);
  h.add(101, "abcdefghij", 0, 1);
  h.add(111, "", TcpSegment::kRst, 2);
  h.add(101, "ABCDEFGHIJ", 0, 3);  // the new connection's first segment, no SYN captured
  h.add(111, "KL", 0, 4);
  EXPECT_EQ(h.out.stream, "abcdefghij[end]ABCDEFGHIJKL");
}

TEST(TcpStream, TheSameIsnAfterAFinIsANewConnectionSecondsLater) {
  Harness h;
  h.add(100, "", TcpSegment::kSyn, 0);
  h.add(101, "old", 0, 1);
  h.add(104, "", TcpSegment::kFin, 2);
  h.add(100, "", TcpSegment::kSyn, 500'000'000);    // a copy, half a second after the FIN
  h.add(100, "", TcpSegment::kSyn, 5'000'000'000);  // rebooted: the same ISN again
  h.add(101, "new", 0, 5'000'000'001);
  EXPECT_EQ(h.out.stream, "old[end][end]new");
}

TEST(TcpStream, TheSameSynAnsweringAnotherClientOrSecondsLaterIsANewConnection) {
  // A server whose initial sequence number is the same at every start (an ECU restarted,
  // no FIN sent), the viewer connecting again from the same port.
  constexpr std::int64_t kMs = 1'000'000;
  // "old", then the SYN-ACK again (acknowledging `ack`) `after` the first, then "new" in
  // the place of "old".
  auto reconnect = [](std::uint32_t ack, std::int64_t after) {
    Harness h;
    h.add_syn_ack(100, 5001, 0);
    h.add(101, "old", 0, kMs);
    h.add_syn_ack(100, ack, after);
    h.add(101, "new", 0, after + kMs);
    return h.out.stream;
  };
  EXPECT_EQ(reconnect(9001, 200 * kMs), "old[end]new");  // the client's new ISN: another acknowledgment
  // The client's ISN the same too: the same SYN-ACK, seconds after the first.
  EXPECT_EQ(reconnect(5001, 3000 * kMs), "old[end]new");
  // Within a second it is the handshake's own SYN sent again, or a copy: "new" is bytes
  // seen already (the first copy wins).
  EXPECT_EQ(reconnect(5001, 2 * kMs), "old");
  // A SYN with data (TCP Fast Open) sent again after 1 s, then 3 s: the same connection.
  Harness fast_open;
  fast_open.add(100, "req", TcpSegment::kSyn, 0);
  fast_open.add(100, "req", TcpSegment::kSyn, 1010 * kMs);
  fast_open.add(100, "req", TcpSegment::kSyn, 4010 * kMs);
  fast_open.add(104, "more", 0, 4020 * kMs);
  EXPECT_EQ(fast_open.out.stream, "reqmore");
}

TEST(TcpStream, TheSameSynIsANewConnectionWhenThePeersSynAckBeginsOne) {
  // A client whose initial sequence number repeats, seen again within a second: alone a
  // copy, but a new connection once the server's SYN-ACK that answers it begins one.
  constexpr std::int64_t kMs = 1'000'000;
  auto reconnect = [](std::uint8_t end, bool peer_anew, bool data) {
    Harness h;
    h.add(500, "", TcpSegment::kSyn, 0);
    if (data) h.add(501, "old", 0, kMs);
    if (end) h.add(data ? 504 : 501, "", end, 2 * kMs);
    h.add(500, "", TcpSegment::kSyn, 300 * kMs);
    if (peer_anew) h.stream.peer_began_anew(500, 0, 301 * kMs, h.budget, h.out);
    h.add(501, "new", 0, 302 * kMs);
    return h.out.stream;
  };
  EXPECT_EQ(reconnect(0, false, true), "old");  // "new" is bytes seen already
  EXPECT_EQ(reconnect(0, true, true), "old[end]new");
  EXPECT_EQ(reconnect(TcpSegment::kFin, true, true), "old[end][end]new");  // (the FIN ended it once)
  EXPECT_EQ(reconnect(TcpSegment::kRst, true, true), "old[end]new");
  // No data yet: the handshake's SYN sent again, the stream goes on as it was.
  EXPECT_EQ(reconnect(0, true, false), "new");
  // Another SYN than the one the stream knows: not this stream's connection.
  Harness other;
  other.add(500, "", TcpSegment::kSyn, 0);
  other.add(501, "old", 0, kMs);
  other.stream.peer_began_anew(700, 0, 2 * kMs, other.budget, other.out);
  other.add(504, "more", 0, 3 * kMs);
  EXPECT_EQ(other.out.stream, "oldmore");
}

TEST(TcpStream, NoLateSynAfterAFinOrSecondsLater) {
  Harness fin;
  fin.add(101, "ab", 0, 0);
  fin.add(103, "", TcpSegment::kFin, 1000);
  fin.add(100, "", TcpSegment::kSyn, 2000);  // a new connection, a little below
  fin.add(101, "new", 0, 3000);
  EXPECT_EQ(fin.out.stream, "ab[end][end]new");
  Harness later;
  later.add(101, "ab", 0, 0);
  later.add(100, "", TcpSegment::kSyn, 2'000'000'000);
  later.add(101, "new", 0, 2'000'001'000);
  EXPECT_EQ(later.out.stream, "ab[end]new");
}

TEST(TcpStream, APieceThatTookDataFromBeforeTheSynDoesNotContinueTheStream) {
  // `before` knows the SYN 3 bytes behind its next byte; `next` decoded the rest on its
  // own, from that byte.
  Harness before, next, fine;
  before.add(1000, "", TcpSegment::kSyn);
  before.add(1001, "abc");
  next.add(1004, "def");
  fine.add(1004, "def");
  fine.add(1000, "xabc");  // 4 bytes back: the SYN's own place and after, retransmitted
  next.add(990, "0123456789");
  EXPECT_TRUE(before.stream.continued_by(fine.stream));
  EXPECT_FALSE(before.stream.continued_by(next.stream));
  before.add(1004, "def");
  before.add(990, "0123456789");
  EXPECT_EQ(before.out.stream, "abcdef[end]0123456789");  // what the whole capture gives
}

TEST(TcpStream, ARetransmittedSegmentFarBehindIsNotDelivered) {
  Harness h;
  h.add(0x80000000u, "abc");
  h.add(0x7FFFFFF0u, "old");  // behind
  EXPECT_EQ(h.out.stream, "abc");
  EXPECT_EQ(h.stream.held_bytes(), 0u);
}

TEST(TcpStream, ManyTinySegmentsAreBoundedByTheirCount) {
  Harness h;
  h.budget.limits.max_stream_bytes = 100 * (1 + kCost);
  h.add(0, "a");
  for (std::uint32_t i = 0; i < 100; ++i) h.add(2 + 2 * i, "x");  // 100 one-byte segments held
  EXPECT_EQ(h.stream.stats().forced, 0u);
  h.add(2 + 2 * 100, "y");
  EXPECT_EQ(h.stream.stats().forced, 1u);
  // Only the first gap is given up: the held bytes are within the limit again.
  EXPECT_EQ(h.stream.stats().gaps, 1u);
  EXPECT_EQ(h.out.stream, "a[gap 1]x");
  EXPECT_LE(h.stream.held_bytes(), h.budget.limits.max_stream_bytes);
  h.flush();
  EXPECT_EQ(h.stream.stats().gaps, 101u);
  EXPECT_EQ(h.stream.held_bytes(), 0u);
}

// At a limit, the gaps after the first are mostly segments reordered on the way: they are
// waited for as long as the held bytes stay within the limit (a new user's capture, whose
// first segment was never captured: at 4 MiB every gap was given up, and the segments
// that came a few places late were dropped as retransmissions).
TEST(TcpStream, TheLimitGivesUpTheFirstGapOnly) {
  Harness h;
  h.budget.limits.max_stream_bytes = 12 + 3 * kCost - 1;  // three held segments are over it
  h.add(0, "a");
  h.add(2, "cdef");   // byte 1 never comes
  h.add(10, "klmn");  // 6-9 come late
  h.add(14, "opqr");  // over the limit: byte 1 is given up, 2-5 delivered
  EXPECT_EQ(h.out.stream, "a[gap 1]cdef");
  EXPECT_EQ(h.stream.stats().forced, 1u);
  h.add(6, "ghij");
  EXPECT_EQ(h.out.stream, "a[gap 1]cdefghijklmnopqr");
  EXPECT_EQ(h.stream.stats().retransmitted, 0u);
  EXPECT_EQ(h.stream.stats().gaps, 1u);
  EXPECT_EQ(h.stream.held_bytes(), 0u);
  EXPECT_EQ(h.budget.held, 0u);
}

TEST(TcpStream, OneSegmentFarAheadIsIgnoredNotAGap) {
  Harness h;
  h.add(1000, "", TcpSegment::kSyn);
  h.add(1001, "abc");
  h.add(1001 + 0x40000000u, "forged");  // 1 GiB ahead: no window is that large
  h.add(1004, "def");
  h.add(1004 - 0x40000000u, "old");  // 1 GiB behind
  h.add(1007, "ghi");
  h.flush();
  EXPECT_EQ(h.out.stream, "abcdefghi");
  EXPECT_EQ(h.stream.stats().missing, 0u);
  EXPECT_EQ(h.stream.stats().gaps, 0u);
  EXPECT_EQ(h.stream.stats().out_of_window, 9u);
  EXPECT_EQ(h.stream.stats().retransmitted, 0u);
  EXPECT_EQ(h.stream.stats().resyncs, 0u);
  EXPECT_EQ(h.stream.held_bytes(), 0u);
  EXPECT_EQ(h.budget.held, 0u);
}

TEST(TcpStream, AForgedFinFarAheadDoesNotEndTheStream) {
  Harness h;
  h.add(0, "ab");
  h.add(0x20000000u, "", TcpSegment::kFin);
  h.add(2, "cd");
  EXPECT_EQ(h.out.stream, "abcd");
  h.flush();
  EXPECT_EQ(h.out.stream, "abcd");
  EXPECT_EQ(h.stream.stats().missing, 0u);
}

TEST(TcpStream, ADuplicatedBadSegmentConfirmsNothing) {
  Harness h;
  h.add(0, "ab");
  h.add(0x30000000u, "xy");
  h.add(0x30000000u, "xy");  // the capture holds the frame twice
  h.add(2, "cd");
  h.flush();
  EXPECT_EQ(h.out.stream, "abcd");
  EXPECT_EQ(h.stream.stats().resyncs, 0u);
  EXPECT_EQ(h.stream.stats().out_of_window, 4u);
}

TEST(TcpStream, ASecondSegmentContinuingTheJumpIsFollowed) {
  Harness h;
  h.add(1000, "", TcpSegment::kSyn);
  h.add(1001, "abc");
  h.add(1010, "zz");                             // held: a gap before it
  const std::uint32_t far = 1001 + 0x10000000u;  // the capture missed 256 MiB
  h.add(far, "lmn", 0, 0, 500);
  EXPECT_EQ(h.out.stream, "abc");
  EXPECT_EQ(h.stream.held_bytes(), 2 + 3 + 2 * kCost);  // the held segment and the candidate
  h.add(far + 3, "opq");
  EXPECT_EQ(h.out.stream, "abc[gap 6]zz[gap " + std::to_string(0x10000000u - 11) + "]lmnopq");
  EXPECT_EQ(h.stream.stats().resyncs, 1u);
  EXPECT_EQ(h.stream.stats().gaps, 2u);
  EXPECT_EQ(h.stream.stats().out_of_window, 0u);  // the candidate's bytes were delivered after all
  // The candidate from its held copy (its file offset), the second in place (offset 0).
  EXPECT_EQ(h.out.offsets[h.out.offsets.size() - 2], 500u);
  EXPECT_EQ(h.out.offsets.back(), 0u);
  h.add(far + 6, "r");
  h.flush();
  EXPECT_EQ(h.out.stream.substr(h.out.stream.size() - 7), "lmnopqr");
  EXPECT_EQ(h.budget.held, 0u);
}

TEST(TcpStream, AJumpBackBeyondTheSynIsFollowed) {
  // The capture missed more than the window, the numbers behind the SYN: the bytes there are
  // the stream's own, not a new connection's from before its SYN.
  Harness h;
  h.add(0x20000000u, "", TcpSegment::kSyn);
  h.add(0x20000001u, "abc");
  const std::uint32_t back = 0x20000001u - 0x10000000u;
  h.add(back, "lmn");
  h.add(back + 3, "opq");
  h.add(back + 6, "rst");
  EXPECT_EQ(h.out.stream, "abc[end]lmnopqrst");
  EXPECT_EQ(h.stream.stats().resyncs, 1u);
}

TEST(TcpStream, AStreamStartedOnABadSegmentFollowsTheRealOne) {
  Harness h;
  h.add(0x70000000u, "bad");  // mid-stream start on a corrupt sequence number
  h.add(100, "abc");
  h.add(103, "def");
  h.add(106, "ghi");
  h.flush();
  EXPECT_EQ(h.out.stream, "bad[end]abcdefghi");
  EXPECT_EQ(h.stream.stats().resyncs, 1u);
  EXPECT_EQ(h.stream.stats().missing, 0u);  // backward: nothing was missed
}

TEST(TcpStream, ACandidateBeyondTheLimitsKeepsOnlyItsPosition) {
  Harness h;
  h.budget.limits.max_stream_bytes = 8 + kCost;
  h.add(0, "ab");
  h.add(0x10000000u, "0123456789");  // too large to keep
  EXPECT_EQ(h.stream.held_bytes(), 0u);
  h.add(0x10000000u + 10, "xy");
  EXPECT_EQ(h.out.stream, "ab[gap " + std::to_string(0x10000000u - 2) + "]xy");
  EXPECT_EQ(h.stream.stats().out_of_window, 10u);  // the candidate's bytes, never delivered
  EXPECT_EQ(h.stream.stats().resyncs, 1u);
}

TEST(TcpStream, ReleaseGivesTheBudgetBack) {
  Harness h;
  h.add(0, "a");
  h.add(5, "xyz");
  EXPECT_EQ(h.budget.held, 3 + kCost);
  h.add(0x40000000u, "far");  // a candidate counts too
  EXPECT_EQ(h.budget.held, 3 + 3 + 2 * kCost);
  h.stream.release(h.budget);
  EXPECT_EQ(h.budget.held, 0u);
}

}  // namespace
}  // namespace dltdump::net
