#include "dlt/framer.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <vector>

#include "dlt/catalogue.hpp"
#include "dlt/framer_split.hpp"
#include "dlt/line_formatter.hpp"
#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"
#include "dlt/verbose_payload.hpp"
#include "output/buffer_sink.hpp"

using namespace dltdump;
using namespace dltdump::test;
using dlt::StreamFormat;

namespace {
// Collects the formatted lines and checks byte accounting on the way.
struct Collect : dlt::FramerSink {
  dlt::LineFormatter formatter{{true}};
  util::TextBuffer text;
  std::uint64_t next = 0;
  int messages = 0, skips = 0;
  void on_message(const dlt::Message& m) override {
    EXPECT_EQ(m.position, next);
    next += m.raw.size();
    ++messages;
    formatter.format(m, text);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    EXPECT_EQ(s.position, next);
    next += s.length;
    ++skips;
    formatter.format(s, text);
  }
};

std::string run(StreamFormat f, const Bytes& in, std::size_t chunk = 0, Collect* out = nullptr, bool text = false) {
  Collect local;
  Collect& c = out ? *out : local;
  dlt::Framer framer(f);
  framer.set_payload_text(text);
  if (chunk == 0) chunk = in.size() ? in.size() : 1;
  for (std::size_t at = 0; at < in.size(); at += chunk)
    framer.feed({in.data() + at, std::min(chunk, in.size() - at)}, c);
  framer.finish(c);
  EXPECT_EQ(c.next, in.size()) << "every byte accounted for";
  return std::string(c.text.view());
}

Bytes message(const std::string& text, std::uint8_t counter = 0) {
  PacketSpec s;
  s.noar = 1;
  s.counter = counter;
  return packet(s, arg_string(text, false));
}

std::string skip_text(const std::string& s) {
  auto p = s.find("Skipped:");
  return p == std::string::npos ? "" : s.substr(p, s.find('\n', p) - p);
}
}  // namespace

TEST(Framer, FileWithThreePackets) {
  Bytes in = cat({storage(message("one"), 1, 0), storage(message("two"), 2, 0), storage(message("three"), 3, 0)});
  Collect c;
  std::string out = run(StreamFormat::File, in, 0, &c);
  EXPECT_EQ(c.messages, 3);
  EXPECT_EQ(c.skips, 0);
  EXPECT_NE(out.find("00000000: 1970/01/01 00:00:01.000000 0.0000 0 ECU1 APP1 CTX1 0 log info verbose 1 one\n"),
            std::string::npos);
}

TEST(Framer, StorageSecondsAreUnsigned) {
  Bytes in = storage(message("late"), static_cast<std::int32_t>(0x80000000u), 0);
  Collect c;
  std::string out = run(StreamFormat::File, in, 0, &c);
  EXPECT_NE(out.find(": 2038/01/19 03:14:08.000000 0.0000 0 ECU1"), std::string::npos) << out;
}

TEST(Framer, CorruptVersionSkipsWholePacket) {
  Bytes second = storage(message("two"), 2, 0);
  second[16] = 0x40;  // version 2
  Bytes in = cat({storage(message("one"), 1, 0), second, storage(message("three"), 3, 0)});
  Collect c;
  std::string out = run(StreamFormat::File, in, 0, &c);
  EXPECT_EQ(c.messages, 2);
  EXPECT_EQ(skip_text(out),
            "Skipped: " + std::to_string(second.size()) + " bytes; Reason: Invalid packet standard header");
  // skip time: the previous good packet's storage header
  EXPECT_NE(out.find("1970/01/01 00:00:01.000000 0.0000 -1  SKIP SKIP 0 log warn verbose 4"), std::string::npos);
}

TEST(Framer, GarbageBetweenPackets) {
  Bytes garbage(100, 0x55);
  Bytes in = cat({storage(message("one")), garbage, storage(message("two"))});
  EXPECT_EQ(skip_text(run(StreamFormat::File, in)), "Skipped: 100 bytes; Reason: Searching for next packet");
}

TEST(Framer, InvalidPacketUsesItsOwnStorageTime) {
  PacketSpec s;
  s.noar = 1;
  Bytes bad = storage(packet(s, Bytes{0x11, 0, 0, 0}), 7, 0);  // bool without its data byte
  Bytes in = cat({storage(message("one"), 1, 0), bad, storage(message("two"), 9, 0)});
  std::string out = run(StreamFormat::File, in);
  EXPECT_EQ(skip_text(out), "Skipped: " + std::to_string(bad.size()) + " bytes; Reason: Invalid packet");
  EXPECT_NE(out.find("1970/01/01 00:00:07.000000 0.0000 -1  SKIP"), std::string::npos);
}

TEST(Framer, NetworkGarbageFirst) {
  Bytes in = cat({Bytes{0, 0, 0, 0, 0, 0, 0}, message("hello")});
  std::string out = run(StreamFormat::Network, in);
  EXPECT_EQ(skip_text(out), "Skipped: 7 bytes; Reason: Invalid packet standard header");
  EXPECT_NE(out.find("00000007: 1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 0 log info verbose 1 hello"),
            std::string::npos);
}

// Deviation Q29: a stream that begins inside a message (a TCP capture started mid-
// connection, a gap) resynchronises on the next real message, not on a space in a string
// (0x20 is a valid minimal header whose length comes from the text after it and would
// swallow the messages behind it): a packet found while a skip record is open is taken
// only when the packets after it are valid too, or the input or a unit ends after it.
TEST(Framer, NetworkResyncIsConfirmedByTheNextPackets) {
  Bytes stream;
  for (int i = 0; i < 60; ++i) {
    const Bytes m = message("speed is " + std::to_string(i) + " km/h", static_cast<std::uint8_t>(i));
    stream.insert(stream.end(), m.begin(), m.end());
  }
  const Bytes first = message("speed is 0 km/h");
  // Cut inside the first message's header: the text's spaces come before message 1.
  const Bytes cut(stream.begin() + 10, stream.end());
  Collect c;
  const std::string whole = run(StreamFormat::Network, cut, 0, &c);
  EXPECT_EQ(c.messages, 59) << whole.substr(0, 600);
  EXPECT_EQ(c.skips, 1);
  EXPECT_EQ(skip_text(whole),
            "Skipped: " + std::to_string(first.size() - 10) + " bytes; Reason: Invalid packet standard header");
  // Whatever the chunks, the same lines (the framer waits for the packets that confirm).
  for (std::size_t chunk : {1u, 2u, 5u, 13u, 64u, 1000u}) EXPECT_EQ(run(StreamFormat::Network, cut, chunk), whole);
  // Every start inside the first message gives the 59 others, also one whose first byte
  // itself looks like a header (a space in the text): the first packet of a stream is
  // confirmed as one found after skipped bytes is.
  int header_like = 0;
  for (std::size_t at = 1; at < first.size(); ++at) {
    header_like += dlt::standard_header_length(stream.data() + at) != 0;
    Collect each;
    const Bytes from(stream.begin() + static_cast<long>(at), stream.end());
    const std::string lines = run(StreamFormat::Network, from, 0, &each);
    EXPECT_EQ(each.messages, 59) << "cut at " << at;
    EXPECT_EQ(each.skips, 1) << "cut at " << at;
    EXPECT_EQ(run(StreamFormat::Network, from, 7), lines) << "cut at " << at;
  }
  EXPECT_GT(header_like, 3);
}

// A header without ids (any byte of 0x20-0x3F) whose length happens to end where a real
// packet starts is confirmed by the real packets after it; it is refused when a confirmed
// chain starts inside it (the real packets it would swallow) — at the start of a stream
// and after skipped bytes alike.
TEST(Framer, NetworkIdLessPacketSpanningRealOnesIsRefused) {
  Bytes real;
  for (int i = 0; i < 10; ++i) {
    const Bytes m = message("radar ready " + std::to_string(i), static_cast<std::uint8_t>(i));
    real.insert(real.end(), m.begin(), m.end());
  }
  std::size_t five = 0;  // the first five messages' bytes
  for (int i = 0; i < 5; ++i) five += message("radar ready " + std::to_string(i)).size();
  const std::size_t length = 4 + five;
  const Bytes bare{0x20, 's', static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  for (const Bytes& before : {Bytes{}, Bytes{0xFF, 0xFF}}) {
    Collect c;
    const std::string lines = run(StreamFormat::Network, cat({before, bare, real}), 0, &c);
    EXPECT_EQ(c.messages, 10) << lines;
    EXPECT_EQ(skip_text(lines),
              "Skipped: " + std::to_string(before.size() + 4) + " bytes; Reason: Invalid packet standard header");
    for (std::size_t chunk : {1u, 3u, 50u})
      EXPECT_EQ(run(StreamFormat::Network, cat({before, bare, real}), chunk), lines);
  }
}

// The same for a candidate with ids whose payload any bytes make valid (non-verbose), and
// for a short one that a false long packet confirms (a new user's capture of 7-byte TCP
// segments lost 232 messages after one 7-byte gap: a false header with ids in a message's
// remains, then an id-less length over real messages that ended where one began). A
// verbose candidate, whose payload validates, is not searched (a long real message may
// hold any pattern: PcapngDltSink.APacketLargerThanADatagramContinuesInTheNextOne).
TEST(Framer, NetworkPacketWithIdsSpanningRealOnesIsRefused) {
  Bytes real;
  std::size_t five = 0;  // the first five messages' bytes
  for (int i = 0; i < 10; ++i) {
    const Bytes m = message("radar ready " + std::to_string(i), static_cast<std::uint8_t>(i));
    real.insert(real.end(), m.begin(), m.end());
    if (i < 5) five += m.size();
  }
  auto header = [](std::uint8_t htyp, std::size_t length) {
    return Bytes{htyp, 0, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  };
  const Bytes ids{'E', 'C', 'U', '9', 1, 2, 3, 4};  // an ECU id and a message id
  // A non-verbose packet with an ECU id over the first five messages.
  const Bytes spanning = cat({header(0x24, 12 + five), ids});
  // A whole one of 12 bytes, then an id-less packet over them.
  const Bytes confirmed_by_a_false_one = cat({header(0x24, 12), ids, header(0x20, 4 + five)});
  for (const Bytes& head : {spanning, confirmed_by_a_false_one})
    for (const Bytes& before : {Bytes{}, Bytes{0xFF, 0xFF}}) {
      Collect c;
      const std::string lines = run(StreamFormat::Network, cat({before, head, real}), 0, &c);
      EXPECT_EQ(c.messages, 10) << lines;
      EXPECT_EQ(skip_text(lines), "Skipped: " + std::to_string(before.size() + head.size()) +
                                      " bytes; Reason: Invalid packet standard header");
      for (std::size_t chunk : {1u, 3u, 50u})
        EXPECT_EQ(run(StreamFormat::Network, cat({before, head, real}), chunk), lines);
    }
}

// But a confirmed candidate that is evidence of its own (ids that read as ids) is refused
// only by a chain of packets that are too: a long real non-verbose message whose payload is
// one repeated byte (a run of '0' or '"' is id-less packets of 12336 or 8738 bytes back to
// back), or whose last bytes read as an id-less packet ending where the next message
// begins, is taken (a new user's captures lost it and up to 38 messages after it).
TEST(Framer, NetworkNonVerboseMessageWithIdsHoldingFalseChainsIsTaken) {
  PacketSpec nonverbose;
  nonverbose.extended = false;
  Bytes after;
  for (int i = 0; i < 10; ++i) {
    const Bytes m = message("radar ready " + std::to_string(i), static_cast<std::uint8_t>(i));
    after.insert(after.end(), m.begin(), m.end());
  }
  for (const std::uint8_t fill : {std::uint8_t{'0'}, std::uint8_t{'"'}, std::uint8_t{'.'}}) {
    Bytes payload{1, 0, 0, 0};
    payload.insert(payload.end(), 60000, fill);
    const Bytes in = cat({packet(nonverbose, payload), after});
    Collect c;
    const std::string lines = run(StreamFormat::Network, in, 0, &c);
    EXPECT_EQ(c.messages, 11) << fill;
    EXPECT_EQ(c.skips, 0) << fill;
    EXPECT_EQ(run(StreamFormat::Network, in, 1448), lines) << fill;
  }
  // Its last 8 bytes an id-less packet of 8 bytes.
  const Bytes tail = packet(nonverbose, {2, 0, 0, 0, 0x22, 0, 0, 8, 0xFE, 0x3E, 0x98, 0x98});
  Collect c;
  run(StreamFormat::Network, cat({tail, after}), 0, &c);
  EXPECT_EQ(c.messages, 11);
  EXPECT_EQ(c.skips, 0);
}

// Resynchronisation asks each position once whether a confirmed chain starts there, however
// the candidates overlap: here each of many confirmed candidates with ids (evidence of
// their own) holds an id-less chain that it lets through, and is refused only by a chain
// with ids far after it. Remembering only the positions before the first chain let
// through, each candidate asked every position up to that far chain again (a megabyte of
// such bytes took seconds).
TEST(Framer, NetworkResyncAsksEachPositionOnce) {
  auto with_ids = [](std::size_t length, std::uint8_t fill) {
    Bytes p{0x24, 0, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length), 'E', 'C', 'U', '1'};
    p.resize(length, fill);
    return p;
  };
  const Bytes idless{0x20, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF};
  const Bytes three_with_ids = cat({with_ids(12, 0), with_ids(12, 0), with_ids(12, 0)});
  auto put = [](Bytes& to, std::size_t at, const Bytes& what) { std::copy(what.begin(), what.end(), to.begin() + at); };
  constexpr std::size_t kCandidates = 600, kStride = 41, kLength = 60000;
  constexpr std::size_t kFar = kCandidates * kStride + 100;  // the chain that refuses them all
  Bytes head = with_ids(kLength, 0xFF);
  head.resize(16);
  Bytes in;
  for (int window = 0; window < 3; ++window) {
    Bytes w(kLength + kCandidates * kStride + 64, 0xFF);
    for (std::size_t j = 0; j < kCandidates; ++j) {
      // A candidate, the id-less chain it lets through, and where it ends, 3 packets with ids
      // that confirm it.
      put(w, j * kStride, head);
      put(w, j * kStride + 16, cat({idless, idless, idless}));
      put(w, kLength + j * kStride, three_with_ids);
    }
    put(w, kFar, three_with_ids);
    in.insert(in.end(), w.begin(), w.end());
  }
  for (const std::size_t chunk : {in.size(), std::size_t{1448}}) {
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    for (std::size_t at = 0; at < in.size(); at += chunk)
      framer.feed({in.data() + at, std::min(chunk, in.size() - at)}, c);
    framer.finish(c);
    EXPECT_EQ(c.next, in.size());
    EXPECT_LT(framer.chains_asked(), 4 * in.size()) << "chunks of " << chunk;
  }
}

// An id-less first packet that the packets after it confirm is searched for real packets
// inside it only within the bytes that confirmed it (a885598): a position whose header
// claims more bytes than follow does not make the framer wait for them (up to 64 KiB of a
// flow, which put the message after other flows' lines; interop_tshark_dlt).
TEST(Framer, NetworkIdLessFirstPacketIsNotHeldForAHeaderInsideIt) {
  PacketSpec bare;
  bare.ecu.clear();
  bare.extended = false;
  // Non-verbose payload: a message id, then bytes that read as a header of 0xF000 bytes.
  const Bytes first = packet(bare, {1, 0, 0, 0, 0x20, 'x', 0xF0, 0x00, 0x55, 0x55});
  const Bytes in = cat({first, message("one", 1), message("two", 2)});
  Collect c;
  dlt::Framer framer(StreamFormat::Network);
  framer.feed(in, c);
  EXPECT_EQ(c.messages, 3);  // all taken as they came, before the end of the input
  EXPECT_EQ(c.skips, 0);
  framer.finish(c);
  EXPECT_EQ(c.messages, 3);
  EXPECT_EQ(c.next, in.size());
}

// What the start's confirmation must not refuse: streams of one or two packets, a unit
// (datagram) holding one message, a stream of id-less non-verbose messages, and each new
// stream after finish (a capture flow going on after a TCP gap) starts confirmed again.
TEST(Framer, NetworkShortStreamsAndIdLessMessagesAreTakenAtTheStart) {
  const Bytes one = message("speed ok");
  Collect c1, c2;
  run(StreamFormat::Network, one, 0, &c1);
  EXPECT_EQ(c1.messages, 1);
  run(StreamFormat::Network, cat({one, message("ready ok")}), 1, &c2);
  EXPECT_EQ(c2.messages, 2);
  EXPECT_EQ(c2.skips, 0);
  {
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.set_units(true);
    framer.feed(one, c);  // a datagram with one message: taken at once
    EXPECT_EQ(c.messages, 1);
  }
  PacketSpec bare;
  bare.ecu.clear();
  bare.extended = false;
  Bytes idless;
  for (int i = 0; i < 30; ++i) {
    const Bytes m = packet(bare, {static_cast<std::uint8_t>(i), 0, 0, 0, ' ', 's', 'p', 'e', 'e', 'd'});
    idless.insert(idless.end(), m.begin(), m.end());
  }
  Collect c3;
  run(StreamFormat::Network, idless, 0, &c3);
  EXPECT_EQ(c3.messages, 30);
  EXPECT_EQ(c3.skips, 0);
  // After finish, a stream that starts inside a packet: confirmed again, not taken as is.
  Bytes speeds;
  for (int i = 0; i < 20; ++i) {
    const Bytes m = message("speed is " + std::to_string(i), static_cast<std::uint8_t>(i));
    speeds.insert(speeds.end(), m.begin(), m.end());
  }
  std::size_t space = 1;
  while (dlt::standard_header_length(speeds.data() + space) == 0) ++space;  // starts like a header
  Collect c4;
  dlt::Framer framer(StreamFormat::Network);
  framer.feed(one, c4);
  framer.finish(c4);
  framer.feed({speeds.data() + space, speeds.size() - space}, c4);
  framer.finish(c4);
  EXPECT_EQ(c4.messages, 1 + 19);
  EXPECT_EQ(c4.skips, 1);
}

// What a decoder of a capture in pieces needs to know of a flow's framer (a new one stands
// in for one under way): whether its stream is under way, and whether the stream start's
// confirmation decided the first packet otherwise than a framer under way would have.
TEST(Framer, NetworkStreamStartComparedWithAStreamUnderWay) {
  const Bytes m1 = message("first", 1), m2 = message("second message", 2), m3 = message("third", 3);
  {
    // Confirmed at once (the unit ends after it): taken as under way.
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.set_units(true);
    EXPECT_FALSE(framer.mid_stream());
    framer.feed(m1, c);
    EXPECT_EQ(c.messages, 1);
    EXPECT_TRUE(framer.mid_stream());
    EXPECT_TRUE(framer.began_as_continuation());
  }
  for (const bool settle : {false, true}) {
    // Held back for the rest of the packet after it (a message cut at the unit's end):
    // the same events if it goes out before the feeder settles, not after.
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.set_units(true);
    framer.feed(cat({m1, Bytes(m2.begin(), m2.begin() + 6)}), c);
    EXPECT_EQ(c.messages, 0);
    if (settle) framer.settle_start();
    framer.feed(Bytes(m2.begin() + 6, m2.end()), c);
    framer.settle_start();
    EXPECT_EQ(c.messages, 2);
    EXPECT_EQ(framer.began_as_continuation(), !settle);
  }
  {
    // Refused: a header without ids spanning real packets at the start.
    const std::size_t length = 4 + m1.size();
    const Bytes bare{0x20, 's', static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.feed(cat({bare, m1, m2, m3}), c);
    framer.finish(c);
    EXPECT_EQ(c.messages, 3);
    EXPECT_EQ(c.skips, 1);
    EXPECT_FALSE(framer.began_as_continuation());
  }
  {
    // Skipped bytes a framer under way skips too (no header there): the same from then on.
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.feed(cat({Bytes{0xFF, 0xFF}, m1, m2, m3}), c);
    framer.finish(c);
    EXPECT_EQ(c.messages, 3);
    EXPECT_TRUE(framer.began_as_continuation());
  }
  {
    // A skip record that a framer under way opens too, then continue_stream (a piece of a
    // capture joined to a decoder that holds the flow under way): what follows is framed
    // as under way — here a message that damage follows at once, which only a stream
    // start's rules refuse (a fuzzer's finding: the chunked decode then differed).
    const Bytes garbage(6, 0xFF), in = cat({garbage, m1, Bytes{0xFF, 0xFF, 0xFF, 0xFF}});
    std::string text[2];
    for (const bool from_the_start : {false, true}) {
      Collect c;
      dlt::Framer framer(StreamFormat::Network);
      if (from_the_start) framer.continue_stream();
      framer.feed(garbage, c);
      EXPECT_TRUE(framer.open_skip().has_value());
      EXPECT_TRUE(framer.began_as_continuation());
      framer.continue_stream();
      EXPECT_TRUE(framer.mid_stream());
      framer.feed(Bytes(in.begin() + 6, in.end()), c);
      framer.finish(c);
      EXPECT_EQ(c.messages, 1);
      text[from_the_start] = std::string(c.text.view());
    }
    EXPECT_EQ(text[0], text[1]);
  }
  {
    // One made to continue a stream under way takes its first packet as it is.
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.continue_stream();
    EXPECT_TRUE(framer.mid_stream());
    framer.feed(cat({m1, Bytes(m2.begin(), m2.begin() + 6)}), c);
    EXPECT_EQ(c.messages, 1);
    framer.finish(c);
    EXPECT_FALSE(framer.mid_stream());  // what comes after the end is a new stream
  }
}

// The contract a capture decoded in pieces relies on: a framer at a stream start whose
// began_as_continuation() says true framed the bytes exactly as one under way
// (continue_stream) — also where only a stream start's rules apply (damage right after a
// candidate, a packet cut by the end). Damaged streams: the remains of a message, messages
// with digits in their text, garbage, a message cut by the end.
TEST(Framer, NetworkStreamStartThatBeganAsContinuationFramesAsOneUnderWay) {
  std::mt19937 rng(11);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  PacketSpec with_time;
  with_time.noar = 1;
  with_time.with_time = true;
  std::vector<Bytes> inputs;
  {  // the new-user review's cases: a message that damage follows after one skipped byte,
     // and a first packet that the end cuts with a message inside it
    const Bytes m = message("real");
    inputs.push_back(cat({Bytes{0xFF}, m, Bytes{0xFF, 0xFF, 0xFF, 0xFF}}));
    inputs.push_back(cat({Bytes{0x24, 0x00, 0x01, 0x00, 'E', 'C', 'U', '9'}, m, Bytes(m.begin(), m.begin() + 10)}));
  }
  for (int round = 0; round < 1500; ++round) {
    Bytes in;
    const std::size_t parts = 1 + pick(5);
    for (std::size_t k = 0; k < parts; ++k) {
      with_time.device_time = static_cast<std::uint32_t>(rng());
      const Bytes m = packet(with_time, arg_string("value " + std::to_string(rng() % 100000) + " ok", false));
      switch (pick(4)) {
        case 0: in.insert(in.end(), m.begin() + static_cast<std::ptrdiff_t>(pick(m.size())), m.end()); break;
        case 1: in.insert(in.end(), m.begin(), m.begin() + static_cast<std::ptrdiff_t>(pick(m.size()))); break;
        case 2:
          for (std::size_t g = 1 + pick(4); g > 0; --g) in.push_back(static_cast<std::uint8_t>(rng()));
          break;
        default: in.insert(in.end(), m.begin(), m.end());
      }
    }
    inputs.push_back(in);
  }
  int alike = 0, differ = 0;
  for (const Bytes& in : inputs) {
    for (const bool units : {true, false}) {
      std::string text[2];
      bool began = false;
      for (const bool under_way : {false, true}) {
        Collect c;
        dlt::Framer framer(StreamFormat::Network);
        framer.set_units(units);
        if (under_way) framer.continue_stream();
        framer.feed(in, c);
        framer.finish(c);
        if (!under_way) began = framer.began_as_continuation();
        text[under_way] = std::string(c.text.view());
      }
      if (!began) {
        ++differ;
        continue;
      }
      ++alike;
      EXPECT_EQ(text[0], text[1]) << "units " << units << ", " << in.size() << " bytes";
    }
  }
  EXPECT_GT(alike, 300);
  EXPECT_GT(differ, 300);
}

// A verbose packet found while resynchronising that ends where a unit of the sender ends
// (a datagram, a segment: set_units) is confirmed by that, at once; without units the
// framer waits for the bytes after it. A real packet that damage follows is taken either
// way (no packet inside it starts a confirmed chain).
TEST(Framer, NetworkResyncEndingAUnitIsConfirmed) {
  const Bytes garbage{0xFF, 0xFF, 0xFF};
  const Bytes m = message("alone");
  for (const bool units : {true, false}) {
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.set_units(units);
    framer.feed(cat({garbage, m}), c);  // a datagram: garbage, then a message
    EXPECT_EQ(c.messages, units ? 1 : 0) << (units ? "units" : "no units");
    framer.feed(cat({garbage, m}), c);  // the same again
    framer.finish(c);
    // Without units, the first message, at the stream's start, is followed by invalid
    // bytes at once: skipped with them (what the rest of a message whose head was lost
    // does to a false candidate read from it); the last is confirmed by the input's end.
    EXPECT_EQ(c.messages, units ? 2 : 1) << (units ? "units" : "no units");
  }
  // Not so a non-verbose one (any bytes are a valid payload) that began inside the unit:
  // what follows must confirm it. Here damage does, at the stream's start: it is refused.
  PacketSpec nonverbose;
  nonverbose.extended = false;
  const Bytes weak = packet(nonverbose, {1, 2, 3, 4});
  Collect c;
  dlt::Framer framer(StreamFormat::Network);
  framer.set_units(true);
  framer.feed(cat({garbage, weak}), c);
  EXPECT_EQ(c.messages, 0);
  framer.feed(cat({garbage, m}), c);
  framer.finish(c);
  EXPECT_EQ(c.messages, 1);  // only the last
  // One that begins the unit is confirmed by its end at once.
  Collect d;
  dlt::Framer whole(StreamFormat::Network);
  whole.set_units(true);
  whole.feed(weak, d);
  EXPECT_EQ(d.messages, 1);
}

// A unit that is one packet (it begins and ends the datagram or segment) is taken whatever
// its payload holds — also a whole verbose message, which starts a chain the unit's end
// confirms — at a stream's start and while resynchronising, as under way (fuzz_cli: such a
// message, first in its flow of dltdump's PCAP-NG output, read back as a skip line and the
// message inside it).
TEST(Framer, NetworkUnitThatIsOnePacketIsTakenWhateverItHolds) {
  const Bytes inner = message("inside");
  PacketSpec carrier;
  carrier.msin = 0x40;                // log info, non-verbose: any payload is valid
  Bytes payload{0x2A, 0, 0, 0, 'x'};  // message id 42, a byte
  payload.insert(payload.end(), inner.begin(), inner.end());
  const Bytes outer = packet(carrier, payload);
  for (const int state : {0, 1, 2}) {  // a stream start, under way, resynchronising
    Collect c;
    dlt::Framer framer(StreamFormat::Network);
    framer.set_units(true);
    if (state == 1) framer.continue_stream();
    if (state == 2) framer.feed(Bytes{0xFF, 0xFF, 0xFF}, c);  // a unit of garbage: a skip record open
    framer.feed(outer, c);
    framer.feed(message("next"), c);
    framer.finish(c);
    EXPECT_EQ(c.messages, 2) << "state " << state << ":\n" << c.text.view();
    EXPECT_EQ(c.skips, state == 2 ? 1 : 0) << "state " << state;
    EXPECT_NE(std::string(c.text.view()).find("non-verbose"), std::string::npos) << "state " << state;
  }
}

// A TCP stream whose bytes were lost: the stream before the gap ends inside a message
// (its last bytes lost), the one after it resumes inside the next message's headers (its
// first bytes lost). Each is a stream of its own (finish between them), as a capture flow
// frames them. The remains of the cut messages read as candidates with ids (the ECU id's
// digit, the time stamp's bytes its length); taken whenever invalid bytes followed them,
// they made 1.5 false messages a gap. Every real message whole on either side is found.
TEST(Framer, NetworkStreamAroundLostBytesYieldsFewFalseMessages) {
  std::mt19937 rng(7);
  std::vector<Bytes> messages;
  for (int i = 0; i < 400; ++i) {
    PacketSpec s;
    s.noar = 1;
    s.counter = static_cast<std::uint8_t>(i);
    s.with_time = true;
    s.device_time = static_cast<std::uint32_t>(5000 + i * 137);  // its 2nd and 3rd bytes: 19-234
    messages.push_back(
        packet(s, arg_string("payload " + std::to_string(i) + " " + std::string(rng() % 400, 'z'), false)));
  }
  Collect c;
  dlt::Framer framer(StreamFormat::Network);
  framer.set_units(true);
  std::size_t fed = 0, whole = 0, gaps = 0;
  for (std::size_t k = 0; k + 4 < messages.size(); k += 4, ++gaps) {
    // A stream: message k from byte 1-12 on (inside its headers), k+1 and k+2 whole, the
    // first bytes of k+3 (its last 1-20 lost); then the gap.
    const Bytes& first = messages[k];
    const Bytes& last = messages[k + 3];
    const std::size_t from = 1 + rng() % 12, keep = last.size() - 1 - rng() % 20;
    Bytes stream(first.begin() + static_cast<std::ptrdiff_t>(from), first.end());
    stream = cat({stream, messages[k + 1], messages[k + 2],
                  Bytes(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(keep))});
    // In segments of 1-1460 bytes, as TCP cuts them.
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t n = std::min<std::size_t>(1 + rng() % 1460, stream.size() - at);
      framer.feed({stream.data() + at, n}, c);
      at += n;
    }
    framer.finish(c);
    fed += stream.size();
    whole += 2;
  }
  EXPECT_EQ(c.next, fed);
  const std::string out(c.text.view());
  std::size_t real = 0, lines = 0;
  for (std::size_t at = 0; (at = out.find('\n', at)) != std::string::npos; ++at) ++lines;
  for (std::size_t at = 0; (at = out.find("ECU1 APP1 CTX1 0 log info verbose 1 payload", at)) != std::string::npos;
       ++at)
    ++real;
  EXPECT_EQ(real, whole);
  const std::size_t false_messages = static_cast<std::size_t>(c.messages) - real;
  EXPECT_LE(false_messages * 10, gaps) << out;  // under one gap in ten (was 1.5 a gap)
  EXPECT_EQ(lines, static_cast<std::size_t>(c.messages + c.skips));
}

// A stream that ends inside a packet skips the rest as that packet's, unless the packet
// before it was taken only because the cut one followed it (a new user's capture: a false
// packet from a message's remains after lost bytes, then a false length over a real
// message, which was lost with it).
TEST(Framer, NetworkEndAfterAPacketTakenForTheCutOneIsSearched) {
  const Bytes m = message("whole after the remains"), next = message("cut by the end");
  const Bytes taken{0x24, 0x00, 0x00, 0x08, 'E', 'C', 'U', '9'};      // ECU id only, 8 bytes
  const Bytes long_head{0x24, 0x00, 0x01, 0x00, 'E', 'C', 'U', '8'};  // 256 bytes, cut
  const Bytes in = cat({Bytes(3, 0xFF), taken, long_head, Bytes(20, 0xFF), m, Bytes(next.begin(), next.begin() + 6)});
  Collect c;
  const std::string out = run(StreamFormat::Network, in, 0, &c);
  EXPECT_EQ(c.messages, 2) << out;
  EXPECT_NE(out.find("whole after the remains"), std::string::npos) << out;
}

// The state compared when pieces of a capture join (FramerSplit::append_state) counts
// offsets from the first byte not delivered: framers alike at other offsets write the same
// text (a second reviewer's finding: the damage take's "none" wrote an absolute offset).
TEST(Framer, StateTextIsTheSameAtAnyOffset) {
  const Bytes m = message("first"), next = message("second");
  const Bytes in = cat({m, Bytes(next.begin(), next.begin() + 10)});
  std::string state[2];
  for (const std::uint64_t start : {0u, 1000u}) {
    Collect c;
    c.next = start;
    dlt::Framer framer(StreamFormat::Network, start);
    framer.continue_stream();
    framer.feed(in, c);
    EXPECT_EQ(c.messages, 1);
    dlt::FramerSplit::append_state(framer, state[start != 0]);
  }
  EXPECT_EQ(state[0], state[1]);
}

TEST(Framer, TruncatedEnd) {
  Bytes last = storage(message("truncated"));
  last.resize(last.size() - 3);
  Bytes in = cat({storage(message("one")), last});
  EXPECT_EQ(skip_text(run(StreamFormat::File, in)),
            "Skipped: " + std::to_string(last.size()) + " bytes; Reason: Flushing packets at end of stream");
  EXPECT_EQ(skip_text(run(StreamFormat::File, Bytes{'D', 'L', 'T'})), "Skipped: 3 bytes; Reason: End of stream");
  EXPECT_EQ(run(StreamFormat::File, Bytes{}), "");
}

TEST(Framer, SerialMarkers) {
  Bytes in = cat({serial(message("a")), Bytes{'x', 'y'}, serial(message("b"))});
  Collect c;
  std::string out = run(StreamFormat::Serial, in, 0, &c);
  EXPECT_EQ(c.messages, 2);
  EXPECT_EQ(skip_text(out), "Skipped: 2 bytes; Reason: Searching for next packet");
}

TEST(Framer, ChunkingNeverChangesTheOutput) {
  std::mt19937 rng(42);
  for (StreamFormat f : {StreamFormat::File, StreamFormat::Serial, StreamFormat::Network}) {
    Bytes in;
    for (int i = 0; i < 40; ++i) {
      Bytes m = message("message " + std::to_string(i), static_cast<std::uint8_t>(i));
      if (f == StreamFormat::File) m = storage(m, i, 0);
      if (f == StreamFormat::Serial) m = serial(m);
      if (rng() % 4 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));  // corrupt
      if (rng() % 5 == 0) m.resize(rng() % m.size());                                           // cut short
      in.insert(in.end(), m.begin(), m.end());
      if (rng() % 6 == 0)
        for (int g = 0; g < 5; ++g) in.push_back(static_cast<std::uint8_t>(rng()));
    }
    const std::string whole = run(f, in);
    for (std::size_t chunk : {1u, 2u, 3u, 7u, 16u, 61u, 1000u})
      EXPECT_EQ(run(f, in, chunk), whole) << "chunk " << chunk;
    // payload text made while validating is the same text the formatter makes later
    EXPECT_EQ(run(f, in, 0, nullptr, true), whole);
    EXPECT_EQ(run(f, in, 5, nullptr, true), whole);
  }
}

// A verbose packet of one 60 000-byte raw argument: larger than any chunk the tests feed.
Bytes large_packet() {
  PacketSpec s;
  s.noar = 1;
  Bytes raw;
  put(raw, 0x400, 4, false);
  put(raw, 60000, 2, false);
  raw.resize(raw.size() + 60000, 0xAB);
  return packet(s, raw);
}

TEST(Framer, LargePacketAcrossChunks) {
  Bytes in = cat({storage(message("x")), storage(large_packet()), storage(message("y"))});
  Collect a, b;
  std::string whole = run(StreamFormat::File, in, 0, &a);
  EXPECT_EQ(run(StreamFormat::File, in, 4096, &b), whole);
  EXPECT_EQ(b.messages, 3);
}

// A packet carried over from one chunk is completed with the next chunk's head taken a
// little at a time in the marker framings, and in network framing mid-stream (Framer::feed:
// no more than the rest of its length): a large packet, or a search for the next packet
// through damage, that needs more than the first piece gives the same events with chunks of
// any size as a feed of the whole.
TEST(Framer, CarriedBytesCompletedFromLargeChunks) {
  std::mt19937 rng(7);
  const Bytes large = large_packet();
  for (StreamFormat f : {StreamFormat::File, StreamFormat::Serial, StreamFormat::Network}) {
    auto frame = [&](const Bytes& m) {
      return f == StreamFormat::File ? storage(m) : f == StreamFormat::Serial ? serial(m) : m;
    };
    Bytes in;
    for (int i = 0; i < 3000; ++i) {
      const Bytes m = frame(i % 1000 == 500 ? large : message("message " + std::to_string(i)));
      in.insert(in.end(), m.begin(), m.end());
      if (i % 700 == 300)  // damage: the framer searches for the next marker through it
        for (int g = 0; g < 5000; ++g) in.push_back(static_cast<std::uint8_t>('a' + rng() % 26));
    }
    const std::string whole = run(f, in);
    for (std::size_t chunk : {1000u, 1023u, 4096u, 17000u, 65536u, 70001u, 250000u})
      EXPECT_EQ(run(f, in, chunk), whole) << "chunk " << chunk;
    for (std::size_t chunk : {5u, 37u, 333u})  // packets straddle nearly every chunk
      EXPECT_EQ(run(f, in, chunk), whole) << "chunk " << chunk;
  }
}

namespace {
// A gate that wants only APP `M` and drops everything else unvalidated where it may.
// With `quick`, it also rejects from the raw packet (APP at a fixed place: the packets
// these tests build have an ECU id and neither session id nor time stamp).
struct OnlyM : dlt::PayloadGate {
  bool quick = false;
  Need need(const dlt::Message& m) const override { return m.app.view() == "M" ? Need::Text : Need::Nothing; }
  bool drops_unparsed(std::span<const std::uint8_t> packet) const override {
    return packet[0] == 0x25 && packet.size() >= 18 && dlt::parse_id(packet.data() + 10).view() != "M";
  }
  bool looks_unparsed() const override { return quick; }
};
// The `M` lines, with positions, that a framer (gated or not) delivers.
struct CollectM : dlt::FramerSink {
  dlt::LineFormatter formatter{{true}};
  util::TextBuffer text;
  void on_message(const dlt::Message& m) override {
    if (m.app.view() == "M") formatter.format(m, text);
  }
  void on_skip(const dlt::SkipRecord&) override {}
};
std::string m_lines(StreamFormat f, const Bytes& in, std::size_t chunk, const dlt::PayloadGate* gate) {
  CollectM c;
  dlt::Framer framer(f);
  framer.set_payload_text(true);
  framer.set_payload_gate(gate);
  for (std::size_t at = 0; at < in.size(); at += chunk)
    framer.feed({in.data() + at, std::min(chunk, in.size() - at)}, c);
  framer.finish(c);
  return std::string(c.text.view());
}
}  // namespace

// Dropping unwanted packets unvalidated must not change any wanted line: packets whose
// payload is invalid, and invalid ones that hide a marker (and a whole packet) inside, in
// file and serial framing, in any chunking; and invalid ones that end with the head of a
// marker whose packet follows them.
TEST(Framer, GateDroppingUnvalidatedPacketsKeepsTheWantedLines) {
  std::mt19937 rng(7);
  for (StreamFormat f : {StreamFormat::File, StreamFormat::Serial}) {
    auto frame = [&](const Bytes& pkt) { return f == StreamFormat::File ? storage(pkt, 5, 0) : serial(pkt); };
    for (int round = 0; round < 200; ++round) {
      Bytes in;
      for (int k = 0; k < 30; ++k) {
        PacketSpec s;
        s.app = rng() % 3 == 0 ? "M" : "X";
        s.noar = 1;
        Bytes payload = arg_string("text" + std::to_string(k), false);
        Bytes hidden_tail;
        switch (rng() % 6) {
          case 0:  // invalid: the argument count does not match
            s.noar = 2;
            break;
          case 1: {  // invalid, with a whole wanted packet inside a string argument
            PacketSpec inner;
            inner.app = "M";
            inner.noar = 1;
            Bytes hidden = frame(packet(inner, arg_string("hidden" + std::to_string(k), false)));
            payload = arg_string(std::string(hidden.begin(), hidden.end()), false, false, false);
            s.noar = rng() % 2 ? 2 : 1;  // sometimes invalid, sometimes valid
            break;
          }
          case 2: {  // a marker prefix (1-3 bytes) at the very end of the packet
            const std::string marker = f == StreamFormat::File ? "DLT" : "DLS";
            payload = arg_string(std::string(rng() % 40, 'x') + marker.substr(0, 1 + rng() % 3), false, false, false);
            s.noar = rng() % 2 ? 2 : 1;
            break;
          }
          case 3: {  // a wanted packet whose first 1-3 bytes end this packet and the rest follow it
            PacketSpec inner;
            inner.app = "M";
            inner.noar = 1;
            hidden_tail = frame(packet(inner, arg_string("straddling" + std::to_string(k), false)));
            const std::size_t head = 1 + rng() % 3;
            const std::string straddling_head(hidden_tail.begin(),
                                              hidden_tail.begin() + static_cast<std::ptrdiff_t>(head));
            payload = arg_string(std::string(rng() % 40, 'x') + straddling_head, false, false, false);
            hidden_tail.erase(hidden_tail.begin(), hidden_tail.begin() + static_cast<std::ptrdiff_t>(head));
            s.noar = rng() % 2 ? 2 : 1;
            break;
          }
          default: break;
        }
        Bytes framed = frame(packet(s, payload));
        in.insert(in.end(), framed.begin(), framed.end());
        in.insert(in.end(), hidden_tail.begin(), hidden_tail.end());
        if (rng() % 10 == 0) in.push_back(static_cast<std::uint8_t>(rng()));  // garbage
      }
      const std::size_t chunk = 1 + rng() % 300;
      OnlyM gate, quick_gate;
      quick_gate.quick = true;
      const std::string reference = m_lines(f, in, in.size(), nullptr);
      ASSERT_EQ(m_lines(f, in, chunk, &gate), reference) << "round " << round;
      ASSERT_EQ(m_lines(f, in, chunk, &quick_gate), reference) << "round " << round;
    }
  }
}

// A text sink lets the framer write payload texts straight into its lines
// (dlt::InPlaceLines). On streams with invalid payloads (a line begun, then taken back),
// skip records pending before good packets, corruption and any chunking, the lines must be
// the very lines of the copying path.
TEST(Framer, LinesWrittenInPlaceEqualCopiedLines) {
  std::mt19937 rng(7);
  for (StreamFormat f : {StreamFormat::File, StreamFormat::Serial, StreamFormat::Network}) {
    Bytes in;
    for (int i = 0; i < 60; ++i) {
      PacketSpec s;
      s.counter = static_cast<std::uint8_t>(i);
      s.noar = 1;
      if (rng() % 5 == 0) s.noar = 2;  // one argument short: valid header, invalid payload
      Bytes m = packet(s, arg_string("line " + std::to_string(i), false));
      if (f == StreamFormat::File) m = storage(m, i, 0);
      if (f == StreamFormat::Serial) m = serial(m);
      if (rng() % 6 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      in.insert(in.end(), m.begin(), m.end());
      if (rng() % 7 == 0) in.push_back(static_cast<std::uint8_t>(rng()));
    }
    const std::string copied = run(f, in, 0, nullptr, true);
    ASSERT_NE(copied.find("Invalid packet"), std::string::npos) << "the stream must exercise taken-back lines";
    for (std::size_t chunk : {0u, 1u, 13u}) {
      util::TextBuffer text;
      output::BufferSink sink({true}, text);
      ASSERT_NE(sink.in_place_lines(), nullptr);
      dlt::Framer framer(f);
      framer.set_payload_text(true);
      const std::size_t step = chunk ? chunk : in.size();
      for (std::size_t at = 0; at < in.size(); at += step)
        framer.feed({in.data() + at, std::min(step, in.size() - at)}, sink);
      framer.finish(sink);
      EXPECT_EQ(text.view(), copied) << "chunk " << chunk;
    }
  }
}

// A catalogue's message is written in place as if its frame read the payload, and taken
// back and begun again as a byte dump when it does not (a length-prefixed argument with
// bytes left over). The second begin_line must see the message as the framer made it: a
// sink that relocates messages in begin_line (as dissect::CaptureFlow does) relocates
// each once.
TEST(Framer, CatalogueLineTakenBackIsBegunAgainUnrelocated) {
  dlt::CatalogueBuilder b({});
  b.begin_file();
  const std::uint32_t text = b.add_arg(dlt::SignalType::Ascii, 0, 0);
  b.add_frame(7, dlt::Id{}, dlt::Id::from_text("APP1"), dlt::Id::from_text("CTX1"), 0x40, std::vector{text});
  ASSERT_TRUE(b.end_file().empty());
  const dlt::Catalogue catalogue = b.build();

  // Relocates by a fixed offset in begin_line; records the positions of ended lines.
  struct Relocating : dlt::FramerSink, dlt::InPlaceLines {
    const std::uint64_t offset = 1000;
    util::TextBuffer out;
    std::size_t start = 0;
    std::uint64_t position = 0;
    std::vector<std::uint64_t> ended;
    std::vector<std::string> lines;
    void on_message(const dlt::Message&) override { ADD_FAILURE() << "every line is written in place"; }
    void on_skip(const dlt::SkipRecord&) override { ADD_FAILURE() << "no bytes are skipped"; }
    dlt::InPlaceLines* in_place_lines() override { return this; }
    util::TextBuffer& begin_line(dlt::Message& m) override {
      m.position += offset;
      position = m.position;
      start = out.size();
      out.append(m.frame_decodes ? std::string_view("frame ") : std::string_view("dump "));
      return out;
    }
    void end_line() override {
      ended.push_back(position);
      lines.emplace_back(out.view().substr(start));
    }
    void cancel_line() override { out.truncate(start); }
  } sink;

  PacketSpec s;
  s.msin = 0x40;  // non-verbose
  const Bytes fits = packet(s, {7, 0, 0, 0, 2, 0, 'h', 'i'});
  const Bytes padded = packet(s, {7, 0, 0, 0, 2, 0, 'h', 'i', 0xEE});
  // Serial framing: the first packet of a network stream is confirmed before it is
  // delivered, so it is not written in place.
  const Bytes in = cat({serial(fits), serial(padded), serial(fits)});
  dlt::Framer framer(StreamFormat::Serial);
  framer.set_payload_text(true);
  framer.set_catalogue(&catalogue);
  framer.feed(in, sink);
  framer.finish(sink);
  ASSERT_EQ(sink.lines.size(), 3u);
  EXPECT_EQ(sink.lines[0], "frame [7] hi");
  EXPECT_EQ(sink.lines[1], "dump [7] --hi-|02 00 68 69 ee");
  EXPECT_EQ(sink.lines[2], "frame [7] hi");
  const std::uint64_t off = sink.offset;
  EXPECT_EQ(sink.ended,
            (std::vector<std::uint64_t>{off, off + 4 + fits.size(), off + 8 + fits.size() + padded.size()}));
}

// The interrupt flag (a stop request) ends the framing before a packet, never inside one:
// what was delivered stays, nothing more comes, not even from finish().
TEST(Framer, InterruptStopsBeforeTheNextPacketAndDeliversNothingMore) {
  Bytes in;
  for (int i = 0; i < 10; ++i) {
    const Bytes m = storage(message("message " + std::to_string(i), static_cast<std::uint8_t>(i)), i, 0);
    in.insert(in.end(), m.begin(), m.end());
  }
  in.push_back('x');  // would be an end-of-stream skip
  for (std::size_t chunk : {std::size_t{7}, std::size_t{50}, in.size()}) {
    std::atomic<bool> flag{false};
    struct StopAtThird : Collect {
      std::atomic<bool>* flag = nullptr;
      void on_message(const dlt::Message& m) override {
        Collect::on_message(m);
        if (messages == 3) *flag = true;
      }
    } c;
    c.flag = &flag;
    dlt::Framer framer(StreamFormat::File);
    framer.set_interrupt_flag(&flag);
    for (std::size_t at = 0; at < in.size(); at += chunk)
      framer.feed({in.data() + at, std::min(chunk, in.size() - at)}, c);
    framer.finish(c);
    EXPECT_TRUE(framer.interrupted()) << chunk;
    EXPECT_EQ(c.messages, 3) << chunk;
    EXPECT_EQ(c.skips, 0) << chunk;
  }
}

namespace {
// What a framer delivers of each message: whether it carries JSON arguments, and those it
// carries (or, without, what format_verbose_json makes of the payload).
struct CollectArgs : dlt::FramerSink {
  std::vector<std::string> carried, made;
  void on_message(const dlt::Message& m) override {
    carried.push_back(m.has_payload_args ? std::string(m.payload_args) : "-");
    util::TextBuffer json;
    if (m.kind == dlt::PayloadKind::Verbose) dlt::format_verbose_json(m.payload, m.big_endian, m.noar, json);
    made.emplace_back(json.view());
  }
  void on_skip(const dlt::SkipRecord&) override {}
};
}  // namespace

// With set_payload_args, each verbose message carries its typed JSON arguments, made in the
// walk that made its text (a JSON Lines record then walks no payload); non-verbose and
// control messages, invalid payloads, and framers without it or without text carry none.
TEST(Framer, PayloadArgsAreTheJsonArgumentsOfVerboseMessages) {
  PacketSpec nv;
  nv.msin = 0x40;  // non-verbose
  PacketSpec two = {};
  two.noar = 2;
  const Bytes in = cat({storage(message("one \"quoted\"")), storage(packet(nv, {1, 0, 0, 0, 7})),
                        storage(packet(two, cat({arg_uint(42, 2, false), arg_string("two", false, true)}))),
                        storage(packet(two, arg_uint(1, 1, false)))});
  for (const bool args : {true, false}) {
    for (const bool text : {true, false}) {
      CollectArgs c;
      dlt::Framer framer(StreamFormat::File);
      framer.set_payload_text(text);
      framer.set_payload_args(args);
      framer.feed({in.data(), in.size()}, c);
      framer.finish(c);
      ASSERT_EQ(c.carried.size(), 3u) << "the packet of two arguments holding one is skipped";
      if (args && text) {
        EXPECT_EQ(c.carried[0], c.made[0]);
        EXPECT_EQ(c.carried[0], R"({"type":"string","coding":"ascii","value":"one \"quoted\""})");
        EXPECT_EQ(c.carried[1], "-");
        EXPECT_EQ(c.carried[2], c.made[2]);
        EXPECT_EQ(c.carried[2],
                  R"({"type":"uint","bits":16,"value":42},{"type":"string","coding":"utf8","value":"two"})");
      } else {
        EXPECT_EQ(c.carried, std::vector<std::string>(3, "-"));
      }
    }
  }
}
