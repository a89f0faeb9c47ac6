#include "app/sort/sorted_run.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "app/capture_setup.hpp"
#include "app/sort/lifecycle_list.hpp"
#include "app/sort/merge.hpp"
#include "app/sort/survey.hpp"
#include "dlt/framer.hpp"
#include "filter/filter_sink.hpp"
#include "util/create_file.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/timestamp.hpp"

namespace dltdump::app {

namespace {

// The one input a --sort run's merged stream is (its --stats row, its -c count of several).
constexpr std::string_view kSortedName = "sorted";

// Where a message of the merged stream came from: at merged-stream offset `merged`, of
// lifecycle `number`, from input `input` (its name: the view outlives the run) at offset
// `position` there.
struct Origin {
  std::uint64_t merged, number, position;
  std::string_view input;
};

// Whether the messages of the merged stream carry their origin (lifecycle, input,
// position): for an output that names its files by lifecycle or shows where lines come
// from, and for --stats, which then counts the lifecycles the survey told (as --lifecycles
// lists them), not those its own rule would tell in time order (a new user's finding:
// --stats --sort counted others), and places each gap in its input.
using Stamped = bool;

// Gives each message of the merged stream its origin: the origins wait in the order of the
// messages' places in the merged stream.
class OriginStamp final : public dlt::FramerSink {
 public:
  explicit OriginStamp(dlt::FramerSink& next) : next_(next) {}
  void expect(const Origin& o) { queue_.push_back(o); }
  void on_message(const dlt::Message& m) override {
    while (first_ < queue_.size() && queue_[first_].merged < m.position) ++first_;
    dlt::Message stamped = m;
    if (first_ < queue_.size() && queue_[first_].merged == m.position) {
      const Origin& o = queue_[first_++];
      stamped.lifecycle = o.number;
      stamped.input = o.input;
      stamped.position = o.position;
    }
    if (first_ == queue_.size()) {
      queue_.clear();
      first_ = 0;
    }
    next_.on_message(stamped);
  }
  void on_skip(const dlt::SkipRecord& s) override { next_.on_skip(s); }

 private:
  dlt::FramerSink& next_;
  std::vector<Origin> queue_;
  std::size_t first_ = 0;
};

// A piece of the merged stream: its messages' bytes, their origins (when stamped), the
// skipped region that follows them, and whether the stream ends with it.
struct Batch {
  std::vector<std::uint8_t> bytes;
  std::vector<Origin> origins;
  std::optional<dlt::SkipRecord> skip;
  bool last = false;
  bool empty() const { return bytes.empty() && !skip && !last; }
  void clear() {
    bytes.clear();
    origins.clear();
    skip.reset();
    last = false;
  }
};

// The merged stream decoded into the pipeline: one framer over the batches, as a DLT file
// would come (their storage headers are the inputs' own, or made from capture times).
class MergedStream {
 public:
  // `stamped`: the messages carry their origin (OriginStamp).
  MergedStream(Pipeline& pipeline, Stamped stamped)
      : framer_(dlt::StreamFormat::File), stamp_(pipeline.head()),
        sink_(stamped ? static_cast<dlt::FramerSink&>(stamp_) : pipeline.head()) {
    pipeline.attach(framer_);
    framer_.set_interrupt_flag(&util::stop_flag());  // between messages: never inside a line
  }
  // Decodes `b`. Throws what the pipeline throws; util::Stopped on a stop request.
  void decode(const Batch& b) {
    for (const Origin& o : b.origins) stamp_.expect(o);
    if (!b.bytes.empty()) framer_.feed(b.bytes, sink_);
    if (framer_.interrupted()) throw util::Stopped();
    if (b.skip) sink_.on_skip(*b.skip);
    if (b.last) framer_.finish(sink_);
  }

 private:
  dlt::Framer framer_;
  OriginStamp stamp_;
  dlt::FramerSink& sink_;  // the framer's: stamp_ or the pipeline's head
};

// Decodes batches on a thread of its own while the merge goes on (--threads above 1): at
// most kQueued wait. What the decoding throws is thrown to the merge at its next hand() or
// wait(). The batches are decoded in order, so the output is that of decoding them in place.
// The merge closes inputs meanwhile; the writer's util::ShrinkGuard::poll copes with that.
// This thread writes the output: a stop signal must reach it, so that a write blocked on a
// slow pipe is cut short as in a run without --sort. The merge's thread blocks SIGINT and
// SIGTERM while this thread lives, so that the kernel gives them to this one (or another
// that takes them: --progress's); and it relays a stop to this thread while it waits for
// it (util::interrupt_for_stop), for a signal that went elsewhere or came just before the
// write.
class DecodeThread {
 public:
  static constexpr std::size_t kQueued = 2;
  // How often a wait for the thread relays a stop to it (the relay may come just before
  // it blocks in a write).
  static constexpr std::chrono::milliseconds kRelayEvery{100};
  explicit DecodeThread(MergedStream& stream) : stream_(stream), thread_([this] { run(); }) {
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &saved_mask_);  // after the start: the thread takes them
  }
  DecodeThread(const DecodeThread&) = delete;
  DecodeThread& operator=(const DecodeThread&) = delete;
  // Ends the thread after the batch it decodes (the rest are dropped): the run failed.
  ~DecodeThread() {
    {
      std::unique_lock lock(mutex_);
      quit_ = true;
      items_.notify_one();
      wait_for_thread(lock, [&] { return ended_; });
    }
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &saved_mask_, nullptr);  // a signal held meanwhile comes now
  }
  // A cleared batch to fill (reusing one's memory where it can).
  Batch spare() {
    std::lock_guard lock(mutex_);
    if (spares_.empty()) return {};
    Batch b = std::move(spares_.back());
    spares_.pop_back();
    return b;
  }
  // Queues `b`; waits while kQueued wait. Throws what the decoding threw.
  void hand(Batch&& b) {
    std::unique_lock lock(mutex_);
    wait_for_thread(lock, [&] { return queue_.size() < kQueued || failure_; });
    if (failure_) std::rethrow_exception(failure_);
    queue_.push_back(std::move(b));
    items_.notify_one();
  }
  // Waits until every batch is decoded (the last one handed said so). Throws as hand().
  void wait() {
    std::unique_lock lock(mutex_);
    wait_for_thread(lock, [&] { return done_ || failure_; });
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  // Waits (holding `lock` on mutex_) until `ready`; once a stop is requested, relays it to
  // the thread every kRelayEvery until then.
  template <class Ready>
  void wait_for_thread(std::unique_lock<std::mutex>& lock, Ready ready) {
    while (!space_.wait_for(lock, kRelayEvery, ready))
      if (util::stop_requested()) util::interrupt_for_stop(thread_);
  }

  void run() {
    decode_batches();
    std::lock_guard lock(mutex_);
    ended_ = true;
    space_.notify_one();
  }

  void decode_batches() {
    for (;;) {
      Batch b;
      {
        std::unique_lock lock(mutex_);
        items_.wait(lock, [&] { return !queue_.empty() || quit_; });
        if (quit_) return;
        b = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        stream_.decode(b);
      } catch (...) {
        std::lock_guard lock(mutex_);
        failure_ = std::current_exception();
        space_.notify_one();
        return;
      }
      const bool last = b.last;
      b.clear();
      std::lock_guard lock(mutex_);
      spares_.push_back(std::move(b));
      done_ = last;
      space_.notify_one();
      if (last) return;
    }
  }

  MergedStream& stream_;
  std::mutex mutex_;
  std::condition_variable items_, space_;
  std::deque<Batch> queue_;
  std::vector<Batch> spares_;
  std::exception_ptr failure_;
  bool quit_ = false, done_ = false, ended_ = false;  // ended_: run() returned
  sigset_t saved_mask_{};                             // the merge's thread's, before it blocked the stop
  std::thread thread_;                                // last: started once the rest is ready
};

// The merged stream into the pipeline, in batches of about 1 MiB (a feed has its cost, a
// message of a few dozen bytes little of its own), decoded in place or, with `threads`
// above 1, on a thread of its own while the merge reads on.
class PipelineTarget final : public MergeTarget {
 public:
  // `inputs`: the inputs' names (outliving the run); `stamped`: the messages carry their
  // origin (OriginStamp), the skipped regions their input.
  PipelineTarget(Pipeline& pipeline, std::vector<std::string_view> inputs, Stamped stamped, unsigned threads)
      : stream_(pipeline, stamped), inputs_(std::move(inputs)), stamps_(stamped) {
    if (threads > 1) thread_.emplace(stream_);
    batch_.bytes.reserve(kBatchBytes + dlt::kStorageHeaderBytes + dlt::kMaxPacketBytes);
  }
  void message(std::span<const std::uint8_t> stored, const LifecycleInfo& lifecycle, std::size_t input,
               std::uint64_t position) override {
    if (stamps_) batch_.origins.push_back({fed_ + batch_.bytes.size(), lifecycle.number, position, inputs_[input]});
    batch_.bytes.insert(batch_.bytes.end(), stored.begin(), stored.end());
    if (batch_.bytes.size() >= kBatchBytes) flush();
  }
  void skip(const dlt::SkipRecord& s, std::size_t input) override {
    batch_.skip = s;  // after the messages before it
    if (stamps_) batch_.skip->input = inputs_[input];
    flush();
  }
  // The stream ends: everything is decoded when it returns.
  void finish() {
    batch_.last = true;
    flush();
    if (thread_) thread_->wait();
  }
  // The run failed or stopped: the decoding thread (if any) ends after its current batch,
  // before the caller goes on with the pipeline.
  void abandon() { thread_.reset(); }

 private:
  static constexpr std::size_t kBatchBytes = 1u << 20;
  void flush() {
    if (batch_.empty()) return;
    fed_ += batch_.bytes.size();
    if (!thread_) {
      stream_.decode(batch_);
      batch_.clear();
      return;
    }
    Batch next = thread_->spare();
    next.bytes.reserve(kBatchBytes + dlt::kStorageHeaderBytes + dlt::kMaxPacketBytes);
    thread_->hand(std::exchange(batch_, std::move(next)));
  }

  MergedStream stream_;
  std::vector<std::string_view> inputs_;
  bool stamps_;  // the messages' origins are noted, the skipped regions' inputs too
  Batch batch_;
  std::uint64_t fed_ = 0;  // bytes of the stream before batch_: its stream offset
  std::optional<DecodeThread> thread_;
};

// Files by lifecycle (%LC%) without a date or time in the name: every file's name is
// known from the survey, so one that exists is refused (util::creation_error) before
// anything is written rather than part-way through the run. `input` is the merged
// stream's name (%FILE%).
void refuse_existing_lifecycle_files(const DumpConfig& config, const Survey& survey, const std::string& input) {
  if (!names_files_by_lifecycle(config) || config.force) return;
  const output::FileTemplate name_template(config.output);
  if (name_template.has_time()) return;
  const std::string stem = output::file_stem(input);
  for (const LifecycleInfo* l : survey.lifecycles.by_number()) {
    const auto& only = config.lifecycles;
    if (!only.empty() && std::find(only.begin(), only.end(), l->number) == only.end()) continue;
    util::refuse_existing(name_template.expand({stem, 1, {}, l->number}));
  }
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

// The reason a pass's row in --stats gives (empty: it was read whole): an input's own
// failure (`pass`), or for the merged stream (--sort) how many of its inputs failed and
// their lines, as a run without --sort gives each in its own row. `merge_failures`: the
// inputs that failed only in the merge.
std::string failure_of(const Survey& survey, const std::optional<std::size_t>& pass,
                       const std::vector<std::pair<std::size_t, std::string>>& merge_failures) {
  std::vector<std::string_view> lines;
  for (std::size_t i = 0; i < survey.inputs.size(); ++i) {
    if (pass && i != *pass) continue;
    if (!survey.inputs[i].ok) lines.emplace_back(survey.inputs[i].failure);
    for (const auto& [input, line] : merge_failures)
      if (input == i) lines.emplace_back(line);
  }
  if (lines.empty()) return {};
  if (pass) return std::string(lines.front());
  constexpr std::size_t kListed = 3;  // a row, not a log: the lines on standard error have them all
  const std::size_t n = survey.inputs.size();
  std::string reason = std::to_string(lines.size()) + " of " + std::to_string(n) + (n == 1 ? " input" : " inputs") +
                       " failed: " + std::string(lines.front());
  for (std::size_t i = 1; i < std::min(lines.size(), kListed); ++i) reason += "; " + std::string(lines[i]);
  if (lines.size() > kListed) reason += "; and " + std::to_string(lines.size() - kListed) + " more";
  return reason;
}

}  // namespace

std::size_t run_over_time(const DumpConfig& config, Pipeline& pipeline, int out_fd, int diag_fd, Progress* progress,
                          std::size_t& surveyed) {
  raise_open_file_limit();
  Survey survey;
  try {
    survey = survey_inputs(config, diag_fd, [&](std::size_t i, util::InputFile& file) {
      if (!progress) return;
      if (i > 0) progress->end_input();
      progress->begin_input(i, file, config.inputs[i].argument);
    });
  } catch (const util::Stopped&) {
    // Nothing was written yet, nor counted: the inputs the report would have (the merged
    // stream, `sorted`, or each input) were not read (a new user's finding: --stats had
    // no row at all).
    pipeline.sink.stopped();
    if (config.sort) {
      pipeline.sink.input_not_read(kSortedName);
    } else {
      for (const input::InputSpec& spec : config.inputs) pipeline.sink.input_not_read(spec.argument);
    }
    throw;
  }
  if (progress) progress->end_input();
  std::size_t processed = config.inputs.size() - survey.failed;
  surveyed = processed;
  if (config.list_lifecycles) {
    // No input opened (each missing or refused: an archive): no list, not even its
    // header — nothing on standard output before the line that refuses it, as a run
    // without the option shows nothing for such an input.
    if (std::none_of(survey.inputs.begin(), survey.inputs.end(), [](const InputSurvey& i) { return i.opened; }))
      return processed;
    // As every output: a regular file cut by a full disk or a size limit keeps whole rows
    // only, and the failure names the destination (`Couldn't write to standard output`);
    // a reader that went away ends the run quietly (util/fd_writer.hpp).
    util::FdWriter writer(out_fd, "standard output");
    writer.write_direct(lifecycle_list(survey.lifecycles, config.records));
    if (survey.lifecycles.limit_reached())
      util::write_diagnostic(diag_fd, "dltdump: warning: " + dlt::lifecycle_limit_note());
    return processed;
  }
  if (survey.lifecycles.limit_reached()) pipeline.sink.lifecycle_limit_reached();
  for (std::uint64_t n : config.lifecycles)
    if (n == 0 || n > survey.lifecycles.by_number().size())
      // A warning about the command line, as main prints those (found only now).
      util::write_diagnostic(diag_fd, "dltdump: warning: Option 'lifecycle': there is no lifecycle " +
                                          std::to_string(n) + " (the inputs hold " +
                                          std::to_string(survey.lifecycles.by_number().size()) + ")");
  MergeOptions options;
  options.by_time = config.sort;
  options.lifecycles = config.lifecycles;
  options.max_held_bytes = config.sort_held_bytes;
  // The merge's progress: the line follows merged_bytes while it lives.
  std::atomic<std::uint64_t> merged_bytes{0};
  struct PassLine {
    Progress* progress;
    ~PassLine() {
      if (progress) progress->end_pass();
    }
  } pass_line{progress};
  if (progress) {
    std::uint64_t total = 0;
    for (const InputSurvey& input : survey.inputs) total += input.size;
    options.progress = &merged_bytes;
    progress->begin_pass(config.sort ? "sort" : "merge", config.sort ? "merging" : "reading again", total,
                         &merged_bytes);
  }
  // --sort: one merged stream, an input named `sorted`. --lifecycle and %LC% without it:
  // each input in its own order and an input of its own downstream (its count, its
  // %FILE% files, its row in --stats), as a run without them would show it.
  std::vector<std::optional<std::size_t>> passes;
  if (config.sort) passes.emplace_back();
  else
    for (std::size_t i = 0; i < survey.inputs.size(); ++i)
      if (survey.inputs[i].opened) passes.emplace_back(i);
  auto name_of = [&](const std::optional<std::size_t>& pass) -> std::string_view {
    return pass ? std::string_view(survey.inputs[*pass].spec->path) : kSortedName;
  };
  for (const auto& pass : passes) refuse_existing_lifecycle_files(config, survey, std::string(name_of(pass)));
  // The lines show where they came from when they show an input or a position.
  const bool origin = config.position || config.records != dlt::LineFormatter::Style::Text;
  std::vector<std::string_view> inputs;
  for (const InputSurvey& input : survey.inputs) inputs.push_back(input.spec->argument);
  // Without --sort each input is an input of its own downstream: one that could not be
  // opened is told as failed in its place, as a run without --lifecycle tells it (its
  // --stats row, its -c count). With --sort the merged stream's row tells them all.
  std::size_t told = 0;  // inputs before it are told
  auto tell_unopened = [&](std::size_t upto) {
    for (; told < upto; ++told)
      if (!survey.inputs[told].opened && !config.sort)
        pipeline.sink.input_failed(survey.inputs[told].spec->argument, survey.inputs[told].failure);
  };
  for (std::size_t k = 0; k < passes.size(); ++k) {
    const std::optional<std::size_t>& pass = passes[k];
    const std::string_view name = name_of(pass);
    const std::string_view argument = pass ? std::string_view(survey.inputs[*pass].spec->argument) : name;
    if (pass) tell_unopened(*pass);
    told = pass ? *pass + 1 : survey.inputs.size();
    pipeline.begin_input({name, dlt::StreamFormat::File, {}, argument});
    options.only_input = pass;
    const Stamped stamped = origin || names_files_by_lifecycle(config) || config.stats;
    PipelineTarget target(pipeline, inputs, stamped, config.threads);
    // Inputs that failed in the merge, counted also when -m ends it.
    std::vector<std::pair<std::size_t, std::string>> failed;
    options.failures = &failed;
    try {
      try {
        merge_inputs(survey, config, options, target, diag_fd);
        target.finish();
      } catch (const filter::MaxCountReached&) {
        // -m: the stream gave its matches; the rest of it is not read (as grep -m).
        target.abandon();
      }
      processed -= failed.size();
    } catch (const util::Stopped&) {
      // What was merged is written (whole lines and messages), the rest is not.
      target.abandon();
      try {
        pipeline.sink.stopped();
        pipeline.sink.end_input();
        for (std::size_t later = k + 1; later < passes.size(); ++later)
          pipeline.sink.input_not_read(survey.inputs[*passes[later]].spec->argument);
      } catch (const util::Stopped&) {
      }
      throw;
    }
    if (pass) tell_capture_losses(survey.inputs[*pass].capture_losses, pipeline.sink);
    else
      // Each capture's flows as of the capture, not of the merged stream (a new user's
      // finding: the --stats table named them all `sorted`), as a run without --sort has it.
      for (const InputSurvey& input : survey.inputs)
        tell_capture_losses(input.capture_losses, pipeline.sink,
                            input.spec->argument.empty() ? input.spec->path : input.spec->argument);
    // How its reading ended (a new user's finding: the merged stream's row said `ok`
    // whatever its inputs did).
    if (const std::string reason = failure_of(survey, pass, failed); !reason.empty())
      pipeline.sink.input_failed(argument, reason);
    pipeline.sink.end_input();
  }
  tell_unopened(survey.inputs.size());
  return processed;
}

}  // namespace dltdump::app
