// Where a dump's lines go: the console, a text file, a DLT file or a PCAP-NG file. One
// LineOutput serves a whole run (files are concatenated or split across inputs as the name
// template says); it is the last dlt::FramerSink of every input's chain, and takes the
// framer's events as the sink protocol says (dlt/framer_sink.hpp; its calls throw
// util::output_error when a write fails, util::Error when a file cannot be created).
#pragma once

#include <atomic>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "util/file_identity.hpp"

namespace dltdump::output {

// The block format of outputs that sum up rather than print (--stats, -c): binary facts.
inline const dlt::LineFormatter::Options kFactsFormat{false, dlt::LineFormatter::Style::Facts};

class LineOutput : public dlt::FramerSink {
 public:
  // A DLT file read whole from a regular file: each message's bytes are at its stream
  // offset in `bytes` (the file's mapping) and in the file `fd`. Valid until end_input.
  struct SourceFile {
    int fd = -1;
    std::span<const std::uint8_t> bytes;
    // Set once the file is known to have been cut by another program (util::ShrinkGuard::
    // cut_flag); null: never.
    const std::atomic<bool>* cut = nullptr;
  };
  struct Input {
    std::string_view path;       // as given ("-" for standard input): %FILE%
    dlt::StreamFormat framing;   // how its packets were framed (captures: Network)
    SourceFile source = {};      // for file framing from a mapped file; else fd -1
    std::string_view name = {};  // as the command line names it (empty: `path`)
    bool member = false;         // an archive's member (`archive/path`): named as one of several inputs
    // The name JSON and CSV records give it.
    std::string_view record_name() const { return name.empty() ? path : name; }
  };
  // A new input begins. May close a file (a template with %FILE%); never opens one.
  virtual void begin_input(const Input& input) = 0;
  // The input's events are all delivered (also after it failed part-way); its source
  // file is not used after this returns.
  virtual void end_input() {}
  // How inputs end, for outputs that list every input (--stats); the others ignore it.
  // Input `name` (as the command line names it; `member`: an archive's member or an archive,
  // named as one of several inputs as Input::member says) failed with
  // `reason`, its one-line diagnostic: called before end_input if it began, else in place
  // of begin_input.
  virtual void input_failed(std::string_view /*name*/, std::string_view /*reason*/, bool /*member*/ = false) {}
  // SIGINT/SIGTERM stopped the run: while the current input was read (before its
  // end_input), or between two inputs.
  virtual void stopped() {}
  // After stopped(): an input of the command line the run did not begin.
  virtual void input_not_read(std::string_view /*name*/) {}
  // Before end_input: the current input was cut by another program while it was read and
  // is now `size` bytes long. Its bytes past `size` read as zeros now, so nothing may be
  // taken from them any more (events delivered before are whole and stay).
  virtual void input_cut(std::uint64_t /*size*/) {}
  // Before end_input: what the current input, a capture, lost per TCP flow — the flows that
  // lost or repeated bytes, the most missing first (`not_listed` more beyond them).
  struct FlowLoss {
    std::string name;  // `TCP 10.0.0.100:3490 > 10.0.0.11:50000`
    // The capture, as the command line names it, when it is not the current input itself
    // (--sort: the merged stream's inputs); empty: the current input.
    std::string input;
    std::uint64_t missing = 0, gaps = 0, retransmitted = 0, conflicts = 0, out_of_window = 0, resyncs = 0;
  };
  virtual void capture_losses(std::span<const FlowLoss> /*flows*/, std::uint64_t /*not_listed*/) {}
  // After the last member of archive `archive` (as the command line names it), when it
  // skipped members that hold no DLT data (input/archive_input.hpp): how many for each
  // reason (what they held: "unrecognised data", "empty", "encrypted"…), the first of them
  // by name with their reason, and how many more were not listed.
  struct SkippedMembers {
    std::vector<std::pair<std::string, std::uint64_t>> reasons;  // reason, members
    std::vector<std::pair<std::string, std::string>> listed;     // member, reason
    std::uint64_t not_listed = 0;
  };
  virtual void archive_skipped(std::string_view /*archive*/, const SkippedMembers& /*skipped*/) {}
  // A run over time whose lifecycles reached dlt::kMaxLifecycleChanges: its messages carry
  // the lifecycles told before that (dlt::Message::lifecycle), and --stats says so.
  virtual void lifecycle_limit_reached() {}

  // What the current input skipped that this output shows no line of (-c: the regions a
  // dump shows as SKIP lines, those that passed the filters), so that the run can say it
  // on standard error rather than lose it silently. Valid from end_input to the next
  // begin_input; none for outputs that show them (lines, records) or report them (--stats).
  struct UnshownSkips {
    std::uint64_t bytes = 0, regions = 0;       // all of them
    std::uint64_t first_at = 0, first_len = 0;  // the first: its stream offset and length
  };
  virtual UnshownSkips unshown_skips() const { return {}; }

  // Whether messages must carry their payload text (text outputs print it).
  virtual bool wants_text() const = 0;
  // Whether messages that carry their payload text should carry their typed arguments as
  // JSON too (dlt::Framer::set_payload_args): JSON Lines records print them.
  virtual bool wants_json_args() const { return false; }
  // For text outputs that can take lines formatted elsewhere (parallel decoding): their
  // format; null when each event must pass through on_message/on_skip.
  virtual const dlt::LineFormatter::Options* block_format() const { return nullptr; }
  // `lines` lines formatted elsewhere in block_format(). Only if block_format().
  virtual void write_block(std::string_view /*text*/, std::uint64_t /*lines*/) {}

  // Writes what is buffered (before a diagnostic line is printed).
  virtual void flush() = 0;
  // Writes everything and closes the files. Throws util::output_error.
  virtual void finish() = 0;

  // Whether `file` is a file this output has written to so far (an input that names it
  // would be read while it is written).
  virtual bool wrote(const util::FileIdentity& /*file*/) const { return false; }

  // Lines output so far (to tell an input that failed before any output from one after).
  std::uint64_t lines() const { return lines_; }

 protected:
  std::uint64_t lines_ = 0;
};

}  // namespace dltdump::output
