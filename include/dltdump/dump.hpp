// The command line's whole run as a call: dltdump::Dump.
//
//   dltdump::DumpOptions o;
//   o.inputs = {"trip.dlt", "tap.pcapng"};
//   o.filter.appid("NAV").level(dltdump::Level::warn);
//   o.before_context = 3;
//   o.output = "%FILE%_%LC%.dlt";  // a file per input and lifecycle
//   dltdump::Dump dump{o};         // checks the options as the command line does
//   for (const std::string& w : dump.warnings()) log(w);
//   int status = dump.run(STDOUT_FILENO, STDERR_FILENO);
//
// A Reader and a Writer (dltdump/reader.hpp, dltdump/writer.hpp) read one input a batch at
// a time on the caller's thread. A Dump is what the `dltdump` program does with its
// arguments — and the program is built on it (src/cli/ turns the arguments' texts into
// DumpOptions and runs a Dump): many inputs in order through one filter, with context
// (-A/-B), decoded on several threads, sorted into time order (--sort), cut into
// lifecycles (--lifecycle, `%LC%` in the output's name), counted (-c), summed up (--stats)
// or listed (--lifecycles), written to the console or to the files -o names, as
// docs/manual.md tells option by option. Each field of DumpOptions is the option it names;
// the Errors and warnings of Dump name the options as the command line does (`Option
// 'split' ...`), since they are its messages.
//
// Ownership: a Dump keeps a copy of its options (the Catalogue shared). run() writes to
// the descriptors it is given and does not close them.
// Thread-safety: one Dump is run by one thread at a time; run() starts and joins threads
// of its own (DumpOptions::threads). Dumps on other threads are independent, but for what
// belongs to the process: its standard error's progress line (run one Dump with `progress`
// at a time) and the command line's stop on SIGINT and SIGTERM, which stops every run — and
// which only the program installs (the library never installs signal handlers; without
// them the signals do what the program says, and a closed pipe's SIGPIPE ends the process
// unless the program ignores it, as the command line does).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dltdump/catalogue.hpp"
#include "dltdump/export.hpp"
#include "dltdump/filter.hpp"
#include "dltdump/types.hpp"
#include "dltdump/writer.hpp"

namespace dltdump {

// --color and --progress: automatic (as suits the descriptor: a terminal), always, never.
enum class When : std::uint8_t { automatic, always, never };

// --stats: the report as a text table or as a JSON document (docs/statistics.md).
enum class StatsFormat : std::uint8_t { text, json };

// -B's bound: the lines held before a match (memory for each of them).
inline constexpr std::uint32_t kMaxBeforeContext = 100'000;

// --threads' bound.
inline constexpr unsigned kMaxThreads = 64;

// --split's least size: a file of at least 64 KiB before the next is begun.
inline constexpr std::uint64_t kMinSplitBytes = 64u << 10;

struct DumpOptions {
  // What the arguments name, in order: files, "-" (standard input, once), file:// URIs,
  // or one live input (tcp://, udp://, ser:) alone, as a Reader opens them.
  std::vector<std::string> inputs;
  bool recursive = false;                      // -R: a folder stands for the files below it (sorted by name)
  Format format = Format::automatic;           // --format
  std::vector<std::uint16_t> udp_ports{3490};  // --udp-port (at least one)
  std::vector<std::uint16_t> tcp_ports{3490};  // --tcp-port (at least one)
  std::uint32_t max_ratio = 500;               // --max-ratio (0: none)
  std::optional<Catalogue> catalogue;          // --fibex
  bool nv_verbose = false;                     // --nv-verbose: a DLT output re-encodes decoded messages
  Filter filter;
  bool none = false;                               // --none: no message passes (decoding alone)
  std::optional<std::uint64_t> max_count;          // -m: an input is read no further after this many
  std::uint32_t before_context = 0;                // -B (at most kMaxBeforeContext); with a filter only
  std::uint32_t after_context = 0;                 // -A; with a filter only
  std::string output;                              // -o: a file name template ("": the console)
  OutputFormat records = OutputFormat::automatic;  // --out: text, json or csv (automatic: by the name)
  bool overwrite = false;                          // -f
  std::uint64_t split_bytes = 0;                   // --split=SIZE (0: none; at least 64 KiB)
  bool split_lifecycle = false;                    // --split=lifecycle (%LC% in the output's name)
  TimeColumn time = TimeColumn::local;             // --time
  bool position = false;                           // --position
  unsigned threads = 0;                            // --threads (0: one a core, at most 8; at most kMaxThreads)
  bool sort = false;                               // --sort
  bool list_lifecycles = false;                    // --lifecycles
  std::vector<std::uint64_t> lifecycles;           // --lifecycle (numbers from 1)
  bool follow = false;                             // --follow
  std::optional<int> retries;                      // --retries (a tcp:// input; negative: forever)
  std::string capture;                             // --capture (one udp:// input)
  bool count = false;                              // -c
  std::optional<StatsFormat> stats;                // --stats
  When colour = When::automatic;                   // --color
  When progress = When::automatic;                 // --progress
};

class DLTDUMP_API Dump {
 public:
  // Checks `options` as the command line checks its options, naming them in its words:
  // throws Error (argument) for what can never work — no input, an output name dltdump
  // does not write, `records` contradicting it, -c, --stats or --lifecycles with an output
  // or with each other, a split without %CTR% or by lifecycle without %LC%, --follow with a
  // run that reads its inputs twice or a run over time on a pipe or live input, invert with
  // nothing to invert, lifecycle 0, port 0, a bad regular expression, --capture without one
  // udp:// input or with a name of another format, ... — and Error (input) for input
  // arguments that cannot be inputs (an empty or invalid URI, "-" twice, a live input beside
  // others). What has no effect (an option whose input, output or filter is not there) is
  // a warning, one line each (warnings()); so are the catalogue's warnings, which the
  // command line refuses (exit 6) and a program may accept. A folder with -R is read now:
  // its files become inputs.
  explicit Dump(DumpOptions options);
  Dump(Dump&& other) noexcept;
  Dump& operator=(Dump&& other) noexcept;
  Dump(const Dump&) = delete;
  Dump& operator=(const Dump&) = delete;
  ~Dump();

  // The option warnings, in the command line's words (without its "dltdump: warning: ").
  const std::vector<std::string>& warnings() const noexcept;

  // Runs it: the console's output (lines, counts, the report, the list of lifecycles) on
  // `out_fd`, every diagnostic as one line on `diag_fd` (an input that fails, a write
  // that fails, the progress line when `progress` says so). Never throws for what the run
  // meets: returns the command line's exit status (docs/manual.md, "Exit codes") — 0 every
  // input read, 3 none (or no input: a folder without files), 4 some, 5 an output could
  // not be written, 130/143 stopped by SIGINT/SIGTERM; a reader of `out_fd` gone is 0, as a
  // pipe's reader that has read enough. Run once: a second call returns 0 and does nothing.
  int run(int out_fd, int diag_fd);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dltdump
