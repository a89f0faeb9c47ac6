// dltdump's options, each declared once: its names, what value it takes, its help text and
// the section it belongs to. The tokeniser (command_line), the help and usage screens (help),
// the man page (man_page), the shell completions (completions) and the messages that name an
// option read them from here.
//
// Adding an option: an OptionId enumerator, its entry in option_table.cpp (same position as
// the enumerator), and the code in options.cpp or filter_options.cpp that turns its values
// into the DumpConfig. tests/cli/option_table_test.cpp checks the table's rules (unique
// names, help for every entry, a valid example value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dltdump::cli {

// One per option, in table (and help) order; the translators refer to options by id, never by
// a name literal.
enum class OptionId : std::uint8_t {
  Help,
  Version,
  Generate,
  Position,
  Time,
  Format,
  UdpPort,
  TcpPort,
  Threads,
  Output,
  Out,
  Color,
  Progress,
  Follow,
  Sort,
  Lifecycles,
  Lifecycle,
  Recursive,
  MaxRatio,
  Count,
  Stats,
  Force,
  Split,
  Retries,
  Capture,
  EcuId,
  AppId,
  CtxId,
  SessionId,
  Type,
  Level,
  NotEcuId,
  NotAppId,
  NotCtxId,
  NotType,
  Verbose,
  NonVerbose,
  Control,
  MessageId,
  NotBefore,
  NotAfter,
  String,
  Regex,
  IgnoreCase,
  FilterFile,
  InvertMatch,
  MaxCount,
  None,
  BeforeContext,
  AfterContext,
  Context,
  Fibex,
  NvMultiEcu,
  NvNoExtHdr,
  NvVerbose,
};
inline constexpr std::size_t kOptionCount = static_cast<std::size_t>(OptionId::NvVerbose) + 1;

// What an option takes. Flag: no value. Value: one value, the option at most once. List:
// comma-separated values (command_line's split_list), the option any number of times, the
// values accumulating. Optional: a long option alone, or with one value after `=` (as
// grep's --color[=WHEN]: the next argument is never its value), at most once.
enum class Arity { Flag, Value, List, Optional };

// Where an option is listed in the help (and, later, the man page), in this order.
enum class OptionSection : std::uint8_t { Options, Filters, NonVerboseMessages };

struct OptionSectionInfo {
  OptionSection id;
  std::string_view title;  // the help's heading, without the colon
  std::string_view note;   // a paragraph after the section's options; "" if none
};

// The fields without a default must be given (the build warns otherwise: -Wextra).
struct OptionEntry {
  OptionId id;
  std::string_view long_name;         // lower case; `--long_name` and the name messages quote ('name')
  std::string_view short_names = {};  // one character each (`-c`), shown in this order; "" if none
  Arity arity;
  std::string_view value_name = {};  // shown as `--long_name=<value_name>`; "" exactly for flags
  OptionSection section;
  // One paragraph. Empty exactly when `shares_help`: the entry is listed on the line of the
  // entry before it (same section), whose paragraph describes both (`--verbose, --nonverbose`).
  std::string_view help = {};
  bool shares_help = false;
  std::span<const std::string_view> details = {};  // items listed under the paragraph, indented
  std::string_view usage = {};    // its paragraph on the usage screen (no input given); "" if not there
  std::string_view example = {};  // a valid value (tests, man page examples); "" for flags
  // The values it takes when they are a fixed set (shell completions offer them); empty for
  // free values.
  std::span<const std::string_view> choices = {};
  bool takes_path = false;  // its value names files or directories (completions offer paths)
  // A List of regular expressions: a comma inside (…), {…} or […] does not separate values
  // (command_line's split_list), so that `-r 'x{2,}'` is one pattern.
  bool list_keeps_groups = false;
};

// Every option, in OptionId order (option_table()[i].id == OptionId(i)). Static storage;
// never empty.
std::span<const OptionEntry> option_table();

// The sections, in the order the help lists them. Static storage.
std::span<const OptionSectionInfo> option_sections();

// The entry of `id` (static storage).
const OptionEntry& option(OptionId id);

// The long name of `id`.
inline std::string option_name(OptionId id) { return std::string(option(id).long_name); }

// The long name of `id` in single quotes, as messages name an option: "Option 'name' ...".
inline std::string option_quoted(OptionId id) { return "'" + option_name(id) + "'"; }

// The shortest way to write `id` on a command line, for messages that tell the user to give or
// leave out an option: `-c` for its first short name, else `--long_name`.
std::string option_flag(OptionId id);

// How the help lists `entry`: its short names, then its long name with its value name:
// `-o, --output=<file>`, `--version`.
std::string option_synopsis(const OptionEntry& entry);

}  // namespace dltdump::cli
