// Writes messages and skip records as text lines (dltdump-spec §2) to the console, to text
// files (UTF-8, LF; lines are never truncated: deviation Q7) or into a memory buffer; or
// as JSON Lines records or CSV rows (dlt::LineFormatter::Style), one per line too.
#pragma once

#include "dlt/line_formatter.hpp"
#include "output/line_output.hpp"
#include "output/record_target.hpp"

namespace dltdump::output {

// Payload texts are written in place (dlt::InPlaceLines, dlt/framer_sink.hpp) when the
// target lets a begun record be taken back (RecordTarget::records_revocable): a line
// begun is a record begun, and cancel_line truncates it away. Text lines only: a JSON or
// CSV record quotes the text, so it is made apart and copied.
class TextSink final : public LineOutput, private dlt::InPlaceLines {
 public:
  TextSink(RecordTarget& target, dlt::LineFormatter::Options options)
      : target_(target), options_(options), formatter_(options),
        // A relative time column counts from the first line written, which a line taken
        // back must not be.
        in_place_(target.records_revocable() && options.style == dlt::LineFormatter::Style::Text &&
                  options.time != dlt::TimeColumn::Relative) {}

  void on_message(const dlt::Message& m) override {
    formatter_.format(m, target_.begin(m.time, m.lifecycle));
    target_.end();
    ++lines_;
  }
  dlt::InPlaceLines* in_place_lines() override { return in_place_ ? this : nullptr; }
  void on_skip(const dlt::SkipRecord& s) override {
    formatter_.format(s, target_.begin(s.time, 0));
    target_.end();
    ++lines_;
  }

  void begin_input(const Input& input) override {
    target_.begin_input(input.path, input.member);
    // JSON and CSV records name their input as the command line does; lines made
    // elsewhere (block_format) too.
    const std::string_view name = input.record_name();
    options_.input = name;
    formatter_.set_input(name);
  }
  bool wants_text() const override { return true; }
  bool wants_json_args() const override { return options_.style == dlt::LineFormatter::Style::Json; }
  bool wrote(const util::FileIdentity& file) const override { return target_.wrote(file); }
  const dlt::LineFormatter::Options* block_format() const override {
    return target_.takes_blocks() ? &options_ : nullptr;
  }
  void write_block(std::string_view text, std::uint64_t lines) override {
    if (lines == 0) return;  // nothing passed: no file is created for it
    target_.write_block(text);
    lines_ += lines;
  }
  // An input's end ends a compressed file's frame, as DltSink's does (docs/manual.md): the
  // same frames however the lines came, one by one or in blocks.
  void end_input() override { target_.flush(); }
  void flush() override { target_.flush(); }
  void finish() override { target_.finish(); }

 private:
  util::TextBuffer& begin_line(dlt::Message& m) override {
    util::TextBuffer& out = target_.begin(m.time, m.lifecycle);
    line_ = &out;
    line_start_ = out.size();
    formatter_.format_head(m, out);
    return out;
  }
  void end_line() override {
    formatter_.end_line(*line_);
    target_.end();
    ++lines_;
  }
  void cancel_line() override { line_->truncate(line_start_); }

  RecordTarget& target_;
  dlt::LineFormatter::Options options_;
  dlt::LineFormatter formatter_;
  bool in_place_;                     // the target lets a begun line be taken back
  util::TextBuffer* line_ = nullptr;  // the line begun in place, and where it starts
  std::size_t line_start_ = 0;
};

}  // namespace dltdump::output
