// The error model of dltdump: one exception type, util::Error, for every fault a user can
// act on; util::Diagnostic (util/diagnostic.hpp) for what is said while the run goes on.
//
// Who throws. The code that finds a fault throws an Error there, carrying
//   * the exit code the fault means (ExitCode, dltdump-spec §1.4),
//   * the culprit: what kind of thing is at fault (Culprit) and its name as the user gave
//     it (the input's path or URI, the output file, the option's value),
//   * the line to print: complete, naming the culprit, without a line end.
// No layer catches an Error to throw another in its place, and none below the run prints
// one. A fault found where nothing may throw (an aio::Aio stage, a worker thread) is handed
// on as it is: kept by the stage and thrown by its owner (pcap::CaptureTap), or carried in
// a std::exception_ptr to the thread that joins the worker (app/parallel).
//
// What an Error does, by its exit code:
//   * NoInputProcessed: the fault ends one input (it cannot be opened, is malformed, was
//     cut while read, an output file it needs may not be made). The run
//     (app/dump_app.cpp) prints the line when the input fails, after that input's lines,
//     counts the input as not processed and goes on with the next; the run's own exit code
//     then follows from the inputs processed (0 all, 3 none, 4 some).
//   * any other code ends the run: the Error propagates to main (cli/main.cpp), which
//     prints its line once on standard error and exits with the code. Success means quiet:
//     the reader of the output pipe went away (`dltdump big.dlt | head`) and the run ends
//     without a word, exit 0, as grep's and ripgrep's do.
// Printing (error_line): the line through util::printable (a file name may hold control
// characters), on standard error, with the program name first for the errors of the
// command line (OptionError, InputUriError), as usage errors go; the others name their
// file first themselves.
//
// Not Errors: util::Stopped (util/stop_signal.hpp: a signal asked the run to stop; the run
// prints "Stopped by …" and exits 130 or 143), and any other exception (std::bad_alloc, a
// broken invariant): main reports "An internal error has occurred" with exit 255.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace dltdump::util {

// The exit codes of dltdump (dltdump-spec §1.4).
enum class ExitCode : int {
  Success = 0,
  OptionError = 1,
  InputUriError = 2,
  NoInputProcessed = 3,
  Partial = 4,
  OutputError = 5,
  FibexError = 6,
  StoppedBySigint = 130,   // SIGINT while decoding a file: the output ends whole
  StoppedBySigterm = 143,  // SIGTERM likewise
  InternalError = 255,
};

// The process exit status of `code`.
constexpr int exit_status(ExitCode code) noexcept { return static_cast<int>(code); }

// What kind of thing is at fault.
enum class Culprit {
  Input,     // an input: its argument, file, stream or content
  Option,    // a command-line option or its value
  Output,    // the console or an output file
  Fibex,     // a FIBEX description
  Internal,  // dltdump itself (a stage refused what it should take)
};

class Error : public std::runtime_error {
 public:
  // `line` is the complete message (what()); `name` the culprit as given (may be empty when
  // there is none to name, e.g. the console).
  Error(ExitCode code, Culprit culprit, std::string name, const std::string& line)
      : std::runtime_error(line), code_(code), culprit_(culprit), name_(std::move(name)) {}

  ExitCode exit_code() const noexcept { return code_; }
  Culprit culprit() const noexcept { return culprit_; }
  const std::string& name() const noexcept { return name_; }
  // The fault ends one input and the run goes on (see the top); else it ends the run.
  bool ends_input_only() const noexcept { return code_ == ExitCode::NoInputProcessed; }
  // Nothing is printed for it (the output's reader went away).
  bool quiet() const noexcept { return code_ == ExitCode::Success; }
  // The input ends early: its bytes stop before its content does (a compressed stream or a
  // tar member cut short, a file cut while read). Its bytes before the fault are good but
  // end inside a message, so a reader drops the packet the cut left partial, with the skip
  // record open there (its bytes may be that packet's start): the lines are those of the
  // whole messages before the cut, as for a mapped file cut while read — not the end of
  // an input's rules, which a fault of corrupt data gets (its skip lines, as at a file's end).
  bool cut() const noexcept { return cut_; }
  Error& mark_cut() noexcept {
    cut_ = true;
    return *this;
  }

 private:
  ExitCode code_;
  Culprit culprit_;
  std::string name_;
  bool cut_ = false;
};

// The common kinds, so that a throw site says what it found and not how it is handled.
// A fault of input `name`: that input fails, the run goes on.
inline Error input_error(std::string name, const std::string& line) {
  return Error(ExitCode::NoInputProcessed, Culprit::Input, std::move(name), line);
}
// The same for an input whose bytes end early (see Error::cut).
inline Error input_cut_error(std::string name, const std::string& line) {
  Error e = input_error(std::move(name), line);
  e.mark_cut();
  return e;
}
// Output file `name` could not be created, or may not be (it exists without --force, it
// is an input): the input that needs it fails, the run goes on.
inline Error creation_error(std::string name, const std::string& line) {
  return Error(ExitCode::NoInputProcessed, Culprit::Output, std::move(name), line);
}
// Option `name` (its long name; empty when the option is not known) or its value is
// wrong: the run does not start (exit 1).
inline Error option_error(std::string name, const std::string& line) {
  return Error(ExitCode::OptionError, Culprit::Option, std::move(name), line);
}
// Option `name`'s value `value` (as given, quoted in the line) is not a whole number from
// `low` to `high`: the one wording of this refusal for the command line and for a
// dltdump::Dump alike.
Error number_range_error(std::string_view name, std::int64_t low, std::uint64_t high, std::string_view value);
// --lifecycle's value `value` (as given) is not a lifecycle number; worded as number_range_error.
Error lifecycle_number_error(std::string_view value);
// Input argument `name` cannot be interpreted (a malformed URI, two live inputs): the run
// does not start (exit 2).
inline Error input_uri_error(std::string name, const std::string& line) {
  return Error(ExitCode::InputUriError, Culprit::Input, std::move(name), line);
}
// Writing to output `name` failed: the run stops (exit 5), the output ending whole.
inline Error output_error(std::string name, const std::string& line) {
  return Error(ExitCode::OutputError, Culprit::Output, std::move(name), line);
}
// The reader of output `name` (a pipe) went away: the run stops quietly, with exit 0.
inline Error broken_pipe(std::string name, const std::string& line) {
  return Error(ExitCode::Success, Culprit::Output, std::move(name), line);
}

// What a run says, on its own line, of an exception it did not expect (exit 8: a defect).
inline constexpr std::string_view kInternalErrorLine = "An internal error has occurred (unhandled exception).\n";

// The line printed for `e`, ending in '\n' (see Printing at the top); empty if e.quiet().
std::string error_line(const Error& e);
// Writes error_line(e) to `fd` (standard error); a refused write is not reported (there
// is no one left to tell).
void print_error(int fd, const Error& e);

// "<what> (<strerror(err)>)" — the OS reason appended in parentheses.
std::string with_os_reason(const std::string& what, int err);

}  // namespace dltdump::util
