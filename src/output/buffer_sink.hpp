// Formats every message and skip record as a text line into a TextBuffer, counting lines.
// Used where text is produced ahead of writing (parallel decoding) and by tests.
#pragma once

#include <cstdint>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::output {

class BufferSink final : public dlt::FramerSink {
 public:
  BufferSink(dlt::LineFormatter& formatter, util::TextBuffer& text) : formatter_(formatter), text_(text) {}
  void on_message(const dlt::Message& m) override {
    formatter_.format(m, text_);
    ++lines;
  }
  void on_skip(const dlt::SkipRecord& s) override {
    formatter_.format(s, text_);
    ++lines;
  }
  std::uint64_t lines = 0;

 private:
  dlt::LineFormatter& formatter_;
  util::TextBuffer& text_;
};

}  // namespace dltdump::output
