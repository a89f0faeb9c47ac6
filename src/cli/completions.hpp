// Shell completion scripts for bash, zsh and fish, made from the option table
// (dltdump --generate=complete-SHELL; cmake --install puts each where its shell looks).
// They complete the long and short options, the fixed values an option takes (its choices;
// after `=`, after a separate argument and, for lists, after a comma) and paths for the
// options that take paths and for the inputs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dltdump::cli {

enum class Shell { Bash, Zsh, Fish };

std::string completion_script(Shell shell);

// The short description a completion menu shows for an option: the first sentence of its
// help (up to the first ". "), cut at a word to at most kShortDescription bytes ("..." ending
// a cut one).
inline constexpr std::size_t kShortDescription = 72;
std::string short_description(std::string_view help);

}  // namespace dltdump::cli
