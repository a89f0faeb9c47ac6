// Tokenising of the command line by DltDump's rules (dltdump-spec §1.1).
//
// * `--name`, `--name=value`, `--name value`; long names are case-insensitive.
// * `-x`, `-x value`, `-xvalue`, `-x=value`; boolean short options bundle (`-fi`).
// * A value is taken from the next argument only if it does not start with `-` (a lone
//   `-` is an ordinary value); `--` ends the options.
// * A non-list option given twice is an error; list options accumulate and their values
//   are split at commas, with quotes protecting commas (see split_list).
// Inputs (non-option arguments) may stand anywhere.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dltdump::cli {

enum class Arity { Flag, Value, List };

struct OptionDef {
  char short_name;             // 0 if none
  std::string_view long_name;  // lower case
  Arity arity;
};

struct ParsedCommandLine {
  // Keyed by long name. Flags map to an empty vector; values and lists to their values.
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::vector<std::string> inputs;

  bool has(std::string_view name) const { return options.find(name) != options.end(); }
  const std::vector<std::string>* values(std::string_view name) const {
    auto it = options.find(name);
    return it == options.end() ? nullptr : &it->second;
  }
};

// Thrown for any option error; the message is the second line of the report.
struct CommandLineError {
  std::string message;
};

// Tokenises `args` (without the program name). Throws CommandLineError.
ParsedCommandLine parse_command_line(std::span<const std::string> args, std::span<const OptionDef> defs);

// Splits a list value at commas. `'…'` or `"…"` protect commas and are removed; a
// backslash before a quote yields the quote; a backslash before anything else is kept
// and also keeps a following comma. Throws CommandLineError for text after a closing
// quote other than a comma, or an unterminated quote.
std::vector<std::string> split_list(const std::string& value);

}  // namespace dltdump::cli
