// Buffered output to a file descriptor through one large buffer.
//
// Producers format whole records (text lines, DLT messages) into `buffer()` and call
// `line_done()` after each; once the buffer holds `kFlushBytes` or more, it is written with
// as few write(2) calls as the kernel allows. A failed write (disk full, file size limit,
// broken pipe, permission) throws util::OutputError naming the destination.
//
// A regular file always ends on a whole record: the writer remembers where each buffered
// record ends, and when a write fails part-way it cuts the file back to the end of the
// last record that was written whole (a block passed to write_direct is one record: its
// lines may hold a '\n' of their own, so only its start is known to be a line start). Pipes and terminals cannot be cut; their reader sees what was taken.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/text_buffer.hpp"

namespace dltdump::util {

// Writes all of `text` to `fd` unbuffered (diagnostics, help); retries short writes and
// EINTR. Returns false if the descriptor refuses the bytes.
bool write_all(int fd, std::string_view text);

class FdWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1u << 20;

  // `size`: bytes the destination already holds (a file continued by append). A negative
  // `fd` is no destination yet (see retarget).
  FdWriter(int fd, std::string name, std::uint64_t size = 0);
  ~FdWriter() = default;

  TextBuffer& buffer() { return buf_; }
  void line_done() {
    if (cut_points_) ends_.push_back(static_cast<std::uint32_t>(buf_.size()));
    if (buf_.size() >= kFlushBytes) flush();
  }
  // Writes what is buffered, then `text` directly: a large block of whole text lines made
  // elsewhere, written without a copy. Throws util::OutputError on failure.
  void write_direct(std::string_view text);

  // Writes everything buffered. Throws util::OutputError on failure.
  void flush();

  // Writes from now on to `fd` (named `name`, already holding `size` bytes). Call flush()
  // first: the buffer must be empty.
  void retarget(int fd, std::string name, std::uint64_t size = 0);

  // Bytes written so far plus bytes buffered: the destination's size once flushed.
  std::uint64_t size() const { return written_ + buf_.size(); }

 private:
  void write_records(std::string_view bytes);

  int fd_;
  std::string name_;
  TextBuffer buf_;
  std::uint64_t written_;
  bool cut_points_ = false;          // the destination is a regular file: remember record ends
  std::vector<std::uint32_t> ends_;  // end offsets of the buffered records
};

}  // namespace dltdump::util
