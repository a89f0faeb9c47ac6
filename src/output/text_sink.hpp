// Writes messages and skip records as text lines to a file descriptor (the console).
#pragma once

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "util/fd_writer.hpp"

namespace dltdump::output {

class TextSink final : public dlt::FramerSink {
 public:
  TextSink(util::FdWriter& writer, dlt::LineFormatter::Options options)
      : writer_(writer), options_(options), formatter_(options) {}

  void on_message(const dlt::Message& m) override {
    formatter_.format(m, writer_.buffer());
    writer_.line_done();
    ++lines_;
  }
  void on_skip(const dlt::SkipRecord& s) override {
    formatter_.format(s, writer_.buffer());
    writer_.line_done();
    ++lines_;
  }
  // Adds lines formatted elsewhere (the parallel decoder), written straight through.
  void write_block(std::string_view text, std::uint64_t lines) {
    writer_.write_direct(text);
    lines_ += lines;
  }
  const dlt::LineFormatter::Options& options() const { return options_; }

  // Lines written so far (to tell a failure before any output from one after).
  std::uint64_t lines() const { return lines_; }
  void flush() { writer_.flush(); }

 private:
  util::FdWriter& writer_;
  dlt::LineFormatter::Options options_;
  dlt::LineFormatter formatter_;
  std::uint64_t lines_ = 0;
};

}  // namespace dltdump::output
