// The far ends of live inputs, for tests: a TCP server on 127.0.0.1, a free port, sending
// whole byte strings and DLT streams as UDP datagrams (tests/app/live_input_test.cpp, the
// library's live readers in tests/api/).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dlt/packet_builder.hpp"

namespace dltdump::test {

inline bool send_all(int fd, const Bytes& b) {
  std::size_t done = 0;
  while (done < b.size()) {
    const ssize_t n = ::send(fd, b.data() + done, b.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A listening socket on 127.0.0.1 and an ephemeral port.
class TcpServer {
 public:
  TcpServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 4);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~TcpServer() { close_listener(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;
  std::uint16_t port() const { return port_; }
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  int accept_one() { return ::accept(fd_, nullptr, nullptr); }
  void close_listener() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A local port nobody listens on (bound, then released); `type` SOCK_STREAM or SOCK_DGRAM.
inline std::uint16_t unused_port(int type) {
  const int fd = ::socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// Sends `stream` (network-format packets) message by message to 127.0.0.1:`port` from
// `senders` sockets, each message cut in two datagrams of its sender, at about `rate`
// datagrams per second.
inline void send_udp(const Bytes& stream, std::uint16_t port, int senders, int rate) {
  using namespace std::chrono_literals;
  std::vector<int> fds;
  for (int i = 0; i < senders; ++i) fds.push_back(::socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto start = std::chrono::steady_clock::now();
  std::size_t at = 0, sent = 0;
  for (int k = 0; at < stream.size(); ++k) {
    const std::size_t len = static_cast<std::size_t>(stream[at + 2]) << 8 | stream[at + 3];
    const int fd = fds[static_cast<std::size_t>(k % senders)];
    for (const auto& [from, n] : {std::pair{at, len / 2}, std::pair{at + len / 2, len - len / 2}}) {
      ::sendto(fd, stream.data() + from, n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      if (++sent % 16 == 0) std::this_thread::sleep_until(start + sent * 1s / rate);
    }
    at += len;
  }
  for (int fd : fds) ::close(fd);
}

}  // namespace dltdump::test
