// Test helpers for the option tests: parse a command line with one input appended, or get
// the message (and exit code) of the option error a command line gives.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "cli/options.hpp"
#include "util/diagnostic.hpp"
#include "util/error.hpp"

namespace dltdump::test {

// The texts of `warnings`, in order.
inline std::vector<std::string> texts(const std::vector<util::Diagnostic>& warnings) {
  std::vector<std::string> out;
  for (const auto& w : warnings) out.push_back(w.text);
  return out;
}

inline cli::Options parse(std::vector<std::string> args) {
  args.push_back("in.dlt");
  return cli::parse_options(args);
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
    cli::parse_options(args);
  } catch (const util::Error& e) {
    return {util::exit_status(e.exit_code()), e.what()};
  }
  return {0, "no error"};
}

}  // namespace dltdump::test
