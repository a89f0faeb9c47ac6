// The second pass of a sorted run: a k-way merge of the inputs by sort key
// (app/sort/lifecycle_table.hpp), after the survey (app/sort/survey.hpp) found the
// lifecycles and bounded how far out of order each input's keys are.
//
// Each input is read again, a step at a time (app/sort/message_source.hpp), by a cursor
// that holds its messages back in a heap until no later message of that input can come
// before them: until the largest key read so far exceeds theirs by the input's lateness.
// The merge then always takes the smallest key among the inputs' heads (ties: input
// order, then place in the input), so the order is a function of the messages alone —
// not of the thread count, nor of where files were split (as long as they are named in
// order). An input is opened only when the merge reaches its least key, so a folder of
// files that follow each other in time holds few open at once.
//
// Memory: what each open input holds back (the messages within its lateness), bounded per
// input by max_held_bytes; past that bound the input is read to its end and sorted through
// runs on disk (app/sort/spilled_runs.hpp), so the order stays exact.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/dump_app.hpp"
#include "app/sort/survey.hpp"
#include "dlt/message.hpp"

namespace dltdump::app {

// Where the merged stream goes, one event at a time in merged order.
class MergeTarget {
 public:
  virtual ~MergeTarget() = default;
  // A message: its storage header (the input's own for a DLT file, else made from its
  // capture time and ECU) and packet, valid during the call; `lifecycle` its lifecycle;
  // `input` the index of its input, `position` its offset there.
  virtual void message(std::span<const std::uint8_t> stored, const LifecycleInfo& lifecycle, std::size_t input,
                       std::uint64_t position) = 0;
  // A skipped region of input `input`, lent for the call.
  virtual void skip(const dlt::SkipRecord& s, std::size_t input) = 0;
};

struct MergeOptions {
  // True: by sort key (--sort); false: inputs one after another, each in its own order
  // (--lifecycle without --sort).
  bool by_time = true;
  // Only this input (its index in the survey), else all of them. Without by_time the run
  // merges one input at a time, so that each stays an input of its own downstream (its
  // count, its %FILE% files, its row in --stats).
  std::optional<std::size_t> only_input;
  // Only messages of these lifecycles (numbers in the run, LifecycleTable::finish), and
  // no skipped regions; empty: every message and skipped region.
  std::vector<std::uint64_t> lifecycles;
  // What one input may hold back in memory; beyond it, that input is sorted through runs
  // on disk (app/sort/spilled_runs.hpp).
  static constexpr std::size_t kMaxHeldBytes = 64u << 20;
  std::size_t max_held_bytes = kMaxHeldBytes;
  // What all inputs together may hold back: past it, the input that would hold more is
  // sorted through runs on disk too, so that memory stays bounded however many inputs are
  // open at once (a folder of hundreds of files, each far out of order).
  static constexpr std::size_t kMaxTotalHeldBytes = 128u << 20;
  std::size_t max_total_held_bytes = kMaxTotalHeldBytes;
  // If not null: bytes of the inputs read so far, kept up to date for --progress (an
  // input done with counts whole, so the count ends at the inputs' total size).
  std::atomic<std::uint64_t>* progress = nullptr;
  // If not null: gathers the inputs that fail during the merge as they fail (the lines
  // they were reported in, by input index), so that they are counted also when the target
  // ends the merge early by a throw (-m).
  std::vector<std::pair<std::size_t, std::string>>* failures = nullptr;
};

// Merges the inputs of `survey` (read with `config`) into `target`. An input that failed in
// the survey gives what came before its failure; one that fails only now (changed
// meanwhile) is reported on `diag_fd` and counted in the result. Returns the number of
// inputs that failed now. Throws what `target` throws and util::Stopped on a stop (looked
// at between messages).
std::size_t merge_inputs(const Survey& survey, const DumpConfig& config, const MergeOptions& options,
                         MergeTarget& target, int diag_fd);

}  // namespace dltdump::app
