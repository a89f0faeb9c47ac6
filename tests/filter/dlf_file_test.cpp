#include "filter/dlf_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "util/error.hpp"

using namespace dltdump;
using filter::DlfRule;
using filter::parse_dlf;

namespace {

std::string file(const std::string& filters) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dltfilter>\n" + filters + "</dltfilter>\n";
}

// The message of the option error `text` raises.
std::string error_of(const std::string& text) {
  try {
    parse_dlf("f.dlf", text);
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OptionError);
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST(DlfFile, ReadsEveryElementDltViewerWrites) {
  const auto f = parse_dlf("f.dlf", file(R"(<filter>
    <type>1</type><name>nav &amp; more</name><ecuid>ECU1</ecuid><applicationid>NA.</applicationid>
    <contextid>GP</contextid><headertext>ECU1 .* warn</headertext><payloadtext>speed \d+</payloadtext>
    <regex_search>a</regex_search><regex_replace>b</regex_replace>
    <messageIdMin>100</messageIdMin><messageIdMax>4294967295</messageIdMax>
    <enableregexp_Appid>1</enableregexp_Appid><enableregexp_Context>1</enableregexp_Context>
    <enableregexp_Header>1</enableregexp_Header><enableregexp_Payload>1</enableregexp_Payload>
    <ignoreCase_Header>1</ignoreCase_Header><ignoreCase_Payload>1</ignoreCase_Payload>
    <enablefilter>1</enablefilter><enableecuid>1</enableecuid><enableapplicationid>1</enableapplicationid>
    <enablecontextid>1</enablecontextid><enableheadertext>1</enableheadertext>
    <enablepayloadtext>1</enablepayloadtext><enablectrlmsgs>1</enablectrlmsgs>
    <enableLogLevelMin>1</enableLogLevelMin><enableLogLevelMax>1</enableLogLevelMax>
    <enableMarker>0</enableMarker><enableMessageId>1</enableMessageId>
    <enableRegexSearchReplace>0</enableRegexSearchReplace><filterColour>#ff0000</filterColour>
    <logLevelMax>4</logLevelMax><logLevelMin>2</logLevelMin></filter>)"));
  EXPECT_TRUE(f.warnings.empty());
  ASSERT_EQ(f.rules.size(), 1u);
  const DlfRule& r = f.rules[0];
  EXPECT_EQ(r.kind, DlfRule::Kind::Negative);
  EXPECT_EQ(r.name, "nav & more");
  EXPECT_TRUE(r.enabled && r.ecu_enabled && r.app.enabled && r.ctx.enabled && r.payload.enabled);
  EXPECT_EQ(r.ecu, "ECU1");
  EXPECT_EQ(r.app.text, "NA.");
  EXPECT_TRUE(r.app.regex);
  EXPECT_EQ(r.ctx.text, "GP");
  EXPECT_TRUE(r.ctx.regex);
  EXPECT_EQ(r.header.text, "ECU1 .* warn");
  EXPECT_TRUE(r.header.enabled && r.header.regex && r.header.ignore_case);
  EXPECT_EQ(r.payload.text, "speed \\d+");
  EXPECT_TRUE(r.payload.regex && r.payload.ignore_case);
  EXPECT_TRUE(r.control_only && r.level_min_enabled && r.level_max_enabled && r.message_id_enabled);
  EXPECT_EQ(r.level_min, 2);
  EXPECT_EQ(r.level_max, 4);
  EXPECT_EQ(r.message_id_min, 100u);
  EXPECT_EQ(r.message_id_max, 4294967295u);
  EXPECT_TRUE(r.selects());
}

TEST(DlfFile, DefaultsAndKinds) {
  const auto f = parse_dlf("f.dlf", file("<filter/><filter><type>2</type><enablefilter>1</enablefilter></filter>"
                                         "<filter><type> 0 </type><enablefilter>1</enablefilter></filter>"));
  ASSERT_EQ(f.rules.size(), 3u);
  EXPECT_EQ(f.rules[0].kind, DlfRule::Kind::Positive);
  EXPECT_FALSE(f.rules[0].enabled);  // a filter is disabled unless it says otherwise
  EXPECT_FALSE(f.rules[0].selects());
  EXPECT_EQ(f.rules[0].level_max, 6);
  EXPECT_EQ(f.rules[0].level_min, 0);
  EXPECT_FALSE(f.rules[0].app.regex || f.rules[0].payload.ignore_case || f.rules[0].message_id_enabled);
  EXPECT_EQ(f.rules[1].kind, DlfRule::Kind::Marker);
  EXPECT_FALSE(f.rules[1].selects());  // markers colour lines, they select none
  EXPECT_TRUE(f.rules[2].selects());
  EXPECT_TRUE(f.warnings.empty());
  EXPECT_TRUE(parse_dlf("f.dlf", file("")).rules.empty());
}

TEST(DlfFile, LegacyRegexFlagIsTheApplicationIds) {
  const auto f = parse_dlf("f.dlf", file("<filter><enableregexp>1</enableregexp></filter>"));
  ASSERT_EQ(f.rules.size(), 1u);
  EXPECT_TRUE(f.rules[0].app.regex);
  EXPECT_FALSE(f.rules[0].ctx.regex || f.rules[0].payload.regex);
}

TEST(DlfFile, WarnsAboutWhatItCannotApply) {
  const auto f = parse_dlf("f.dlf", file("<filter><enablefilter>1</enablefilter><colour>red</colour></filter>"
                                         "<group/>"
                                         "<filter><enablefilter>1</enablefilter><type>7</type></filter>"
                                         "<filter><enablefilter>1</enablefilter>"
                                         "<enableRegexSearchReplace>1</enableRegexSearchReplace></filter>"
                                         "<filter><enablefilter>yes</enablefilter></filter>"
                                         // disabled: its unsupported fields apply to nothing
                                         "<filter><enableRegexSearchReplace>1</enableRegexSearchReplace></filter>"));
  ASSERT_EQ(f.warnings.size(), 5u);
  EXPECT_EQ(f.warnings[0], "Filter file 'f.dlf', filter 1: unknown element <colour> ignored");
  EXPECT_EQ(f.warnings[1], "Filter file 'f.dlf': unknown element <group> ignored");
  EXPECT_EQ(f.warnings[2],
            "Filter file 'f.dlf', filter 2: unknown type 7 (0 positive, 1 negative, 2 marker): the filter is left out");
  EXPECT_NE(f.warnings[3].find("filter 3: <enableRegexSearchReplace> is not supported"), std::string::npos);
  EXPECT_EQ(f.warnings[4], "Filter file 'f.dlf', filter 4: <enablefilter> 'yes' is not a whole number: taken as 0");
  ASSERT_EQ(f.rules.size(), 5u);
  EXPECT_TRUE(f.rules[0].selects());   // the rest of the filter applies
  EXPECT_FALSE(f.rules[1].selects());  // an unknown type is left out
  EXPECT_FALSE(f.rules[3].enabled);
}

TEST(DlfFile, MalformedFilesAreOptionErrors) {
  EXPECT_EQ(error_of(""), "Filter file 'f.dlf': not well-formed XML at line 1, column 1: No document element found");
  EXPECT_EQ(error_of("<dltfilter>\n<filter><type>0</filter>\n</dltfilter>"),
            "Filter file 'f.dlf': not well-formed XML at line 2, column 18: Start-end tags mismatch");
  EXPECT_EQ(error_of("<?xml version=\"1.0\"?><filters/>"),
            "Filter file 'f.dlf': the root element is <filters>, not <dltfilter> (not a dlt-viewer filter file)");
  EXPECT_NE(error_of("\x89PNG\r\n").find("not well-formed XML"), std::string::npos);
}

TEST(DlfFile, ReadsFilesAndNamesTheOnesItCannot) {
  const std::string path = testing::TempDir() + "dlf_file_test.dlf";
  {
    std::ofstream out(path);
    out << file("<filter><enablefilter>1</enablefilter></filter>");
  }
  EXPECT_EQ(filter::read_dlf_file(path).rules.size(), 1u);
  std::remove(path.c_str());
  try {
    filter::read_dlf_file(path);
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "Filter file '" + path + "': No such file or directory");
    EXPECT_EQ(e.exit_code(), util::ExitCode::OptionError);
  }
  try {
    filter::read_dlf_file(testing::TempDir());
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos);
  }
}
