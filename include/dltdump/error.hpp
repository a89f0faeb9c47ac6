// The one exception type of the dltdump API.
//
// Every fault a caller can act on — an input that cannot be opened or is malformed, a
// filter value that can never match or a regular expression that does not compile, a
// FIBEX file that cannot be read — is thrown as dltdump::Error, naming what is at fault.
// Other exceptions are not the library's faults (std::bad_alloc).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "dltdump/export.hpp"

namespace dltdump {

class DLTDUMP_API Error : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    input,     // an input: its name, file, stream or content
    argument,  // a value given to the API (a filter value, an option)
    fibex,     // a FIBEX file
    internal,  // the library itself
    output,    // a file a Writer writes: it cannot be created, or a write failed
  };
  // `what` is the complete message, naming the culprit. It is kept as the command line
  // prints a diagnostic: control characters (NUL, ESC, newlines, ...) and bytes that are no
  // UTF-8 shown as `\xHH`, so what() is one line of valid UTF-8, whole.
  Error(Kind kind, std::string input, std::optional<std::uint64_t> offset, const std::string& what);
  Error(const Error&) = default;
  Error& operator=(const Error&) = default;
  ~Error() override;

  Kind kind() const noexcept { return kind_; }
  // The input (its name as given to the Reader; "<memory>" for a buffer) or file at
  // fault (for an output error, the file a Writer writes); empty when none is (a filter value).
  const std::string& input() const noexcept { return input_; }
  // How far the input was decoded when the fault was found (the stream offset of the
  // first byte not yet delivered), where known.
  std::optional<std::uint64_t> offset() const noexcept { return offset_; }

 private:
  Kind kind_;
  std::string input_;
  std::optional<std::uint64_t> offset_;
};

}  // namespace dltdump
