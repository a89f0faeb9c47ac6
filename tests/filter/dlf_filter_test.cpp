#include "filter/dlf_filter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"
#include "filter/filter.hpp"
#include "filter/filter_sink.hpp"
#include "util/error.hpp"

using namespace dltdump;
using filter::DlfFilter;
using filter::DlfRule;
using Verdict = DlfFilter::Verdict;

namespace {

DlfRule positive() {
  DlfRule r;
  r.enabled = true;
  return r;
}
DlfRule negative() {
  DlfRule r = positive();
  r.kind = DlfRule::Kind::Negative;
  return r;
}

DlfFilter::Fields fields(std::string ecu, std::string app, std::string ctx, int type = 0x40, std::uint32_t id = 0) {
  DlfFilter::Fields f;
  f.ecu = dlt::Id::from_text(ecu);
  f.app = dlt::Id::from_text(app);
  f.ctx = dlt::Id::from_text(ctx);
  f.type = type;
  f.message_id = id;
  return f;
}

// The whole decision with payload text `text`.
bool judge(const DlfFilter& d, const DlfFilter::Fields& f, const std::string& text = "", const std::string& head = "") {
  auto scratch = filter::TextSearch({}, {}, false).scratch();
  return d.judge(f, text, head, *scratch);
}

}  // namespace

TEST(DlfFilter, NoSelectingFilterPassesAll) {
  DlfRule marker = positive();
  marker.kind = DlfRule::Kind::Marker;
  marker.app = {true, "NAV", false, false};
  DlfRule disabled = negative();
  disabled.enabled = false;
  DlfFilter d({marker, disabled});
  EXPECT_TRUE(d.passes_all());
  EXPECT_EQ(d.judge_header(fields("E", "HMI", "C")), Verdict::Pass);
}

TEST(DlfFilter, EcuAndAppAreEqualCtxIsContained) {
  DlfRule r = positive();
  r.ecu_enabled = true;
  r.ecu = "ECU1";
  r.app = {true, "NAV", false, false};
  r.ctx = {true, "GP", false, false};
  DlfFilter d({r});
  EXPECT_EQ(d.judge_header(fields("ECU1", "NAV", "GPS")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("ECU1", "NAV", "AGP")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("ECU1", "NAV", "G")), Verdict::Fail);
  EXPECT_EQ(d.judge_header(fields("ECU1", "NAVI", "GPS")), Verdict::Fail);
  EXPECT_EQ(d.judge_header(fields("ECU", "NAV", "GPS")), Verdict::Fail);
  EXPECT_EQ(d.judge_header(fields("ECU1", "nav", "GPS")), Verdict::Fail);
  EXPECT_FALSE(d.needs_text());
}

TEST(DlfFilter, EmptyIdsMatchMessagesWithoutThem) {
  DlfRule r = positive();
  r.app = {true, "", false, false};
  DlfFilter d({r});
  EXPECT_EQ(d.judge_header(fields("E", "", "")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("E", "A", "")), Verdict::Fail);
}

TEST(DlfFilter, IdPatternsAreSearched) {
  DlfRule r = positive();
  r.app = {true, "^(NA|ME)", true, false};
  r.ctx = {true, "S$", true, false};
  DlfFilter d({r});
  EXPECT_EQ(d.judge_header(fields("E", "NAV", "GPS")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("E", "MEDI", "ABS")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("E", "XNAV", "GPS")), Verdict::Fail);
  EXPECT_EQ(d.judge_header(fields("E", "NAV", "GPSX")), Verdict::Fail);
  dlt::Id odd;  // bytes that are not UTF-8 are searched as '.'
  odd.chars[0] = 'N', odd.chars[1] = 'A', odd.chars[2] = static_cast<char>(0xFF);
  DlfFilter::Fields f = fields("E", "", "GPS");
  f.app = odd;
  EXPECT_EQ(d.judge_header(f), Verdict::Pass);
}

TEST(DlfFilter, PositivesOrNegativesRemove) {
  DlfRule nav = positive(), tcb = positive(), gps = negative();
  nav.app = {true, "NAV", false, false};
  tcb.ecu_enabled = true;
  tcb.ecu = "TCB";
  gps.ctx = {true, "GPS", false, false};
  DlfFilter d({nav, gps, tcb});
  EXPECT_EQ(d.judge_header(fields("E", "NAV", "C")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("TCB", "HMI", "C")), Verdict::Pass);
  EXPECT_EQ(d.judge_header(fields("E", "HMI", "C")), Verdict::Fail);
  EXPECT_EQ(d.judge_header(fields("TCB", "NAV", "GPS")), Verdict::Fail);
  DlfFilter only_negative({gps});
  EXPECT_EQ(only_negative.judge_header(fields("E", "HMI", "C")), Verdict::Pass);
  EXPECT_EQ(only_negative.judge_header(fields("E", "HMI", "GPS")), Verdict::Fail);
}

TEST(DlfFilter, LevelsAndControlNeedTheirType) {
  DlfRule r = positive();
  r.level_min_enabled = r.level_max_enabled = true;
  r.level_min = 2;
  r.level_max = 4;
  DlfFilter d({r});
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", 0x10)), Verdict::Fail);  // fatal
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", 0x20)), Verdict::Pass);  // error
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", 0x40)), Verdict::Pass);  // info
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", 0x50)), Verdict::Fail);  // debug
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", 0x22)), Verdict::Fail);  // app_trace 2: not a log
  EXPECT_EQ(d.judge_header(fields("E", "A", "C", -1)), Verdict::Fail);    // no type
  DlfRule c = positive();
  c.control_only = true;
  DlfFilter control({c});
  EXPECT_EQ(control.judge_header(fields("E", "A", "C", 0x16)), Verdict::Pass);
  EXPECT_EQ(control.judge_header(fields("E", "A", "C", 0x40)), Verdict::Fail);
  EXPECT_EQ(control.judge_header(fields("E", "A", "C", -1)), Verdict::Fail);
}

TEST(DlfFilter, MessageIdsOneOrHalfOpenRange) {
  DlfRule one = positive(), range = positive();
  one.message_id_enabled = range.message_id_enabled = true;
  one.message_id_min = 7;
  range.message_id_min = 100;
  range.message_id_max = 200;
  DlfFilter d1({one}), d2({range});
  EXPECT_TRUE(d1.uses_message_id());
  EXPECT_EQ(d1.judge_header(fields("E", "A", "C", 0x40, 7)), Verdict::Pass);
  EXPECT_EQ(d1.judge_header(fields("E", "A", "C", 0x40, 8)), Verdict::Fail);
  EXPECT_EQ(d2.judge_header(fields("E", "A", "C", 0x40, 99)), Verdict::Fail);
  EXPECT_EQ(d2.judge_header(fields("E", "A", "C", 0x40, 100)), Verdict::Pass);
  EXPECT_EQ(d2.judge_header(fields("E", "A", "C", 0x40, 199)), Verdict::Pass);
  EXPECT_EQ(d2.judge_header(fields("E", "A", "C", 0x40, 200)), Verdict::Fail);
}

TEST(DlfFilter, PayloadTextIsJudgedOnlyWhenTheHeaderLeavesItOpen) {
  DlfRule pay = positive(), hmi = positive(), drop = negative();
  pay.app = {true, "NAV", false, false};
  pay.payload = {true, "Speed", false, true};
  hmi.app = {true, "HMI", false, false};
  drop.payload = {true, "time+out", true, false};
  DlfFilter d({pay, hmi, drop});
  EXPECT_TRUE(d.needs_text());
  EXPECT_EQ(d.judge_header(fields("E", "SYS", "C")), Verdict::Fail);      // no positive can hold
  EXPECT_EQ(d.judge_header(fields("E", "NAV", "C")), Verdict::NeedText);  // the text decides
  EXPECT_EQ(d.judge_header(fields("E", "HMI", "C")), Verdict::NeedText);  // the negative's text
  EXPECT_TRUE(judge(d, fields("E", "NAV", "C"), "SPEED 5"));              // ignore case
  EXPECT_FALSE(judge(d, fields("E", "NAV", "C"), "speed timeout"));       // the negative's pattern
  EXPECT_FALSE(judge(d, fields("E", "NAV", "C"), "rpm"));
  EXPECT_TRUE(judge(d, fields("E", "HMI", "C"), "anything"));
  EXPECT_FALSE(judge(d, fields("E", "HMI", "C"), "timeout"));
  EXPECT_FALSE(judge(d, fields("E", "SYS", "C"), "speed"));
}

TEST(DlfFilter, HeaderTextIsSearchedInTheHeaderString) {
  DlfRule r = positive();
  r.header = {true, "ECU1 NAV", false, false};
  DlfRule warn = positive();
  warn.header = {true, "log (WARN|error) verbose", true, true};
  DlfFilter d({r}), w({warn});
  EXPECT_TRUE(d.needs_text());
  EXPECT_TRUE(d.needs_head());
  EXPECT_EQ(d.judge_header(fields("ECU1", "NAV", "C")), Verdict::NeedText);
  const std::string head = "2024/03/01 10:00:00.000001 0.0000 3 ECU1 NAV GPS 0 log warn verbose 2";
  EXPECT_TRUE(judge(d, fields("ECU1", "NAV", "GPS"), "payload", head));
  EXPECT_FALSE(judge(d, fields("ECU1", "NAV", "GPS"), "ECU1 NAV", "2024/03/01 10:00:00.000001 0.0000 3 ECU1 HMI"));
  EXPECT_TRUE(judge(w, fields("ECU1", "NAV", "GPS"), "", head));
  EXPECT_FALSE(judge(w, fields("ECU1", "NAV", "GPS"), "log warn verbose", "x log info verbose 1"));
}

TEST(DlfFilter, AnEmptyPayloadFieldNeedsNoText) {
  DlfRule r = positive();
  r.payload = {true, "", false, false};
  DlfFilter d({r});
  r.header = {true, "", true, false};
  EXPECT_FALSE(d.needs_text());
  EXPECT_EQ(d.judge_header(fields("E", "A", "C")), Verdict::Pass);
  DlfFilter with_header({r});
  EXPECT_FALSE(with_header.needs_text() || with_header.needs_head());
}

TEST(DlfFilter, ABadPatternIsAnOptionError) {
  DlfRule r = positive();
  r.payload = {true, "(", true, false};
  try {
    DlfFilter d({r});
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OptionError);
  }
}

// The filter file as one more group of filter::Filter.
TEST(DlfFilter, InTheFilterHeaderFieldsAloneNeedNoText) {
  using test::PacketSpec;
  filter::FilterSpec spec;
  DlfRule r = positive();
  r.app = {true, "NAV", false, false};
  spec.filter_file = std::vector<DlfRule>{r};
  EXPECT_TRUE(spec.any());
  EXPECT_FALSE(spec.keeps_counter_sequences_whole());
  filter::Filter f(spec);
  EXPECT_FALSE(f.has_text_group());  // the framer need not make payload text to judge
  PacketSpec s;
  s.app = "NAV";
  auto bytes = test::packet(s, {});
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet(bytes, m));
  EXPECT_TRUE(f.header_match(m));
  s.app = "HMI";
  bytes = test::packet(s, {});
  ASSERT_TRUE(dlt::parse_packet(bytes, m));
  EXPECT_FALSE(f.header_match(m));
  // Skip lines are judged as they show: APP and CTX SKIP.
  EXPECT_FALSE(f.header_match(dlt::SkipRecord{0, 10, dlt::kReasonSearching, {}, {}}));

  r.payload = {true, "door", false, false};
  spec.filter_file = std::vector<DlfRule>{r};
  filter::Filter g(spec);
  EXPECT_TRUE(g.has_text_group());
  s.app = "NAV";
  bytes = test::packet(s, {});
  ASSERT_TRUE(dlt::parse_packet(bytes, m));
  auto scratch = g.search().scratch();
  EXPECT_TRUE(g.header_match(m));
  EXPECT_TRUE(g.text_match(m, "the door", *scratch));
  EXPECT_FALSE(g.text_match(m, "the window", *scratch));
}

namespace {
struct Discard : dlt::FramerSink {
  int messages = 0;
  void on_message(const dlt::Message&) override { ++messages; }
  void on_skip(const dlt::SkipRecord&) override {}
};
}  // namespace

// The framer's payload gate: a filter file of header fields alone never asks for text a
// binary output does not need; one with a payload field asks only where the header fields
// leave it open.
TEST(DlfFilter, TheGateAsksForTextOnlyWhereAFilterNeedsIt) {
  using Need = dlt::PayloadGate::Need;
  DlfRule nav = positive();
  nav.app = {true, "NAV", false, false};
  filter::FilterSpec spec;
  spec.filter_file = std::vector<DlfRule>{nav};
  filter::Filter header_only(spec);
  nav.payload = {true, "door", false, false};
  spec.filter_file = std::vector<DlfRule>{nav};
  filter::Filter with_payload(spec);
  Discard out;
  filter::FilterSink binary(header_only, {}, out, false), binary_payload(with_payload, {}, out, false);
  test::PacketSpec p;
  p.app = "NAV";
  auto nav_bytes = test::packet(p, {});
  p.app = "HMI";
  auto hmi_bytes = test::packet(p, {});
  dlt::Message nav_m, hmi_m;
  ASSERT_TRUE(dlt::parse_packet(nav_bytes, nav_m));
  ASSERT_TRUE(dlt::parse_packet(hmi_bytes, hmi_m));
  EXPECT_EQ(binary.need(nav_m), Need::Validation);
  EXPECT_EQ(binary.need(hmi_m), Need::Nothing);
  EXPECT_EQ(binary_payload.need(nav_m), Need::Text);
  EXPECT_EQ(binary_payload.need(hmi_m), Need::Nothing);
}
