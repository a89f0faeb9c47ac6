#include "util/fd_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/error.hpp"

namespace dltdump::util {

bool write_all(int fd, std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

namespace {

bool is_regular_file(int fd) {
  struct stat st {};
  return fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

FdWriter::FdWriter(int fd, std::string name, std::uint64_t size)
    : fd_(fd), name_(std::move(name)), buf_(kFlushBytes + (64u << 10)), written_(size), cut_points_(is_regular_file(fd)) {
  if (cut_points_) ends_.reserve(1 << 16);
}

void FdWriter::retarget(int fd, std::string name, std::uint64_t size) {
  fd_ = fd;
  name_ = std::move(name);
  written_ = size;
  cut_points_ = is_regular_file(fd);
  ends_.clear();
}

// Writes `bytes`: the buffered records, whose ends are in ends_, or one block (ends_
// empty). On failure, a regular file is cut back to the last record written whole.
void FdWriter::write_records(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int err = n == 0 ? EIO : errno;
    if (done > 0 && cut_points_) {
      // The last record end at or before `done` (0 if the first record was cut).
      auto after = std::upper_bound(ends_.begin(), ends_.end(), static_cast<std::uint32_t>(done));
      const std::size_t keep = after == ends_.begin() ? 0 : *(after - 1);
      struct stat st {};
      if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) >= done)
        (void)!::ftruncate(fd_, st.st_size - static_cast<off_t>(done - keep));
    }
    throw OutputError(with_os_reason("Couldn't write to " + name_, err));
  }
}

void FdWriter::write_direct(std::string_view text) {
  flush();
  write_records(text);
  written_ += text.size();
}

void FdWriter::flush() {
  const std::size_t n = buf_.size();
  if (n == 0) return;
  try {
    write_records(buf_.view());
  } catch (...) {
    buf_.clear();
    ends_.clear();
    throw;
  }
  buf_.clear();
  ends_.clear();
  written_ += n;
}

}  // namespace dltdump::util
