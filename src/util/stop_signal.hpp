// Ctrl-C (SIGINT) and SIGTERM as a request to stop a live input cleanly.
//
// Live inputs never end by themselves; the user stops them. The handlers only set a flag
// (async-signal-safe); the receive and decode loops look at it between bounded waits
// (≤ 100 ms), finish what they received, close their files whole and return normally.
#pragma once

namespace dltdump::util {

// Installs the handlers for SIGINT and SIGTERM (without SA_RESTART, so blocking calls
// return early). Idempotent.
void install_stop_handlers();
// Whether a stop was requested (by a signal or request_stop). Any thread.
bool stop_requested() noexcept;
// Requests a stop as the signals do (tests, and the receive thread on a fatal error).
void request_stop() noexcept;
// Forgets a request (tests that run several live inputs in one process).
void clear_stop() noexcept;

}  // namespace dltdump::util
