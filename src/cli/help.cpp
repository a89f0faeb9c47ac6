#include "cli/help.hpp"

#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>

#include "version.hpp"

namespace dltdump::cli {

namespace {

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

std::string version_line() {
  return std::string("dltdump Version: ") + kVersion + ", " + kCopyright;
}

}  // namespace

unsigned console_width() {
  if (const char* c = std::getenv("COLUMNS")) {
    int w = std::atoi(c);
    if (w >= 40 && w <= 1000) return static_cast<unsigned>(w);
  }
  struct winsize ws {};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
    return ws.ws_col;
  return 80;
}

std::string usage_text(unsigned width) {
  std::string s = version_line() + "\n\n";
  wrap(s, "Usage: dltdump -?", width, 0, 2);
  s += "\n";
  wrap(s, "-?, --help - Display this help.", width, 2, 4);
  wrap(s, "--version - Display the version of this program.", width, 2, 4);
  return s;
}

std::string help_text(unsigned width) {
  std::string s = version_line() + "\n\n";
  wrap(s,
       "dltdump parses DLT Version 1 log files, originating either from a file, a serial "
       "recording or a network recording.",
       width, 0, 0);
  s += "\n";
  wrap(s, "Usage: dltdump [options] <input>...", width, 0, 2);
  s += "\nOptions:\n";
  wrap(s, "-?, --help - Display this help.", width, 2, 4);
  wrap(s, "--version - Display the version of this program.", width, 2, 4);
  wrap(s, "--position - Print the position of each message in its input stream before the line.", width, 2, 4);
  wrap(s,
       "--format=<format> - The input format: automatic (auto), file, serial (ser), network (net) "
       "or pcap (pcapng). Automatic chooses PCAP for the extensions .pcap and .pcapng and a DLT "
       "file with storage headers otherwise.",
       width, 2, 4);
  wrap(s,
       "--udp-port=<ports> - UDP destination ports that carry DLT in PCAP and PCAP-NG captures, "
       "separated by commas (default: 3490).",
       width, 2, 4);
  wrap(s,
       "--threads=<n> - Cores to decode large DLT files and captures with (default: the available cores, at most 8). "
       "The output is the same for any number.",
       width, 2, 4);
  s += "\nInput:\n";
  wrap(s, "<path> or file:///<path> - A file, read from disk.", width, 2, 4);
  wrap(s, "- - Standard input (decoded as a DLT file unless --format says otherwise).", width, 2, 4);
  wrap(s, "Several inputs are decoded one after the other into the same output.", width, 2, 4);
  s += "\nExit codes:\n";
  wrap(s, "0 - Success.", width, 2, 4);
  wrap(s, "1 - Command line option error.", width, 2, 4);
  wrap(s, "2 - Input URI error (an input argument could not be interpreted).", width, 2, 4);
  wrap(s, "3 - No input was processed.", width, 2, 4);
  wrap(s, "4 - Some inputs were processed, others failed.", width, 2, 4);
  wrap(s, "5 - Output error.", width, 2, 4);
  wrap(s, "255 - Internal error.", width, 2, 4);
  return s;
}

std::string version_text() {
  std::string s = version_line() + "\n";
  s += std::string("  Compiler: ") + kCompiler + "\n";
  s += std::string("  libdltdump: ") + kVersion + "\n";
  return s;
}

}  // namespace dltdump::cli
