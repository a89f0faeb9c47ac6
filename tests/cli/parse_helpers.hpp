// Test helpers for the option tests: parse a command line with one input appended, or get
// the message (and exit code) of the option error a command line gives. A command line is
// parsed as the program does it: cli::parse_options, then — for a dump — the library's
// checks of the DumpOptions it made (api::check_dump, what dltdump::Dump's constructor
// runs), whose app::DumpConfig the tests read.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "api/dump_config.hpp"
#include "cli/options.hpp"
#include "util/diagnostic.hpp"
#include "util/error.hpp"

namespace dltdump::test {

// A parsed command line: the CLI's options and the run's config the library made of them.
struct Parsed {
  cli::Options options;
  app::DumpConfig dump;                    // for Command::Dump (else a default one)
  std::vector<util::Diagnostic> warnings;  // the CLI's, then the library's
};

// The texts of `warnings`, in order.
inline std::vector<std::string> texts(const std::vector<util::Diagnostic>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.text);
  return out;
}

// `args` as given (no input appended).
inline Parsed parse_args(const std::vector<std::string>& args) {
  Parsed p;
  p.options = cli::parse_options(args);
  p.warnings = p.options.warnings;
  if (p.options.command == cli::Command::Dump) {
    api::CheckedDump checked = api::check_dump(p.options.dump);  // its catalogue: p.options' (none here)
    p.dump = std::move(checked.config);
    for (auto& w : checked.warnings) p.warnings.push_back(std::move(w));
  }
  return p;
}

inline Parsed parse(std::vector<std::string> args) {
  args.push_back("in.dlt");
  return parse_args(args);
}

// The message of the option error `args` gives (and checks its exit code is 1).
inline std::string error(std::vector<std::string> args) {
  try {
    parse(args);
  } catch (const util::Error& e) {
    EXPECT_EQ(e.exit_code(), util::ExitCode::OptionError);
    return e.what();
  }
  return "no error";
}

// The exit code and message of the error `args` (as given: no input appended) give;
// {0, "no error"} when they parse.
inline std::pair<int, std::string> failure(std::vector<std::string> args) {
  try {
    parse_args(args);
  } catch (const util::Error& e) {
    return {util::exit_status(e.exit_code()), e.what()};
  }
  return {0, "no error"};
}

}  // namespace dltdump::test
