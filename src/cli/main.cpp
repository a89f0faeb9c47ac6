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

namespace {

int run(int argc, char** argv) {
  using namespace dltdump;
  using util::write_all;
  std::vector<std::string> args(argv + 1, argv + argc);
  cli::Options options;
  try {
    options = cli::parse_options(args);
  } catch (const cli::OptionsError& e) {
    if (e.exit_code == app::kExitOptionError) write_all(STDOUT_FILENO, "Problem with the command line.\n");
    write_all(STDOUT_FILENO, e.message + "\n");
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
      write_all(STDOUT_FILENO, cli::usage_text(cli::console_width()));
      return app::kExitOptionError;
    case cli::Command::Dump:
      break;
  }
  return app::run_dump(options.dump, STDOUT_FILENO, STDOUT_FILENO);
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
