// Where the output sinks put whole records (text lines, DLT messages): a file series or
// the console (output/record_writer.hpp), or a memory buffer (BufferTarget: parallel
// decoding, tests). A sink appends one record to `begin(…)` and calls `end()`. The
// text sink's lines in place (the framer's sink protocol, dlt/framer_sink.hpp) are
// records too: begin_line is begin(), end_line is end(), and cancel_line takes the begun
// record back, which only a target that says records_revocable() allows.
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

  // The buffer the next record goes into, the target's: the caller appends one whole
  // record at its end, then calls end() (or, where records_revocable(), may take the
  // record back instead) before it asks anything else of the target; the buffer is not
  // to be used after that. `time` and `lifecycle` are the record's (they may name and open a
  // file: FileSeries; lifecycle 0 is none: the record stays in the open file). Throws
  // util::Error if that file cannot be created, util::output_error (exit 5) if a write fails.
  virtual util::TextBuffer& begin(util::Timestamp time, std::uint64_t lifecycle) = 0;
  // The record appended since begin() is complete. Throws util::output_error (a write
  // failed; see util/fd_writer.hpp).
  virtual void end() = 0;
  // Whether a record begun with begin() may be taken back — the buffer truncated to the
  // size it had when begin() returned, and end() not called — without effect: begin()
  // opens no file that the record's replacement (a skip line) would not open too, i.e.
  // names none by the record's time. What lets a text sink offer dlt::InPlaceLines.
  // Constant for the target's life; never throws.
  virtual bool records_revocable() const { return false; }
  // Readies the destination for a record of `time` and `lifecycle` that will arrive later
  // (a block), so that errors in opening it surface now, as they would in begin().
  virtual void prepare(util::Timestamp /*time*/, std::uint64_t /*lifecycle*/) {}

  // A new input begins (`path` as given; `member`: an archive's member, FileSeries::begin_input).
  virtual void begin_input(std::string_view /*path*/, bool /*member*/ = false) {}
  // Whether records made elsewhere may arrive as one block (write_block).
  virtual bool takes_blocks() const { return false; }
  virtual void write_block(std::string_view /*records*/) {}
  // Appends bytes [offset, offset+length) of the regular file `fd` (named `name`): whole
  // records, copied without passing through memory where the kernel can (see
  // util::FdWriter::copy_from, also for `whole_prefix` and `frame_end`). Only if takes_blocks().
  virtual void copy_block(int /*fd*/, std::string_view /*name*/, std::uint64_t /*offset*/, std::uint64_t /*length*/,
                          util::FdWriter::WholePrefix /*whole_prefix*/, const util::FdWriter::FrameEnd& /*frame_end*/) {
  }
  // Bytes the records buffered take before the next record end ends a compressed frame
  // (util::FdWriter::frame_room): where a sink that hands over records in blocks finds the
  // frames' ends (DltSink). Large for a target of no frames.
  virtual std::uint64_t frame_room() const { return util::FdWriter::kFlushBytes; }
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
  util::TextBuffer& begin(util::Timestamp, std::uint64_t) override { return text_; }
  void end() override {}
  bool records_revocable() const override { return true; }

 private:
  util::TextBuffer& text_;
};

}  // namespace dltdump::output
