#include "dlt/line_formatter.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {
std::string line(const PacketSpec& s, const Bytes& payload, bool position = false, std::uint64_t pos = 0) {
  Bytes pkt = packet(s, payload);
  dlt::Message m;
  EXPECT_TRUE(dlt::parse_packet(pkt, m));
  m.position = pos;
  util::TextBuffer t;
  dlt::LineFormatter f(dlt::LineFormatter::Options{position});
  f.format(m, t);
  return std::string(t.view());
}
PacketSpec full() {
  PacketSpec s;
  s.with_session = true;
  s.session = 50;
  s.with_time = true;
  s.device_time = 12310;
  s.counter = 127;
  return s;
}
}  // namespace

TEST(LineFormatter, SpecExamples) {
  PacketSpec s = full();
  s.noar = 1;
  EXPECT_EQ(line(s, arg_string("Message 00", false)),
            "1970/01/01 00:00:00.000000 1.2310 127 ECU1 APP1 CTX1 50 log info verbose 1 Message 00\n");
  s.noar = 1;
  EXPECT_EQ(line(s, arg_uint(0x1234, 2, false, 3u << 15)),
            "1970/01/01 00:00:00.000000 1.2310 127 ECU1 APP1 CTX1 50 log info verbose 1 0b0001 0010 0011 0100\n");
  PacketSpec e;
  e.ecu = "";
  e.app = "";
  e.ctx = "";
  EXPECT_EQ(line(e, {}), "1970/01/01 00:00:00.000000 0.0000 0    0 log info verbose 0 \n");
}

TEST(LineFormatter, NonVerbose) {
  PacketSpec s;
  s.ecu = "EGU1";
  s.extended = false;
  s.counter = 1;
  s.with_time = true;
  s.device_time = 71065;
  EXPECT_EQ(line(s, {1, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef}),
            "1970/01/01 00:00:00.000000 7.1065 1 EGU1   0  non-verbose 1 [1] ----|de ad be ef\n");
  PacketSpec q16;  // Q16: with an extended header, the MSIN type is shown
  q16.msin = 0x30;
  EXPECT_EQ(line(q16, {10, 0, 0, 0}),
            "1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 0 log warn non-verbose 1 [10] \n");
  EXPECT_EQ(line(s, {}), "1970/01/01 00:00:00.000000 7.1065 1 EGU1   0  non-verbose 1 [0] \n");
}

TEST(LineFormatter, DeviceTimeIsNotSticky) {  // Q1
  PacketSpec s = full();
  s.with_time = false;
  s.noar = 0;
  EXPECT_NE(line(s, {}).find(" 0.0000 127 "), std::string::npos);
}

TEST(LineFormatter, SessionIsSignedAndPositionIsHex) {
  PacketSpec s;
  s.with_session = true;
  s.session = 0xDEADBEEF;
  EXPECT_EQ(line(s, {}, true, 0x1a2b),
            "00001a2b: 1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 -559038737 log info verbose 0 \n");
  EXPECT_EQ(line(s, {}, true, 0x123456789ull).substr(0, 11), "123456789: ");
}

TEST(LineFormatter, TypeNames) {  // Q2
  auto type_of = [](std::uint8_t msin) {
    dlt::Message m;
    m.has_extended = true;
    m.msin = msin;
    return std::string(dlt::type_text(m));
  };
  EXPECT_EQ(type_of(0x55), "nw_trace ethernet");
  EXPECT_EQ(type_of(0x65), "nw_trace someip");
  EXPECT_EQ(type_of(0x75), "nw_trace user1");
  EXPECT_EQ(type_of(0xF5), "nw_trace user9");
  EXPECT_EQ(type_of(0x71), "log ");
  EXPECT_EQ(type_of(0x13), "app_trace variable");
  EXPECT_EQ(type_of(0x36), "control time");
}

TEST(LineFormatter, ControlAndSkip) {
  PacketSpec s;
  s.msin = 0x16;  // control request
  Bytes p;
  put(p, 0x13, 4, false);
  EXPECT_EQ(
      line(s, p),
      "1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 0 control request non-verbose [get_software_version]\n");
  dlt::SkipRecord r{0, 58, dlt::kReasonInvalidHeader, util::Timestamp::from_storage(1639688375, 237600), {}};
  util::TextBuffer t;
  dlt::LineFormatter(dlt::LineFormatter::Options{false}).format(r, t);
  EXPECT_EQ(t.view(),
            "2021/12/16 20:59:35.237600 0.0000 -1  SKIP SKIP 0 log warn verbose 4 Skipped: 58 bytes; Reason: Invalid "
            "packet standard header\n");
}

TEST(Packet, InvalidMsin) {
  dlt::Message m;
  PacketSpec s;
  s.msin = 0x01;  // verbose with MTIN 0
  EXPECT_FALSE(dlt::parse_packet(packet(s, {}), m));
  s.msin = 0x49;  // verbose with MSTP 4
  EXPECT_FALSE(dlt::parse_packet(packet(s, {}), m));
  s.msin = 0x46;  // control with MTIN 4
  EXPECT_FALSE(dlt::parse_packet(packet(s, {1, 0, 0, 0}), m));
}

TEST(Packet, IdsAreMaskedAndEndAtZero) {
  Bytes id = {'A' | 0x80, 'B', 0x80, 'C'};
  EXPECT_EQ(dlt::parse_id(id.data()).view(), "AB");
  Bytes ctl = {'A', 0x01, 'B', 0};
  EXPECT_EQ(dlt::parse_id(ctl.data()).view(), std::string("A\x01"
                                                          "B"));
}

// parse_id works on the four bytes as one word; compare it with the rule byte by byte, on
// every combination of the bytes that matter (zero, 0x80, 0x01, 0x81, printable, 0xFF).
TEST(Packet, IdsFromWordsMatchTheByteRule) {
  const std::uint8_t values[] = {0x00, 0x80, 0x01, 0x81, 'A', 0xFF, 0x7F};
  for (std::uint8_t a : values)
    for (std::uint8_t b : values)
      for (std::uint8_t c : values)
        for (std::uint8_t d : values) {
          const std::uint8_t raw[4] = {a, b, c, d};
          std::string expected;
          for (std::uint8_t byte : raw) {
            if ((byte & 0x7F) == 0) break;
            expected.push_back(static_cast<char>(byte & 0x7F));
          }
          const dlt::Id id = dlt::parse_id(raw);
          ASSERT_EQ(id.view(), expected) << int(a) << ' ' << int(b) << ' ' << int(c) << ' ' << int(d);
          ASSERT_EQ(id, dlt::Id::from_text(expected));
          ASSERT_EQ(id.empty(), expected.empty());
        }
}

// Every combination of the optional header fields, on packets shorter than the longest
// headers (read field by field) and longer (read all, keep the present): each field is
// where the flags put it, absent ones are zero, and the payload starts after them.
TEST(Packet, HeadersOfEveryFlagCombinationAndLength) {
  for (unsigned flags = 0; flags < 32; ++flags) {
    for (std::size_t payload_size : {0u, 1u, 12u, 40u}) {
      PacketSpec s;
      s.ecu = flags & 1 ? "EC" : "";
      s.with_session = flags & 2;
      s.session = 0x01020304;
      s.with_time = flags & 4;
      s.device_time = 0x0A0B0C0D;
      s.extended = flags & 8;
      s.be = flags & 16;
      s.msin = 0x41;
      s.noar = 7;
      s.app = "AP";
      s.ctx = "CTX";
      s.counter = static_cast<std::uint8_t>(flags);
      Bytes payload(payload_size, 0xEE);
      const Bytes pkt = packet(s, payload);
      dlt::Message m;
      dlt::parse_headers(pkt, m);
      SCOPED_TRACE(testing::Message() << "flags " << flags << " payload " << payload_size);
      EXPECT_EQ(m.counter, flags);
      EXPECT_EQ(m.big_endian, s.be);
      EXPECT_EQ(m.ecu.view(), s.ecu);
      EXPECT_EQ(m.session, s.with_session ? s.session : 0u);
      EXPECT_EQ(m.device_time, s.with_time ? s.device_time : 0u);
      EXPECT_EQ(m.msin, s.extended ? s.msin : 0);
      EXPECT_EQ(m.noar, s.extended ? s.noar : 0);
      EXPECT_EQ(m.app.view(), s.extended ? "AP" : "");
      EXPECT_EQ(m.ctx.view(), s.extended ? "CTX" : "");
      EXPECT_EQ(m.kind, s.extended ? dlt::PayloadKind::Verbose : dlt::PayloadKind::NonVerbose);
      EXPECT_EQ(m.payload.size(), payload_size);
      EXPECT_EQ(m.payload.data(), pkt.data() + pkt.size() - payload_size);
    }
  }
}

TEST(LineFormatter, ColourByLevel) {
  // MSIN: verbose bit, MSTP 0 (log), MTIN in the high nibble: 1 fatal, 2 error, 3 warn, 4 info.
  const std::pair<std::uint8_t, std::string> cases[] = {{0x11, "\x1b[1;31m"}, {0x21, "\x1b[31m"}, {0x31, "\x1b[33m"},
                                                        {0x41, ""},           {0x51, ""},         {0x61, ""}};
  dlt::LineFormatter::Options colour{false};
  colour.colour = true;
  for (const auto& [msin, sgr] : cases) {
    PacketSpec s = full();
    s.msin = msin;
    s.noar = 1;
    Bytes pkt = packet(s, arg_string("text", false));
    dlt::Message m;
    ASSERT_TRUE(dlt::parse_packet(pkt, m));
    util::TextBuffer plain, coloured;
    dlt::LineFormatter(dlt::LineFormatter::Options{false}).format(m, plain);
    dlt::LineFormatter f(colour);
    f.format(m, coloured);
    const std::string want = sgr.empty() ? std::string(plain.view())
                                         : sgr + std::string(plain.view().substr(0, plain.size() - 1)) + "\x1b[0m\n";
    EXPECT_EQ(coloured.view(), want) << int(msin);
    // The head and end_line that in-place lines use give the same line, also when a fatal
    // line was begun before and taken back: its colour does not stay.
    PacketSpec fatal = s;
    fatal.msin = 0x11;
    Bytes fatal_pkt = packet(fatal, arg_string("text", false));
    dlt::Message taken_back;
    ASSERT_TRUE(dlt::parse_packet(fatal_pkt, taken_back));
    util::TextBuffer head;
    f.format_head(taken_back, head);
    head.truncate(0);
    f.format_head(m, head);
    head.append("text");
    f.end_line(head);
    EXPECT_EQ(head.view(), want);
  }
  dlt::SkipRecord r{0, 58, dlt::kReasonInvalidHeader, util::Timestamp::from_storage(1639688375, 237600), {}};
  util::TextBuffer t;
  dlt::LineFormatter(colour).format(r, t);
  EXPECT_TRUE(t.view().starts_with("\x1b[35m2021/12/16 ")) << t.view();
  EXPECT_TRUE(t.view().ends_with("header\x1b[0m\n")) << t.view();
}

namespace {
// The lines of `times` (µs; nullopt: no time) in the time column `column`, one formatter.
std::vector<std::string> timed_lines(dlt::TimeColumn column, const std::vector<std::optional<std::int64_t>>& times) {
  dlt::LineFormatter::Options options{false};
  options.time = column;
  dlt::LineFormatter f(options);
  PacketSpec s;
  Bytes pkt = packet(s, {});
  std::vector<std::string> lines;
  for (const auto& t : times) {
    dlt::Message m;
    EXPECT_TRUE(dlt::parse_packet(pkt, m));
    m.time = t ? util::Timestamp{*t, true} : util::Timestamp{};
    util::TextBuffer out;
    f.format(m, out);
    lines.emplace_back(out.view());
  }
  return lines;
}
const std::string kTail = "0.0000 0 ECU1 APP1 CTX1 0 log info verbose 0 \n";
}  // namespace

TEST(LineFormatter, TimeColumnUtcAndIso) {
  const std::int64_t t = 1709287200001652;  // 2024-03-01T10:00:00.001652Z
  EXPECT_EQ(timed_lines(dlt::TimeColumn::Utc, {t, std::nullopt}),
            (std::vector<std::string>{"2024/03/01 10:00:00.001652 " + kTail, "1970/01/01 00:00:00.000000 " + kTail}));
  EXPECT_EQ(timed_lines(dlt::TimeColumn::Iso, {t, std::nullopt}),
            (std::vector<std::string>{"2024-03-01T10:00:00.001652Z " + kTail, "1970-01-01T00:00:00.000000Z " + kTail}));
  EXPECT_EQ(timed_lines(dlt::TimeColumn::Device, {t}), std::vector<std::string>{kTail});
}

TEST(LineFormatter, TimeColumnRelativeCountsFromTheFirstLineWithATime) {
  EXPECT_EQ(timed_lines(dlt::TimeColumn::Relative,
                        {std::nullopt, 5'000'000, 5'000'001, 17'250'000, 4'999'750, std::nullopt, 1'005'000'000}),
            (std::vector<std::string>{"- " + kTail, "0.000000 " + kTail, "0.000001 " + kTail, "12.250000 " + kTail,
                                      "-0.000250 " + kTail, "- " + kTail, "1000.000000 " + kTail}));
}

TEST(LineFormatter, TimeColumnAppliesToSkipLinesAndLinesBegunInPlace) {
  dlt::LineFormatter::Options options{true};  // after the position
  options.time = dlt::TimeColumn::Iso;
  dlt::LineFormatter f(options);
  util::TextBuffer t;
  f.format(dlt::SkipRecord{16, 58, dlt::kReasonInvalidHeader, util::Timestamp::from_storage(1639688375, 237600), {}},
           t);
  EXPECT_EQ(t.view(),
            "00000010: 2021-12-16T20:59:35.237600Z 0.0000 -1  SKIP SKIP 0 log warn verbose 4 Skipped: 58 "
            "bytes; Reason: Invalid packet standard header\n");
  PacketSpec s;
  Bytes pkt = packet(s, {});
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet(pkt, m));
  m.time = util::Timestamp::from_storage(1639688375, 5);
  t.clear();
  f.format_head(m, t);
  EXPECT_EQ(t.view(), "00000000: 2021-12-16T20:59:35.000005Z 0.0000 0 ECU1 APP1 CTX1 0 log info verbose 0 ");
}
