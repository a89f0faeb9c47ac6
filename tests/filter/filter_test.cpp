#include "filter/filter.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"

using namespace dltdump;
using namespace dltdump::test;
using filter::Filter;
using filter::FilterSpec;

namespace {

// A decoded message that lives as long as the fixture's bytes.
struct Msg {
  Bytes bytes;
  dlt::Message m;
  Msg(const PacketSpec& spec, const Bytes& payload, std::string storage_ecu = "", util::Timestamp time = {}) {
    bytes = packet(spec, payload);
    EXPECT_TRUE(dlt::parse_packet(bytes, m));
    m.raw = bytes;
    if (!storage_ecu.empty())
      m.storage_ecu = dlt::parse_id(reinterpret_cast<const std::uint8_t*>((storage_ecu + "\0\0\0\0").data()));
    m.time = time;
  }
};

PacketSpec with(std::string ecu, std::string app, std::string ctx, std::uint8_t msin = 0x41) {
  PacketSpec s;
  s.ecu = ecu;
  s.app = app;
  s.ctx = ctx;
  s.msin = msin;
  return s;
}

dlt::SkipRecord skip(util::Timestamp time = {}) { return {0, 10, dlt::kReasonSearching, time, {}}; }

}  // namespace

TEST(Filter, NoGroupsPassEverything) {
  Filter f{FilterSpec{}};
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C"), {}).m));
  EXPECT_TRUE(f.header_match(skip()));
  EXPECT_FALSE(f.has_text_group());
}

TEST(Filter, IdsMatchExactlyWithinOneGroupAnyValue) {
  FilterSpec spec;
  spec.app_ids = {"NAV", "HMI"};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "NAV", "C"), {}).m));
  EXPECT_TRUE(f.header_match(Msg(with("E", "HMI", "C"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "NAVI", "C"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "nav", "C"), {}).m));  // case-sensitive
  PacketSpec no_ext = with("E", "NAV", "C", 0);
  no_ext.extended = false;
  EXPECT_FALSE(f.header_match(Msg(no_ext, {0, 0, 0, 0}).m));  // no extended header: no APP
}

// Ids compare as every output shows them, a control byte as `.` (a new user's finding: the
// id `--stats` and the lines show, `E.1`, selected only the message whose bytes were `E.1`).
TEST(Filter, IdsCompareAsShownWithControlBytesAsDots) {
  for (const char* given : {"E.1", "E\n1",
                            "E\x7f"
                            "1"}) {
    FilterSpec spec;
    spec.ecu_ids = {given};
    spec.app_ids = {"A.P"};
    spec.not_ctx_ids = {"C\x01"};
    Filter f(spec);
    for (const char* ecu : {"E.1", "E\n1",
                            "E\x7f"
                            "1",
                            "E\x1f"
                            "1"}) {
      EXPECT_TRUE(f.header_match(Msg(with(ecu, "A\tP", "CTX"), {}).m)) << given << " " << ecu;
      EXPECT_FALSE(f.header_match(Msg(with(ecu, "A\tP", "C\x02"), {}).m)) << given << " " << ecu;  // shown C.
      EXPECT_TRUE(f.rejects_packet(packet(with(ecu, "A\tP", "C."), {})));
      EXPECT_FALSE(f.rejects_packet(packet(with(ecu, "A\x7fP", "CX"), {})));
    }
    EXPECT_FALSE(f.header_match(Msg(with("EX1", "A.P", "CTX"), {}).m));  // a dot stands for a control only
    EXPECT_FALSE(f.header_match(Msg(with("E.12", "A.P", "CTX"), {}).m));
  }
  FilterSpec plain;  // no dot given: the bytes must be equal
  plain.ecu_ids = {"ECU1"};
  EXPECT_FALSE(Filter(plain).header_match(Msg(with("EC\n1", "A", "C"), {}).m));
}

TEST(Filter, ValuesLongerThanAnIdMatchNothingButStillRestrict) {
  FilterSpec spec;
  spec.ctx_ids = {"TOOLONG"};
  Filter f(spec);
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "TOOL"), {}).m));
  EXPECT_FALSE(f.header_match(skip()));
}

TEST(Filter, EcuMatchesTheShownEcuIncludingTheStorageHeader) {  // deviation Q8
  FilterSpec spec;
  spec.ecu_ids = {"ECU1"};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("ECU1", "A", "C"), {}).m));
  EXPECT_TRUE(f.header_match(Msg(with("", "A", "C"), {}, "ECU1").m));
  EXPECT_FALSE(f.header_match(Msg(with("ECU2", "A", "C"), {}, "ECU1").m));  // the line shows ECU2
  EXPECT_FALSE(f.header_match(skip()));
}

TEST(Filter, GroupsCombineWithAnd) {
  FilterSpec spec;
  spec.app_ids = {"NAV"};
  spec.types = {0x30};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "NAV", "C", 0x31), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "NAV", "C", 0x41), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "HMI", "C", 0x31), {}).m));
}

TEST(Filter, SessionIdsCompareSignedAndNeedWsid) {
  FilterSpec spec;
  spec.session_ids = {-559038737, 0};
  Filter f(spec);
  PacketSpec s = with("E", "A", "C");
  s.with_session = true;
  s.session = 0xDEADBEEF;
  EXPECT_TRUE(f.header_match(Msg(s, {}).m));
  s.session = 5;
  EXPECT_FALSE(f.header_match(Msg(s, {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C"), {}).m));  // no WSID: no session, even for 0
  EXPECT_FALSE(f.header_match(skip()));
}

TEST(Filter, TypesCompareMsinWithoutTheVerboseBit) {
  FilterSpec spec;
  spec.types = {0x30, 0x16, 0x74};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x31), {}).m));               // log warn, verbose
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x30), {0, 0, 0, 0}).m));     // Q16: non-verbose warn
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x16), {0x13, 0, 0, 0}).m));  // control request
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x75), {}).m));               // nw_trace user1
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x41), {}).m));
  PacketSpec no_ext = with("E", "A", "C");
  no_ext.extended = false;
  EXPECT_FALSE(f.header_match(Msg(no_ext, {0, 0, 0, 0}).m));  // no type at all
  EXPECT_TRUE(f.header_match(skip()));                        // skip lines are log warn
}

TEST(Filter, KindsVerboseNonVerboseControl) {
  const Msg verbose(with("E", "A", "C", 0x41), {});
  const Msg nonverbose(with("E", "A", "C", 0x40), {1, 0, 0, 0});
  const Msg control(with("E", "A", "C", 0x17), {0x13, 0, 0, 0});  // verbose bit set: still control
  FilterSpec spec;
  spec.kinds = filter::kKindControl;
  Filter c(spec);
  EXPECT_FALSE(c.header_match(verbose.m));
  EXPECT_FALSE(c.header_match(nonverbose.m));
  EXPECT_TRUE(c.header_match(control.m));
  EXPECT_FALSE(c.header_match(skip()));
  spec.kinds = filter::kKindVerbose | filter::kKindNonVerbose;
  Filter vn(spec);
  EXPECT_TRUE(vn.header_match(verbose.m));
  EXPECT_TRUE(vn.header_match(nonverbose.m));
  EXPECT_FALSE(vn.header_match(control.m));
  EXPECT_TRUE(vn.header_match(skip()));  // skip lines are verbose
}

TEST(Filter, MessageIdsOnlyMatchNonVerboseInPayloadByteOrder) {
  FilterSpec spec;
  spec.message_ids = {60, 4000000000u};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x40), {60, 0, 0, 0, 9}).m));
  PacketSpec be = with("E", "A", "C", 0x40);
  be.be = true;
  EXPECT_TRUE(f.header_match(Msg(be, {0xEE, 0x6B, 0x28, 0x00}).m));  // 4000000000 big-endian
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x40), {61, 0, 0, 0}).m));
  PacketSpec verbose = with("E", "A", "C", 0x41);
  verbose.noar = 1;
  EXPECT_FALSE(f.header_match(Msg(verbose, arg_uint(60, 4, false)).m));
  EXPECT_FALSE(f.header_match(skip()));
}

TEST(Filter, TimeRangeIsInclusiveAndLinesWithoutTimeNeverMatch) {
  FilterSpec spec;
  spec.not_before_us = 1000;
  spec.not_after_us = 2000;
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C"), {}, "", {1000, true}).m));
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C"), {}, "", {2000, true}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C"), {}, "", {999, true}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C"), {}, "", {2001, true}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C"), {}, "", {1500, false}).m));
  EXPECT_TRUE(f.header_match(skip({1500, true})));
  EXPECT_FALSE(f.header_match(skip()));
  FilterSpec open;
  open.not_before_us = 0;
  Filter g(open);
  EXPECT_TRUE(g.header_match(Msg(with("E", "A", "C"), {}, "", {INT64_MAX, true}).m));
}

TEST(Filter, SkipLinesHaveAppAndCtxSkipAndAnEmptyEcu) {
  FilterSpec spec;
  spec.app_ids = {"SKIP"};
  spec.ctx_ids = {"SKIP"};
  EXPECT_TRUE(Filter(spec).header_match(skip()));
  FilterSpec ecu;
  ecu.ecu_ids = {""};
  EXPECT_TRUE(Filter(ecu).header_match(skip()));
}

TEST(Filter, NonePassesNothing) {
  FilterSpec spec;
  spec.none = true;
  Filter f(spec);
  EXPECT_TRUE(f.passes_nothing());
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C"), {}).m));
  EXPECT_FALSE(f.header_match(skip()));
}

TEST(Filter, TextGroupIsJudgedApart) {
  FilterSpec spec;
  spec.strings = {"door"};
  Filter f(spec);
  auto scratch = f.search().scratch();
  EXPECT_TRUE(f.has_text_group());
  EXPECT_TRUE(f.text_match("the door opens", *scratch));
  EXPECT_FALSE(f.text_match("the window opens", *scratch));
}

TEST(FilterSpec, AnyTellsWhetherSomethingRestricts) {
  FilterSpec spec;
  EXPECT_FALSE(spec.any());
  spec.kinds = filter::kKindAll;  // all three kinds: no restriction
  EXPECT_FALSE(spec.any());
  spec.ignore_case = true;  // -i alone restricts nothing
  EXPECT_FALSE(spec.any());
  spec.kinds = filter::kKindControl;
  EXPECT_TRUE(spec.any());
}

TEST(Filter, ExclusionsLeaveOutAnyListedIdAndKeepLinesWithoutOne) {
  FilterSpec spec;
  spec.not_app_ids = {"NAV", "HMI"};
  spec.not_ctx_ids = {"INTM"};
  spec.not_ecu_ids = {"ECU2"};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("ECU1", "SYS", "MAIN"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("ECU1", "NAV", "MAIN"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("ECU1", "HMI", "MAIN"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("ECU1", "SYS", "INTM"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("ECU2", "SYS", "MAIN"), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("", "SYS", "MAIN"), {}, "ECU2").m));  // the shown ECU
  PacketSpec no_ext = with("ECU1", "NAV", "INTM", 0);
  no_ext.extended = false;
  EXPECT_TRUE(f.header_match(Msg(no_ext, {0, 0, 0, 0}).m));  // no APP or CTX: none excluded
  EXPECT_TRUE(f.header_match(skip()));
  FilterSpec skips;
  skips.not_app_ids = {"SKIP"};
  EXPECT_FALSE(Filter(skips).header_match(skip()));
}

TEST(Filter, ExclusionsAndWithTheOtherGroups) {
  FilterSpec spec;
  spec.app_ids = {"NAV", "HMI"};
  spec.not_ctx_ids = {"INTM"};
  spec.types = {0x30};
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "NAV", "MAIN", 0x31), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "NAV", "INTM", 0x31), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "SYS", "MAIN", 0x31), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "HMI", "MAIN", 0x41), {}).m));
}

TEST(Filter, LevelSelectsLogMessagesOfThatLevelOrWorse) {
  FilterSpec spec;
  spec.max_level = 3;  // warn
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x11), {}).m));                // fatal
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x21), {}).m));                // error
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x30), {0, 0, 0, 0}).m));      // warn, non-verbose
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x41), {}).m));               // info
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x61), {}).m));               // verbose
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x13), {}).m));               // app trace 1: not a log
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x16), {0x13, 0, 0, 0}).m));  // control request
  PacketSpec no_ext = with("E", "A", "C", 0);
  no_ext.extended = false;
  EXPECT_FALSE(f.header_match(Msg(no_ext, {0, 0, 0, 0}).m));  // no type at all
  EXPECT_TRUE(f.header_match(skip()));                        // skip lines are log warn
  spec.max_level = 2;
  EXPECT_FALSE(Filter(spec).header_match(skip()));
  spec.max_level = 6;  // verbose: every log message
  EXPECT_TRUE(Filter(spec).header_match(Msg(with("E", "A", "C", 0x61), {}).m));
  EXPECT_FALSE(Filter(spec).header_match(Msg(with("E", "A", "C", 0x75), {}).m));  // nw_trace user1
}

TEST(Filter, NotTypeLeavesOutTypesAndKeepsLinesWithoutOne) {
  FilterSpec spec;
  spec.not_types = {0x50, 0x60};  // debug, verbose
  Filter f(spec);
  EXPECT_TRUE(f.header_match(Msg(with("E", "A", "C", 0x41), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x51), {}).m));
  EXPECT_FALSE(f.header_match(Msg(with("E", "A", "C", 0x60), {0, 0, 0, 0}).m));
  PacketSpec no_ext = with("E", "A", "C", 0);
  no_ext.extended = false;
  EXPECT_TRUE(f.header_match(Msg(no_ext, {0, 0, 0, 0}).m));
  // With --level and --type: all three at once (AND).
  spec.not_types = {0x20};
  spec.max_level = 4;
  spec.types = {0x20, 0x40, 0x50};
  Filter g(spec);
  EXPECT_FALSE(g.header_match(Msg(with("E", "A", "C", 0x21), {}).m));  // excluded
  EXPECT_TRUE(g.header_match(Msg(with("E", "A", "C", 0x41), {}).m));
  EXPECT_FALSE(g.header_match(Msg(with("E", "A", "C", 0x51), {}).m));  // above the level
  EXPECT_FALSE(g.header_match(Msg(with("E", "A", "C", 0x11), {}).m));  // not a --type
}

TEST(Filter, InvertedFiltersNeverRejectRawPacketsAndMaySelectSkipLines) {
  FilterSpec spec;
  spec.app_ids = {"NAV"};
  Filter plain(spec);
  PacketSpec p = with("E", "HMI", "C");
  const Bytes b = packet(p, {});
  EXPECT_TRUE(plain.rejects_packet(b));
  EXPECT_FALSE(plain.may_pass_skip_lines());
  spec.invert = true;
  Filter inverted(spec);
  EXPECT_TRUE(inverted.inverted());
  EXPECT_FALSE(inverted.may_reject_packets());
  EXPECT_FALSE(inverted.rejects_packet(b));
  EXPECT_TRUE(inverted.may_pass_skip_lines());  // SKIP is no NAV
  FilterSpec skips;
  skips.app_ids = {"SKIP"};
  skips.invert = true;
  EXPECT_FALSE(Filter(skips).may_pass_skip_lines());
  skips.not_before_us = 5;  // inverted, a skip line outside the window passes
  EXPECT_TRUE(Filter(skips).may_pass_skip_lines());
}

TEST(Filter, ExclusionsRejectRawPacketsByTheirIds) {
  FilterSpec spec;
  spec.not_app_ids = {"NAV"};
  Filter f(spec);
  EXPECT_TRUE(f.may_reject_packets());
  EXPECT_TRUE(f.rejects_packet(packet(with("E", "NAV", "C"), {})));
  EXPECT_FALSE(f.rejects_packet(packet(with("E", "HMI", "C"), {})));
  PacketSpec no_ext = with("E", "NAV", "C", 0);
  no_ext.extended = false;
  EXPECT_FALSE(f.rejects_packet(packet(no_ext, {0, 0, 0, 0})));  // no ids: not excluded
}

TEST(FilterSpec, NewGroupsRestrictAndCutCounterSequences) {
  for (auto set : std::vector<std::function<void(FilterSpec&)>>{
           [](FilterSpec& s) { s.not_app_ids = {"A"}; }, [](FilterSpec& s) { s.not_ctx_ids = {"C"}; },
           [](FilterSpec& s) { s.not_types = {0x40}; }, [](FilterSpec& s) { s.max_level = 3; }}) {
    FilterSpec spec;
    set(spec);
    EXPECT_TRUE(spec.any());
    EXPECT_FALSE(spec.keeps_counter_sequences_whole());
  }
  FilterSpec ecu;
  ecu.not_ecu_ids = {"E"};
  EXPECT_TRUE(ecu.any());
  EXPECT_TRUE(ecu.keeps_counter_sequences_whole());
  ecu.invert = true;  // -v --not-ecuid: that ECU's messages, all of them
  EXPECT_TRUE(ecu.keeps_counter_sequences_whole());
  ecu.not_after_us = 5;  // inverted, a time window leaves a hole
  EXPECT_FALSE(ecu.keeps_counter_sequences_whole());
  FilterSpec m;
  m.max_count = 5;  // -m is no filter
  EXPECT_FALSE(m.any());
}
