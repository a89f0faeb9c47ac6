// The UDP receiver: the live source of the packet path (aio-spec.md §6, "Live receive").
//
// One socket bound to a port, unicast or joined to a multicast group (SO_REUSEADDR, so
// several listeners may share a group). receive() waits a bounded time, takes up to one
// batch of datagrams with a single recvmmsg, and sends them downstream as one aio batch.
// Each datagram is received behind 28 bytes of headroom where the receiver writes a
// synthetic IPv4 + UDP header (sender → the datagram's destination address, valid IPv4
// checksum), so every packet is a raw IPv4 packet (link type kRaw): the capture tap writes
// it as is and the capture decoder dissects it exactly as it would a replayed capture.
// Each packet carries the kernel's receive time stamp (SO_TIMESTAMPNS), not one clock
// reading per batch. The kernel's count of datagrams it dropped for a full socket buffer
// (SO_RXQ_OVFL) is kept.
//
// The aio layer knows nothing of DLT: the receiver does not look at the payloads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "aio/aio.hpp"

struct mmsghdr;
struct sockaddr_in;
struct iovec;

namespace dltdump::input {

class UdpReceiver {
 public:
  struct Options {
    std::uint32_t address = 0;      // IPv4, host order: a multicast group, a local address, or 0 (any)
    std::uint16_t port = 3490;      // 0: any free port (tests; see port())
    std::uint32_t bind_to = 0;      // multicast only: the interface address to join on (0: the default)
    int receive_buffer = 32 << 20;  // SO_RCVBUF asked for (the kernel may grant less)
    std::size_t batch = 64;         // datagrams per recvmmsg
  };
  static constexpr std::size_t kHeadroom = 28;  // IPv4 + UDP header before each datagram

  // Opens, binds and joins. Throws util::input_error naming the endpoint and the reason.
  explicit UdpReceiver(const Options& options);
  ~UdpReceiver();
  UdpReceiver(const UdpReceiver&) = delete;
  UdpReceiver& operator=(const UdpReceiver&) = delete;

  // Waits up to `wait_ms` for datagrams, receives what is there (at most one batch) and
  // sends it to `dst` (retrying while dst answers kErrAgain). Returns the number received;
  // 0 after a wait without data or a signal. A receive error other than a wait is kept in
  // error() and returns 0.
  std::size_t receive(aio::Aio& dst, int wait_ms) noexcept;

  std::uint16_t port() const noexcept { return port_; }  // the port bound
  // The counts may be read by another thread while this one receives (a library's Reader).
  std::uint64_t datagrams() const noexcept { return datagrams_.load(std::memory_order_relaxed); }
  std::uint64_t bytes() const noexcept { return bytes_; }  // UDP payload bytes
  // Datagrams the kernel dropped because the socket buffer was full (SO_RXQ_OVFL).
  std::uint64_t kernel_drops() const noexcept { return kernel_drops_.load(std::memory_order_relaxed); }
  int error() const noexcept { return error_; }  // errno of the last failed receive, or 0

 private:
  Options options_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::vector<std::uint8_t> buffers_;   // batch slots of kHeadroom + net::kMaxIpv4PacketBytes
  std::vector<std::uint8_t> controls_;  // ancillary data per slot
  std::unique_ptr<mmsghdr[]> messages_;
  std::unique_ptr<sockaddr_in[]> senders_;
  std::unique_ptr<iovec[]> vectors_;
  std::vector<aio::Packet> packets_;
  std::uint64_t bytes_ = 0;
  std::atomic<std::uint64_t> datagrams_{0}, kernel_drops_{0};
  std::uint16_t ip_id_ = 0;
  int error_ = 0;
};

}  // namespace dltdump::input
