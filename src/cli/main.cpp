// dltdump: decode AUTOSAR DLT files and recordings to text.
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <unistd.h>
#include <vector>

#include "app/dump_app.hpp"
#include "cli/help.hpp"
#include "cli/options.hpp"
#include "util/fd_writer.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace {

int run(int argc, char** argv) {
  using namespace dltdump;
  using util::write_all;
  std::vector<std::string> args(argv + 1, argv + argc);
  cli::Options options;
  // Standard output carries the decoded lines (or the help asked for) only; every
  // diagnostic is one line on standard error (unlike DltDump, which prints them on stdout).
  try {
    options = cli::parse_options(args);
  } catch (const cli::OptionsError& e) {
    write_all(STDERR_FILENO, "dltdump: " + util::printable(e.message) + "\n");  // URI errors hold the argument
    return e.exit_code;
  }
  switch (options.command) {
    case cli::Command::Help:
      write_all(STDOUT_FILENO, cli::help_text(cli::console_width()));
      return app::kExitSuccess;
    case cli::Command::Version:
      write_all(STDOUT_FILENO, cli::version_text());
      return app::kExitSuccess;
    case cli::Command::Usage:
      write_all(STDERR_FILENO, cli::usage_text(cli::console_width()) + "dltdump: no input given\n");
      return app::kExitOptionError;
    case cli::Command::Dump:
      break;
  }
  for (const auto& warning : options.warnings) write_all(STDERR_FILENO, "dltdump: warning: " + warning + "\n");
  return app::run_dump(options.dump, STDOUT_FILENO, STDERR_FILENO);
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
    return run(argc, argv);
  } catch (const std::exception&) {
    std::fputs("An internal error has occurred (unhandled exception).\n", stderr);
    return 255;
  }
}
