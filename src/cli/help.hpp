// Help, usage and version texts.
#pragma once

#include <string>

namespace dltdump::cli {

// The texts, word-wrapped to `width` columns with hanging indents. The help lists every
// entry of option_table() under its section; the usage lists the entries with a usage text.
std::string help_text(unsigned width);
std::string usage_text(unsigned width);
std::string version_text();

// The terminal width of standard output (COLUMNS, the tty size, else 80).
unsigned console_width();

}  // namespace dltdump::cli
