// dltdump: decode AUTOSAR DLT files and recordings to text.
//
// The top of the error model (util/error.hpp): an error that ends the run reaches main
// unprinted, and is printed here, once, on standard error; main exits with its code.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "cli/completions.hpp"
#include "cli/help.hpp"
#include "cli/man_page.hpp"
#include "cli/options.hpp"
#include "dltdump/catalogue.hpp"
#include "dltdump/dump.hpp"
#include "dltdump/error.hpp"
#include "util/diagnostic.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/stop_signal.hpp"

namespace {

using namespace dltdump;

// A warning about the command line, printed before the run.
void print_warning(const util::Diagnostic& d) { util::write_all(STDERR_FILENO, "dltdump: warning: " + d.text + "\n"); }

// At most this many FIBEX warnings are printed (a broken generated catalogue may have
// millions); one more line counts the rest.
constexpr std::size_t kMaxFibexWarnings = 1000;

// Reads the files of --fibex, before any input (spec §1.7). Their notes (a file given
// twice) and warnings go to standard error; a note is not fatal, any warning is (exit 6),
// as in DltDump: a catalogue that is wrong in one place may decode other messages wrongly
// without a sign. Throws dltdump::Error (fibex, exit 6) for a file that cannot be read or
// is not XML. Returns nullopt when there were warnings (printed).
std::optional<Catalogue> read_fibex(const cli::Options& options) {
  Catalogue c(options.fibex, options.nv_lookup);
  std::string text;
  for (const std::string& note : c.notes()) text += note + "\n";
  const std::vector<std::string>& warnings = c.warnings();
  for (std::size_t i = 0; i < warnings.size() && i < kMaxFibexWarnings; ++i) text += warnings[i] + "\n";
  if (warnings.size() > kMaxFibexWarnings)
    text += "... and " + std::to_string(warnings.size() - kMaxFibexWarnings) + " more FIBEX warnings\n";
  util::write_all(STDERR_FILENO, text);
  if (!warnings.empty()) return std::nullopt;
  return c;
}

// The exit status of an Error of the library's: the command line's arguments (an option
// 1, an input's name 2), a FIBEX file 6.
util::ExitCode exit_code_of(const Error& e) {
  switch (e.kind()) {
    case Error::Kind::argument: return util::ExitCode::OptionError;
    case Error::Kind::input: return util::ExitCode::InputUriError;
    case Error::Kind::fibex: return util::ExitCode::FibexError;
    case Error::Kind::output: return util::ExitCode::OutputError;
    case Error::Kind::internal: break;
  }
  return util::ExitCode::InternalError;
}

util::ExitCode run(int argc, char** argv) {
  using util::write_all;
  std::vector<std::string> args(argv + 1, argv + argc);
  // Standard output carries the decoded lines (or the help asked for) only; every
  // diagnostic is one line on standard error (unlike DltDump, which prints them on stdout).
  const cli::Options options = cli::parse_options(args);
  // What was asked for on standard output fails as the lines do when it cannot be written
  // (exit 5, one line), not silently.
  auto print = [](const std::string& text) { util::write_all_or_throw(STDOUT_FILENO, text, "standard output"); };
  switch (options.command) {
    case cli::Command::Help: print(cli::help_text(cli::console_width())); return util::ExitCode::Success;
    case cli::Command::Version: print(cli::version_text()); return util::ExitCode::Success;
    case cli::Command::Generate:
      switch (options.generate) {
        case cli::Generated::ManPage: print(cli::man_page()); break;
        case cli::Generated::BashCompletion: print(cli::completion_script(cli::Shell::Bash)); break;
        case cli::Generated::ZshCompletion: print(cli::completion_script(cli::Shell::Zsh)); break;
        case cli::Generated::FishCompletion: print(cli::completion_script(cli::Shell::Fish)); break;
      }
      return util::ExitCode::Success;
    case cli::Command::Usage:
      write_all(STDERR_FILENO, cli::usage_text(cli::console_width()) + "dltdump: no input given\n");
      return util::ExitCode::OptionError;
    case cli::Command::Dump:
    case cli::Command::FibexCheck: break;
  }
  for (const auto& warning : options.warnings) print_warning(warning);
  // The library's Errors here are the command line's: an option or input argument that
  // can never work (with the program's name first, as usage errors go), a FIBEX file.
  try {
    DumpOptions dump = options.dump;
    if (!options.fibex.empty()) {
      dump.catalogue = read_fibex(options);
      if (!dump.catalogue) return util::ExitCode::FibexError;
    }
    if (options.command == cli::Command::FibexCheck) return util::ExitCode::Success;
    Dump run{std::move(dump)};
    for (const std::string& warning : run.warnings()) print_warning({util::Culprit::Option, {}, warning});
    return static_cast<util::ExitCode>(run.run(STDOUT_FILENO, STDERR_FILENO));
  } catch (const Error& e) {
    const util::ExitCode code = exit_code_of(e);
    const bool command_line = code == util::ExitCode::OptionError || code == util::ExitCode::InputUriError;
    write_all(STDERR_FILENO, (command_line ? "dltdump: " : "") + std::string(e.what()) + "\n");
    return code;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe and a file size limit become write errors (a message and exit 5, the
  // output ending on a whole line) instead of killing the process mid-line.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  // Ctrl-C and SIGTERM stop decoding on a whole line or message (exit 130/143).
  dltdump::util::install_stop_handlers();
  try {
    return dltdump::util::exit_status(run(argc, argv));
  } catch (const dltdump::util::Error& e) {
    // An input's fault is the run's to report; one reaching main breaks that contract.
    if (!e.ends_input_only()) {
      dltdump::util::print_error(STDERR_FILENO, e);
      return dltdump::util::exit_status(e.exit_code());
    }
  } catch (const std::exception&) {
  }
  dltdump::util::write_all(STDERR_FILENO, dltdump::util::kInternalErrorLine);
  return dltdump::util::exit_status(dltdump::util::ExitCode::InternalError);
}
