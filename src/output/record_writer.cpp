#include "output/record_writer.hpp"

#include <memory>

namespace dltdump::output {

void RecordWriter::begin_input(std::string_view path, bool member) {
  if (!series_) return;
  if (by_lifecycle_ && series_->name_template().has_file()) close_lifecycle_files();
  if (open_ && series_->name_template().has_file()) {
    writer_.flush();
    open_ = false;
  }
  series_->begin_input(path, member);
}

void RecordWriter::open(util::Timestamp time, std::uint64_t lifecycle) {
  const std::uint64_t size = series_->open(time, lifecycle);
  writer_.retarget(series_->fd(), series_->name(), size);
  open_ = true;
  header_due_ = !header_.empty() && size == 0;
}

void RecordWriter::select(util::Timestamp time, std::uint64_t lifecycle) {
  LifecycleFile& f = files_.select(
      lifecycle,
      [&] {
        const std::uint64_t size = series_->open(time, lifecycle);
        auto file = std::make_unique<LifecycleFile>(series_->release(), series_->name(), size);
        if (compressor_) file->writer.set_compressor(compressor_);
        header_due_ = !header_.empty() && size == 0;
        return file;
      },
      close_lifecycle_file);
  w_ = &f.writer;
  open_ = true;
}

void RecordWriter::close_lifecycle_files() {
  w_ = &writer_;
  open_ = false;
  files_.close_all(close_lifecycle_file);
}

void RecordWriter::put_header() {
  header_due_ = false;
  w_->buffer().append(header_);
  w_->line_done();
}

void RecordWriter::close_file(bool full) {
  writer_.flush();
  series_->close(full);
  open_ = false;
}

void RecordWriter::finish() {
  if (header_due_ && !series_) put_header();
  if (!series_) return writer_.flush();  // the console stays open
  if (by_lifecycle_) return close_lifecycle_files();
  close_file();
}

}  // namespace dltdump::output
