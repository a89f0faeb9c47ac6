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
};

// Thrown for option errors (exit 1) and input URI errors (exit 2).
struct OptionsError {
  int exit_code;
  std::string message;
};

// Parses the arguments (without the program name). Throws OptionsError.
Options parse_options(std::span<const std::string> args);

}  // namespace dltdump::cli
