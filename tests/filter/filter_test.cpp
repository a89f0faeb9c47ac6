#include "filter/filter.hpp"

#include <gtest/gtest.h>

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

dlt::SkipRecord skip(util::Timestamp time = {}) { return {0, 10, dlt::kReasonSearching, time}; }

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
