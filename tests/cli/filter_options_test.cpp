#include "cli/filter_options.hpp"

#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "cli/parse_helpers.hpp"

using namespace dltdump;
using namespace dltdump::cli;

using dltdump::test::error;
using dltdump::test::parse;

TEST(FilterOptions, TypeNamesAndNumbers) {
  EXPECT_EQ(parse_type("warn"), 0x30);
  EXPECT_EQ(parse_type("WARN"), 0x30);
  EXPECT_EQ(parse_type("user9"), 0xF4);
  EXPECT_EQ(parse_type("functionout"), 0x32);
  EXPECT_EQ(parse_type("time"), 0x36);
  EXPECT_EQ(parse_type("48"), 48);
  EXPECT_EQ(parse_type("48.0"), 48);
  EXPECT_EQ(parse_type("+48"), 48);
  EXPECT_EQ(parse_type("1,024"), 1024);
  EXPECT_FALSE(parse_type("network"));
  EXPECT_FALSE(parse_type("48.5"));
  EXPECT_FALSE(parse_type("0x30"));
}

TEST(FilterOptions, MessageIdsAreDecimalDigitsOnly) {
  EXPECT_EQ(parse_message_id("4294967295"), 4294967295u);
  EXPECT_FALSE(parse_message_id("4294967296"));
  EXPECT_FALSE(parse_message_id("+1"));
  EXPECT_FALSE(parse_message_id(" 1"));
  EXPECT_FALSE(parse_message_id("0x10"));
  EXPECT_FALSE(parse_message_id(""));
}

TEST(FilterOptions, ListsAccumulateAndSplitAtCommas) {
  auto o = parse({"--appid=NAV,HMI", "--appid", "SYS", "-s", "\"a,b\"", "-s", "c,d", "--sessionid=-1,42"});
  EXPECT_EQ(o.dump.filter.app_ids, (std::vector<std::string>{"NAV", "HMI", "SYS"}));
  EXPECT_EQ(o.dump.filter.strings, (std::vector<std::string>{"a,b", "c", "d"}));
  EXPECT_EQ(o.dump.filter.session_ids, (std::vector<std::int32_t>{-1, 42}));
}

TEST(FilterOptions, FlagsAndContext) {
  auto o = parse({"-i", "-r", "x+", "-A", "5", "-B2", "--control", "--verbose", "--none"});
  EXPECT_TRUE(o.dump.filter.ignore_case);
  EXPECT_EQ(o.dump.filter.regexes, std::vector<std::string>{"x+"});
  EXPECT_EQ(o.dump.after_context, 5u);
  EXPECT_EQ(o.dump.before_context, 2u);
  EXPECT_EQ(o.dump.filter.kinds, filter::kKindControl | filter::kKindVerbose);
  EXPECT_TRUE(o.dump.filter.none);
}

TEST(FilterOptions, ContextBothWaysAsGrepC) {
  auto o = parse({"-s", "x", "-C", "3"});
  EXPECT_EQ(o.dump.before_context, 3u);
  EXPECT_EQ(o.dump.after_context, 3u);
  o = parse({"-s", "x", "--context=4", "-A", "1"});  // -A wins for its side
  EXPECT_EQ(o.dump.before_context, 4u);
  EXPECT_EQ(o.dump.after_context, 1u);
  o = parse({"-s", "x", "-B0", "-C2"});
  EXPECT_EQ(o.dump.before_context, 0u);
  EXPECT_EQ(o.dump.after_context, 2u);
  EXPECT_EQ(error({"-s", "x", "-C=-1"}), "Option 'context' must be a whole number from 0 to 100000, not '-1'");
}

TEST(FilterOptions, TimeBoundsRoundToWholeMicroseconds) {
  auto o = parse({"--not-before=2022-06-18T08:30:00.0000005Z", "--not-after=2022-06-18T08:30:01.0000009Z"});
  EXPECT_EQ(o.dump.filter.not_before_us, 1655541000000001);  // rounded up
  EXPECT_EQ(o.dump.filter.not_after_us, 1655541001000000);   // rounded down
  // Nanoseconds: a lower bound 50 ns past a microsecond leaves that microsecond out, an
  // upper bound 950 ns past one keeps it, and no later one.
  o = parse({"--not-before=2022-06-18T08:30:00.000000050Z", "--not-after=2022-06-18T08:30:01.000000950Z"});
  EXPECT_EQ(o.dump.filter.not_before_us, 1655541000000001);
  EXPECT_EQ(o.dump.filter.not_after_us, 1655541001000000);
}

TEST(FilterOptions, ValidationMessages) {
  EXPECT_EQ(error({"--type=foo"}), "Unknown filter type 'foo' for option 'type'.");
  EXPECT_EQ(error({"--type=network"}), "Unknown filter type 'network' for option 'type'.");
  EXPECT_EQ(error({"--messageid=12,x"}),
            "Invalid message identifier 'x' for option 'messageid', must be an integer from 0 to 4294967295");
  EXPECT_EQ(error({"--messageid=4294967296"}),
            "Invalid message identifier '4294967296' for option 'messageid', must be an integer from 0 to 4294967295");
  EXPECT_EQ(
      error({"--sessionid=abc"}),
      "Option 'sessionid' must be a whole number from -2147483648 to 4294967295 (or 0x0 to 0xFFFFFFFF), not 'abc'");
  EXPECT_EQ(error({"--sessionid=4294967296"}),
            "Option 'sessionid' must be a whole number from -2147483648 to 4294967295 (or 0x0 to 0xFFFFFFFF), not "
            "'4294967296'");
  EXPECT_EQ(error({"-B=-1"}), "Option 'before-context' must be a whole number from 0 to 100000, not '-1'");
  EXPECT_EQ(error({"-B=100001"}), "Option 'before-context' must be a whole number from 0 to 100000, not '100001'");
  EXPECT_EQ(error({"--after-context=x"}),
            "Option 'after-context' must be a whole number from 0 to 2147483647, not 'x'");
  EXPECT_EQ(error({"-A", "-1"}), "Option 'after-context' missing argument");  // tokenizer: -1 is no value
  EXPECT_EQ(error({"--not-before=soon"}), "Can't interpret date 'soon' for option 'not-before'.");  // Q4
  EXPECT_EQ(error({"--not-before=2022-06-18T10:00:00Z", "--not-after=2022-06-18T09:00:00Z"}),
            "Nothing to filter, 'not-before' 2022-06-18T10:00:00 must be earlier than 'not-after' "
            "2022-06-18T09:00:00.");
  EXPECT_EQ(error({"-r", "(unclosed"}).rfind("Invalid regular expression '(unclosed': ", 0), 0u);  // Q3
}

TEST(FilterOptions, IdsLongerThanFourBytesAreRefused) {
  EXPECT_EQ(error({"--appid=NAV,TOOLONG"}),
            "Option 'appid' value 'TOOLONG' is longer than 4 bytes (ids are 1-4 bytes)");
  EXPECT_EQ(error({"--ctxid=CTX12"}), "Option 'ctxid' value 'CTX12' is longer than 4 bytes (ids are 1-4 bytes)");
  EXPECT_EQ(error({"--ecuid=ECU01"}), "Option 'ecuid' value 'ECU01' is longer than 4 bytes (ids are 1-4 bytes)");
  EXPECT_EQ(parse({"--appid=ABCD,\xC3\xA4\xC3\xB6"}).dump.filter.app_ids.size(), 2u);  // 4 bytes each
  EXPECT_EQ(error({"--appid=\xC3\xA4\xC3\xB6x"}),
            "Option 'appid' value '\xC3\xA4\xC3\xB6x' is longer than 4 bytes (ids are 1-4 bytes)");
}

TEST(FilterOptions, EmptyListItemsAreRefused) {
  for (const char* option : {"ecuid", "appid", "ctxid", "sessionid", "type", "messageid", "string", "regex"}) {
    const std::string name(option);
    const std::string message = "Option '" + name + "' has an empty value (a comma too many?)";
    EXPECT_EQ(error({"--" + name + "="}), message);
    EXPECT_EQ(error({"--" + name + "=a,,b"}), message);
  }
  EXPECT_EQ(error({"-s", "timeout,"}), "Option 'string' has an empty value (a comma too many?)");
  EXPECT_EQ(error({"--messageid=12, "}), "Option 'messageid' has an empty value (a comma too many?)");
  EXPECT_EQ(parse({"-s", " "}).dump.filter.strings, std::vector<std::string>{" "});  // a space is text
}

TEST(FilterOptions, TypeNumbersNoLineHasAreRefused) {
  const std::string tail =
      " can never match: a number is the MSIN byte without its verbose bit (even, 0-254, "
      "message type 0-3; 48 = warn)";
  EXPECT_EQ(error({"--type=999"}), "Option 'type' value '999'" + tail);
  EXPECT_EQ(error({"--type=-2"}), "Option 'type' value '-2'" + tail);
  EXPECT_EQ(error({"--type=49"}), "Option 'type' value '49'" + tail);  // the verbose bit
  EXPECT_EQ(error({"--type=256"}), "Option 'type' value '256'" + tail);
  EXPECT_EQ(error({"--type=8"}), "Option 'type' value '8'" + tail);  // MSTP 4 (reserved)
  EXPECT_EQ(parse({"--type=0,48,54,request"}).dump.filter.types, (std::vector<std::int32_t>{0, 48, 54, 0x16}));
}

TEST(FilterOptions, SessionIdsInBothForms) {
  auto o = parse({"--sessionid=4294967295,-1,3735928559,-559038737, 42 "});
  EXPECT_EQ(o.dump.filter.session_ids, (std::vector<std::int32_t>{-1, -1, -559038737, -559038737, 42}));
  EXPECT_EQ(parse_session_id("-2147483648"), INT32_MIN);
  EXPECT_EQ(parse_session_id("2147483648"), INT32_MIN);
  EXPECT_FALSE(parse_session_id("-4294967295"));
  EXPECT_FALSE(parse_session_id("+4294967295"));
  EXPECT_FALSE(parse_session_id("4294967296"));
  // Hexadecimal, as the manual writes the example (a new user's finding: refused).
  EXPECT_EQ(parse_session_id("0xDEADBEEF"), -559038737);
  EXPECT_EQ(parse_session_id("0Xdeadbeef"), -559038737);
  EXPECT_EQ(parse_session_id("0x0"), 0);
  EXPECT_FALSE(parse_session_id("0x1FFFFFFFF"));
  EXPECT_FALSE(parse_session_id("0x"));
  EXPECT_FALSE(parse_session_id("0xG1"));
  EXPECT_FALSE(parse_session_id("-0x1"));
}

TEST(FilterOptions, TextThatCanNeverMatchIsRefused) {
  // Line texts are UTF-8 without control characters.
  EXPECT_EQ(error({"-i", "-s", "\xff"}),
            "Option 'string' value '\\xFF' is not UTF-8 text (line texts are), so it can never match");
  EXPECT_EQ(error({"-s", "a\xc3"}),
            "Option 'string' value 'a\\xC3' is not UTF-8 text (line texts are), so it can never match");
  EXPECT_EQ(error({"-r", "\xff+"}),
            "Option 'regex' value '\\xFF+' is not UTF-8 text (line texts are), so it can never match");
  EXPECT_EQ(error({"-s", "a\tb"}),
            "Option 'string' value 'a\\x09b' holds a control character or line separator, which line texts show as "
            "'.', so it can never match");
  EXPECT_EQ(parse({"-i", "-s", "\xC3\xA4"}).dump.filter.strings.size(), 1u);
  EXPECT_EQ(parse({"-r", "[^\n]"}).dump.filter.regexes.size(), 1u);  // a pattern may name one
}

TEST(FilterOptions, ContextWithoutAFilterWarns) {
  EXPECT_EQ(
      test::texts(parse({"-A", "3", "-B", "2"}).warnings),
      (std::vector<std::string>{
          "Option 'before-context' has no effect without a filter (context surrounds the lines a filter selects)",
          "Option 'after-context' has no effect without a filter (context surrounds the lines a filter selects)"}));
  EXPECT_TRUE(parse({"-A", "3", "-s", "x"}).warnings.empty());
  EXPECT_TRUE(parse({"-B", "3", "--appid=NAV"}).warnings.empty());
  EXPECT_TRUE(parse({}).warnings.empty());
}

TEST(FilterOptions, IgnoreCaseWithoutATextSearchWarns) {
  EXPECT_EQ(test::texts(parse({"-i", "--appid=NAV"}).warnings),
            std::vector<std::string>{"Option 'ignorecase' has no effect without -s or -r"});
  EXPECT_TRUE(parse({"-i", "-s", "x"}).warnings.empty());
  EXPECT_TRUE(parse({"-i", "-r", "x"}).warnings.empty());
}

TEST(FilterOptions, EqualTimeBoundsAreFine) {
  auto o = parse({"--not-before=2022-06-18Z", "--not-after=2022-06-18Z"});
  EXPECT_EQ(o.dump.filter.not_before_us, o.dump.filter.not_after_us);
}

TEST(FilterOptions, ExclusionsLevelInvertAndMaxCount) {
  auto o = parse({"--not-appid=DLTD,SYS", "--not-appid", "X", "--not-ctxid=INTM", "--not-ecuid=ECU2",
                  "--not-type=debug,80", "--level=WARN", "-v", "-m", "20"});
  const filter::FilterSpec& f = o.dump.filter;
  EXPECT_EQ(f.not_app_ids, (std::vector<std::string>{"DLTD", "SYS", "X"}));
  EXPECT_EQ(f.not_ctx_ids, std::vector<std::string>{"INTM"});
  EXPECT_EQ(f.not_ecu_ids, std::vector<std::string>{"ECU2"});
  EXPECT_EQ(f.not_types, (std::vector<std::int32_t>{0x50, 80}));
  EXPECT_EQ(f.max_level, 3);
  EXPECT_TRUE(f.invert);
  EXPECT_EQ(f.max_count, 20u);
  EXPECT_TRUE(f.any());
  EXPECT_FALSE(parse({"--appid=A"}).dump.filter.max_count);
  EXPECT_EQ(parse({"--max-count=0"}).dump.filter.max_count, 0u);
  EXPECT_EQ(parse({"-m5", "-vi", "-s", "x"}).dump.filter.max_count, 5u);  // -v bundles as a flag
}

TEST(FilterOptions, LevelsAndCounts) {
  EXPECT_EQ(parse_level("fatal"), 1);
  EXPECT_EQ(parse_level(" Verbose "), 6);
  EXPECT_FALSE(parse_level("warning"));
  EXPECT_FALSE(parse_level("3"));
  EXPECT_EQ(parse_count("9999999999999999999"), 9999999999999999999ull);
  EXPECT_EQ(parse_count("+7"), 7u);
  EXPECT_FALSE(parse_count("10000000000000000000"));
  EXPECT_FALSE(parse_count("-1"));
  EXPECT_FALSE(parse_count("1e3"));
  EXPECT_FALSE(parse_count(""));
}

TEST(FilterOptions, NewValidationMessages) {
  EXPECT_EQ(error({"--level=loud"}),
            "Option 'level' has incorrect level 'loud' (fatal, error, warn, info, debug or verbose)");
  EXPECT_EQ(error({"-m", "x"}), "Option 'max-count' must be a whole number from 0 to 9999999999999999999, not 'x'");
  EXPECT_EQ(error({"-m", "-1"}), "Option 'max-count' missing argument");  // tokenizer: -1 is no value
  EXPECT_EQ(error({"--not-type=network"}), "Unknown filter type 'network' for option 'not-type'.");
  EXPECT_EQ(error({"--not-type=1"}).rfind("Option 'not-type' value '1' can never match: ", 0), 0u);
  EXPECT_EQ(error({"--not-ecuid=TOOLONG"}),
            "Option 'not-ecuid' value 'TOOLONG' is longer than 4 bytes (ids are 1-4 bytes)");
  EXPECT_EQ(error({"--not-appid=A,"}), "Option 'not-appid' has an empty value (a comma too many?)");
  EXPECT_EQ(error({"-v"}),
            "Option 'invert-match' needs a filter to invert (without one, every line is selected and "
            "none would be printed)");
  EXPECT_EQ(error({"-v", "-m", "3"}).rfind("Option 'invert-match' needs a filter", 0), 0u);  // -m is no filter
  EXPECT_EQ(error({"-v", "--none"}),
            "Option 'invert-match' cannot invert 'none' (it prints no line; leave one of them out)");
  EXPECT_EQ(error({"--time=gmt"}), "Option 'time' has incorrect value 'gmt' (local, utc, iso, relative or device)");
}

TEST(FilterOptions, ContextWithMaxCountAloneIsDropped) {
  // -m is no filter: -A and -B still say they have no effect, and do none.
  auto o = parse({"-m", "3", "-A", "2"});
  EXPECT_EQ(
      test::texts(o.warnings),
      std::vector<std::string>{
          "Option 'after-context' has no effect without a filter (context surrounds the lines a filter selects)"});
  EXPECT_EQ(o.dump.after_context, 0u);
  EXPECT_EQ(parse({"-m", "3", "-A", "2", "--level=warn"}).dump.after_context, 2u);
}

TEST(FilterOptions, TimeColumnValuesAndWhereTheyHaveNoEffect) {
  EXPECT_EQ(parse({}).dump.time, dlt::TimeColumn::Local);
  EXPECT_EQ(parse({"--time=UTC"}).dump.time, dlt::TimeColumn::Utc);
  EXPECT_EQ(parse({"--time=iso"}).dump.time, dlt::TimeColumn::Iso);
  EXPECT_EQ(parse({"--time", "relative"}).dump.time, dlt::TimeColumn::Relative);
  EXPECT_EQ(parse({"--time=device"}).dump.time, dlt::TimeColumn::Device);
  EXPECT_TRUE(parse({"--time=utc"}).warnings.empty());
  EXPECT_TRUE(parse({"--time=local", "--out=json"}).warnings.empty());  // the default changes nothing
  EXPECT_EQ(
      test::texts(parse({"--time=iso", "--out=csv"}).warnings),
      std::vector<std::string>{"Option 'time' has no effect on JSON and CSV records (they keep their time fields)"});
  EXPECT_EQ(test::texts(parse({"--time=iso", "-c"}).warnings),
            std::vector<std::string>{"Option 'time' has no effect with 'count' (no line is printed)"});
  EXPECT_EQ(test::texts(parse({"--time=utc", "-o", "x.dlt"}).warnings),
            std::vector<std::string>{
                "Option 'time' has no effect on the output 'x.dlt' (DLT and PCAP-NG keep the messages)"});
}
