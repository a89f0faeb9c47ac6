#include "cli/command_line.hpp"

#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "cli/parse_helpers.hpp"
#include "util/error.hpp"

using namespace dltdump::cli;
using dltdump::test::failure;
namespace util = dltdump::util;

namespace {
ParsedCommandLine parse(std::vector<std::string> args) { return parse_command_line(args); }
std::string error(std::vector<std::string> args) {
  try {
    parse(args);
  } catch (const util::Error& e) {
    return std::string(e.what());
  }
  return "";
}
}  // namespace

TEST(CommandLine, LongOptionsAreCaseInsensitive) {
  auto cl = parse({"--Force", "--OUTPUT=x.txt", "in.dlt"});
  EXPECT_TRUE(cl.has(OptionId::Force));
  EXPECT_EQ(cl.values(OptionId::Output)->front(), "x.txt");
  EXPECT_EQ(cl.inputs, std::vector<std::string>{"in.dlt"});
}

TEST(CommandLine, ValueFormsAndBundling) {
  EXPECT_EQ(parse({"-o", "a"}).values(OptionId::Output)->front(), "a");
  EXPECT_EQ(parse({"-oa"}).values(OptionId::Output)->front(), "a");
  EXPECT_EQ(parse({"-o=a"}).values(OptionId::Output)->front(), "a");
  EXPECT_EQ(parse({"--output", "-"}).values(OptionId::Output)->front(), "-");  // a lone - is a value
  auto cl = parse({"-fi", "x"});
  EXPECT_TRUE(cl.has(OptionId::Force));
  EXPECT_TRUE(cl.has(OptionId::IgnoreCase));
  EXPECT_EQ(error({"-fi=3"}), "Command line option '-fi=3' invalid, key value pairs must be isolated");
}

TEST(CommandLine, ValueNotTakenFromADashArgument) {
  EXPECT_EQ(error({"--retries", "-1"}), "Option 'retries' missing argument");
  EXPECT_EQ(parse({"--retries=-1"}).values(OptionId::Retries)->front(), "-1");
}

TEST(CommandLine, Errors) {
  EXPECT_EQ(error({"--xyz"}), "Option '--xyz' not recognized");
  EXPECT_EQ(error({"-a"}), "Option '-a' not recognized");
  EXPECT_EQ(error({"-f", "-f"}), "Option 'force' provided multiple times");
}

TEST(CommandLine, ErrorsShowValuesOnOneLine) {
  // A value that would break the line or reach the terminal as a control code is escaped.
  EXPECT_EQ(error({"--a\nb"}), "Option '--a\\x0Ab' not recognized");
  EXPECT_EQ(error({"-\x1b"}), "Option '-\\x1B' not recognized");
}

TEST(CommandLine, ListErrorsNameTheOptionAndValue) {
  EXPECT_EQ(error({"-s", "'ab"}), "Option 'string' value ''ab': Missing quote in list");
  EXPECT_EQ(error({"--string='a'b"}), "Option 'string' value ''a'b': Invalid data after quoted list, expect ',' only");
}

TEST(CommandLine, DoubleDashEndsOptions) {
  auto cl = parse({"a", "--", "--force", "-"});
  EXPECT_FALSE(cl.has(OptionId::Force));
  EXPECT_EQ(cl.inputs, (std::vector<std::string>{"a", "--force", "-"}));
}

// A regular expression's commas inside (…), {…} and […] do not separate -r values (a new
// user's finding: the manual's own `-r 'speed=(\d{3,})'` was split in two); -s keeps the
// plain rule, and a quoted value is one value either way.
TEST(CommandLine, RegexListsKeepTheirGroupsWhole) {
  using V = std::vector<std::string>;
  auto cl = parse({"-r", "speed=(\\d{3,})", "-r", "[,;],x{1,2},(a|b,c),[[:alpha:],]", "-s", "a{1,2}"});
  EXPECT_EQ(*cl.values(OptionId::Regex), (V{"speed=(\\d{3,})", "[,;]", "x{1,2}", "(a|b,c)", "[[:alpha:],]"}));
  EXPECT_EQ(*cl.values(OptionId::String), (V{"a{1", "2}"}));
  EXPECT_EQ(split_list("[],],a", true), (V{"[],]", "a"}));  // `]` first in a class is a member
  EXPECT_EQ(split_list("[^],],a", true), (V{"[^],]", "a"}));
  EXPECT_EQ(split_list("\\(,a", true), (V{"\\(", "a"}));  // an escaped bracket opens nothing
  EXPECT_EQ(split_list("a(,b", true), (V{"a(,b"}));       // unbalanced: one value (PCRE2 names it)
  EXPECT_EQ(split_list("\"x{1,}\",y", true), (V{"x{1,}", "y"}));
  EXPECT_EQ(split_list("a),b", true), (V{"a)", "b"}));  // a stray `)` closes nothing
  // `\Q…\E` is literal: its `[` opens no class, its comma separates nothing (a new user's finding).
  EXPECT_EQ(split_list("\\Q[\\E,x", true), (V{"\\Q[\\E", "x"}));
  EXPECT_EQ(split_list("\\Q,\\E,x", true), (V{"\\Q,\\E", "x"}));
  EXPECT_EQ(split_list("\\Qa,b", true), (V{"\\Qa,b"}));  // to the end without its \E
}

TEST(CommandLine, ListsAccumulateAndSplit) {
  auto cl = parse({"-s", "a,b", "--string=c"});
  EXPECT_EQ(*cl.values(OptionId::String), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_list("\"a,b\",c"), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(split_list("'x\\'y'"), (std::vector<std::string>{"x'y"}));
  EXPECT_EQ(split_list("a\\,b"), (std::vector<std::string>{"a\\,b"}));
  EXPECT_EQ(split_list(""), (std::vector<std::string>{""}));
  EXPECT_THROW(split_list("'abc"), util::Error);
  try {
    split_list("'a'b");
  } catch (const util::Error& e) {
    EXPECT_EQ(std::string(e.what()), "Invalid data after quoted list, expect ',' only");
  }
}

TEST(Options, FormatNamesOnly) {
  std::vector<std::string> ok = {"--format=NET", "x"};
  EXPECT_EQ(dltdump::test::parse_args(ok).dump.format, dltdump::input::InputFormat::Network);
  EXPECT_EQ(failure({"--format=3", "x"}),  // Q6: numbers are not accepted
            (std::pair<int, std::string>{1,
                                         "Option 'format' has incorrect format '3' (automatic, file, serial, "
                                         "network or pcap)"}));
}

TEST(Options, CommandSelection) {
  std::vector<std::string> help_wins = {"--version", "-?"};
  EXPECT_EQ(parse_options(help_wins).command, Command::Help);
  std::vector<std::string> none;
  EXPECT_EQ(parse_options(none).command, Command::Usage);
  std::vector<std::string> h = {"-h", "x"};  // -h is --help, as in most tools
  EXPECT_EQ(parse_options(h).command, Command::Help);
  EXPECT_EQ(failure({"-h", "--help"}), (std::pair<int, std::string>{1, "Option 'help' provided multiple times"}));
  EXPECT_EQ(failure({"abc:def"}), (std::pair<int, std::string>{2, "Don't know how to interpret abc:def."}));
}

TEST(Options, StandardInputOnce) {
  // A second '-' would read nothing: refused, naming it (an input argument error).
  EXPECT_EQ(failure({"-", "a.dlt", "-"}),
            (std::pair<int, std::string>{2, "Input '-' (standard input) given 2 times; it can be read only once"}));
  std::vector<std::string> once = {"-", "a.dlt", "a.dlt"};  // a file may be read twice
  EXPECT_EQ(dltdump::test::parse_args(once).dump.inputs.size(), 3u);
}

namespace {

// An option error is the one error type with exit 1, naming the option (issue #20).
TEST(CommandLine, ErrorsCarryTheirExitCodeAndTheOption) {
  try {
    parse_options(std::vector<std::string>{"--threads=0", "in.dlt"});
    ADD_FAILURE() << "no error";
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OptionError);
    EXPECT_EQ(e.culprit(), util::Culprit::Option);
    EXPECT_EQ(e.name(), "threads");
  }
}

}  // namespace

// --lifecycle's list: an empty item is a slip of the comma, named as for the filters' lists
// (a new user's finding: it said `not ''`); 0 is no lifecycle.
TEST(Options, LifecycleNumbers) {
  EXPECT_EQ(dltdump::test::parse({"--lifecycle=1,3"}).dump.lifecycles, (std::vector<std::uint64_t>{1, 3}));
  EXPECT_EQ(dltdump::test::error({"--lifecycle=1,,2"}), "Option 'lifecycle' has an empty value (a comma too many?)");
  EXPECT_EQ(dltdump::test::error({"--lifecycle=0"}),
            "Option 'lifecycle' takes lifecycle numbers as --lifecycles lists them (1, 2, ...), not '0'");
}
