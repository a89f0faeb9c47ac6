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

#include <array>
#include <span>
#include <string>
#include <vector>

#include "cli/option_table.hpp"

namespace dltdump::cli {

struct ParsedCommandLine {
  // By OptionId. A flag given has no values; a value or list option given has its values.
  std::array<bool, kOptionCount> given{};
  std::array<std::vector<std::string>, kOptionCount> option_values;
  std::vector<std::string> inputs;

  bool has(OptionId id) const { return given[static_cast<std::size_t>(id)]; }
  // The values of `id`; null if it was not given.
  const std::vector<std::string>* values(OptionId id) const {
    return has(id) ? &option_values[static_cast<std::size_t>(id)] : nullptr;
  }
};

// Tokenises `args` (without the program name) by the options of `table` (option_table(), or a
// part of it in tests; names unique). Throws util::option_error, whose message names the option
// by its long name.
ParsedCommandLine parse_command_line(std::span<const std::string> args,
                                     std::span<const OptionEntry> table = option_table());

// Splits a list value at commas. `'…'` or `"…"` protect commas and are removed; a
// backslash before a quote yields the quote; a backslash before anything else is kept
// and also keeps a following comma. With `keep_groups` (a list of regular expressions), a
// comma inside an unquoted value's (…), {…}, […] or `\Q…\E` does not separate: `\d{3,}`,
// `[,;]`, `(a|b,c)` and `\Q,\E` are one value each (deviation Q30). Throws util::option_error for text
// after a closing quote other than a comma, or an unterminated quote.
std::vector<std::string> split_list(const std::string& value, bool keep_groups = false);

}  // namespace dltdump::cli
