// The capture tap: an aio stage that forwards each batch to a downstream stage and writes
// the packets the downstream accepted to a PCAP-NG file (aio-spec.md §2, with its defects
// fixed).
//
//   * Forward first, then capture exactly [0, accepted): a packet the downstream refuses
//     (kErrAgain) is not captured now, and is captured once when the retry succeeds.
//   * Each packet keeps its own time stamp; a packet without one (kNoTime) is stamped by
//     the injectable clock, called once per such packet.
//   * The direction is recorded in epb_flags: the packet's own, else the tap's.
//   * Capture failures (disk full, broken pipe) never change what send() returns; they
//     are counted, and error() keeps the first message. The writer keeps its file whole.
//   * With no downstream (nullptr) the tap is a capture-only sink that accepts everything.
// Several taps may share one writer on one thread (e.g. one per direction); each block is
// written whole. flush is forwarded and also flushes the writer.
#pragma once

#include <functional>
#include <string>

#include "aio/aio.hpp"
#include "pcap/pcapng_writer.hpp"

namespace dltdump::pcap {

// Nanoseconds since the epoch (CLOCK_REALTIME).
std::int64_t realtime_ns() noexcept;

class CaptureTap final : public aio::Aio {
 public:
  using Clock = std::function<std::int64_t()>;

  CaptureTap(aio::Aio* downstream, pcap::PcapngWriter& writer, std::uint32_t interface, aio::Direction direction,
             Clock clock = realtime_ns)
      : dst_(downstream), writer_(writer), interface_(interface), direction_(direction), clock_(std::move(clock)) {}

  int send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool flush) noexcept override;

  std::uint64_t captured() const noexcept { return captured_; }
  std::uint64_t capture_errors() const noexcept { return capture_errors_; }
  const std::string& error() const noexcept { return error_; }

 private:
  void capture(const aio::Packet& p) noexcept;

  aio::Aio* dst_;
  pcap::PcapngWriter& writer_;
  std::uint32_t interface_;
  aio::Direction direction_;
  Clock clock_;
  std::uint64_t captured_ = 0, capture_errors_ = 0;
  std::string error_;
};

}  // namespace dltdump::pcap
