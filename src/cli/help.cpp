#include "cli/help.hpp"

#include <cstdlib>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/version.hpp"

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
  wrap(s, "Usage: dltdump [options] <input>...   (dltdump -? for help)", width, 0, 2);
  s += "\n";
  wrap(s, "-?, -h, --help - Display the help.", width, 2, 4);
  wrap(s, "--version - Display the version of this program.", width, 2, 4);
  return s;
}

std::string help_text(unsigned width) {
  std::string s = version_line() + "\n\n";
  wrap(s,
       "dltdump parses DLT Version 1 log files, originating either from a file, a serial "
       "recording, a network recording, a capture, or a live TCP, UDP or serial connection.",
       width, 0, 0);
  s += "\n";
  wrap(s, "Usage: dltdump [options] <input>...", width, 0, 2);
  s += "\nOptions:\n";
  wrap(s, "-?, -h, --help - Display this help.", width, 2, 4);
  wrap(s, "--version - Display the version of this program.", width, 2, 4);
  wrap(s, "--position - Print the position of each message in its input stream before the line.", width, 2, 4);
  wrap(s,
       "--format=<format> - The input format: automatic (auto), file, serial (ser), network (net) "
       "or pcap (pcapng). Automatic chooses by the first bytes, not the name: DLT file, serial or "
       "network recording, PCAP or PCAP-NG capture (files and standard input alike).",
       width, 2, 4);
  wrap(s,
       "--udp-port=<ports> - UDP destination ports that carry DLT in PCAP and PCAP-NG captures, "
       "separated by commas (default: 3490).",
       width, 2, 4);
  wrap(s,
       "--threads=<n> - Cores to decode large DLT files and captures with (default: the available cores, at most 8). "
       "The output is the same for any number.",
       width, 2, 4);
  wrap(s,
       "-o, --output=<file> - Write to a file instead of the console: *.dlt writes DLT (storage headers "
       "added where the input had none, skipped regions as SKIP messages), *.pcapng writes each message as "
       "a UDP datagram for Wireshark, any other name UTF-8 text (but a name promising a format that is not "
       "written, such as .pcap, .gz or .json, is refused). CON: or /dev/stdout is the console. "
       "The name may hold:",
       width, 2, 4);
  wrap(s, "%FILE% - the input's name without directory and extension: one output per input.", width, 4, 6);
  wrap(s, "%CTR% - the split counter: 001, 002, ...", width, 4, 6);
  wrap(s, "%CDATE%, %CTIME%, %CDATETIME% - the first line's local date (yyyyMMdd), time (HHmmss), both "
          "(yyyyMMddTHHmmss).", width, 4, 6);
  wrap(s, "%NAME% - the environment variable NAME; %% is a percent sign.", width, 4, 6);
  wrap(s,
       "-f, --force - Overwrite existing output files (never an input, never a file this run wrote).",
       width, 2, 4);
  wrap(s,
       "--split=<size> - Start a new output file once one reaches this size (64kB at least; k, M, G "
       "multiply by 1024). Needs %CTR% or a date or time in the output name.",
       width, 2, 4);
  wrap(s,
       "--retries=<n> - Connection retries for tcp:// inputs (default 0; negative: forever). With retries, "
       "a stream that ends is reconnected and recorded into the same output. Give negative values as "
       "--retries=-1.",
       width, 2, 4);
  wrap(s,
       "--capture=<file.pcapng> - With a udp:// input: also write every datagram received, as raw IPv4 with "
       "the kernel's time stamps, to this PCAP-NG file (replay it with --udp-port=<port>).",
       width, 2, 4);
  s += "\nFilters (a line is printed if it passes every option given; within one option any value):\n";
  wrap(s, "--ecuid=<ids> - ECU ids (as the line shows them: standard header, else storage header).", width, 2, 4);
  wrap(s, "--appid=<ids> - Application ids.", width, 2, 4);
  wrap(s, "--ctxid=<ids> - Context ids.", width, 2, 4);
  wrap(s, "--sessionid=<n> - Session ids (signed decimal, or unsigned as dlt-viewer shows them).", width, 2, 4);
  wrap(s,
       "--type=<types> - Message types: fatal, error, warn, info, debug, verbose, ipc, can, flexray, most, "
       "ethernet, someip, user1 to user9, request, response, time, variable, functionin, functionout, state, "
       "vfb, or the MSIN value without the verbose bit (48 = warn).",
       width, 2, 4);
  wrap(s, "--verbose, --nonverbose, --control - Only these kinds of message (any of those given).", width, 2, 4);
  wrap(s, "--messageid=<n> - Non-verbose message ids (unsigned decimal).", width, 2, 4);
  wrap(s,
       "--not-before=<date>, --not-after=<date> - Lines with a time stamp in this range (inclusive). "
       "Forms: 2024-03-01T10:00:00, 2024-03-01 10:00:00.5, 2024-03-01 (midnight), 03/01/2024 10:00 PM; "
       "local time unless Z or an offset like +02:00 follows.",
       width, 2, 4);
  wrap(s, "-s, --string=<text> - Lines whose text contains this string.", width, 2, 4);
  wrap(s,
       "-r, --regex=<re> - Lines whose text matches this regular expression (PCRE2 syntax; strings and "
       "expressions form one group: any may match).",
       width, 2, 4);
  wrap(s, "-i, --ignorecase - Strings and expressions ignore case.", width, 2, 4);
  wrap(s, "--none - Print no line at all (decode only).", width, 2, 4);
  wrap(s, "-B, --before-context=<n> - With a filter: also print up to n lines before each match (at most 100000).",
       width, 2, 4);
  wrap(s, "-A, --after-context=<n> - With a filter: also print n lines after each match.", width, 2, 4);
  wrap(s,
       "List options take several values separated by commas and may be repeated; quote a value to keep "
       "its commas: -s '\"a,b\"'.",
       width, 2, 4);
  s += "\nInput:\n";
  wrap(s, "<path> or file:///<path> - A file, read from disk.", width, 2, 4);
  wrap(s, "- - Standard input (decoded as a DLT file unless --format says otherwise).", width, 2, 4);
  wrap(s, "Several inputs are decoded one after the other into the same output (unless its name holds %FILE%).",
       width, 2, 4);
  wrap(s,
       "tcp://host[:port] - Connect to a DLT daemon or ECU (port 3490 by default; network format). A connection "
       "attempt gives up after 5 s; the stream ends when the peer closes it or after 5 s without data.",
       width, 2, 4);
  wrap(s,
       "udp://addr[:port][?bindto=ip] - Receive DLT over UDP (port 3490 by default): a multicast group "
       "(joined on the interface with address ip, if given) or a local address (0.0.0.0: all). Each sender "
       "is a stream of its own. Runs until stopped with Ctrl-C.",
       width, 2, 4);
  wrap(s,
       "ser:port,baud,data,parity,stop[,handshake] - A serial port, e.g. ser:/dev/ttyUSB0,115200,8,N,1 "
       "(parity N, E, O, M, S; stop bits 1, 1.5, 2; handshake none, xon, rts, rtsxon). Serial format "
       "(DLS markers). Runs until the port goes away or Ctrl-C.",
       width, 2, 4);
  wrap(s,
       "A live input must be the only input. Its lines carry the PC clock (UDP: the kernel's receive time); "
       "output files are flushed every 5 s; Ctrl-C or SIGTERM ends the recording with complete files and "
       "exit code 0.",
       width, 2, 4);
  s += "\nExit codes:\n";
  wrap(s, "0 - Success.", width, 2, 4);
  wrap(s, "1 - Command line option error, or no input given.", width, 2, 4);
  wrap(s, "2 - Input URI error (an input argument could not be interpreted).", width, 2, 4);
  wrap(s,
       "3 - No input was processed: every input failed, before its first line or part-way (or no output file "
       "could be created).",
       width, 2, 4);
  wrap(s, "4 - Some inputs were processed, others failed.", width, 2, 4);
  wrap(s, "5 - Writing the output failed (disk full, broken pipe).", width, 2, 4);
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
