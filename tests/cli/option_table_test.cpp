// The option table's rules (unique names, help and a section for every entry, a valid example
// for every value) and that the tokeniser, the help and the usage are made from it: an option
// added without help, with a clashing name or with a value the translators refuse fails here.
#include "cli/option_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/help.hpp"
#include "cli/options.hpp"

using namespace dltdump::cli;
namespace util = dltdump::util;

namespace {

bool has_section(OptionSection id) {
  const auto sections = option_sections();
  return std::any_of(sections.begin(), sections.end(), [&](const OptionSectionInfo& s) { return s.id == id; });
}

// Every way to write `e` with `value` (empty for flags): `--long`, `--LONG` and each `-c`.
std::vector<std::vector<std::string>> spellings(const OptionEntry& e, const std::string& value) {
  std::string upper(e.long_name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::vector<std::vector<std::string>> out;
  const bool flag = e.arity == Arity::Flag;
  out.push_back(flag ? std::vector<std::string>{"--" + std::string(e.long_name)}
                     : std::vector<std::string>{"--" + std::string(e.long_name) + "=" + value});
  if (e.arity == Arity::Optional) out.push_back({"--" + upper + "=" + value});  // never a separate value
  else out.push_back(flag ? std::vector<std::string>{"--" + upper} : std::vector<std::string>{"--" + upper, value});
  for (const char c : e.short_names) {
    const std::string dash_c = std::string("-") + c;
    out.push_back(flag ? std::vector<std::string>{dash_c} : std::vector<std::string>{dash_c, value});
  }
  return out;
}

std::string command(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += " " + a;
  return s;
}

}  // namespace

TEST(OptionTable, IdsIndexTheTable) {
  const auto table = option_table();
  ASSERT_EQ(table.size(), kOptionCount);
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(table[i].id), i);
    EXPECT_EQ(&option(table[i].id), &table[i]);
  }
}

TEST(OptionTable, NamesAreUniqueAndWellFormed) {
  std::set<std::string_view> long_names;
  std::set<char> short_names;
  for (const OptionEntry& e : option_table()) {
    SCOPED_TRACE(std::string(e.long_name));
    ASSERT_FALSE(e.long_name.empty());
    EXPECT_TRUE(long_names.insert(e.long_name).second) << "long name given twice";
    // Lower case (the tokeniser compares lowered names), and nothing the tokeniser splits at.
    EXPECT_TRUE(std::all_of(e.long_name.begin(), e.long_name.end(),
                            [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }));
    EXPECT_NE(e.long_name.front(), '-');
    for (const char c : e.short_names) {
      EXPECT_TRUE(short_names.insert(c).second) << "short name -" << c << " given twice";
      EXPECT_TRUE(c > ' ' && c < 0x7F && c != '-' && c != '=') << "short name -" << c;
    }
  }
}

TEST(OptionTable, EveryEntryHasHelpAndASection) {
  const auto table = option_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OptionEntry& e = table[i];
    SCOPED_TRACE(std::string(e.long_name));
    EXPECT_TRUE(has_section(e.section));
    if (e.shares_help) {
      // Listed with the entry before it, whose paragraph must be in the same section.
      EXPECT_TRUE(e.help.empty());
      ASSERT_GT(i, 0u);
      EXPECT_EQ(table[i - 1].section, e.section);
      EXPECT_TRUE(e.details.empty());
    } else {
      EXPECT_FALSE(e.help.empty()) << "an option without help text";
      EXPECT_TRUE(e.help.ends_with('.') || e.help.ends_with(':'));
    }
    // A value option names its value in the help and has an example of one; a flag has neither.
    EXPECT_EQ(e.value_name.empty(), e.arity == Arity::Flag);
    EXPECT_EQ(e.example.empty(), e.arity == Arity::Flag);
  }
  // Every section holds options, once each, and has a heading.
  std::set<OptionSection> seen;
  for (const OptionSectionInfo& s : option_sections()) {
    EXPECT_FALSE(s.title.empty());
    EXPECT_TRUE(seen.insert(s.id).second);
    EXPECT_TRUE(std::any_of(table.begin(), table.end(), [&](const OptionEntry& e) { return e.section == s.id; }));
  }
}

TEST(OptionTable, Synopsis) {
  EXPECT_EQ(option_synopsis(option(OptionId::Help)), "-?, -h, --help");
  EXPECT_EQ(option_synopsis(option(OptionId::Output)), "-o, --output=<file>");
  EXPECT_EQ(option_synopsis(option(OptionId::Position)), "--position");
  EXPECT_EQ(option_synopsis(option(OptionId::Stats)), "--stats[=<format>]");
  EXPECT_EQ(option_flag(OptionId::String), "-s");
  EXPECT_EQ(option_flag(OptionId::Retries), "--retries");
  EXPECT_EQ(option_name(OptionId::BeforeContext), "before-context");
}

TEST(OptionTable, HelpListsEveryOption) {
  const std::string help = help_text(1000);  // wide: each paragraph on one line
  EXPECT_EQ(help, help_text(1000));          // made the same way each time
  EXPECT_EQ(help_text(40), help_text(40));
  for (const OptionSectionInfo& s : option_sections())
    EXPECT_NE(help.find("\n" + std::string(s.title) + ":\n"), std::string::npos) << s.title;
  const auto table = option_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OptionEntry& e = table[i];
    SCOPED_TRACE(std::string(e.long_name));
    const std::string synopsis = option_synopsis(e);
    const std::size_t at = help.find(synopsis);
    ASSERT_NE(at, std::string::npos);
    // On its line, followed by the paragraph that describes it.
    const std::size_t line_end = help.find('\n', at);
    std::size_t paragraph = i;
    while (table[paragraph].shares_help) --paragraph;
    EXPECT_NE(help.substr(at, line_end - at).find(" - " + std::string(table[paragraph].help)), std::string::npos);
    for (const std::string_view detail : e.details)
      EXPECT_NE(help.find("\n    " + std::string(detail) + "\n"), std::string::npos) << detail;
    // Exactly one line lists it.
    EXPECT_EQ(help.find(synopsis + (e.arity == Arity::Flag ? " " : ""), at + 1), std::string::npos);
  }
}

TEST(OptionTable, UsageListsHelpAndVersion) {
  const std::string usage = usage_text(1000);
  EXPECT_EQ(usage, usage_text(1000));
  for (const OptionEntry& e : option_table()) {
    if (e.usage.empty()) continue;
    EXPECT_NE(usage.find("  " + option_synopsis(e) + " - " + std::string(e.usage) + "\n"), std::string::npos);
  }
  EXPECT_FALSE(option(OptionId::Help).usage.empty());
  EXPECT_NE(usage.find("(dltdump " + option_flag(OptionId::Help) + " for help)"), std::string::npos);
}

TEST(OptionTable, TokeniserKnowsEveryOptionByEveryName) {
  for (const OptionEntry& e : option_table()) {
    const std::string value(e.example);
    for (const auto& args : spellings(e, value)) {
      SCOPED_TRACE(command(args));
      const ParsedCommandLine cl = parse_command_line(args);
      for (const OptionEntry& other : option_table()) EXPECT_EQ(cl.has(other.id), other.id == e.id);
      if (e.arity == Arity::Flag) EXPECT_TRUE(cl.values(e.id)->empty());
      else if (e.arity == Arity::Value || e.arity == Arity::Optional)
        EXPECT_EQ(*cl.values(e.id), std::vector<std::string>{value});
      else EXPECT_EQ(*cl.values(e.id), split_list(value));
    }
  }
}

TEST(OptionTable, TokeniserMessagesNameTheOption) {
  for (const OptionEntry& e : option_table()) {
    SCOPED_TRACE(std::string(e.long_name));
    const std::string quoted = "'" + std::string(e.long_name) + "'";
    const std::string long_form = "--" + std::string(e.long_name);
    try {
      std::vector<std::string> args = {long_form + (e.arity == Arity::Flag ? "" : "=" + std::string(e.example))};
      args.push_back(args.front());
      const ParsedCommandLine cl = parse_command_line(args);
      EXPECT_EQ(e.arity, Arity::List) << "given twice, yet accepted";
    } catch (const util::Error& error) {
      EXPECT_EQ(std::string(error.what()), "Option " + quoted + " provided multiple times");
    }
    const std::vector<std::string> bare = {long_form};
    if (e.arity == Arity::Optional) {
      // Alone it takes no value, and the argument after it is not one.
      const ParsedCommandLine cl = parse_command_line(std::vector<std::string>{long_form, "x.dlt"});
      EXPECT_TRUE(cl.values(e.id)->empty());
      EXPECT_EQ(cl.inputs, std::vector<std::string>{"x.dlt"});
      EXPECT_TRUE(e.short_names.empty()) << "a short option cannot take an optional value";
    } else if (e.arity != Arity::Flag) {
      try {
        parse_command_line(bare);
        ADD_FAILURE() << "no value, yet accepted";
      } catch (const util::Error& error) {
        EXPECT_EQ(std::string(error.what()), "Option " + quoted + " missing argument");
      }
    } else {
      try {
        parse_command_line(std::vector<std::string>{long_form + "=1"});
        ADD_FAILURE() << "a flag with a value accepted";
      } catch (const util::Error& error) {
        EXPECT_EQ(std::string(error.what()), "Option " + quoted + " doesn't take a value");
      }
    }
  }
}

TEST(OptionTable, EveryExampleIsAValidValue) {
  // Each option alone, with its example, on a UDP input (the one --capture needs; --follow
  // and the runs over time need a file), parses; -v with a filter, since it refuses to invert none (it would print
  // nothing).
  // --filter-file reads its file while the options are parsed: the example's name, in the
  // test's temporary directory.
  const std::string dlf = testing::TempDir() + "nav.dlf";
  std::ofstream(dlf) << "<dltfilter/>\n";
  for (const OptionEntry& e : option_table()) {
    for (auto args : spellings(e, e.id == OptionId::FilterFile ? dlf : std::string(e.example))) {
      if (e.id == OptionId::InvertMatch) args.push_back("--appid=NAV");
      const bool file = e.id == OptionId::Follow || e.id == OptionId::Sort || e.id == OptionId::Lifecycles ||
                        e.id == OptionId::Lifecycle || e.id == OptionId::Recursive;
      args.push_back(file ? "trip.dlt" : "udp://127.0.0.1:3490");
      SCOPED_TRACE(command(args));
      try {
        const Options o = parse_options(args);
        EXPECT_NE(o.command, Command::Usage);
      } catch (const util::Error& error) {
        ADD_FAILURE() << std::string(error.what());
      }
    }
  }
}

TEST(OptionTable, EveryChoiceIsAValidValue) {
  // The completions offer the choices: each must parse, and the example be one of them.
  for (const OptionEntry& e : option_table()) {
    if (e.choices.empty()) continue;
    EXPECT_NE(e.arity, Arity::Flag);
    EXPECT_FALSE(e.takes_path);
    EXPECT_NE(std::find(e.choices.begin(), e.choices.end(), split_list(std::string(e.example)).front()),
              e.choices.end());
    for (const std::string_view choice : e.choices) {
      const std::vector<std::string> args = {"--" + std::string(e.long_name) + "=" + std::string(choice),
                                             "udp://127.0.0.1:3490"};
      SCOPED_TRACE(command(args));
      try {
        parse_options(args);
      } catch (const util::Error& error) {
        ADD_FAILURE() << std::string(error.what());
      }
    }
  }
  EXPECT_FALSE(option(OptionId::Format).choices.empty());
  EXPECT_TRUE(option(OptionId::Output).takes_path);
}

TEST(OptionTable, GenerateKindsFollowTheChoices) {
  const auto choices = option(OptionId::Generate).choices;
  const Generated kinds[] = {Generated::ManPage, Generated::BashCompletion, Generated::ZshCompletion,
                             Generated::FishCompletion};
  ASSERT_EQ(choices.size(), std::size(kinds));
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const Options o = parse_options(std::vector<std::string>{"--generate=" + std::string(choices[i])});
    EXPECT_EQ(o.command, Command::Generate);
    EXPECT_EQ(o.generate, kinds[i]);
  }
  EXPECT_THROW(parse_options(std::vector<std::string>{"--generate=ksh"}), util::Error);
}
