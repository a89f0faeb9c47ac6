#include "app/sort/sorted_run.hpp"

#include <cerrno>
#include <string>

#include "app/sort/merge.hpp"
#include "app/sort/survey.hpp"
#include "dlt/framer.hpp"
#include "filter/filter_sink.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/timestamp.hpp"

namespace dltdump::app {

namespace {

// The merged stream into the pipeline: the messages through one framer, as a DLT file
// would come (their storage headers are the inputs' own, or made from capture times).
class PipelineTarget final : public MergeTarget {
 public:
  explicit PipelineTarget(Pipeline& pipeline) : pipeline_(pipeline), framer_(dlt::StreamFormat::File) {
    pipeline_.attach(framer_);
    framer_.set_interrupt_flag(&util::stop_flag());  // between messages: never inside a line
  }
  void message(std::span<const std::uint8_t> stored, const LifecycleInfo&) override {
    framer_.feed(stored, pipeline_.head());
    if (framer_.interrupted()) throw util::Stopped();
  }
  void skip(const dlt::SkipRecord& s) override { pipeline_.head().on_skip(s); }
  void finish() { framer_.finish(pipeline_.head()); }

 private:
  Pipeline& pipeline_;
  dlt::Framer framer_;
};

std::string time_text(std::int64_t us) {
  if (us == kNoKey) return std::string(util::LocalTimeFormatter::kWidth - 1, ' ') + "-";
  char text[util::LocalTimeFormatter::kWidth];
  util::LocalTimeFormatter().format({us, true}, text);
  return {text, sizeof text};
}

std::string device_time_text(const LifecycleInfo& l, std::uint32_t t) {
  if (!l.facts.has_device_time) return "-";
  std::string s = std::to_string(t / 10000) + "." + std::to_string(t % 10000 + 10000).substr(1);
  return s;
}

// The table of --lifecycles: one row per lifecycle, in the run's numbering.
std::string lifecycle_list(const LifecycleTable& table) {
  std::string out =
      "LIFECYCLE ECU  START                      END                        UPTIME FROM    TO          "
      "MESSAGES\n";
  for (const LifecycleInfo* l : table.by_number()) {
    std::string row = std::to_string(l->number);
    row.resize(std::max<std::size_t>(row.size() + 1, 10), ' ');
    std::string ecu(l->ecu.shown().view());
    ecu.resize(4, ' ');
    row += ecu + " " + time_text(l->start_us()) + " " + time_text(l->end_us()) + " ";
    std::string from = device_time_text(*l, l->facts.min_device_time),
                to = device_time_text(*l, l->facts.max_device_time);
    from.resize(std::max<std::size_t>(from.size() + 1, 12), ' ');
    to.resize(std::max<std::size_t>(to.size() + 1, 12), ' ');
    row += from + to + std::to_string(l->messages) + "\n";
    out += row;
  }
  return out;
}

}  // namespace

std::size_t run_over_time(const DumpConfig& config, Pipeline& pipeline, int out_fd, int diag_fd, Progress* progress) {
  Survey survey;
  try {
    survey = survey_inputs(config, diag_fd, [&](std::size_t i, util::InputFile& file) {
      if (!progress) return;
      if (i > 0) progress->end_input();
      progress->begin_input(i, file, config.inputs[i].argument);
    });
  } catch (const util::Stopped&) {
    pipeline.sink.stopped();  // nothing was written yet
    throw;
  }
  if (progress) progress->end_input();
  std::size_t processed = config.inputs.size() - survey.failed;
  if (config.list_lifecycles) {
    if (!util::write_all(out_fd, lifecycle_list(survey.lifecycles))) {
      if (errno == EPIPE) throw util::broken_pipe("", "");  // the reader went: quiet
      throw util::output_error("", util::with_os_reason("Cannot write the list of lifecycles", errno));
    }
    return processed;
  }
  for (std::uint64_t n : config.lifecycles)
    if (n == 0 || n > survey.lifecycles.by_number().size())
      util::write_diagnostic(diag_fd, "Option '--lifecycle': there is no lifecycle " + std::to_string(n) +
                                          " (the inputs hold " + std::to_string(survey.lifecycles.by_number().size()) +
                                          ")");
  MergeOptions options;
  options.by_time = config.sort;
  options.lifecycles = config.lifecycles;
  const std::string name = config.sort ? "sorted" : config.inputs.front().path;
  pipeline.begin_input({name, dlt::StreamFormat::File, {}, config.sort ? name : config.inputs.front().argument});
  PipelineTarget target(pipeline);
  try {
    try {
      processed -= merge_inputs(survey, config, options, target, diag_fd);
      target.finish();
    } catch (const filter::MaxCountReached&) {
      // -m: the merged stream gave its matches; the rest is not read (as grep -m).
    }
  } catch (const util::Stopped&) {
    // What was merged is written (whole lines and messages), the rest is not.
    try {
      pipeline.sink.stopped();
      pipeline.sink.end_input();
    } catch (const util::Stopped&) {
    }
    throw;
  }
  pipeline.sink.end_input();
  return processed;
}

}  // namespace dltdump::app
