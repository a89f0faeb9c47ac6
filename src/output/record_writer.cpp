#include "output/record_writer.hpp"

namespace dltdump::output {

void RecordWriter::begin_input(std::string_view path) {
  if (!series_) return;
  if (open_ && series_->name_template().has_file()) {
    writer_.flush();
    open_ = false;
  }
  series_->begin_input(path);
}

void RecordWriter::open(util::Timestamp time) {
  const std::uint64_t size = series_->open(time);
  writer_.retarget(series_->fd(), series_->name(), size);
  open_ = true;
  header_due_ = !header_.empty() && size == 0;
}

void RecordWriter::put_header() {
  header_due_ = false;
  writer_.buffer().append(header_);
  writer_.line_done();
}

void RecordWriter::next_file() {
  writer_.flush();
  series_->close(true);
  open_ = false;
}

void RecordWriter::finish() {
  if (header_due_ && !series_) put_header();
  writer_.flush();
  if (!series_) return;  // the console stays open
  series_->close();
  open_ = false;
}

}  // namespace dltdump::output
