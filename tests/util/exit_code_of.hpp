// For tests of the error model (util/error.hpp): what a step throws, as its exit code.
#pragma once

#include <functional>
#include <optional>

#include "util/error.hpp"

namespace dltdump::testing {

// The exit code of the util::Error `step` throws; nullopt if it throws none (anything else
// it throws passes through).
inline std::optional<util::ExitCode> exit_code_of(const std::function<void()>& step) {
  try {
    step();
  } catch (const util::Error& e) {
    return e.exit_code();
  }
  return std::nullopt;
}

}  // namespace dltdump::testing
