// dltdump's command line: the parsed options (the table: cli/option_table.hpp) and their
// translation into the library's dltdump::DumpOptions — the command line is built on the
// public API (include/dltdump/dump.hpp), which checks what needs the inputs or the output.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "dltdump/catalogue.hpp"
#include "dltdump/dump.hpp"
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
  DumpOptions dump;                         // the run, checked when its Dump is made; its catalogue is not read yet
  std::vector<std::string> fibex;           // -F: FIBEX files and folders, read before the run
  CatalogueLookup nv_lookup;                // --nv-multiecu, --nv-noexthdr
  // Values that are valid but have no effect (e.g. -A without a filter): one line each,
  // naming the option, for standard error; the run goes on.
  std::vector<util::Diagnostic> warnings;
};

// Parses the arguments (without the program name). Throws util::option_error (exit 1) for
// an option; the line names the option and its value. The inputs are taken as given
// (dltdump::Dump checks them: an invalid URI is its Error, input).
// Command::Usage means no input was given (and neither --help, --version nor --fibex).
Options parse_options(std::span<const std::string> args);

}  // namespace dltdump::cli
