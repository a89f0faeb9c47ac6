#include "input/udp_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <thread>

#include "net/udp_frame.hpp"
#include "util/error.hpp"

namespace dltdump::input {

namespace {

constexpr std::size_t kSlotBytes = UdpReceiver::kHeadroom + net::kMaxIpv4PacketBytes;
constexpr std::size_t kControlBytes =
    CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(std::uint32_t)) + CMSG_SPACE(sizeof(in_pktinfo)) + 64;

std::string endpoint_name(std::uint32_t address, std::uint16_t port) {
  in_addr a{htonl(address)};
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a, text, sizeof text);
  return std::string("udp://") + text + ":" + std::to_string(port);
}

}  // namespace

UdpReceiver::UdpReceiver(const Options& options) : options_(options) {
  const std::string name = endpoint_name(options.address, options.port);
  auto fail = [&](const char* what) {
    const int err = errno;
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw util::input_error(name, util::with_os_reason("Couldn't receive from " + name + ": " + what, err));
  };
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail("socket");
  const int on = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  // A large socket buffer is what absorbs a burst while the decoder is busy. As root,
  // SO_RCVBUFFORCE may pass net.core.rmem_max; otherwise the kernel caps SO_RCVBUF.
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &options.receive_buffer, sizeof options.receive_buffer) != 0)
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
  if (::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) fail("SO_TIMESTAMPNS");
  ::setsockopt(fd_, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof on);
  ::setsockopt(fd_, IPPROTO_IP, IP_PKTINFO, &on, sizeof on);

  const bool multicast = (options.address >> 28) == 0xE;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = htons(options.port);
  // A multicast group is received on a socket bound to the group's port on any address;
  // binding the group address itself keeps other groups' traffic on that port out.
  local.sin_addr.s_addr = htonl(options.address);
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) fail("bind");
  if (multicast) {
    ip_mreqn join{};
    join.imr_multiaddr.s_addr = htonl(options.address);
    join.imr_address.s_addr = htonl(options.bind_to);
    if (::setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) != 0) fail("join the multicast group");
  }
  socklen_t len = sizeof local;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len);
  port_ = ntohs(local.sin_port);

  const std::size_t n = options.batch == 0 ? 1 : options.batch;
  buffers_.resize(n * kSlotBytes);
  controls_.resize(n * kControlBytes);
  messages_ = std::make_unique<mmsghdr[]>(n);
  senders_ = std::make_unique<sockaddr_in[]>(n);
  vectors_ = std::make_unique<iovec[]>(n);
  packets_.resize(n);
}

UdpReceiver::~UdpReceiver() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t UdpReceiver::receive(aio::Aio& dst, int wait_ms) noexcept {
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, wait_ms);
  if (ready <= 0) return 0;

  const std::size_t slots = packets_.size();
  for (std::size_t i = 0; i < slots; ++i) {
    vectors_[i] = {buffers_.data() + i * kSlotBytes + kHeadroom, kSlotBytes - kHeadroom};
    msghdr& h = messages_[i].msg_hdr;
    h = {};
    h.msg_name = &senders_[i];
    h.msg_namelen = sizeof(sockaddr_in);
    h.msg_iov = &vectors_[i];
    h.msg_iovlen = 1;
    h.msg_control = controls_.data() + i * kControlBytes;
    h.msg_controllen = kControlBytes;
    messages_[i].msg_len = 0;
  }
  const int got = ::recvmmsg(fd_, messages_.get(), static_cast<unsigned>(slots), MSG_DONTWAIT, nullptr);
  if (got <= 0) {
    if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) error_ = errno;
    return 0;
  }

  for (int i = 0; i < got; ++i) {
    const msghdr& h = messages_[i].msg_hdr;
    std::uint8_t* slot = buffers_.data() + static_cast<std::size_t>(i) * kSlotBytes;
    const std::size_t size = messages_[i].msg_len;
    net::UdpEndpoints e;
    e.source_ip = ntohl(senders_[i].sin_addr.s_addr);
    e.source_port = ntohs(senders_[i].sin_port);
    e.destination_ip = options_.address;
    e.destination_port = port_;
    aio::Packet& packet = packets_[i];
    packet = aio::Packet{};
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts;
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        packet.time_ns = static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
      } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
        std::uint32_t drops;
        std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
        if (drops > kernel_drops_.load(std::memory_order_relaxed))  // the socket's running total
          kernel_drops_.store(drops, std::memory_order_relaxed);
      } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        e.destination_ip = ntohl(info.ipi_addr.s_addr);
      }
    }
    net::write_ipv4_udp_headers(slot, e, size, ip_id_++);
    packet.data = slot;
    packet.size = static_cast<std::uint32_t>(kHeadroom + size);
    // --position of a live datagram's bytes: a running count of all payload bytes received
    // (the offset names the IPv4 header, kHeadroom before the payload; unsigned wrap-around
    // makes the first one 0).
    packet.offset = bytes_ - kHeadroom;
    packet.link_type = aio::link_type::kRaw;
    packet.direction = aio::Direction::Inbound;
    datagrams_.store(datagrams_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // one writer
    bytes_ += size;
  }
  aio::send_all(dst, std::span<const aio::Packet>(packets_.data(), static_cast<std::size_t>(got)), nullptr, false,
                [] { std::this_thread::yield(); });
  return static_cast<std::size_t>(got);
}

}  // namespace dltdump::input
