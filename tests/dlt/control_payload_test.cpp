#include "dlt/control_payload.hpp"

#include <gtest/gtest.h>
#include <optional>

#include "dlt/packet_builder.hpp"

using namespace dltdump;
using namespace dltdump::test;
using dlt::ControlKind;

namespace {
std::optional<std::string> decode(const Bytes& p, bool be, ControlKind kind) {
  bool valid = dlt::validate_control(p, be, kind);
  util::TextBuffer t;
  EXPECT_EQ(valid, dlt::format_control(p, be, kind, t));
  if (!valid) return std::nullopt;
  return std::string(t.view());
}
Bytes service(std::uint32_t id, bool be) {
  Bytes b;
  put(b, id, 4, be);
  return b;
}
class ControlBothOrders : public ::testing::TestWithParam<bool> {};
}  // namespace

INSTANTIATE_TEST_SUITE_P(Control, ControlBothOrders, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "BigEndian" : "LittleEndian"; });

TEST_P(ControlBothOrders, Requests) {
  bool be = GetParam();
  Bytes set_level = service(1, be);
  put_id(set_level, "APP1");
  put_id(set_level, "CTX1");
  set_level.push_back(4);
  put_id(set_level, "eth0");
  EXPECT_EQ(decode(set_level, be, ControlKind::Request), "[set_log_level] info APP1 (CTX1) eth0");

  Bytes trace = service(2, be);
  put_id(trace, "APP1");
  put_id(trace, "CTX1");
  trace.push_back(1);
  put_id(trace, "eth0");
  EXPECT_EQ(decode(trace, be, ControlKind::Request), "[set_trace_status] on APP1 (CTX1) eth0");

  Bytes all = service(2, be);
  put_id(all, "");
  put_id(all, "");
  all.push_back(0xFF);
  put_id(all, "");
  EXPECT_EQ(decode(all, be, ControlKind::Request), "[set_trace_status] default");

  Bytes info = service(3, be);
  info.push_back(7);
  put_id(info, "");
  put_id(info, "");
  put_id(info, "remo");
  EXPECT_EQ(decode(info, be, ControlKind::Request), "[get_log_info options=7] -all- remo");

  EXPECT_EQ(decode(service(0x13, be), be, ControlKind::Request), "[get_software_version]");
  Bytes verbose = service(0x09, be);
  verbose.push_back(1);
  EXPECT_EQ(decode(verbose, be, ControlKind::Request), "[set_verbose_mode] on");
  Bytes deflevel = service(0x11, be);
  deflevel.push_back(0x80);  // -128: not a named level
  put_id(deflevel, "");
  EXPECT_EQ(decode(deflevel, be, ControlKind::Request), "[set_default_log_level] log_level=-128");
  Bytes gts = service(0x1F, be);
  put_id(gts, "A");
  put_id(gts, "B");
  EXPECT_EQ(decode(gts, be, ControlKind::Request), "[get_trace_status] A (B)");
}

TEST_P(ControlBothOrders, Responses) {
  bool be = GetParam();
  Bytes ok = service(1, be);
  ok.push_back(0);
  EXPECT_EQ(decode(ok, be, ControlKind::Response), "[set_log_level ok]");
  Bytes ns = service(0x13, be);
  ns.push_back(1);
  EXPECT_EQ(decode(ns, be, ControlKind::Response), "[get_software_version not_supported]");

  Bytes sw = service(0x13, be);
  sw.push_back(0);
  put(sw, 8, 4, be);
  put_str(sw, std::string("Ver\x01\xE9 1\0", 8));
  EXPECT_EQ(decode(sw, be, ControlKind::Response), "[get_software_version ok] Ver.é 1");

  Bytes lvl = service(4, be);
  lvl.insert(lvl.end(), {0, 5});
  EXPECT_EQ(decode(lvl, be, ControlKind::Response), "[get_default_log_level ok] debug");
  Bytes overflow = service(0x14, be);
  overflow.insert(overflow.end(), {0, 1});
  EXPECT_EQ(decode(overflow, be, ControlKind::Response), "[message_buffer_overflow ok] true");
  Bytes bo = service(0x23, be);
  bo.push_back(0);
  put(bo, 12345, 4, be);
  EXPECT_EQ(decode(bo, be, ControlKind::Response), "[buffer_overflow ok] 12345");

  Bytes sync = service(0x24, be);
  sync.push_back(0);
  put(sync, 556859999, 4, be);   // ns
  put(sync, 1641376126, 4, be);  // 2022-01-05 09:48:46 UTC
  put(sync, 0, 2, be);
  EXPECT_EQ(decode(sync, be, ControlKind::Response), "[sync_timestamp ok] 2022-01-05 09:48:46.55685Z");

  Bytes table = service(3, be);
  table.push_back(7);
  put(table, 1, 2, be);
  put_id(table, "APP1");
  put(table, 1, 2, be);
  put_id(table, "CTX1");
  table.insert(table.end(), {0xFF, 0xFF});
  put(table, 3, 2, be);
  put_str(table, "abc");  // context description, not printed
  put(table, 0, 2, be);   // application description
  put_id(table, "eth0");
  EXPECT_EQ(decode(table, be, ControlKind::Response), "[get_log_info 7] APP1 (CTX1 default default); eth0");

  Bytes conn = service(0xF02, be);
  conn.insert(conn.end(), {0, 2});
  put_id(conn, "eth0");
  EXPECT_EQ(decode(conn, be, ControlKind::Response), "[connection_info ok] connected eth0");
  Bytes tz = service(0xF03, be);
  tz.push_back(0);
  put(tz, static_cast<std::uint32_t>(3600 * 5 + 1800), 4, be);
  tz.push_back(0);
  EXPECT_EQ(decode(tz, be, ControlKind::Response), "[timezone ok] +05:30");
  Bytes marker = service(0xF04, be);
  marker.push_back(0);
  EXPECT_EQ(decode(marker, be, ControlKind::Response), "MARKER");
}

TEST_P(ControlBothOrders, SoftwareInjection) {
  bool be = GetParam();
  Bytes req = service(0x1000, be);
  put(req, 5, 4, be);
  req.insert(req.end(), {0x11, 0x22, 0x33, 0x44, 0x55});
  EXPECT_EQ(decode(req, be, ControlKind::Request), "[] 05 00 00 00 11 22 33 44 55");
  req.push_back(0);  // the length must match exactly
  EXPECT_EQ(decode(req, be, ControlKind::Request), std::nullopt);
  Bytes resp = service(0xFFFFFFFF, be);
  resp.push_back(3);
  EXPECT_EQ(decode(resp, be, ControlKind::Response), "[ pending]");
}

TEST(Control, LengthTolerance) {
  Bytes ok = service(1, false);
  ok.push_back(0);
  Bytes padded = ok;
  padded.resize(ok.size() + 32, 0);
  EXPECT_EQ(decode(padded, false, ControlKind::Response), "[set_log_level ok]");
  padded.push_back(0);
  EXPECT_EQ(decode(padded, false, ControlKind::Response), std::nullopt);
  EXPECT_EQ(decode(service(1, false), false, ControlKind::Response), std::nullopt);  // too short
}

TEST(Control, UnknownAndShort) {
  EXPECT_EQ(decode(service(0x07, false), false, ControlKind::Request), std::nullopt);
  Bytes f01 = service(0xF01, false);
  f01.resize(17, 0);
  EXPECT_EQ(decode(f01, false, ControlKind::Request), std::nullopt);  // response-only id
  EXPECT_EQ(decode({1, 0}, false, ControlKind::Request), std::nullopt);
  EXPECT_EQ(decode({}, false, ControlKind::Time), "[]");
}

// Every service of the request and response tables, both byte orders.
TEST_P(ControlBothOrders, EveryFixedSizeService) {
  bool be = GetParam();
  struct Case {
    std::uint32_t id;
    const char* name;
  };
  const Case no_args[] = {
      {0x04, "get_default_log_level"},    {0x05, "store_config"},         {0x06, "reset_to_factory_default"},
      {0x0C, "get_local_time"},           {0x13, "get_software_version"}, {0x14, "message_buffer_overflow"},
      {0x15, "get_default_trace_status"}, {0x19, "get_verbose_mode"},     {0x1A, "get_message_filtering"},
      {0x1B, "get_use_ecu_id"},           {0x1C, "get_use_session_id"},   {0x1D, "get_use_timestamp"},
      {0x1E, "get_use_extended_header"},  {0x23, "buffer_overflow"},      {0x24, "sync_timestamp"}};
  for (const auto& c : no_args) {
    EXPECT_EQ(decode(service(c.id, be), be, ControlKind::Request), std::string("[") + c.name + "]") << c.name;
    Bytes err = service(c.id, be);
    err.push_back(2);
    EXPECT_EQ(decode(err, be, ControlKind::Response), std::string("[") + c.name + " error]") << c.name;
  }
  const Case on_off[] = {{0x09, "set_verbose_mode"},   {0x0A, "set_message_filtering"}, {0x0B, "set_timing_packets"},
                         {0x0D, "use_ecu_id"},         {0x0E, "use_session_id"},        {0x0F, "use_timestamp"},
                         {0x10, "use_extended_header"}};
  for (const auto& c : on_off) {
    Bytes req = service(c.id, be);
    req.push_back(0);
    EXPECT_EQ(decode(req, be, ControlKind::Request), std::string("[") + c.name + "] off") << c.name;
    Bytes resp = service(c.id, be);
    resp.push_back(0);
    EXPECT_EQ(decode(resp, be, ControlKind::Response), std::string("[") + c.name + " ok]") << c.name;
  }
  const Case get_on_off[] = {{0x15, "get_default_trace_status"}, {0x19, "get_verbose_mode"},
                             {0x1A, "get_message_filtering"},    {0x1B, "get_use_ecu_id"},
                             {0x1C, "get_use_session_id"},       {0x1D, "get_use_timestamp"},
                             {0x1E, "get_use_extended_header"},  {0x1F, "get_trace_status"}};
  for (const auto& c : get_on_off) {
    Bytes resp = service(c.id, be);
    resp.insert(resp.end(), {0, 1});
    EXPECT_EQ(decode(resp, be, ControlKind::Response), std::string("[") + c.name + " ok] on") << c.name;
  }
  Bytes sdts = service(0x12, be);
  sdts.push_back(1);
  put_id(sdts, "com1");
  EXPECT_EQ(decode(sdts, be, ControlKind::Request), "[set_default_trace_status] on com1");
  Bytes unreg = service(0xF01, be);
  unreg.push_back(0);
  put_id(unreg, "APP1");
  put_id(unreg, "CTX1");
  put_id(unreg, "");
  EXPECT_EQ(decode(unreg, be, ControlKind::Response), "[unregister_context ok] APP1 (CTX1)");
  for (std::uint8_t status : {0, 8, 9}) {
    Bytes info = service(0x03, be);
    info.push_back(status);
    put_id(info, "eth0");
    const char* word = status == 0 ? "ok" : status == 8 ? "no_matching_context_id" : "overflow";
    EXPECT_EQ(decode(info, be, ControlKind::Response), std::string("[get_log_info ") + word + "]");
  }
  Bytes short_overflow = service(0x03, be);
  short_overflow.push_back(9);
  EXPECT_EQ(decode(short_overflow, be, ControlKind::Response), "[get_log_info overflow]");
}

TEST(Control, LogInfoStatusesWithoutDescriptions) {
  // status 4: level only; status 5: trace status only; two apps; -128 trace status prints nothing
  Bytes s4 = service(3, false);
  s4.push_back(4);
  put(s4, 2, 2, false);
  put_id(s4, "APP1");
  put(s4, 2, 2, false);
  put_id(s4, "C1");
  s4.push_back(4);
  put_id(s4, "C2");
  s4.push_back(0);
  put_id(s4, "APP2");
  put(s4, 0, 2, false);
  put_id(s4, "");
  EXPECT_EQ(decode(s4, false, ControlKind::Response), "[get_log_info 4] APP1 (C1 info, C2 block_all); APP2 ();");
  Bytes s5 = service(3, false);
  s5.push_back(5);
  put(s5, 1, 2, false);
  put_id(s5, "");
  put(s5, 1, 2, false);
  put_id(s5, "C1");
  s5.push_back(0x80);
  put_id(s5, "");
  EXPECT_EQ(decode(s5, false, ControlKind::Response), "[get_log_info 5](C1);");
  Bytes zero = service(3, false);
  zero.push_back(6);
  put(zero, 0, 2, false);
  put_id(zero, "eth0");
  EXPECT_EQ(decode(zero, false, ControlKind::Response), "[get_log_info 6]");
  Bytes bad = service(3, false);
  bad.push_back(10);
  EXPECT_EQ(decode(bad, false, ControlKind::Response), std::nullopt);
}
