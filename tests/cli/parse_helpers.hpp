// Test helpers for the option tests: parse a command line with one input appended, or get
// the message of the option error it gives.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/options.hpp"

namespace dltdump::test {

inline cli::Options parse(std::vector<std::string> args) {
  args.push_back("in.dlt");
  return cli::parse_options(args);
}

// The message of the option error `args` gives (and checks its exit code is 1).
inline std::string error(std::vector<std::string> args) {
  try {
    parse(args);
  } catch (const cli::OptionsError& e) {
    EXPECT_EQ(e.exit_code, 1);
    return e.message;
  }
  return "no error";
}

}  // namespace dltdump::test
