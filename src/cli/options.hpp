// dltdump's command line: the option table and its translation into a DumpConfig.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "app/dump_app.hpp"

namespace dltdump::cli {

enum class Command { Help, Version, Dump, Usage };

struct Options {
  Command command = Command::Usage;
  app::DumpConfig dump;
  // Values that are valid but have no effect (e.g. -A without a filter): one line each,
  // naming the option, for standard error; the run goes on.
  std::vector<std::string> warnings;
};

// Thrown for option errors (exit 1) and input URI errors (exit 2). The message is one line
// naming the option or argument and its value (without a program-name prefix).
struct OptionsError {
  int exit_code;
  std::string message;
};

// Parses the arguments (without the program name). Throws OptionsError. Command::Usage
// means no input was given (and neither --help nor --version).
Options parse_options(std::span<const std::string> args);

}  // namespace dltdump::cli
