// Whole records (text lines, DLT messages) into one large buffer, written to the console or
// to a series of files (output/file_series.hpp).
//
// A sink appends one record to `begin(time, lifecycle)` and calls `end()`. For files,
// `begin` opens the file on the first record (named for that record's time and lifecycle),
// and moves to another lifecycle's file when the record belongs there (%LC%); `end` starts
// the next file of the series once the current one has reached the split size; a record is
// never cut across files. Write failures throw util::output_error (the run stops; the file ends on
// a whole record, see util/fd_writer.hpp); file creation failures throw
// util::creation_error (the current input fails).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compress/output_compression.hpp"
#include "output/file_series.hpp"
#include "output/lifecycle_files.hpp"
#include "output/record_target.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/scoped_fd.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::output {

class RecordWriter final : public RecordTarget {
 public:
  // To an open descriptor (the console), named `name` in errors.
  RecordWriter(int fd, std::string name) : writer_(fd, std::move(name)), open_(true) {}
  // To the files of `options`, opened as records arrive (compressed as options.compression
  // says; a split counts the bytes before compression).
  explicit RecordWriter(FileSeriesOptions options)
      : writer_(-1, {}), compressor_(compress::make_frame_compressor(options.compression)),
        series_(std::in_place, std::move(options)), by_lifecycle_(series_->name_template().has_lifecycle()) {
    if (compressor_) writer_.set_compressor(compressor_);
  }
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
  void begin_input(std::string_view path, bool member = false) override;

  util::TextBuffer& begin(util::Timestamp time, std::uint64_t lifecycle) override {
    prepare(time, lifecycle);
    return w_->buffer();
  }
  void prepare(util::Timestamp time, std::uint64_t lifecycle) override {
    if (by_lifecycle_) [[unlikely]] {
      if (files_.switches(lifecycle)) closing_all_on_failure([&] { select(time, lifecycle); });
    } else if (!open_) {
      open(time, lifecycle);
    }
    if (header_due_) [[unlikely]]
      put_header();
  }
  void end() override {
    if (by_lifecycle_) [[unlikely]]
      return closing_all_on_failure([&] { w_->line_done(); });
    if (series_ && series_->full(w_->size())) close_file(true);
    else w_->line_done();
  }

  // A record taken back leaves at most a file opened that its replacement (a skip line)
  // would open anyway: unless the file is named by the record's time.
  bool records_revocable() const override {
    return !series_ || (!series_->name_template().has_time() && !series_->name_template().has_lifecycle());
  }

  // Whether write_block may be used: the destination does not depend on each record
  // (no split, no time in the file name).
  bool takes_blocks() const override {
    return !series_ ||
           (!series_->splits() && !series_->name_template().has_time() && !series_->name_template().has_lifecycle());
  }
  // Writes records made elsewhere (parallel decoding) without a copy. `text` is not empty.
  void write_block(std::string_view text) override {
    prepare({}, 0);
    w_->write_direct(text);
  }

  void copy_block(int fd, std::string_view name, std::uint64_t offset, std::uint64_t length,
                  util::FdWriter::WholePrefix whole_prefix, const util::FdWriter::FrameEnd& frame_end) override {
    if (!open_) open({}, 0);
    w_->copy_from(fd, name, offset, length, std::move(whole_prefix), frame_end);
  }
  std::uint64_t frame_room() const override { return w_->frame_room(); }

  bool wrote(const util::FileIdentity& file) const override { return series_ && series_->created(file); }

  // Writes what is buffered (before a diagnostic line, at the end of an input).
  void flush() override {
    if (by_lifecycle_) closing_all_on_failure([&] { files_.for_each([](LifecycleFile& f) { f.writer.flush(); }); });
    else writer_.flush();
  }
  // Writes everything and closes the file, if any.
  void finish() override;

 private:
  // One file of a name with %LC%: its descriptor and writer (destroyed unwritten: finish()
  // writes them, a destructor cannot report a failure).
  struct LifecycleFile {
    LifecycleFile(util::ScopedFd descriptor, std::string name, std::uint64_t size)
        : fd(std::move(descriptor)), writer(fd.get(), std::move(name), size) {}
    util::ScopedFd fd;
    util::FdWriter writer;
  };
  void open(util::Timestamp time, std::uint64_t lifecycle);
  void close_file(bool full = false);
  // Makes the file of `lifecycle` current (by_lifecycle_), opened for a record of `time`.
  void select(util::Timestamp time, std::uint64_t lifecycle);
  // Writes what `f` holds (its descriptor closes with it).
  static void close_lifecycle_file(LifecycleFile& f) { f.writer.flush(); }
  void close_lifecycle_files();
  // by_lifecycle_: runs `write`; when a write fails (the run ends), every open file is
  // still written and closed, and the error thrown names the files cut short
  // (LifecycleFiles::close_all), not only the one whose write failed.
  template <class Write>
  void closing_all_on_failure(Write&& write) {
    try {
      write();
    } catch (const util::Error& e) {
      if (e.exit_code() != util::ExitCode::OutputError) throw;
      w_ = &writer_;
      open_ = false;
      files_.close_all(close_lifecycle_file, &e);
    }
  }
  void put_header();

  util::FdWriter writer_;                              // the console's, or the series' file (one at a time)
  std::shared_ptr<util::FrameCompressor> compressor_;  // compressed files: every writer's workers
  std::optional<FileSeries> series_;
  bool by_lifecycle_ = false;  // the series names files by %LC%: files_ holds them
  LifecycleFiles<LifecycleFile> files_;
  util::FdWriter* w_ = &writer_;  // where records go: writer_ or the current file's
  bool open_ = false;
  std::string header_;
  bool header_due_ = false;  // header_ goes out before the next record
};

}  // namespace dltdump::output
