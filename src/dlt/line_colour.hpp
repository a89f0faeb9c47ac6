// The colours of text lines on a terminal (--color): a whole line in the colour of its log
// level when the level asks for attention (fatal bold red, error red, warn yellow), skip
// lines in magenta, every other line uncoloured. ECMA-48 SGR sequences (`ESC [ … m`), which
// every terminal emulator and `less -R` understand; a coloured line ends with the reset
// sequence before its line end, so a line never leaks its colour into the next.
#pragma once

#include <array>
#include <string_view>

#include "dlt/message.hpp"
#include "dlt/message_facts.hpp"

namespace dltdump::dlt {

inline constexpr std::string_view kColourReset = "\x1b[0m";
inline constexpr std::string_view kSkipColour = "\x1b[35m";

// The colour of `m`'s line, empty for none. By type_slot: log fatal, error and warn are the
// slots 1 to 3 (MSTP 0, MTIN 1 to 3).
inline std::string_view line_colour(const Message& m) {
  static constexpr std::array<std::string_view, 4> kLevels = {"", "\x1b[1;31m", "\x1b[31m", "\x1b[33m"};
  const std::size_t slot = type_slot(m);
  return slot < kLevels.size() ? kLevels[slot] : std::string_view{};
}

}  // namespace dltdump::dlt
