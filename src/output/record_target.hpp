// Where the output sinks put whole records (text lines, DLT messages): a file series or
// the console (output/record_writer.hpp), or a memory buffer (BufferTarget: parallel
// decoding, tests). A sink appends one record to `begin(time)` and calls `end()`.
#pragma once

#include <cstdint>
#include <string_view>

#include "util/fd_writer.hpp"
#include "util/file_identity.hpp"
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
  // Whether a record started with begin() may be taken back (truncated away before end())
  // without effect: begin() does not name or open a file by the record's time.
  virtual bool records_revocable() const { return false; }
  // Readies the destination for a record of `time` that will arrive later (a block), so
  // that errors in opening it surface now, as they would in begin().
  virtual void prepare(util::Timestamp /*time*/) {}

  // A new input begins (`path` as given).
  virtual void begin_input(std::string_view /*path*/) {}
  // Whether records made elsewhere may arrive as one block (write_block).
  virtual bool takes_blocks() const { return false; }
  virtual void write_block(std::string_view /*records*/) {}
  // Appends bytes [offset, offset+length) of the regular file `fd` (named `name`): whole
  // records, copied without passing through memory where the kernel can (see
  // util::FdWriter::copy_from, also for `whole_prefix`). Only if takes_blocks().
  virtual void copy_block(int /*fd*/, std::string_view /*name*/, std::uint64_t /*offset*/, std::uint64_t /*length*/,
                          util::FdWriter::WholePrefix /*whole_prefix*/) {}
  // Whether `file` is one this target has written to (see LineOutput::wrote).
  virtual bool wrote(const util::FileIdentity& /*file*/) const { return false; }
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
  bool records_revocable() const override { return true; }

 private:
  util::TextBuffer& text_;
};

}  // namespace dltdump::output
