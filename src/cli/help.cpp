#include "cli/help.hpp"

#include <sys/ioctl.h>
#include <unistd.h>
#include <cstdlib>

#include "cli/option_table.hpp"
#include "util/version.hpp"

namespace dltdump::cli {

const std::string_view kDescription =
    "dltdump parses DLT Version 1 log files, originating either from a file, a serial recording, a network "
    "recording, a capture, or a live TCP, UDP or serial connection.";

namespace {

constexpr HelpItem kInputs[] = {
    {"<path> or file:///<path>", "A file, read from disk."},
    {"-", "Standard input (decoded as a DLT file unless --format says otherwise)."},
    {"Several inputs", "Decoded one after the other into the same output (unless its name holds %FILE%)."},
    {"tcp://host[:port]",
     "Connect to a DLT daemon or ECU (port 3490 by default; network format). A connection attempt gives up after "
     "5 s; the stream ends when the peer closes it or after 5 s without data."},
    {"udp://addr[:port][?bindto=ip]",
     "Receive DLT over UDP (port 3490 by default): a multicast group (joined on the interface with address ip, if "
     "given) or a local address (0.0.0.0: all). Each sender is a stream of its own. Runs until stopped with "
     "Ctrl-C."},
    {"ser:port,baud,data,parity,stop[,handshake]",
     "A serial port, e.g. ser:/dev/ttyUSB0,115200,8,N,1 (parity N, E, O, M, S; stop bits 1, 1.5, 2; handshake "
     "none, xon, rts, rtsxon). Serial format (DLS markers). Runs until the port goes away or Ctrl-C."},
    {"Live inputs",
     "A live input must be the only input. Its lines carry the PC clock (UDP: the kernel's receive time); output "
     "files are flushed every 5 s; Ctrl-C or SIGTERM ends the recording with complete files and exit code 0."},
};

constexpr HelpItem kExitCodes[] = {
    {"0", "Success."},
    {"1", "Command line option error, or no input given."},
    {"2", "Input URI error (an input argument could not be interpreted)."},
    {"3",
     "No input was processed: every input failed, before its first line or part-way (or no output file could be "
     "created)."},
    {"4", "Some inputs were processed, others failed."},
    {"5", "Writing the output failed (disk full, file size limit; a closed pipe is no error)."},
    {"6", "A FIBEX catalogue has warnings or cannot be read."},
    {"130",
     "Stopped by SIGINT (Ctrl-C) while decoding a file; the output ends on a whole line or message, and a "
     "--stats report or -c counts cover the messages decoded before the stop (a live or followed input stopped "
     "so ends normally, with 0)."},
    {"143", "Stopped by SIGTERM likewise."},
    {"255", "Internal error."},
};

constexpr HelpTopic kTopics[] = {{"Input", kInputs}, {"Exit codes", kExitCodes}};

// Appends `text` wrapped at `width`: the first line indented by `indent`, the following
// ones by `hang`.
void wrap(std::string& out, const std::string& text, unsigned width, unsigned indent, unsigned hang) {
  std::string line(indent, ' ');
  std::size_t i = 0;
  bool line_has_word = false;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    std::string word = text.substr(i, j - i);
    if (line_has_word && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line.assign(hang, ' ');
      line_has_word = false;
    }
    if (line_has_word) line += ' ';
    line += word;
    line_has_word = true;
    i = j + 1;
  }
  out += line + "\n";
}

// Appends the options of `section`, in table order: one paragraph per option (or per run of
// options that share one), then its details.
void append_options(std::string& out, OptionSection section, unsigned width) {
  const auto table = option_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OptionEntry& first = table[i];
    if (first.section != section) continue;
    std::string names = option_synopsis(first);
    while (i + 1 < table.size() && table[i + 1].shares_help) names += ", " + option_synopsis(table[++i]);
    wrap(out, names + " - " + std::string(first.help), width, 2, 4);
    for (const std::string_view detail : first.details) wrap(out, std::string(detail), width, 4, 6);
  }
}

std::string version_line() { return std::string("dltdump Version: ") + kVersion + ", " + kCopyright; }

}  // namespace

unsigned console_width() {
  if (const char* c = std::getenv("COLUMNS")) {
    int w = std::atoi(c);
    if (w >= 40 && w <= 1000) return static_cast<unsigned>(w);
  }
  struct winsize ws {};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
  return 80;
}

std::string usage_text(unsigned width) {
  std::string s = version_line() + "\n\n";
  wrap(s, "Usage: dltdump [options] <input>...   (dltdump " + option_flag(OptionId::Help) + " for help)", width, 0, 2);
  s += "\n";
  for (const OptionEntry& e : option_table())
    if (!e.usage.empty()) wrap(s, option_synopsis(e) + " - " + std::string(e.usage), width, 2, 4);
  return s;
}

std::string help_text(unsigned width) {
  std::string s = version_line() + "\n\n";
  wrap(s, std::string(kDescription), width, 0, 0);
  s += "\n";
  wrap(s, "Usage: dltdump [options] <input>...", width, 0, 2);
  for (const OptionSectionInfo& section : option_sections()) {
    s += "\n";
    s += section.title;
    s += ":\n";
    append_options(s, section.id, width);
    if (!section.note.empty()) wrap(s, std::string(section.note), width, 2, 4);
  }
  for (const HelpTopic& topic : help_topics()) {
    s += "\n";
    s += topic.title;
    s += ":\n";
    for (const HelpItem& item : topic.items)
      wrap(s, std::string(item.term) + " - " + std::string(item.text), width, 2, 4);
  }
  return s;
}

std::span<const HelpTopic> help_topics() { return kTopics; }

std::string version_text() {
  std::string s = version_line() + "\n";
  s += std::string("  Compiler: ") + kCompiler + "\n";
  s += std::string("  libdltdump: ") + kVersion + "\n";
  return s;
}

}  // namespace dltdump::cli
