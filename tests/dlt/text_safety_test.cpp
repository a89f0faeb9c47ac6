// Contract 3 of issue #19: a message is exactly one line, and no input byte reaches the
// line as a control (C0, DEL, C1). Every byte value is put into every text field a line
// shows: ids, strings (ASCII, UTF-8, trace), raw data, variable info, numbers, non-verbose
// payloads and the texts and ids of control messages.
#include <gtest/gtest.h>

#include <string>

#include "dlt/line_formatter.hpp"
#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"
#include "dlt/text_encoding.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

// Why `text` is not one safe line ending in '\n', or "" when it is.
std::string line_fault(std::string_view text) {
  if (text.empty() || text.back() != '\n') return "does not end with a line end";
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(text[i]);
    if (b < 0x20 || b == 0x7F) return "control byte " + std::to_string(b) + " at " + std::to_string(i);
    if (b == 0xC2 && static_cast<std::uint8_t>(text[i + 1]) >= 0x80 && static_cast<std::uint8_t>(text[i + 1]) <= 0x9F)
      return "C1 control at " + std::to_string(i);
  }
  return {};
}

// The line of `packet` (valid), as the formatter makes it from the text the framer made in
// its validating walk and as format_payload_text makes it later.
std::string line_of(const Bytes& pkt) {
  dlt::Message m;
  util::TextBuffer payload_text;
  EXPECT_TRUE(dlt::parse_packet(pkt, m, &payload_text));
  util::TextBuffer t;
  dlt::LineFormatter f({});
  f.format(m, t);
  dlt::Message later;
  EXPECT_TRUE(dlt::parse_packet(pkt, later));
  util::TextBuffer t2;
  f.format(later, t2);
  EXPECT_EQ(t.view(), t2.view());
  return std::string(t.view());
}

Bytes type_info(std::uint32_t ti) {
  Bytes b;
  put(b, ti, 4, false);
  return b;
}

// A verbose packet with one argument.
Bytes verbose(const Bytes& arg) {
  PacketSpec s;
  s.noar = 1;
  return packet(s, arg);
}

// A control packet (MSTP 3): `response` or request.
Bytes control(const Bytes& payload, bool response) {
  PacketSpec s;
  s.msin = response ? 0x26 : 0x16;
  return packet(s, payload);
}

std::string with_byte(const std::string& text, std::uint8_t b) {
  std::string s = text;
  s[1] = static_cast<char>(b);
  return s;
}

class EveryByte : public ::testing::TestWithParam<int> {
 protected:
  std::uint8_t b() const { return static_cast<std::uint8_t>(GetParam()); }
};

}  // namespace

TEST_P(EveryByte, InIds) {
  PacketSpec s;
  s.noar = 1;
  s.ecu = with_byte("ECU1", b());
  s.app = with_byte("APP1", b());
  s.ctx = with_byte("CTX1", b());
  const std::string line = line_of(packet(s, arg_string("x", false)));
  EXPECT_EQ(line_fault(line), "") << line;
  // The storage header's ECU (shown when the packet has none).
  PacketSpec no_ecu;
  no_ecu.ecu = "";
  no_ecu.noar = 1;
  const Bytes file = storage(packet(no_ecu, arg_string("x", false)), 0, 0, with_byte("STO1", b()));
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet({file.data() + 16, file.size() - 16}, m));
  m.storage_ecu = dlt::parse_id(file.data() + 12);
  util::TextBuffer t;
  dlt::LineFormatter({}).format(m, t);
  EXPECT_EQ(line_fault(t.view()), "") << t.view();
}

TEST_P(EveryByte, InStringsRawDataAndVariableInfo) {
  const std::string text = with_byte("a_b", b());
  for (bool utf8 : {false, true}) {
    const std::string line = line_of(verbose(arg_string(text, false, utf8)));
    EXPECT_EQ(line_fault(line), "") << line;
  }
  // UTF-8: the byte before and after every other byte (two-byte sequences, C1 controls).
  for (int c = 0; c < 256; ++c) {
    const std::string pair = {static_cast<char>(b()), static_cast<char>(c)};
    const std::string line = line_of(verbose(arg_string(pair, false, true, false)));
    ASSERT_EQ(line_fault(line), "") << "bytes " << int(b()) << " " << c << ": " << line;
  }
  // Trace info, raw data, and a string with a name (VARI) holding the byte.
  const Bytes trai = cat({type_info(0x2000), {3, 0}, {'a', b(), 'c'}});
  EXPECT_EQ(line_fault(line_of(verbose(trai))), "");
  const Bytes rawd = cat({type_info(0x400), {3, 0}, {'a', b(), 'c'}});
  EXPECT_EQ(line_fault(line_of(verbose(rawd))), "");
  const Bytes vari = cat({type_info(0x200 | 0x800), {1, 0}, {2, 0}, {b(), 0}, {'v'}});
  EXPECT_EQ(line_fault(line_of(verbose(vari))), "");
  const Bytes vari_uint = cat({type_info(0x41 | 0x800), {2, 0}, {1, 0}, {b(), 0}, {b()}, {b()}});
  EXPECT_EQ(line_fault(line_of(verbose(vari_uint))), "");
}

TEST_P(EveryByte, InNumbers) {
  for (std::uint32_t base : {0x10u, 0x20u, 0x40u}) {
    for (std::uint32_t tyle = 1; tyle <= 5; ++tyle) {
      const unsigned width = 1u << (tyle - 1);
      for (std::uint32_t scod : {0u, 2u, 3u}) {
        Bytes arg = type_info(base | tyle | (scod << 15));
        arg.insert(arg.end(), width, b());
        EXPECT_EQ(line_fault(line_of(verbose(arg))), "");
      }
    }
  }
  for (std::uint32_t tyle = 2; tyle <= 5; ++tyle) {
    Bytes arg = type_info(0x80 | tyle);
    arg.insert(arg.end(), 1u << (tyle - 1), b());
    EXPECT_EQ(line_fault(line_of(verbose(arg))), "");
  }
}

TEST_P(EveryByte, InNonVerbosePayloads) {
  PacketSpec s;
  s.msin = 0x40;  // log info, non-verbose
  const std::string line = line_of(packet(s, {1, 0, 0, 0, 'a', b(), 'c'}));
  EXPECT_EQ(line_fault(line), "") << line;
}

TEST_P(EveryByte, InControlMessages) {
  // get_software_version response: status ok, length, text.
  const std::string sw = line_of(control({0x13, 0, 0, 0, 0, 3, 0, 0, 0, 'v', b(), '1'}, true));
  EXPECT_EQ(line_fault(sw), "") << sw;
  // set_log_level request: app, ctx, level, com.
  const std::string level =
      line_of(control({1, 0, 0, 0, 'A', b(), 'P', 'P', 'C', b(), 'T', 'X', 4, 'C', b(), 'M', '1', 0, 0, 0, 0}, false));
  EXPECT_EQ(line_fault(level), "") << level;
  // get_log_info response (status 3): one application with one context, then the com id.
  const std::string info =
      line_of(control({3, 0, 0, 0, 3, 1, 0, 'A', b(), 'P', 'P', 1, 0, 'C', b(), 'T', 'X', 'C', b(), 'M', '1'}, true));
  EXPECT_EQ(line_fault(info), "") << info;
  // connection_info response: state, com id.
  const std::string conn = line_of(control({0x02, 0x0F, 0, 0, 0, 2, 'C', b(), 'M', '1'}, true));
  EXPECT_EQ(line_fault(conn), "") << conn;
}

INSTANTIATE_TEST_SUITE_P(TextSafety, EveryByte, ::testing::Range(0, 256));

TEST(TextSafety, ALineEndInAStringIsADot) {
  PacketSpec s;
  s.noar = 2;
  const Bytes pkt = packet(s, cat({arg_string("one\ntwo", false, true), arg_string("three\r\x1b[2J", false)}));
  EXPECT_EQ(line_of(pkt),
            "1970/01/01 00:00:00.000000 0.0000 0 ECU1 APP1 CTX1 0 log info verbose 2 one.two three..[2J\n");
}

TEST(TextSafety, Utf8KeepsPrintableCharactersAndShowsC1ControlsAsDots) {
  util::TextBuffer t;
  const std::uint8_t bytes[] = {0xC2, 0x85, 0xC2, 0x9F, 0xC2, 0xA0, 0xC3, 0xBC, 0x7F, 0x00, 'a'};
  dlt::append_utf8(t, bytes, sizeof bytes);
  EXPECT_EQ(t.view(), "..\xC2\xA0\xC3\xBC..a");
}

TEST(TextSafety, IdsShowControlBytesAsDots) {
  const std::uint8_t bytes[] = {'A', 0x0A, 0x1B, 0x7F};
  EXPECT_EQ(dlt::parse_id(bytes).shown().view(), "A...");
  const std::uint8_t short_id[] = {0x01, 'B', 0, 0x0A};
  EXPECT_EQ(dlt::parse_id(short_id).shown().view(), ".B");
  const std::uint8_t plain[] = {'E', 'C', 'U', '1'};
  EXPECT_EQ(dlt::parse_id(plain).shown().view(), "ECU1");
}
