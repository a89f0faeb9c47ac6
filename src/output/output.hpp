// The output a run writes to, as `-o` names it (dltdump-spec §6.1; PCAP-NG an extension):
// nothing, `CON:` or `/dev/stdout` (any case) → the console; `*.dlt` → DLT; `*.pcapng` →
// PCAP-NG; any other name → a UTF-8 text file, of JSON Lines records for `*.jsonl` and
// `*.ndjson`, of CSV rows for `*.csv` (record_style; else --out says, text lines by
// default). A `.gz`, `.zst` or `.xz` suffix after that extension compresses a file of DLT,
// text, JSON Lines or CSV (compress/output_compression.hpp): the extension before it
// decides the kind. Extensions compare case-insensitively. A name whose extension promises
// a format dltdump does not write (`*.pcap`, `*.pcapng.gz`, `*.json`, `*.tgz`, …) is
// refused by the command line (unwritten_format) rather than filled with text.
//
// The functions below take the `-o` template and decide from its fixed name
// (FileTemplate::fixed_name: environment variables resolved, %FILE% and the other
// per-file variables as written), so `-o 'y.%E%'` with E=csv is CSV and all files of a run
// are of one kind.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dlt/line_formatter.hpp"
#include "output/line_output.hpp"
#include "output/record_writer.hpp"
#include "output/stats_report.hpp"
#include "util/file_identity.hpp"

namespace dltdump::output {

enum class OutputKind : std::uint8_t { Console, Text, Dlt, Pcapng };

// The kind `name` asks for. Assumes unwritten_format(name) is empty (otherwise: Text).
OutputKind output_kind(std::string_view name);

// The name the three functions here decide from: `name` with what is fixed for the run
// resolved (FileTemplate::fixed_name). Empty for the console's empty name, and for a name
// that expands to nothing (`%E%` with E unset), which the command line refuses.
std::string kind_deciding_name(std::string_view name);

// The records a text output named `name` holds by its extension: JSON Lines, CSV, or
// (any other name, the console) text lines.
dlt::LineFormatter::Style record_style(std::string_view name);

// The format the extension of `name` promises when dltdump does not write it (`classic
// PCAP` for `*.pcap`, `gzip` for `*.gz`, `JSON` for `*.json`, …); empty when the name is
// fine (one of the kinds above, or text).
std::string_view unwritten_format(std::string_view name);

struct OutputOptions {
  std::string name;                         // -o (empty: the console)
  bool force = false;                       // -f
  std::uint64_t split_bytes = 0;            // --split (0: none)
  dlt::LineFormatter::Options text_format;  // text outputs (lines, JSON Lines or CSV)
  std::vector<util::FileIdentity> inputs;   // never overwritten
  bool nv_verbose = false;                  // DLT: catalogue-decoded non-verbose messages as verbose ones
  bool count = false;                       // -c: the console gets counts per input (output/count_sink.hpp)
  bool count_named = false;                 //   each after its input's name (several inputs)
  std::optional<StatsFormat> stats;         // --stats: the console gets a report (output/stats_sink.hpp)
  bool stats_count_loss = true;             //   following the message counters (StatsTally)
  bool not_standard_streams = false;        // FileSeriesOptions::not_standard_streams (the library)
};

class Output {
 public:
  // `console_fd`: where console output goes (standard output).
  Output(const OutputOptions& options, int console_fd);
  OutputKind kind() const { return kind_; }
  LineOutput& lines() { return *sink_; }

 private:
  OutputKind kind_;
  std::unique_ptr<RecordWriter> writer_;  // console, text and DLT outputs
  std::unique_ptr<LineOutput> sink_;
};

}  // namespace dltdump::output
