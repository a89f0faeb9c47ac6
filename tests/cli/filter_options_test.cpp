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

TEST(FilterOptions, TimeBoundsRoundToWholeMicroseconds) {
  auto o = parse({"--not-before=2022-06-18T08:30:00.0000005Z", "--not-after=2022-06-18T08:30:01.0000009Z"});
  EXPECT_EQ(o.dump.filter.not_before_us, 1655541000000001);  // rounded up
  EXPECT_EQ(o.dump.filter.not_after_us, 1655541001000000);   // rounded down
}

TEST(FilterOptions, ValidationMessages) {
  EXPECT_EQ(error({"--type=foo"}), "Unknown filter type 'foo'.");
  EXPECT_EQ(error({"--type=network"}), "Unknown filter type 'network'.");
  EXPECT_EQ(error({"--messageid=12,x"}), "Invalid message identifier x, must be an integer");
  EXPECT_EQ(error({"--messageid=12, "}), "Invalid message identifier <empty>, must be an integer");
  EXPECT_EQ(error({"--sessionid=abc"}), "Option 'sessionid' has incorrect format");
  EXPECT_EQ(error({"-B=-1"}), "Option 'before-context' must be from 0 to 100000, not -1");
  EXPECT_EQ(error({"--after-context=x"}), "Option 'after-context' has incorrect format");
  EXPECT_EQ(error({"-A", "-1"}).find("-A"), error({"-A", "-1"}).find("-A"));  // tokenizer: missing argument
  EXPECT_EQ(error({"--not-before=soon"}), "Can't interpret date 'soon' for option 'not-before'.");  // Q4
  EXPECT_EQ(error({"--not-before=2022-06-18T10:00:00Z", "--not-after=2022-06-18T09:00:00Z"}),
            "Nothing to filter, 'not-before' 2022-06-18T10:00:00 must be earlier than 'not-after' "
            "2022-06-18T09:00:00.");
  EXPECT_EQ(error({"-r", "(unclosed"}).rfind("Invalid regular expression '(unclosed': ", 0), 0u);  // Q3
}

TEST(FilterOptions, EqualTimeBoundsAreFine) {
  auto o = parse({"--not-before=2022-06-18Z", "--not-after=2022-06-18Z"});
  EXPECT_EQ(o.dump.filter.not_before_us, o.dump.filter.not_after_us);
}
