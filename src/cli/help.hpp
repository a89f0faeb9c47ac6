// Help, usage and version texts.
#pragma once

#include <string>

namespace dltdump::cli {

// The texts, word-wrapped to `width` columns with hanging indents.
std::string help_text(unsigned width);
std::string usage_text(unsigned width);
std::string version_text();

// The terminal width of standard output (COLUMNS, the tty size, else 80).
unsigned console_width();

}  // namespace dltdump::cli
