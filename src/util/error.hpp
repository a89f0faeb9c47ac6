// The error type of libdltdump: one exception carrying one user-facing line.
//
// Thrown for conditions a user can act on (a file that cannot be opened, a write that
// failed). The message is complete: it names the culprit and is printed as is.
#pragma once

#include <stdexcept>
#include <string>

namespace dltdump::util {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A failure to write the output (disk full, broken pipe): ends the whole run.
class OutputError : public Error {
 public:
  explicit OutputError(const std::string& message) : Error(message) {}
};

// The reader of the output pipe went away (`dltdump big.dlt | head -1`): the run stops at
// once and quietly, with exit 0, as grep and ripgrep do (contract 2 of issue #19).
class BrokenPipe : public OutputError {
 public:
  explicit BrokenPipe(const std::string& message) : OutputError(message) {}
};

// "<what> (<strerror(err)>)" — the OS reason appended in parentheses.
std::string with_os_reason(const std::string& what, int err);

}  // namespace dltdump::util
