// The first pass of a sorted run: every input read once, headers and payload validation
// only, to find the lifecycles of every ECU and their anchors (app/sort/lifecycle_table.hpp)
// and, per input, how far its messages' sort keys are out of order — which bounds what the
// merge (app/sort/merge.hpp) must hold back. Memory: a few words per lifecycle and input,
// never per message.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/dump_app.hpp"
#include "app/sort/lifecycle_table.hpp"
#include "dissect/capture_decoder.hpp"
#include "input/input_spec.hpp"
#include "util/input_file.hpp"

namespace dltdump::app {

struct InputSurvey {
  const input::InputSpec* spec = nullptr;
  // Read to its end. Else its failure was reported; the merge takes its messages up to
  // the failure (it reads the input again, which fails there again, silently).
  bool ok = false;
  // Not ok: the line its failure was reported in (the --stats row's reason).
  std::string failure;
  // Opened (and sniffed) at all: an input refused at its opening (missing, an archive) is
  // no input of the merged output, as a run without --sort shows none for it.
  bool opened = false;
  // Where an ECU's messages in this input change lifecycle: before message `message` (its
  // index among the input's messages), ECU `ecu` is in its lifecycle of index `lifecycle`.
  // One for each ECU's first message in the input, and one per change after it; the merge
  // follows them instead of the rule, which needs the inputs before.
  struct Switch {
    std::uint64_t message = 0;
    std::uint32_t ecu = 0;
    std::uint32_t lifecycle = 0;
  };
  std::vector<Switch> switches;
  std::uint64_t messages = 0;
  // Cut by another program while the survey read it (not ok): its size and modification
  // time below are those after the cut, and the merge reads its first `messages` messages
  // only, the ones a run without --sort prints before the cut (a new user's finding: none
  // of them were merged, the file having changed between the two reads).
  bool cut_while_read = false;
  // Which file it was and its size, so the merge can tell the same file from one that
  // replaced it or changed meanwhile.
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0;  // its modification time (rewritten in place: changed)
  bool has_time = false;         // some message has a storage or capture time
  std::int64_t min_time_us = 0;
  // The largest fall of a storage time below the largest one before it in this input.
  std::int64_t time_disorder_us = 0;
  // Per lifecycle met here with messages that have both times: the largest and least
  // offsets (storage time − device time) among them, which bound their keys' distance
  // below and above their storage times. (Above: an anchor above the least offset, in the
  // rule's clock after the logger's was set back — or seemed to be.)
  struct Segment {
    std::uint32_t ecu = 0;
    std::size_t lifecycle = 0;  // its index among the ECU's
    std::int64_t max_offset_us = 0;
    std::int64_t min_offset_us = 0;
  };
  std::vector<Segment> segments;
  // What a capture's bounds and rules lost (told to the output with the merged stream).
  dissect::CaptureLosses capture_losses;
  // The first message with a storage time (its key is the key of the untimed ones before it).
  bool has_first = false;
  std::uint32_t first_ecu = 0;
  std::size_t first_lifecycle = 0;
  bool first_has_device_time = false;
  std::uint32_t first_device_time = 0;
  std::int64_t first_time_us = 0;

  // Set by survey_inputs once the anchors are known:
  std::int64_t lateness_us = 0;     // no key falls more than this below the largest key before it
  std::int64_t min_key = kNoKey;    // no key of this input is smaller
  std::int64_t first_key = kNoKey;  // the key of the untimed messages before the first timed one
};

struct Survey {
  LifecycleTable lifecycles;
  std::vector<InputSurvey> inputs;  // one per input of the run, in order
  std::size_t failed = 0;           // inputs that failed (reported)
};

// Reads every input of `config` (files only: the caller refused live inputs and standard
// input). An input that fails (cannot be opened, is cut, is a malformed capture) is
// reported as one line on `diag_fd` and marked not ok; the survey goes on. `on_input(i,
// file)` is called as input `i` begins (the progress line). Throws util::Stopped on a stop.
Survey survey_inputs(const DumpConfig& config, int diag_fd,
                     const std::function<void(std::size_t, util::InputFile&)>& on_input = {});

}  // namespace dltdump::app
