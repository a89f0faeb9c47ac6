// Ctrl-C (SIGINT) and SIGTERM as a request to stop cleanly.
//
// The handlers only set a flag (async-signal-safe). Live inputs never end by themselves;
// the user stops them: the receive and decode loops look at the flag between bounded
// waits (≤ 100 ms), finish what they received, close their files whole and return
// normally. File decoding looks at it between two packets (a framer given stop_flag() as
// its interrupt flag: one relaxed load per packet, so that a slow filter delays a stop by
// one message, not a window) or once per batch of captured packets, and throws Stopped: the
// run then writes what it holds (whole lines and messages), closes its files and exits
// with 128 + the signal's number.
#pragma once

#include <atomic>
#include <exception>
#include <thread>

namespace dltdump::util {

// Installs the handlers for SIGINT and SIGTERM (without SA_RESTART, so blocking calls
// return early), also over an inherited SIG_IGN (scripts stop background runs with
// SIGINT). Idempotent.
void install_stop_handlers();
// Whether a stop was requested (by a signal or request_stop). Any thread.
bool stop_requested() noexcept;
// The flag stop_requested() reads, for loops that test it per packet without a call (the
// framer's interrupt flag, dlt/framer.hpp). Lives as long as the program.
const std::atomic<bool>& stop_flag() noexcept;
// The signal that requested the stop (SIGINT or SIGTERM), 0 if none did; the first one
// when several came.
int stop_signal() noexcept;

// Thrown where a stop request interrupts decoding a file (not an util::Error: no input
// failed, and nothing may treat it as one).
class Stopped : public std::exception {
 public:
  const char* what() const noexcept override { return "stopped by a signal"; }
};
// Throws Stopped if a stop was requested.
inline void throw_if_stopped() {
  if (stop_requested()) throw Stopped();
}
// A process's signal goes to one thread, often not the one blocked in a write to a slow
// pipe (the run's other threads wait on it, and their waits resume): this sends the stop's
// signal to `thread` again, so that a blocking call there returns with EINTR and sees the
// stop (util/fd_writer.hpp). Nothing if no signal asked for the stop (request_stop) or `thread`
// is empty. A call may come just before the thread blocks: who waits for the thread repeats
// it (every ≤ 100 ms) until the thread is done.
void interrupt_for_stop(std::thread& thread) noexcept;
// Requests a stop as the signals do (tests, and the receive thread on a fatal error).
void request_stop() noexcept;
// Forgets a request (tests that run several live inputs in one process).
void clear_stop() noexcept;

}  // namespace dltdump::util
