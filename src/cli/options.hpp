// dltdump's command line: the parsed options (the table: cli/option_table.hpp) and their
// translation into a DumpConfig.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "app/dump_app.hpp"
#include "util/diagnostic.hpp"

namespace dltdump::cli {

// FibexCheck: --fibex without an input (read the files, report, decode nothing). Generate:
// print the man page or a completion script (--generate; Options::generate says which).
enum class Command { Help, Version, Generate, Dump, FibexCheck, Usage };

// What --generate prints.
enum class Generated { ManPage, BashCompletion, ZshCompletion, FishCompletion };

struct Options {
  Command command = Command::Usage;
  Generated generate = Generated::ManPage;  // with Command::Generate
  app::DumpConfig dump;
  // Values that are valid but have no effect (e.g. -A without a filter): one line each,
  // naming the option, for standard error; the run goes on.
  std::vector<util::Diagnostic> warnings;
};

// Parses the arguments (without the program name). Throws util::Error: util::option_error (exit 1) for an option,
// util::input_uri_error (exit 2) for an input argument; the line names the option or argument and its value.
// Command::Usage means no input was given (and neither --help, --version nor --fibex).
Options parse_options(std::span<const std::string> args);

}  // namespace dltdump::cli
