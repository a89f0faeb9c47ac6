#include "util/error.hpp"

#include <cstring>

#include "util/fd_writer.hpp"
#include "util/status_line.hpp"
#include "util/value_text.hpp"

namespace dltdump::util {

std::string error_line(const Error& e) {
  if (e.quiet()) return {};
  const bool command_line = e.exit_code() == ExitCode::OptionError || e.exit_code() == ExitCode::InputUriError;
  return (command_line ? "dltdump: " : "") + printable(e.what()) + "\n";
}

Error number_range_error(std::string_view name, std::int64_t low, std::uint64_t high, std::string_view value) {
  return option_error(std::string(name), "Option '" + std::string(name) + "' must be a whole number from " +
                                             std::to_string(low) + " to " + std::to_string(high) + ", not " +
                                             quoted(value));
}

Error lifecycle_number_error(std::string_view value) {
  return option_error(
      "lifecycle",
      "Option 'lifecycle' takes lifecycle numbers as --lifecycles lists them (1, 2, ...), not " + quoted(value));
}

void print_error(int fd, const Error& e) {
  if (const std::string line = error_line(e); !line.empty()) {
    const auto held = hold_status_line();  // a line of its own, never inside the progress line
    write_all(fd, line);
  }
}

std::string with_os_reason(const std::string& what, int err) { return what + " (" + std::strerror(err) + ")"; }

}  // namespace dltdump::util
