// Writes messages and skip records as text lines (dltdump-spec §2) to the console or to
// text files (UTF-8, LF; lines are never truncated: deviation Q7).
#pragma once

#include "dlt/line_formatter.hpp"
#include "output/line_output.hpp"
#include "output/record_writer.hpp"

namespace dltdump::output {

class TextSink final : public LineOutput {
 public:
  TextSink(RecordWriter& writer, dlt::LineFormatter::Options options)
      : writer_(writer), options_(options), formatter_(options) {}

  void on_message(const dlt::Message& m) override {
    formatter_.format(m, writer_.begin(m.time));
    writer_.end();
    ++lines_;
  }
  void on_skip(const dlt::SkipRecord& s) override {
    formatter_.format(s, writer_.begin(s.time));
    writer_.end();
    ++lines_;
  }

  void begin_input(const Input& input) override { writer_.begin_input(input.path); }
  bool wants_text() const override { return true; }
  const dlt::LineFormatter::Options* block_format() const override {
    return writer_.takes_blocks() ? &options_ : nullptr;
  }
  void write_block(std::string_view text, std::uint64_t lines) override {
    if (lines == 0) return;  // nothing passed: no file is created for it
    writer_.write_block(text);
    lines_ += lines;
  }
  void flush() override { writer_.flush(); }
  void finish() override { writer_.finish(); }

 private:
  RecordWriter& writer_;
  dlt::LineFormatter::Options options_;
  dlt::LineFormatter formatter_;
};

}  // namespace dltdump::output
