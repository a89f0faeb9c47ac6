// --stats: instead of lines, a report on what passed the filters — counts per input, ECU,
// application, context and level, skipped regions, loss from the message counters and the
// ECUs' lifecycles (output/stats_tally.hpp) — written when the run ends, also when it ends
// early (a failed input, a signal): the report covers what was read.
#pragma once

#include "dlt/message_facts.hpp"
#include "output/line_output.hpp"
#include "output/record_writer.hpp"
#include "output/stats_report.hpp"
#include "output/stats_tally.hpp"

namespace dltdump::output {

class StatsSink final : public LineOutput {
 public:
  // Writes the report through `writer` (the console) in `format`. `count_loss`: see
  // StatsTally.
  StatsSink(RecordWriter& writer, StatsFormat format, bool count_loss)
      : writer_(writer), format_(format), tally_(count_loss) {}

  void on_message(const dlt::Message& m) override {
    tally_.add(m);
    ++lines_;
  }
  void on_skip(const dlt::SkipRecord& s) override { tally_.add(s); }
  void begin_input(const Input& input) override { tally_.begin_input(input.name.empty() ? input.path : input.name); }
  void end_input() override { tally_.end_input(); }
  void input_failed(std::string_view name, std::string_view reason, bool /*member*/) override {
    tally_.fail_input(name, reason);
  }
  void stopped() override { tally_.stop(); }
  void input_not_read(std::string_view name) override { tally_.not_read(name); }
  void capture_losses(std::span<const FlowLoss> flows, std::uint64_t not_listed) override {
    tally_.capture_losses(flows, not_listed);
  }
  void archive_skipped(std::string_view archive, const SkippedMembers& skipped) override {
    tally_.archive_skipped(archive, skipped);
  }
  void lifecycle_limit_reached() override { tally_.note_lifecycle_limit(); }
  bool wants_text() const override { return false; }
  // Parallel decoders send the facts of what passed (dlt/message_facts.hpp).
  const dlt::LineFormatter::Options* block_format() const override { return &kFactsFormat; }
  void write_block(std::string_view block, std::uint64_t records) override {
    tally_.add_block(block);
    lines_ += records;
  }
  void flush() override { writer_.flush(); }
  void finish() override {
    if (!reported_) {
      reported_ = true;  // a second finish (a signal while writing) does not repeat it
      write_stats_report(tally_, format_, writer_.begin({}, 0));
      writer_.end();
    }
    writer_.finish();
  }

 private:
  RecordWriter& writer_;
  StatsFormat format_;
  StatsTally tally_;
  bool reported_ = false;
};

}  // namespace dltdump::output
