// DLT from captured packets: link layers, flows, splitting, fragments, TECMP, positions,
// times, the end-of-input flush (Q12) and the bounds.
#include "dissect/capture_decoder.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "dlt/packet_builder.hpp"
#include "frame_builder.hpp"
#include "util/error.hpp"

namespace dltdump::dissect {
namespace {

using tools::Frame;
namespace lt = aio::link_type;

struct Event {
  bool skip = false;
  std::uint64_t position = 0;
  std::int64_t time_us = 0;
  std::string app;
  std::uint8_t counter = 0;
  std::uint64_t length = 0;
  std::string reason;
};

struct Recorder : dlt::FramerSink {
  std::vector<Event> events;
  void on_message(const dlt::Message& m) override {
    Event e;
    e.position = m.position;
    e.time_us = m.time.valid ? m.time.us : -1;
    e.app = std::string(m.app.view());
    e.counter = m.counter;
    e.length = m.raw.size();
    events.push_back(e);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    Event e;
    e.skip = true;
    e.position = s.position;
    e.time_us = s.time.valid ? s.time.us : -1;
    e.length = s.length;
    e.reason = std::string(s.reason);
    events.push_back(e);
  }
  std::vector<std::string> messages() const {
    std::vector<std::string> v;
    for (const auto& e : events)
      if (!e.skip) v.push_back(e.app.substr(0, 3) + std::to_string(e.counter));
    return v;
  }
};

// A Recorder that takes messages as lines written in place (dlt::InPlaceLines): each
// event from begin_line, the payload text the framer appends checked on end_line.
struct InPlaceRecorder : Recorder, dlt::InPlaceLines {
  std::unique_ptr<util::TextBuffer> line = std::make_unique<util::TextBuffer>();
  std::vector<std::string> texts;
  dlt::InPlaceLines* in_place_lines() override { return this; }
  util::TextBuffer& begin_line(dlt::Message& m) override {
    line->clear();
    Recorder::on_message(m);
    return *line;
  }
  void end_line() override { texts.emplace_back(line->view()); }
  void cancel_line() override { events.pop_back(); }
};

// A DLT message of application `app` (3 letters) with counter `n` and a string argument.
Frame dlt_message(const std::string& app, std::uint8_t n, std::size_t text = 10) {
  test::PacketSpec spec;
  spec.app = app;
  spec.counter = n;
  spec.noar = 1;
  Frame payload = {0x00, 0x02, 0x00, 0x00};                         // string type info, little endian
  payload.push_back(static_cast<std::uint8_t>((text + 1) & 0xFF));  // length, little endian
  payload.push_back(static_cast<std::uint8_t>((text + 1) >> 8));
  for (std::size_t i = 0; i < text; ++i) payload.push_back(static_cast<std::uint8_t>('a' + i % 26));
  payload.push_back(0);
  return test::packet(spec, payload);
}

Frame cat(std::initializer_list<Frame> parts) {
  Frame out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct Capture {
  std::vector<Frame> frames;
  std::vector<aio::Packet> packets;
  std::uint64_t offset = 24;
  // Adds a frame as the next record of an imaginary file (16-byte record headers).
  void add(Frame f, std::int64_t time_ns, std::uint16_t link = lt::kEthernet, std::uint32_t itf = 0) {
    frames.push_back(std::move(f));
    aio::Packet p;
    p.size = static_cast<std::uint32_t>(frames.back().size());
    p.time_ns = time_ns;
    p.offset = offset + 16;
    p.link_type = link;
    p.interface = itf;
    packets.push_back(p);
    offset += 16 + frames.back().size();
  }
  template <class R = Recorder>
  R decode(CaptureDecoder::Options options = {}, CaptureDecoder::Stats* stats = nullptr, std::string* losses = nullptr,
           std::string* nothing_found = nullptr) {
    for (std::size_t i = 0; i < packets.size(); ++i) packets[i].data = frames[i].data();
    R r;
    CaptureDecoder d(options, r);
    d.take(packets);
    d.finish();
    if (stats) *stats = d.stats();
    if (losses) *losses = d.losses().text();
    if (nothing_found) *nothing_found = d.nothing_found();
    return r;
  }
};

const tools::Addresses kA;
tools::Addresses source_b() {
  tools::Addresses b = kA;
  b.source = 0x0A00000C;
  b.source_port = 50001;
  return b;
}

TEST(CaptureDecoder, EveryLinkLayerWithPositionAndTime) {
  const Frame msg = dlt_message("NAV", 1);
  const Frame ip = tools::ipv4(kA, tools::udp(kA, msg));
  const std::pair<std::uint16_t, Frame> frames[] = {
      {lt::kEthernet, tools::ethernet(ip)},
      {lt::kEthernet, tools::ethernet(ip, {0x8100})},
      {lt::kEthernet, tools::ethernet(ip, {0x88A8, 0x8100})},
      {lt::kLinuxSll, tools::sll(ip)},
      {lt::kLinuxSll2, tools::sll2(ip)},
      {lt::kRaw, ip},
      {lt::kIpv4, ip},
  };
  for (const auto& [link, frame] : frames) {
    Capture c;
    c.add(frame, 1'700'000'000'123'456'789, link);
    const Recorder r = c.decode();
    ASSERT_EQ(r.events.size(), 1u) << link;
    EXPECT_EQ(r.events[0].position, 40 + frame.size() - msg.size()) << link;  // the DLT bytes in the file
    EXPECT_EQ(r.events[0].time_us, 1'700'000'000'123'456) << link;
  }
}

TEST(CaptureDecoder, SeveralMessagesPerDatagramAndOneSplitAcrossTwo) {
  const Frame m1 = dlt_message("NAV", 1), m2 = dlt_message("NAV", 2, 300), m3 = dlt_message("NAV", 3);
  const Frame first = cat({m1, Frame(m2.begin(), m2.begin() + 100)});
  const Frame second = cat({Frame(m2.begin() + 100, m2.end()), m3});
  Capture c;
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, first))), 1'000'000);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, second))), 2'000'000);
  const Recorder r = c.decode();
  EXPECT_EQ(r.messages(), (std::vector<std::string>{"NAV1", "NAV2", "NAV3"}));
  const std::uint64_t dlt_start = 24 + 16 + 14 + 20 + 8;
  EXPECT_EQ(r.events[1].position, dlt_start + m1.size());  // where m2's first byte is in the file
  EXPECT_EQ(r.events[1].time_us, 1000);                    // the datagram holding its first byte
  EXPECT_EQ(r.events[2].time_us, 2000);
}

TEST(CaptureDecoder, TwoSourcesAlternatingFragmentsOfSplitMessages) {
  const tools::Addresses b = source_b();
  // Each source sends two datagrams of 3050 bytes; a message straddles the two; each
  // datagram is cut into 3 IP fragments; the six fragments of A and of B alternate.
  auto messages = [](const std::string& app) {
    Frame all;
    for (std::uint8_t i = 0; i < 20; ++i) all = cat({all, dlt_message(app, i, 280)});
    return all;  // 20 × 305 bytes = 6100
  };
  const Frame a = messages("AAA"), bb = messages("BBB");
  auto datagrams = [](const tools::Addresses& addr, const Frame& bytes, std::uint16_t id0) {
    std::vector<Frame> out;
    for (std::size_t at = 0, k = 0; at < bytes.size(); at += 3050, ++k) {
      const Frame part(bytes.begin() + static_cast<long>(at),
                       bytes.begin() + static_cast<long>(std::min(bytes.size(), at + 3050)));
      for (auto& f : tools::fragments(addr, tools::udp(addr, part), 1480, static_cast<std::uint16_t>(id0 + k)))
        out.push_back(tools::ethernet(f));
    }
    return out;
  };
  const auto fa = datagrams(kA, a, 100), fb = datagrams(b, bb, 100);  // same IP ids: other sources
  ASSERT_EQ(fa.size(), 6u);
  ASSERT_EQ(fb.size(), 6u);
  Capture c;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    const std::size_t j = i % 3 == 0 ? i + 2 : i % 3 == 2 ? i - 2 : i;  // last fragment first
    c.add(fa[j], 10 + static_cast<std::int64_t>(i));
    c.add(fb[j], 10 + static_cast<std::int64_t>(i));
  }
  CaptureDecoder::Stats stats;
  const Recorder r = c.decode({}, &stats);
  std::vector<std::string> want;
  for (int i = 0; i < 20; ++i) want.push_back("AAA" + std::to_string(i));
  std::vector<std::string> got_a, got_b;
  for (const auto& m : r.messages()) (m[0] == 'A' ? got_a : got_b).push_back(m);
  EXPECT_EQ(got_a, want);
  for (auto& w : want) w.replace(0, 3, "BBB");
  EXPECT_EQ(got_b, want);
  EXPECT_EQ(stats.datagrams, 4u);  // two reassembled datagrams per source
  for (const auto& e : r.events) EXPECT_FALSE(e.skip) << e.reason;
}

// A datagram whose last fragment holds a few bytes (an IPv4 packet of 21-28): DltDump
// ignores packets under 36 bytes, fragments too, and loses the datagram; here it completes
// (deviation Q32).
TEST(CaptureDecoder, AShortLastFragmentCompletesItsDatagram) {
  Frame messages;
  for (std::uint8_t i = 0; i < 5; ++i) messages = cat({messages, dlt_message("AAA", i, 280)});
  const Frame datagram = tools::udp(kA, messages);
  const std::size_t cut = (datagram.size() - 1) / 8 * 8;  // the last fragment's place: 1-8 bytes after it
  ASSERT_LT(datagram.size() - cut, 16u);
  const Frame first(datagram.begin(), datagram.begin() + static_cast<long>(cut));
  const Frame last(datagram.begin() + static_cast<long>(cut), datagram.end());
  Capture c;
  c.add(tools::ethernet(tools::ipv4(kA, first, 77, 0, true)), 1);
  c.add(tools::ethernet(tools::ipv4(kA, last, 77, static_cast<std::uint32_t>(cut), false)), 2);
  CaptureDecoder::Stats stats;
  const Recorder r = c.decode({}, &stats);
  EXPECT_EQ(r.messages().size(), 5u);
  EXPECT_EQ(stats.datagrams, 1u);
}

// A message split over datagrams whose last holds a few bytes (an IPv4 packet of 31):
// DltDump ignores packets under 36 bytes, and the message takes the next datagram's first
// bytes instead of its own (a capture of ../shared/data; a new user's finding); here the
// short datagram is decoded (deviation Q33).
TEST(CaptureDecoder, ADatagramOfAFewBytesEndsTheMessageItContinues) {
  const Frame m1 = dlt_message("AAA", 1, 40), m2 = dlt_message("AAA", 2), m3 = dlt_message("AAA", 3);
  for (std::size_t tail = 1; tail <= 8; ++tail) {
    const Frame head(m1.begin(), m1.end() - static_cast<long>(tail)), end(m1.end() - static_cast<long>(tail), m1.end());
    Capture c;
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, head))), 1);
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, end))), 2);  // unpadded, as the sending host captures it
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, cat({m2, m3})))), 3);
    const Recorder r = c.decode({});
    EXPECT_EQ(r.messages(), (std::vector<std::string>{"AAA1", "AAA2", "AAA3"})) << tail << " bytes";
    for (const auto& e : r.events) EXPECT_FALSE(e.skip) << tail << " bytes: " << e.reason;
  }
}

TEST(CaptureDecoder, PortsAndTrafficThatIsNotDlt) {
  tools::Addresses other = kA;
  other.destination_port = 3491;
  const Frame msg = dlt_message("NAV", 1);
  Capture c;
  c.add(tools::ethernet(tools::ipv4(other, tools::udp(other, msg))), 1);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, msg))), 2);
  c.add(tools::ethernet(Frame(28, 0), {}, 0x0806), 3);                       // ARP
  c.add(tools::ethernet(tools::ipv4(kA, Frame(40, 0), 1, 0, false, 6)), 4);  // TCP
  c.add(tools::ethernet(Frame(60, 0x60), {}, 0x86DD), 5);                    // IPv6
  c.add(tools::ipv4(kA, Frame(7, 0)), 6, lt::kRaw);                          // 27 bytes: no UDP header
  CaptureDecoder::Stats stats;
  EXPECT_EQ(c.decode({}, &stats).messages(), (std::vector<std::string>{"NAV1"}));
  EXPECT_EQ(stats.ignored, 5u);
  CaptureDecoder::Options both;
  both.udp_ports = {3490, 3491};
  EXPECT_EQ(c.decode(both).messages(), (std::vector<std::string>{"NAV1", "NAV1"}));
}

TEST(CaptureDecoder, TruncatedFramesAndUnsupportedLinkTypesAreSkippedQuietly) {
  const Frame frame = tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 1))));
  Capture c;
  c.add(frame, 1);
  c.packets.back().original_size = static_cast<std::uint32_t>(frame.size() + 10);  // caplen < len
  c.add(frame, 2, 147);                                                            // LINKTYPE_USER0
  c.add(Frame(5, 0), 3);                                                           // runt
  CaptureDecoder::Stats stats;
  EXPECT_TRUE(c.decode({}, &stats).events.empty());
  EXPECT_EQ(stats.truncated, 1u);
  EXPECT_EQ(stats.unsupported_link, 1u);
  EXPECT_EQ(stats.ignored, 1u);
}

TEST(CaptureDecoder, TecmpEntriesAndVersionsOtherThanThree) {
  const Frame m1 = dlt_message("TCM", 1), m2 = dlt_message("TCM", 2);
  const Frame inner1 = tools::ethernet(tools::ipv4(kA, tools::udp(kA, m1)));
  const Frame inner2 = tools::ethernet(tools::ipv4(kA, tools::udp(kA, m2)), {0x8100});
  Capture c;
  c.add(tools::tecmp({inner1, inner2}), 5000);
  c.add(tools::tecmp({inner1}, 2), 6000);  // every frame of another version is dropped (Q11)
  c.add(tools::tecmp({inner1}, 4), 7000);
  CaptureDecoder::Stats stats;
  const Recorder r = c.decode({}, &stats);
  EXPECT_EQ(r.messages(), (std::vector<std::string>{"TCM1", "TCM2"}));
  EXPECT_EQ(stats.tecmp_bad_version, 2u);
  // Positions point at the DLT bytes inside the entries.
  const std::uint64_t frame_data = 24 + 16;
  EXPECT_EQ(r.events[0].position, frame_data + 14 + 12 + 16 + inner1.size() - m1.size());
  EXPECT_EQ(r.events[1].position, frame_data + 14 + 12 + 16 + inner1.size() + 16 + inner2.size() - m2.size());
}

TEST(CaptureDecoder, AtTheEndEveryFlowIsFlushedInOrderOfFirstAppearance) {
  const tools::Addresses b = source_b();
  const Frame ma = dlt_message("AAA", 1), mb = dlt_message("BBB", 1);
  const std::uint64_t record = 16 + 42;  // record header, Ethernet, IPv4 and UDP headers
  {
    // Each flow's first message alone in a datagram (its end confirms the stream's first
    // packet, Q29), then the head of a message cut by the end of the capture: the
    // messages go out as they come, the cut heads at the end, flow A's first.
    Capture c;
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, ma))), 1000);
    c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, mb))), 2000);
    c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, Frame(mb.begin(), mb.begin() + 30)))), 3000);
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, Frame(ma.begin(), ma.begin() + 20)))), 4000);
    const Recorder r = c.decode();
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.messages(), (std::vector<std::string>{"AAA1", "BBB1"}));
    EXPECT_EQ(r.events[2].skip, true);
    EXPECT_EQ(r.events[2].length, 20u);  // flow A first: it appeared first
    EXPECT_EQ(r.events[2].position, 24 + 3 * record + ma.size() + mb.size() + 30 + record);
    EXPECT_EQ(r.events[2].time_us, 4);
    EXPECT_EQ(r.events[3].length, 30u);
    EXPECT_EQ(r.events[3].time_us, 3);
  }
  {
    // A message and the head of the next one in each flow's only datagram: the message
    // starts the flow's stream and waits for the packets that confirm it, which the cut
    // one does not do before the end of the input. So each flow's message and its cut
    // bytes go out at the end, in the order the flows appeared.
    Capture c;
    c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, cat({ma, Frame(ma.begin(), ma.begin() + 20)})))), 1000);
    c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, cat({mb, Frame(mb.begin(), mb.begin() + 30)})))), 2000);
    const Recorder r = c.decode();
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.messages(), (std::vector<std::string>{"AAA1", "BBB1"}));
    EXPECT_EQ(r.events[1].skip, true);
    EXPECT_EQ(r.events[1].length, 20u);
    EXPECT_EQ(r.events[1].position, 24 + record + ma.size());
    EXPECT_EQ(r.events[2].app, "BBB");
    EXPECT_EQ(r.events[2].time_us, 2);
    EXPECT_EQ(r.events[3].length, 30u);
    EXPECT_EQ(r.events[3].time_us, 2);
  }
}

TEST(CaptureDecoder, CorruptionIsResynchronisedPerFlow) {
  const tools::Addresses b = source_b();
  Capture c;
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("AAA", 1)))), 1);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, Frame(50, 0xFF)))), 2);  // garbage in flow A
  c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, dlt_message("BBB", 1)))), 3);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("AAA", 2)))), 4);
  const Recorder r = c.decode();
  EXPECT_EQ(r.messages(), (std::vector<std::string>{"AAA1", "BBB1", "AAA2"}));
  std::uint64_t skipped = 0;
  for (const auto& e : r.events) skipped += e.skip ? e.length : 0;
  EXPECT_EQ(skipped, 50u);
}

// Lines written in place get the same positions and times as delivered messages, on two
// interleaved flows with messages split across datagrams, garbage and an invalid payload
// (a line begun and taken back).
TEST(CaptureDecoder, LinesInPlaceAreLocatedLikeMessages) {
  const tools::Addresses b = source_b();
  const Frame m1 = dlt_message("AAA", 1), m2 = dlt_message("AAA", 2, 300);
  Frame invalid = dlt_message("AAA", 3);
  invalid[9] = 2;  // NOAR (after standard header, ECU id, MSIN) 2 for one argument: invalid
  Capture c;
  // Each flow's first message, alone in a datagram: the first packet of a stream is
  // confirmed before it is taken (Q29), so it goes through on_message; here the
  // datagram's end confirms it at once.
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("AAA", 0)))), 500);
  c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, dlt_message("BBB", 0)))), 700);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, cat({m1, Frame(m2.begin(), m2.begin() + 100)})))), 1000);
  c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, dlt_message("BBB", 1)))), 2000);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, cat({Frame(m2.begin() + 100, m2.end()), invalid})))), 3000);
  c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, Frame(20, 0xFF)))), 4000);
  c.add(tools::ethernet(tools::ipv4(b, tools::udp(b, dlt_message("BBB", 2)))), 5000);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("AAA", 4)))), 6000);
  const Recorder plain = c.decode();
  const InPlaceRecorder in_place = c.decode<InPlaceRecorder>();
  ASSERT_EQ(in_place.events.size(), plain.events.size());
  for (std::size_t i = 0; i < plain.events.size(); ++i) {
    EXPECT_EQ(in_place.events[i].skip, plain.events[i].skip) << i;
    EXPECT_EQ(in_place.events[i].position, plain.events[i].position) << i;
    EXPECT_EQ(in_place.events[i].time_us, plain.events[i].time_us) << i;
    EXPECT_EQ(in_place.events[i].app, plain.events[i].app) << i;
  }
  EXPECT_EQ(plain.messages(), (std::vector<std::string>{"AAA0", "BBB0", "AAA1", "BBB1", "AAA2", "BBB2", "AAA4"}));
  // In place once each flow's stream is under way, until a skip record is pending in the
  // flow (it must be delivered first): the invalid AAA3 and B's garbage send AAA4 and
  // BBB2 through on_message.
  ASSERT_EQ(in_place.texts.size(), 3u);
  std::string letters;
  for (std::size_t i = 0; i < 300; ++i) letters.push_back(static_cast<char>('a' + i % 26));
  EXPECT_EQ(in_place.texts[0], letters.substr(0, 10));
  EXPECT_EQ(in_place.texts[2], letters);  // the message split across two datagrams
}

TEST(CaptureDecoder, TooManyFlowsFlushTheLeastRecentlyFed) {
  Capture c;
  for (std::uint16_t i = 0; i < 3; ++i) {
    tools::Addresses a = kA;
    a.source_port = static_cast<std::uint16_t>(40000 + i);
    const Frame m = dlt_message("FLW", static_cast<std::uint8_t>(i));
    c.add(tools::ethernet(tools::ipv4(a, tools::udp(a, Frame(m.begin(), m.begin() + 10)))), i);
  }
  CaptureDecoder::Options options;
  options.max_flows = 2;
  CaptureDecoder::Stats stats;
  const Recorder r = c.decode(options, &stats);
  EXPECT_EQ(stats.flows_evicted, 1u);
  ASSERT_EQ(r.events.size(), 3u);  // every partial message is accounted for as a skip
  for (const auto& e : r.events) EXPECT_EQ(e.length, 10u);
  EXPECT_EQ(r.events[0].time_us, 0);  // the first flow went first, when the third appeared
}

TEST(CaptureDecoder, LossesAreSummarisedInOneLine) {
  Capture clean;
  clean.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 1)))), 1);
  std::string losses = "?";
  clean.decode({}, nullptr, &losses);
  EXPECT_EQ(losses, "");
  Capture c;
  c.add(tools::ethernet(tools::ipv4(kA, tools::Frame(1480, 0), 7, 0, true)), 1);  // a lone first fragment
  c.add(tools::tecmp({tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 1))))}, 2), 2);
  c.decode({}, nullptr, &losses);
  EXPECT_EQ(losses, "1 IP fragment set incomplete at the end, 1 TECMP frame of a version other than 3");
}

// --udp-port naming a port no datagram uses, or a capture without UDP: nothing is decoded,
// and one line says what the capture holds instead.
TEST(CaptureDecoder, WhenNothingIsDecodedItSaysWhatWasFound) {
  const Frame msg = dlt_message("NAV", 1);
  auto to_port = [&](std::uint16_t port) {
    tools::Addresses a = kA;
    a.destination_port = port;
    return tools::ethernet(tools::ipv4(a, tools::udp(a, msg)));
  };
  Capture c;
  for (int i = 0; i < 3; ++i) c.add(to_port(3491), i);
  c.add(to_port(5000), 4);
  c.add(tools::ethernet(Frame(28, 0), {}, 0x0806), 5);  // ARP
  std::string found = "?";
  c.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found, "no UDP datagrams to port 3490; found UDP ports 3491 (3 datagrams), 5000 (1 datagram)");
  CaptureDecoder::Options two;
  two.udp_ports = {7000, 6000};
  c.decode(two, nullptr, nullptr, &found);
  EXPECT_EQ(found, "no UDP datagrams to ports 6000, 7000; found UDP ports 3491 (3 datagrams), 5000 (1 datagram)");
  Capture many;  // more ports than are named
  for (std::uint16_t port = 4000; port < 4008; ++port) many.add(to_port(port), port);
  many.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found,
            "no UDP datagrams to port 3490; found UDP ports 4000 (1 datagram), 4001 (1 datagram), 4002 (1 datagram), "
            "4003 (1 datagram), 4004 (1 datagram) and 3 other ports");
  Capture six;  // one more than are named: singular (a new user's finding: "1 other ports")
  for (std::uint16_t port = 4000; port < 4006; ++port) six.add(to_port(port), port);
  six.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found,
            "no UDP datagrams to port 3490; found UDP ports 4000 (1 datagram), 4001 (1 datagram), 4002 (1 datagram), "
            "4003 (1 datagram), 4004 (1 datagram) and 1 other port");

  Capture no_udp;
  no_udp.add(tools::ethernet(Frame(28, 0), {}, 0x0806), 1);
  no_udp.add(to_port(3490), 2, 147);  // LINKTYPE_USER0
  no_udp.add(to_port(3490), 3);
  no_udp.packets.back().original_size = 2000;  // captured shorter than on the wire
  no_udp.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found,
            "no UDP datagrams or TCP segments in 3 packets (1 of link types not decoded, 1 captured shorter than on "
            "the wire)");

  Capture decoded = c;  // one datagram to our port: nothing to say
  decoded.add(to_port(3490), 6);
  decoded.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found, "");
  Capture empty;  // no packet at all: nothing to say either
  empty.decode({}, nullptr, nullptr, &found);
  EXPECT_EQ(found, "");
}

TEST(CaptureDecoder, PacketsBeyondTheSnapshotLengthAreDecodedAndCounted) {
  Capture c;
  const Frame frame = tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 1, 100))));
  c.add(frame, 1);
  c.add(frame, 2);
  CaptureDecoder::Options options;
  options.snapshot_length = static_cast<std::uint32_t>(frame.size() - 1);
  std::string losses;
  CaptureDecoder::Stats stats;
  EXPECT_EQ(c.decode(options, &stats, &losses).messages(), (std::vector<std::string>{"NAV1", "NAV1"}));
  EXPECT_EQ(stats.beyond_snapshot, 2u);
  EXPECT_EQ(losses,
            "2 records captured longer than the snapshot length " + std::to_string(frame.size() - 1) + " (read whole)");
  options.snapshot_length = static_cast<std::uint32_t>(frame.size());
  c.decode(options, nullptr, &losses);
  EXPECT_EQ(losses, "");
}

// The output's error passes through the decoder as it was thrown, at once: the packets
// after the one being decoded are not.
TEST(CaptureDecoder, AnOutputErrorPassesThroughAtOnce) {
  struct Failing : dlt::FramerSink {
    int messages = 0;
    void on_message(const dlt::Message&) override {
      ++messages;
      throw util::output_error("standard output", "Couldn't write to standard output");
    }
    void on_skip(const dlt::SkipRecord&) override {}
  } sink;
  Capture c;
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 1)))), 1);
  c.add(tools::ethernet(tools::ipv4(kA, tools::udp(kA, dlt_message("NAV", 2)))), 2);
  for (std::size_t i = 0; i < c.packets.size(); ++i) c.packets[i].data = c.frames[i].data();
  CaptureDecoder d({}, sink);
  try {
    d.take(c.packets);
    FAIL() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OutputError);
    EXPECT_STREQ(e.what(), "Couldn't write to standard output");
  }
  EXPECT_EQ(sink.messages, 1);
  EXPECT_EQ(d.stats().packets, 1u);
}

// Losses are counts (a value), put into words only when printed.
TEST(CaptureLosses, CountsMadeIntoOneLine) {
  CaptureLosses l;
  EXPECT_FALSE(l.any());
  EXPECT_EQ(l.text(), "");
  l.tecmp_bad_version = 2;
  l.fragment_sets_dropped = 1;
  EXPECT_TRUE(l.any());
  EXPECT_EQ(l.text(), "1 IP fragment set dropped at the memory limit, 2 TECMP frames of a version other than 3");
  l = {};
  l.beyond_snapshot = 3;
  l.snapshot_length = 96;
  EXPECT_TRUE(l.any());
  EXPECT_EQ(l.text(), "3 records captured longer than the snapshot length 96 (read whole)");
  l.beyond_snapshot = 1;
  l.flows_ended_early = 1;
  EXPECT_EQ(l.text(),
            "1 flow ended early at the flow limit, 1 record captured longer than the snapshot length 96 (read "
            "whole)");
}

// ---- TCP and IPv6 (issue #25) ----

// The DLT stream of `n` messages of `app`, and where each starts in it.
struct Stream {
  Frame bytes;
  std::vector<std::size_t> starts;
};
Stream dlt_stream(const std::string& app, int n, std::size_t text = 60) {
  Stream s;
  for (int i = 0; i < n; ++i) {
    s.starts.push_back(s.bytes.size());
    s.bytes = cat({s.bytes, dlt_message(app, static_cast<std::uint8_t>(i), text + static_cast<std::size_t>(i))});
  }
  return s;
}
Frame slice(const Frame& f, std::size_t from, std::size_t to) {
  return Frame(f.begin() + static_cast<long>(from), f.begin() + static_cast<long>(std::min(to, f.size())));
}
tools::Addresses ecu_to_viewer() {  // dlt-daemon's side: source port 3490
  tools::Addresses a;
  a.source = 0x0A000064;
  a.destination = 0x0A00000B;
  a.source_port = 3490;
  a.destination_port = 50000;
  return a;
}
std::vector<std::string> want_messages(const std::string& app, int from, int to) {
  std::vector<std::string> v;
  for (int i = from; i < to; ++i) v.push_back(app + std::to_string(i));
  return v;
}

TEST(CaptureDecoderTcp, ReorderedRetransmittedSegmentsGiveTheStreamWithPositionsAndTimes) {
  const tools::Addresses a = ecu_to_viewer();
  const Stream s = dlt_stream("ECU", 6);
  const std::uint32_t isn = 0xFFFFFF00u;  // the stream wraps
  // Segments of 100 bytes; the 2nd and 3rd swapped, the 1st sent twice.
  std::vector<std::pair<std::size_t, std::size_t>> cuts;
  for (std::size_t at = 0; at < s.bytes.size(); at += 100) cuts.push_back({at, std::min(at + 100, s.bytes.size())});
  std::vector<std::size_t> order{0, 2, 1, 0};
  for (std::size_t i = 3; i < cuts.size(); ++i) order.push_back(i);
  Capture c;
  c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, isn, 0x02, {}), 1, 0, false, 6)), 1000);  // SYN
  std::vector<std::uint64_t> payload_offset(cuts.size());
  std::vector<std::int64_t> time(cuts.size());
  std::int64_t t = 2000;
  for (const std::size_t k : order) {
    const Frame seg = tools::tcp(a, isn + 1 + static_cast<std::uint32_t>(cuts[k].first), 0,
                                 slice(s.bytes, cuts[k].first, cuts[k].second), true);
    const Frame frame = tools::ethernet(tools::ipv4(a, seg, 1, 0, false, 6));
    if (!time[k]) {
      payload_offset[k] = c.offset + 16 + 14 + 20 + 32;
      time[k] = t;
    }
    c.add(frame, t);
    t += 1000;
  }
  CaptureDecoder::Stats stats;
  std::string losses;
  const Recorder r = c.decode({}, &stats, &losses);
  EXPECT_EQ(r.messages(), want_messages("ECU", 0, 6));
  for (std::size_t i = 0; i < s.starts.size(); ++i) {
    const std::size_t k = s.starts[i] / 100;
    EXPECT_EQ(r.events[i].position, payload_offset[k] + s.starts[i] % 100) << i;
    EXPECT_EQ(r.events[i].time_us, time[k] / 1000) << i;
  }
  EXPECT_EQ(stats.segments, order.size() + 1);
  EXPECT_EQ(losses, "100 TCP bytes retransmitted");
}

TEST(CaptureDecoderTcp, BothDirectionsOfAConnectionAreDecoded) {
  const tools::Addresses down = ecu_to_viewer();
  tools::Addresses up;  // the viewer's control requests to port 3490
  up.source = down.destination;
  up.destination = down.source;
  up.source_port = 50000;
  up.destination_port = 3490;
  Capture c;
  c.add(tools::ethernet(tools::ipv4(up, tools::tcp(up, 7, 0, dlt_message("REQ", 1)), 1, 0, false, 6)), 1000);
  c.add(tools::ethernet(tools::ipv4(down, tools::tcp(down, 9, 0, dlt_message("RSP", 1)), 1, 0, false, 6)), 2000);
  CaptureDecoder::Options other;
  other.tcp_ports = {13400};
  EXPECT_EQ(c.decode().messages(), (std::vector<std::string>{"REQ1", "RSP1"}));
  std::string nothing;
  EXPECT_TRUE(c.decode(other, nullptr, nullptr, &nothing).events.empty());
  // Each segment counts for both its ports: the server's port is on all of them.
  EXPECT_EQ(nothing,
            "no UDP datagrams to port 3490; no TCP segments to or from port 13400; found TCP ports 3490 (2 "
            "segments), 50000 (2 segments)");
}

TEST(CaptureDecoderTcp, ALostSegmentIsASkipAndDecodingResumesAtTheNextMessage) {
  const tools::Addresses a = ecu_to_viewer();
  const Stream s = dlt_stream("ECU", 8);
  Capture c;
  // Messages 2 and 3 damaged; the stream goes on in message 3's text (which no header can
  // be read in: the framer's resynchronisation finds message 4).
  const std::size_t lost_from = s.starts[2] + 10, lost_to = s.starts[3] + 40;
  auto send = [&](std::size_t from, std::size_t to, std::int64_t t) {
    c.add(tools::ethernet(tools::ipv4(
              a, tools::tcp(a, 500 + static_cast<std::uint32_t>(from), 0, slice(s.bytes, from, to)), 1, 0, false, 6)),
          t);
  };
  send(0, lost_from, 1000);
  send(lost_to, s.bytes.size(), 2000);
  std::string losses;
  const Recorder r = c.decode({}, nullptr, &losses);
  std::vector<std::string> want = want_messages("ECU", 0, 2);
  const auto later = want_messages("ECU", 4, 8);
  want.insert(want.end(), later.begin(), later.end());
  EXPECT_EQ(r.messages(), want);
  bool gap = false;
  for (const Event& e : r.events)
    gap = gap || (e.skip && e.reason == dlt::kReasonTcpGap && e.length == lost_to - lost_from);
  EXPECT_TRUE(gap);
  EXPECT_EQ(losses, std::to_string(lost_to - lost_from) +
                        " bytes missing from TCP streams (1 gap in TCP 10.0.0.100:3490 > 10.0.0.11:50000)");
}

TEST(CaptureDecoderTcp, AConnectionAlreadyRunningResynchronises) {
  const tools::Addresses a = ecu_to_viewer();
  const Stream s = dlt_stream("ECU", 5);
  Capture c;
  const std::size_t from = s.starts[1] + 40;  // the capture starts inside message 1's text
  c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, 42, 0, slice(s.bytes, from, s.bytes.size())), 1, 0, false, 6)),
        1000);
  const Recorder r = c.decode();
  EXPECT_EQ(r.messages(), want_messages("ECU", 2, 5));
  ASSERT_FALSE(r.events.empty());
  EXPECT_TRUE(r.events[0].skip);
  EXPECT_EQ(r.events[0].length, s.starts[2] - from);
}

// A client whose initial sequence number repeats (a stack without random ones, restarted)
// reconnects within a second to a server that picks a new one: the client's SYN alone reads
// as a copy of the last connection's, but the server's SYN-ACK begins a new connection,
// and so the client's side begins one too (tester54b lost the requests of the second).
TEST(CaptureDecoderTcp, AClientRepeatingItsSequenceNumberReconnectsWithItsServer) {
  const tools::Addresses down = ecu_to_viewer();
  tools::Addresses up;
  up.source = down.destination;
  up.destination = down.source;
  up.source_port = down.destination_port;
  up.destination_port = down.source_port;
  auto segment = [](const tools::Addresses& a, std::uint32_t seq, std::optional<std::uint32_t> ack, std::uint8_t flags,
                    const Frame& payload) {
    return tools::ethernet(tools::ipv4(a, tools::tcp(a, seq, flags, payload, false, ack), 1, 0, false, 6));
  };
  const std::uint32_t client = 1000;
  Capture c;
  std::int64_t t = 1'000'000;
  for (const auto& [server, app] : {std::pair<std::uint32_t, std::string>{50000, "A"}, {90000, "B"}}) {
    const Stream requests = dlt_stream("Q" + app, 3), responses = dlt_stream("R" + app, 3);
    c.add(segment(up, client, std::nullopt, 0x02, {}), t);
    c.add(segment(down, server, client + 1, 0x02, {}), t += 1000);
    c.add(segment(up, client + 1, server + 1, 0, requests.bytes), t += 1000);
    c.add(segment(down, server + 1, client + 1 + static_cast<std::uint32_t>(requests.bytes.size()), 0, responses.bytes),
          t += 1000);
    t += 300'000'000;  // 0.3 s, no FIN or RST captured: the client was reset
  }
  const Recorder r = c.decode();
  std::vector<std::string> want;
  for (const std::string app : {"A", "B"})
    for (const char side : {'Q', 'R'}) {
      const auto some = want_messages(side + app, 0, 3);
      want.insert(want.end(), some.begin(), some.end());
    }
  EXPECT_EQ(r.messages(), want);
}

TEST(CaptureDecoderTcp, FinEndsTheStreamAndAPartialMessageIsFlushed) {
  const tools::Addresses a = ecu_to_viewer();
  const Stream s = dlt_stream("ECU", 3);
  Capture c;
  c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, 1, 0x01, slice(s.bytes, 0, s.starts[2] + 4)), 1, 0, false, 6)),
        1000);
  c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, 1, 0x02, {}), 1, 0, false, 6)), 2000);  // a new connection
  c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, 2, 0, s.bytes), 1, 0, false, 6)), 3000);
  const Recorder r = c.decode();
  std::vector<std::string> want = want_messages("ECU", 0, 2);
  const auto again = want_messages("ECU", 0, 3);
  want.insert(want.end(), again.begin(), again.end());
  EXPECT_EQ(r.messages(), want);
  ASSERT_GE(r.events.size(), 3u);
  EXPECT_TRUE(r.events[2].skip);  // the 4 bytes of message 2 before the FIN
  EXPECT_EQ(r.events[2].length, 4u);
}

TEST(CaptureDecoderTcp, Ipv6UdpAndTcpWithExtensionHeadersAndFragments) {
  const Stream s = dlt_stream("SIX", 30, 200);  // about 7 KB
  tools::Addresses a;
  Capture c;
  // UDP: one datagram of the first 3 messages after a hop-by-hop header; the rest as one
  // fragmented datagram (unfragmentable hop-by-hop, then fragments).
  const Frame first = slice(s.bytes, 0, s.starts[3]);
  c.add(tools::ethernet(tools::ipv6(tools::udp(a, first), 0, tools::ipv6_option_header(17)), {}, 0x86DD), 1000);
  const Frame rest = slice(s.bytes, s.starts[3], s.starts[12]);
  auto frags = tools::fragments6(tools::udp(a, rest), 17, 1232, 77, 0, tools::ipv6_option_header(44));
  std::reverse(frags.begin(), frags.end());
  for (const Frame& f : frags) c.add(tools::ethernet(f, {}, 0x86DD), 2000);
  // TCP: the rest of the stream from another source in segments of 1000 bytes, one
  // fragmented, on raw IPv6 (link type 229), after a destination options header.
  tools::Addresses t = ecu_to_viewer();
  tools::Addresses6 a6;
  a6.source[15] = 0x99;
  const Frame tail = slice(s.bytes, s.starts[12], s.bytes.size());
  for (std::size_t at = 0; at < tail.size(); at += 1000) {
    const Frame seg = tools::tcp(t, 1000 + static_cast<std::uint32_t>(at), 0, slice(tail, at, at + 1000));
    if (at == 1000) {
      for (const Frame& f : tools::fragments6(seg, 6, 512, 5, 44, {}, a6)) c.add(f, 3000, lt::kIpv6);
    } else {
      c.add(tools::ipv6(seg, 60, tools::ipv6_option_header(6), a6), 3000, lt::kIpv6);
    }
  }
  CaptureDecoder::Stats stats;
  const Recorder r = c.decode({}, &stats);
  EXPECT_EQ(r.messages(), want_messages("SIX", 0, 30));
  EXPECT_EQ(stats.datagrams, 2u);
  EXPECT_EQ(stats.ignored, 0u);
}

TEST(CaptureDecoderTcp, ASegmentWithACorruptSequenceNumberCostsOnlyItsBytes) {
  const tools::Addresses a = ecu_to_viewer();
  const Stream s = dlt_stream("ECU", 6);
  Capture c;
  auto send = [&](std::uint32_t seq, std::size_t from, std::size_t to) {
    c.add(tools::ethernet(tools::ipv4(a, tools::tcp(a, seq, 0, slice(s.bytes, from, to)), 1, 0, false, 6)), 1000);
  };
  const std::size_t half = s.starts[3] + 5;
  send(0, 0, half);
  send(0x9E3779B9u, 0, 40);  // a bit-flipped or forged sequence number, 2.6 GiB away
  send(static_cast<std::uint32_t>(half), half, s.bytes.size());
  CaptureDecoder::Stats stats;
  std::string losses;
  const Recorder r = c.decode({}, &stats, &losses);
  EXPECT_EQ(r.messages(), want_messages("ECU", 0, 6));
  EXPECT_EQ(losses, "40 TCP bytes outside the stream's window (ignored)");
}

TEST(CaptureDecoderTcp, LossesNameTheFlowsTheMostMissingFirst) {
  tools::Addresses a = ecu_to_viewer(), b = ecu_to_viewer();
  b.destination_port = 50001;
  const Stream s = dlt_stream("ECU", 4);
  Capture c;
  auto send = [&](const tools::Addresses& to, std::size_t from, std::size_t end) {
    c.add(tools::ethernet(tools::ipv4(
              to, tools::tcp(to, static_cast<std::uint32_t>(from), 0, slice(s.bytes, from, end)), 1, 0, false, 6)),
          1000);
  };
  send(a, 0, 10);
  send(a, 20, 30);  // 10 missing
  send(b, 0, 10);
  send(b, 40, 50);  // 30 missing
  send(b, 40, 50);  // 10 retransmitted
  for (std::size_t i = 0; i < c.packets.size(); ++i) c.packets[i].data = c.frames[i].data();
  Recorder r;
  CaptureDecoder d({}, r);
  d.take(c.packets);
  d.finish();
  const CaptureLosses l = d.losses();
  ASSERT_EQ(l.flows.size(), 2u);
  EXPECT_EQ(l.flows[0].name, "TCP 10.0.0.100:3490 > 10.0.0.11:50001");
  EXPECT_EQ(l.flows[0].stats.missing, 30u);
  EXPECT_EQ(l.flows[0].stats.retransmitted, 10u);
  EXPECT_EQ(l.flows[1].stats.missing, 10u);
  EXPECT_EQ(l.text(),
            "40 bytes missing from TCP streams (2 gaps; 30 bytes from TCP 10.0.0.100:3490 > 10.0.0.11:50001), 10 TCP "
            "bytes retransmitted");
  FlowKey six{0, net::IpAddress{0xfd00000000000000ull, 2}, net::IpAddress::v4(0x0A000001), 40000, 3490, 17};
  EXPECT_EQ(flow_name(six), "UDP [fd00::2]:40000 > 10.0.0.1:3490");
}

}  // namespace
}  // namespace dltdump::dissect
