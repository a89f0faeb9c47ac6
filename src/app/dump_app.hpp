// The dump command: decode every input in order and write the lines (spec §1.3-§1.4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "filter/filter_spec.hpp"
#include "input/input_spec.hpp"

namespace dltdump::app {

struct DumpConfig {
  std::vector<input::InputSpec> inputs;
  input::InputFormat format = input::InputFormat::Automatic;
  bool position = false;
  // Cores for decoding large DLT files (1: one framer on the calling thread).
  unsigned threads = 1;
  std::uint64_t block_bytes = 2u << 20;  // piece size for parallel decoding
  std::vector<std::uint16_t> udp_ports{3490};  // DLT in captures: UDP destination ports
  filter::FilterSpec filter;                   // lines to keep (empty: all)
  std::uint32_t before_context = 0, after_context = 0;  // -B, -A (only with a filter)
  std::string output;              // -o: file name template (empty: the console)
  bool force = false;              // -f: overwrite existing files (never inputs)
  std::uint64_t split_bytes = 0;   // --split (0: no splitting)
  int retries = 0;                 // --retries: TCP connection retries (negative: forever)
  std::string capture;             // --capture: PCAP-NG file of the raw live UDP datagrams
};

// Exit codes (spec §1.4).
enum ExitCode : int {
  kExitSuccess = 0,
  kExitOptionError = 1,
  kExitInputUriError = 2,
  kExitNoInputProcessed = 3,
  kExitPartial = 4,
  kExitOutputError = 5,
  kExitFibexError = 6,
  kExitStoppedBySigint = 130,   // SIGINT while decoding a file: the output ends whole
  kExitStoppedBySigterm = 143,  // SIGTERM likewise
  kExitInternalError = 255,
};

// The exit code of a run over `inputs` inputs of which `processed` were read to their end
// (the others failed, whether before their first line or part-way): 0 all, 3 none (a single
// input that failed part-way too), 4 some. Unlike DltDump (§1.4), which calls a run whose
// only input failed after some lines partial (4).
int exit_code(std::size_t inputs, std::size_t processed);

// Runs the dump. Per-input errors (including an output file that may not be created) are
// printed as one line on `diag_fd` (standard error) and processing continues with the next input. Lines go
// to the output `config.output` names, the console being `out_fd`. A failed write stops
// the run (message on stderr, exit 5); a closed pipe ends it quietly (exit 0). SIGINT or
// SIGTERM (util/stop_signal.hpp) while a file is decoded ends the run on a whole line or
// message (one line on stderr, exit 130 or 143); a live input ends normally. Returns the
// exit code.
int run_dump(const DumpConfig& config, int out_fd, int diag_fd);

}  // namespace dltdump::app
