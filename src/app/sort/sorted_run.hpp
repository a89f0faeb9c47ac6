// A run over time: --sort (one stream in time order from every input), --lifecycle (only
// some lifecycles) and --lifecycles (the list of lifecycles instead of the lines). Two
// passes over the inputs: the survey (app/sort/survey.hpp), then the merge
// (app/sort/merge.hpp) into the run's pipeline as one input. docs/sorting.md is the
// user's account.
#pragma once

#include <cstddef>

#include "app/dump_app.hpp"
#include "app/pipeline.hpp"
#include "app/progress.hpp"
#include "output/file_template.hpp"

namespace dltdump::app {

// Whether the output's name holds %LC%: its files are named by lifecycle, which only a run
// over time knows.
inline bool names_files_by_lifecycle(const DumpConfig& config) {
  return !config.output.empty() && output::FileTemplate(config.output).has_lifecycle();
}

// Whether `config` asks for a run over time.
inline bool runs_over_time(const DumpConfig& config) {
  return config.sort || config.list_lifecycles || !config.lifecycles.empty() || names_files_by_lifecycle(config);
}

// Runs it: the lines go through `pipeline` as one input (its name `sorted` or, without
// --sort, that of the first input), the list of --lifecycles to `out_fd`. Each input that
// fails is reported as one line on `diag_fd`; a lifecycle number that does not exist too.
// `progress` (may be null) follows the survey. Returns how many inputs were read to their
// end, which `surveyed` holds as soon as the survey knows it (before any line is written).
// Throws what the pipeline throws (the output failed), util::Stopped on a stop.
std::size_t run_over_time(const DumpConfig& config, Pipeline& pipeline, int out_fd, int diag_fd, Progress* progress,
                          std::size_t& surveyed);

}  // namespace dltdump::app
