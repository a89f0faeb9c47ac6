#include "app/sort/survey.hpp"

#include <algorithm>
#include <limits>

#include "app/sort/message_source.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::app {

namespace {

// Gathers one input's facts; the lifecycle rule's state carries on from input to input.
class SurveySink : public dlt::FramerSink {
 public:
  SurveySink(LifecycleTable& table, EcuStates& states, InputSurvey& input)
      : table_(table), states_(states), input_(input) {}

  void on_message(const dlt::Message& m) override {
    const std::uint32_t e = table_.ecu_index(m.shown_ecu());
    const std::uint64_t number = step_lifecycle(states_, e, m).number;
    LifecycleInfo& l = table_.at(e, number);
    ++l.messages;
    ++input_.messages;
    if (m.has_device_time) {
      if (!l.has_device_time) l.min_device_time = l.max_device_time = m.device_time;
      l.has_device_time = true;
      l.min_device_time = std::min(l.min_device_time, m.device_time);
      l.max_device_time = std::max(l.max_device_time, m.device_time);
    }
    if (!m.time.valid) return;
    const std::int64_t t = m.time.us;
    if (!l.has_time) l.min_time_us = l.max_time_us = t;
    l.has_time = true;
    l.min_time_us = std::min(l.min_time_us, t);
    l.max_time_us = std::max(l.max_time_us, t);
    if (!input_.has_time) {
      input_.has_time = true;
      input_.min_time_us = max_time_ = t;
      input_.has_first = true;
      input_.first_ecu = e;
      input_.first_ecu_number = number;
      input_.first_has_device_time = m.has_device_time;
      input_.first_device_time = m.device_time;
      input_.first_time_us = t;
    }
    input_.min_time_us = std::min(input_.min_time_us, t);
    input_.time_disorder_us = std::max(input_.time_disorder_us, max_time_ - t);
    max_time_ = std::max(max_time_, t);
    if (!m.has_device_time) return;
    const std::int64_t offset = t - std::int64_t{m.device_time} * 100;
    if (!l.has_anchor || offset < l.anchor_us) l.anchor_us = offset;
    l.has_anchor = true;
    InputSurvey::Segment* seg = segment(e, number);
    seg->max_offset_us = std::max(seg->max_offset_us, offset);
  }
  void on_skip(const dlt::SkipRecord&) override {}

 private:
  // The segment of lifecycle `number` of ECU `e` in this input (added with its first
  // offset if new). An ECU's lifecycles follow each other, so the last one is kept at hand.
  InputSurvey::Segment* segment(std::uint32_t e, std::uint64_t number) {
    if (e >= current_.size()) current_.resize(e + 1, kNone);
    std::size_t& i = current_[e];
    if (i == kNone || input_.segments[i].ecu_number != number) {
      i = input_.segments.size();
      input_.segments.push_back({e, number, std::numeric_limits<std::int64_t>::min()});
    }
    return &input_.segments[i];
  }
  static constexpr std::size_t kNone = ~std::size_t{0};

  LifecycleTable& table_;
  EcuStates& states_;
  InputSurvey& input_;
  std::int64_t max_time_ = 0;
  std::vector<std::size_t> current_;  // per ECU: its current segment's index (kNone: none yet)
};

}  // namespace

Survey survey_inputs(const DumpConfig& config, int diag_fd,
                     const std::function<void(std::size_t, util::InputFile&)>& on_input) {
  Survey survey;
  survey.inputs.resize(config.inputs.size());
  EcuStates states;
  for (std::size_t i = 0; i < config.inputs.size(); ++i) {
    InputSurvey& input = survey.inputs[i];
    input.spec = &config.inputs[i];
    input.start = states;
    // An input that fails leaves the rule where the messages before its failure took it:
    // those messages are merged (the merge reads it again up to the same failure).
    try {
      SurveySink sink(survey.lifecycles, states, input);
      MessageSource source(*input.spec, config, sink);
      if (on_input) on_input(i, source.file());
      while (source.step()) util::throw_if_stopped();
      input.ok = true;
    } catch (const util::Error& e) {
      if (!e.ends_input_only()) throw;
      util::print_error(diag_fd, e);
      ++survey.failed;
    }
  }
  survey.lifecycles.finish();
  for (InputSurvey& input : survey.inputs) {
    std::int64_t spread = 0;  // how far below its storage time a key may lie
    for (const InputSurvey::Segment& seg : input.segments) {
      const LifecycleInfo& l = survey.lifecycles.at(seg.ecu, seg.ecu_number);
      spread = std::max(spread, seg.max_offset_us - l.anchor_us);
    }
    input.lateness_us = input.time_disorder_us + spread;
    if (input.has_time) input.min_key = input.min_time_us - spread;
    if (input.has_first)
      input.first_key = survey.lifecycles.at(input.first_ecu, input.first_ecu_number)
                            .key(input.first_time_us, input.first_has_device_time, input.first_device_time);
  }
  return survey;
}

}  // namespace dltdump::app
