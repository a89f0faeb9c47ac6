// Buffered output to a file descriptor through one large buffer.
//
// Producers format whole lines into `buffer()` and call `line_done()`; once the buffer
// holds `kFlushBytes` or more, it is written with as few write(2) calls as the kernel
// allows. A failed write (disk full, broken pipe, permission) throws util::OutputError naming
// the destination; what was written before ends on a whole line because only whole lines
// are ever handed to write(2).
#pragma once

#include <string>
#include <string_view>

#include "util/text_buffer.hpp"

namespace dltdump::util {

// Writes all of `text` to `fd` unbuffered (diagnostics, help); retries short writes and
// EINTR. Returns false if the descriptor refuses the bytes.
bool write_all(int fd, std::string_view text);

class FdWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1u << 20;

  FdWriter(int fd, std::string name) : fd_(fd), name_(std::move(name)), buf_(kFlushBytes + (64u << 10)) {}
  ~FdWriter() = default;

  TextBuffer& buffer() { return buf_; }
  void line_done() {
    if (buf_.size() >= kFlushBytes) flush();
  }
  // Writes what is buffered, then `text` directly (large blocks of whole lines made
  // elsewhere, without a copy). Throws util::OutputError on failure.
  void write_direct(std::string_view text);

  // Writes everything buffered. Throws util::OutputError on failure.
  void flush();

 private:
  int fd_;
  std::string name_;
  TextBuffer buf_;
};

}  // namespace dltdump::util
