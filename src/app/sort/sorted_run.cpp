#include "app/sort/sorted_run.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string>
#include <vector>

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

// Gives each message of the merged stream its lifecycle's number (dlt::Message::lifecycle),
// for an output that names its files by lifecycle: the numbers wait in the order of the
// messages' places in the merged stream.
class LifecycleStamp final : public dlt::FramerSink {
 public:
  explicit LifecycleStamp(dlt::FramerSink& next) : next_(next) {}
  // The message at stream offset `position` is of lifecycle `number`.
  void expect(std::uint64_t position, std::uint64_t number) { queue_.push_back({position, number}); }
  void on_message(const dlt::Message& m) override {
    while (first_ < queue_.size() && queue_[first_].position < m.position) ++first_;
    dlt::Message stamped = m;
    stamped.lifecycle = first_ < queue_.size() && queue_[first_].position == m.position ? queue_[first_++].number : 0;
    if (first_ == queue_.size()) {
      queue_.clear();
      first_ = 0;
    }
    next_.on_message(stamped);
  }
  void on_skip(const dlt::SkipRecord& s) override { next_.on_skip(s); }

 private:
  struct Expected {
    std::uint64_t position, number;
  };
  dlt::FramerSink& next_;
  std::vector<Expected> queue_;
  std::size_t first_ = 0;
};

// The merged stream into the pipeline: the messages through one framer, as a DLT file
// would come (their storage headers are the inputs' own, or made from capture times).
class PipelineTarget final : public MergeTarget {
 public:
  // `stamp`: the messages carry their lifecycle's number (names_files_by_lifecycle).
  PipelineTarget(Pipeline& pipeline, bool stamp)
      : pipeline_(pipeline), framer_(dlt::StreamFormat::File), stamp_(pipeline.head()),
        sink_(stamp ? static_cast<dlt::FramerSink&>(stamp_) : pipeline.head()), stamps_(stamp) {
    pipeline_.attach(framer_);
    framer_.set_interrupt_flag(&util::stop_flag());  // between messages: never inside a line
    batch_.reserve(kBatchBytes + dlt::kStorageHeaderBytes + dlt::kMaxPacketBytes);
  }
  // Gathered into one feed per batch: a feed has its cost, a message of a few dozen bytes
  // little of its own.
  void message(std::span<const std::uint8_t> stored, const LifecycleInfo& lifecycle) override {
    if (stamps_) stamp_.expect(fed_ + batch_.size(), lifecycle.number);
    batch_.insert(batch_.end(), stored.begin(), stored.end());
    if (batch_.size() >= kBatchBytes) flush();
  }
  void skip(const dlt::SkipRecord& s) override {
    flush();  // the messages before it first
    sink_.on_skip(s);
  }
  void finish() {
    flush();
    framer_.finish(sink_);
  }

 private:
  static constexpr std::size_t kBatchBytes = 1u << 20;
  void flush() {
    if (batch_.empty()) return;
    framer_.feed(batch_, sink_);
    fed_ += batch_.size();
    batch_.clear();
    if (framer_.interrupted()) throw util::Stopped();
  }

  Pipeline& pipeline_;
  dlt::Framer framer_;
  LifecycleStamp stamp_;
  dlt::FramerSink& sink_;  // the framer's: stamp_ or the pipeline's head
  bool stamps_;
  std::vector<std::uint8_t> batch_;
  std::uint64_t fed_ = 0;  // bytes fed to the framer so far: the next batch's stream offset
};

std::string time_text(std::int64_t us) {
  if (us == kNoKey) return "-";
  char text[util::LocalTimeFormatter::kWidth];
  util::LocalTimeFormatter().format({us, true}, text);
  return {text, sizeof text};
}

std::string device_time_text(const LifecycleInfo& l, std::uint32_t t) {
  if (!l.facts.has_device_time) return "-";
  std::string s = std::to_string(t / 10000) + "." + std::to_string(t % 10000 + 10000).substr(1);
  return s;
}

// The table of --lifecycles: one row per lifecycle, in the run's numbering, each column as
// wide as its widest cell.
std::string lifecycle_list(const LifecycleTable& table) {
  std::vector<std::array<std::string, 7>> rows;
  rows.push_back({"LIFECYCLE", "ECU", "START", "END", "UPTIME FROM", "TO", "MESSAGES"});
  for (const LifecycleInfo* l : table.by_number())
    rows.push_back({std::to_string(l->number), std::string(l->ecu.shown().view()), time_text(l->start_us()),
                    time_text(l->end_us()), device_time_text(*l, l->facts.min_device_time),
                    device_time_text(*l, l->facts.max_device_time), std::to_string(l->messages)});
  std::array<std::size_t, 7> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) out.append(width[c] - row[c].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

// A merge holds many inputs open at once: the soft limit on open files up to the hard one
// (the usual soft 1024 against a folder of files that overlap in time).
void raise_open_file_limit() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

std::size_t run_over_time(const DumpConfig& config, Pipeline& pipeline, int out_fd, int diag_fd, Progress* progress) {
  raise_open_file_limit();
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
  options.max_held_bytes = config.sort_held_bytes;
  const std::string name = config.sort ? "sorted" : config.inputs.front().path;
  pipeline.begin_input({name, dlt::StreamFormat::File, {}, config.sort ? name : config.inputs.front().argument});
  PipelineTarget target(pipeline, names_files_by_lifecycle(config));
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
