#include "util/fd_writer.hpp"

#include <cerrno>
#include <unistd.h>

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

void FdWriter::write_direct(std::string_view text) {
  flush();
  if (!write_all(fd_, text)) throw OutputError(with_os_reason("Couldn't write to " + name_, errno));
}

void FdWriter::flush() {
  const char* p = buf_.data();
  std::size_t left = buf_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      buf_.clear();
      throw OutputError(with_os_reason("Couldn't write to " + name_, err));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  buf_.clear();
}

}  // namespace dltdump::util
