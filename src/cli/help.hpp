// Help, usage and version texts.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace dltdump::cli {

// The texts, word-wrapped to `width` columns with hanging indents. The help lists every
// entry of option_table() under its section; the usage lists the entries with a usage text.
std::string help_text(unsigned width);
std::string usage_text(unsigned width);
std::string version_text();

// What dltdump is, in one paragraph (the help's and the man page's description).
extern const std::string_view kDescription;

// The sections after the options, for the help and the man page: a title and its items, each
// a term and what it means ("0" - "Success."). Static storage.
struct HelpItem {
  std::string_view term;
  std::string_view text;
};
struct HelpTopic {
  std::string_view title;
  std::span<const HelpItem> items;
};
std::span<const HelpTopic> help_topics();

// The terminal width of standard output (COLUMNS, the tty size, else 80).
unsigned console_width();

}  // namespace dltdump::cli
