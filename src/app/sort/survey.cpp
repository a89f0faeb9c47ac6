#include "app/sort/survey.hpp"

#include <algorithm>
#include <limits>

#include "app/sort/message_source.hpp"
#include "dlt/lifecycle.hpp"
#include "input/format_sniff.hpp"
#include "util/error.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {

// Gathers one input's facts; the lifecycle rule's state carries on from input to input.
class SurveySink : public dlt::FramerSink {
 public:
  SurveySink(LifecycleTable& table, InputSurvey& input) : table_(table), input_(input) {}

  void on_message(const dlt::Message& m) override {
    const std::uint32_t e = table_.ecu_index(m.shown_ecu());
    const auto [l, i] = table_.observe(e, m);
    if (e >= current_.size()) {
      current_.resize(e + 1, kNone);
      seg_.resize(e + 1, kNone);
    }
    if (current_[e] != i) {
      current_[e] = i;
      seg_[e] = kNone;
      input_.switches.push_back({input_.messages, e, static_cast<std::uint32_t>(i)});
    }
    ++input_.messages;
    if (!m.time.known()) return;
    const std::int64_t t = m.time.us;
    if (!input_.has_time) {
      input_.has_time = true;
      input_.min_time_us = max_time_ = t;
      input_.has_first = true;
      input_.first_ecu = e;
      input_.first_lifecycle = i;
      input_.first_has_device_time = m.has_device_time;
      input_.first_device_time = m.device_time;
      input_.first_time_us = t;
    }
    input_.min_time_us = std::min(input_.min_time_us, t);
    input_.time_disorder_us = std::max(input_.time_disorder_us, max_time_ - t);
    max_time_ = std::max(max_time_, t);
    if (!dlt::tells_uptime(m.has_device_time, m.device_time)) return;
    const std::int64_t offset = t - std::int64_t{m.device_time} * 100;
    std::size_t& s = seg_[e];
    if (s == kNone) {
      s = input_.segments.size();
      input_.segments.push_back({e, i, offset, offset});
    }
    input_.segments[s].max_offset_us = std::max(input_.segments[s].max_offset_us, offset);
    input_.segments[s].min_offset_us = std::min(input_.segments[s].min_offset_us, offset);
  }
  void on_skip(const dlt::SkipRecord& s) override { skipped_ += s.length; }
  std::uint64_t skipped() const { return skipped_; }

 private:
  static constexpr std::size_t kNone = ~std::size_t{0};

  LifecycleTable& table_;
  InputSurvey& input_;
  std::int64_t max_time_ = 0;
  std::uint64_t skipped_ = 0;
  // Per ECU: its current lifecycle's index, and that lifecycle's segment since the ECU's
  // last switch in this input (kNone: none yet).
  std::vector<std::size_t> current_, seg_;
};

constexpr std::size_t kSurveyReleaseEvery = 8u << 20;

}  // namespace

Survey survey_inputs(const DumpConfig& config, int diag_fd,
                     const std::function<void(std::size_t, util::InputFile&)>& on_input) {
  Survey survey;
  survey.inputs.resize(config.inputs.size());
  for (std::size_t i = 0; i < config.inputs.size(); ++i) {
    InputSurvey& input = survey.inputs[i];
    input.spec = &config.inputs[i];
    // An input that fails leaves the rule where the messages before its failure took it:
    // those messages are merged (the merge reads it again up to the same failure).
    try {
      SurveySink sink(survey.lifecycles, input);
      MessageSource source(*input.spec, config, sink);
      // One input at a time: it may keep more mapped than the merge's many (a release
      // costs far more than the pages' memory is worth).
      source.set_release_every(kSurveyReleaseEvery);
      input.opened = true;
      input.device = source.file().device();
      input.inode = source.file().inode();
      input.modified_ns = source.file().modified_ns();
      input.size = source.file().known_size();
      if (on_input) on_input(i, source.file());
      // What a run without --sort says of an input, said once, here: what a capture lost
      // also when it fails part-way (a malformed or truncated capture), before its failure
      // as there (a new user's finding: the losses went unsaid).
      const std::string& name = input.spec->argument;
      auto tell_losses = [&] {
        const dissect::CaptureReport report = source.capture_report();
        if (report.losses.any()) util::write_diagnostic(diag_fd, util::printable(name) + ": " + report.losses.text());
        input.capture_losses = report.losses;
      };
      try {
        while (source.step()) util::throw_if_stopped();
      } catch (const util::Error& e) {
        if (e.ends_input_only() && source.finished()) tell_losses();
        if (e.ends_input_only() && source.file().shrunk_to())
          if (const auto now = source.file().stat_now()) {
            input.size = now->size;
            input.modified_ns = now->modified_ns;
            input.cut_while_read = true;
          }
        throw;
      }
      tell_losses();
      const dissect::CaptureReport report = source.capture_report();
      if (!report.nothing_found.empty()) throw util::input_error(name, name + ": " + report.nothing_found);
      if (input.messages == 0 && sink.skipped() > 0 && sink.skipped() == input.size &&
          !input::confirms(source.content(), source.format()))
        util::write_diagnostic(
            diag_fd,
            util::printable(input::skipped_only_warning(name, sink.skipped(), source.format(), source.content()).text));
      input.ok = true;
    } catch (const util::Error& e) {
      if (!e.ends_input_only()) throw;
      util::print_error(diag_fd, e);
      input.failure = e.what();
      ++survey.failed;
    }
  }
  survey.lifecycles.finish();
  for (InputSurvey& input : survey.inputs) {
    // How far below and above its storage time a key may lie: a key (anchor + device time)
    // is its storage time less the message's offset above the anchor. Above: the anchor
    // lies in the rule's clock, which undoes what it took for the logger's clock set back
    // (a tester's finding: a key up to 1.2 s above its storage time overtook the bound,
    // and an ECU's messages came out of device-time order).
    std::int64_t below = 0, above = 0;
    for (const InputSurvey::Segment& seg : input.segments) {
      const LifecycleInfo& l = survey.lifecycles.at(seg.ecu, seg.lifecycle);
      below = std::max(below, seg.max_offset_us - l.facts.anchor_us);
      above = std::max(above, l.facts.anchor_us - seg.min_offset_us);
    }
    input.lateness_us = input.time_disorder_us + below + above;
    if (input.has_time) input.min_key = input.min_time_us - below;
    if (input.has_first)
      input.first_key = survey.lifecycles.at(input.first_ecu, input.first_lifecycle)
                            .key(input.first_time_us, input.first_has_device_time, input.first_device_time);
  }
  return survey;
}

}  // namespace dltdump::app
