#include "input/tcp_connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "util/stop_signal.hpp"

namespace dltdump::input {

namespace {

bool resolve(const std::string& host, std::uint16_t port, sockaddr_in& out, std::string& why) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    why = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
    return false;
  }
  std::memcpy(&out, found->ai_addr, sizeof out);
  out.sin_port = htons(port);
  ::freeaddrinfo(found);
  return true;
}

// Waits for a non-blocking connect to finish, in slices so that a stop request is seen.
int finish_connect(int fd, int timeout_ms, std::string& why) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (util::stop_requested()) {
      why = "stopped";
      return -1;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      why = "timed out";
      return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left < 100 ? left : 100));
    if (ready < 0 && errno != EINTR) {
      why = std::strerror(errno);
      return -1;
    }
    if (ready <= 0) continue;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      why = std::strerror(err);
      return -1;
    }
    return 0;
  }
}

}  // namespace

int connect_tcp(const TcpEndpoint& endpoint, int timeout_ms, std::string& why) {
  sockaddr_in address{};
  if (!resolve(endpoint.host, endpoint.port, address, why)) return -1;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    why = std::strerror(errno);
    return -1;
  }
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  if (rc != 0 && errno == EINPROGRESS) rc = finish_connect(fd, timeout_ms, why);
  else if (rc != 0) why = std::strerror(errno);
  if (rc != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace dltdump::input
