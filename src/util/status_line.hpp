// The one status line a run may keep at the bottom of standard error: the progress display
// (app/progress.hpp) redraws it in place ("\r<text>ESC[K"), and every diagnostic written
// while it is shown clears it first, under the same lock, so that a diagnostic is always a
// line of its own and never lands inside the status text. Process-wide, as standard error is.
#pragma once

#include <mutex>
#include <string_view>

namespace dltdump::util {

// Draws `text` as the status line on `fd` (replacing the one shown). Thread-safe.
void show_status_line(int fd, std::string_view text);

// Clears the status line, if one is shown. Thread-safe.
void clear_status_line();

// Clears the status line and keeps it off until the lock returned is released: for writing
// a diagnostic. Thread-safe; never blocks for long (a draw is one write).
[[nodiscard]] std::unique_lock<std::mutex> hold_status_line();

// Writes `line` and a line end to `fd` (standard error) as a diagnostic: the status line
// cleared first. A failed write is ignored (a diagnostic that cannot be written has no one
// to tell), as util::write_all's callers do.
void write_diagnostic(int fd, std::string_view line);

}  // namespace dltdump::util
