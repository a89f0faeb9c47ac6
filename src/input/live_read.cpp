#include "input/live_read.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace dltdump::input {

LiveRead read_live(int fd, std::span<std::uint8_t> buffer, int wait_ms) {
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, wait_ms);
  if (ready < 0)
    return errno == EINTR ? LiveRead{LiveRead::Status::Idle} : LiveRead{LiveRead::Status::Failed, 0, errno};
  if (ready == 0) return {LiveRead::Status::Idle};
  const ssize_t n = ::read(fd, buffer.data(), buffer.size());
  if (n > 0) return {LiveRead::Status::Data, static_cast<std::size_t>(n)};
  if (n == 0) return {LiveRead::Status::Closed};
  if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) return {LiveRead::Status::Idle};
  return {LiveRead::Status::Failed, 0, errno};
}

}  // namespace dltdump::input
