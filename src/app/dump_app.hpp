// The dump command: decode every input in order and write the lines (spec §1.3-§1.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compress/decompressing_source.hpp"
#include "dlt/catalogue.hpp"
#include "dlt/line_formatter.hpp"
#include "filter/filter_spec.hpp"
#include "input/input_spec.hpp"
#include "output/stats_report.hpp"
#include "util/error.hpp"

namespace dltdump::app {

// --color and --progress: when the console gets colours (dlt/line_colour.hpp) and the
// progress line (app/progress.hpp). Auto: when they suit the terminal (dump_app.cpp says).
enum class When : std::uint8_t { Auto, Always, Never };

struct DumpConfig {
  std::vector<input::InputSpec> inputs;
  input::InputFormat format = input::InputFormat::Automatic;
  bool position = false;
  // Cores for decoding large DLT files (1: one framer on the calling thread).
  unsigned threads = 1;
  std::uint64_t block_bytes = 2u << 20;                 // piece size for parallel decoding
  std::uint64_t sort_held_bytes = 64u << 20;            // a sorted run's bound per input (app/sort/merge.hpp)
  std::vector<std::uint16_t> udp_ports{3490};           // DLT in captures: UDP destination ports
  std::vector<std::uint16_t> tcp_ports{3490};           // DLT in captures: TCP ports (either end)
  filter::FilterSpec filter;                            // lines to keep (empty: all)
  std::uint32_t before_context = 0, after_context = 0;  // -B, -A (only with a filter)
  std::string output;                                   // -o: file name template (empty: the console)
  dlt::LineFormatter::Style records = dlt::LineFormatter::Style::Text;  // --out or -o's extension
  dlt::TimeColumn time = dlt::TimeColumn::Local;                        // --time: text lines' TIME column
  When colour = When::Auto;                                             // --color
  When progress = When::Auto;                                           // --progress
  bool follow = false;                                                  // --follow: the one file input as it grows
  bool sort = false;                                                    // --sort: one stream in time order
  bool list_lifecycles = false;                                         // --lifecycles: their list, not the lines
  std::vector<std::uint64_t> lifecycles;                                // --lifecycle: only these (empty: all)
  bool force = false;                                                   // -f: overwrite existing files (never inputs)
  std::uint64_t split_bytes = 0;                                        // --split (0: no splitting)
  bool split_lifecycle = false;                                         // --split=lifecycle (the name holds %LC%)
  int retries = 0;                            // --retries: TCP connection retries (negative: forever)
  std::string capture;                        // --capture: PCAP-NG file of the raw live UDP datagrams
  bool nv_verbose = false;                    // --nv-verbose: DLT output re-encodes decoded messages
  bool count = false;                         // -c: counts of passing messages instead of lines
  std::optional<output::StatsFormat> stats;   // --stats: a report instead of the lines
  const dlt::Catalogue* catalogue = nullptr;  // the FIBEX files read (null: none); outlives the run
  compress::Limits decompression;             // --max-ratio: compressed inputs' bound
};

// The exit code of a run over `inputs` inputs of which `processed` were read to their end
// (the others failed, whether before their first line or part-way): 0 all, 3 none (a single
// input that failed part-way too), 4 some. Unlike DltDump (§1.4), which calls a run whose
// only input failed after some lines partial (4).
util::ExitCode exit_code(std::size_t inputs, std::size_t processed);

// Runs the dump. Lines go to the output `config.output` names, the console being `out_fd`.
// An input's fault (a util::Error that ends the input only, including an output file that
// may not be created) is printed as one line on `diag_fd` (standard error) when the input
// fails, and the run goes on with the next input. SIGINT or SIGTERM (util/stop_signal.hpp)
// while a file is decoded ends the run on a whole line or message (one line on stderr, exit
// 130 or 143); a live input ends normally. Returns the exit code: 0, 3 or 4 by the inputs
// processed, or 130/143.
// Throws the util::Error that ends the run, unprinted, after closing the output whole: a
// failed write (exit 5), or the output's reader gone (quiet, exit 0). The caller (main)
// prints it (util::print_error) and exits with its code.
util::ExitCode run_dump(const DumpConfig& config, int out_fd, int diag_fd);

}  // namespace dltdump::app
