// Whole records (text lines, DLT messages) into one large buffer, written to the console or
// to a series of files (output/file_series.hpp).
//
// A sink appends one record to `begin(time)` and calls `end()`. For files, `begin` opens
// the file on the first record (named for that record's time) and `end` starts the next
// file of the series once the current one has reached the split size; a record is never
// cut across files. Write failures throw util::output_error (the run stops; the file ends on
// a whole record, see util/fd_writer.hpp); file creation failures throw
// util::creation_error (the current input fails).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "output/file_series.hpp"
#include "output/record_target.hpp"
#include "util/fd_writer.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::output {

class RecordWriter final : public RecordTarget {
 public:
  // To an open descriptor (the console), named `name` in errors.
  RecordWriter(int fd, std::string name) : writer_(fd, std::move(name)), open_(true) {}
  // To the files of `options`, opened as records arrive.
  explicit RecordWriter(FileSeriesOptions options) : writer_(-1, {}), series_(std::in_place, std::move(options)) {}
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;

  // A text each new file (and the console) starts with: CSV's header row. Written when a
  // file is created (not when one is appended to), and on the console before the first
  // record, or at the end when there was none (a table without rows is still a table).
  void set_header(std::string header) {
    header_ = std::move(header);
    header_due_ = !series_ && !header_.empty();
  }

  // A new input begins (may end the current file: see FileSeries::begin_input).
  void begin_input(std::string_view path) override;

  util::TextBuffer& begin(util::Timestamp time) override {
    if (!open_) open(time);
    if (header_due_) [[unlikely]]
      put_header();
    return writer_.buffer();
  }
  void prepare(util::Timestamp time) override {
    if (!open_) open(time);
    if (header_due_) [[unlikely]]
      put_header();
  }
  void end() override {
    if (series_ && series_->full(writer_.size())) next_file();
    else writer_.line_done();
  }

  // A record taken back leaves at most a file opened that its replacement (a skip line)
  // would open anyway: unless the file is named by the record's time.
  bool records_revocable() const override { return !series_ || !series_->name_template().has_time(); }

  // Whether write_block may be used: the destination does not depend on each record
  // (no split, no time in the file name).
  bool takes_blocks() const override {
    return !series_ || (!series_->splits() && !series_->name_template().has_time());
  }
  // Writes records made elsewhere (parallel decoding) without a copy. `text` is not empty.
  void write_block(std::string_view text) override {
    if (!open_) open({});
    if (header_due_) [[unlikely]]
      put_header();
    writer_.write_direct(text);
  }

  void copy_block(int fd, std::string_view name, std::uint64_t offset, std::uint64_t length,
                  util::FdWriter::WholePrefix whole_prefix) override {
    if (!open_) open({});
    writer_.copy_from(fd, name, offset, length, std::move(whole_prefix));
  }

  bool wrote(const util::FileIdentity& file) const override { return series_ && series_->created(file); }

  // Writes what is buffered (before a diagnostic line, at the end of an input).
  void flush() override { writer_.flush(); }
  // Writes everything and closes the file, if any.
  void finish() override;

 private:
  void open(util::Timestamp time);
  void next_file();
  void put_header();

  util::FdWriter writer_;
  std::optional<FileSeries> series_;
  bool open_ = false;
  std::string header_;
  bool header_due_ = false;  // header_ goes out before the next record
};

}  // namespace dltdump::output
