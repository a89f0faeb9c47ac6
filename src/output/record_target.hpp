// Where the output sinks put whole records (text lines, DLT messages): a file series or
// the console (output/record_writer.hpp), or a memory buffer (BufferTarget: parallel
// decoding, tests). A sink appends one record to `begin(time)` and calls `end()`.
#pragma once

#include <string_view>

#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::output {

class RecordTarget {
 public:
  virtual ~RecordTarget() = default;

  // The buffer the next record goes into; `time` is the record's (it may name a file).
  virtual util::TextBuffer& begin(util::Timestamp time) = 0;
  // The record is complete.
  virtual void end() = 0;

  // A new input begins (`path` as given).
  virtual void begin_input(std::string_view /*path*/) {}
  // Whether records made elsewhere may arrive as one block (write_block).
  virtual bool takes_blocks() const { return false; }
  virtual void write_block(std::string_view /*records*/) {}
  // Writes what is buffered; writes everything and closes.
  virtual void flush() {}
  virtual void finish() {}
};

// Records appended to a TextBuffer the caller owns.
class BufferTarget final : public RecordTarget {
 public:
  explicit BufferTarget(util::TextBuffer& text) : text_(text) {}
  util::TextBuffer& begin(util::Timestamp) override { return text_; }
  void end() override {}

 private:
  util::TextBuffer& text_;
};

}  // namespace dltdump::output
