// Single-producer / single-consumer packet ring between a receive thread and a decode
// thread (aio-spec.md §3, improved on fd_aio_tango).
//
// The producer side is an aio stage: send() copies each packet (bytes and metadata) into
// the ring and publishes it. The consumer calls poll(), which hands up to kMaxBatch
// packets to a downstream stage as one batch; their bytes point into the ring and stay
// untouched until the downstream returns, because the producer never writes over a packet
// the consumer has not released. Packets the downstream refuses with kErrAgain stay in
// the ring for the next poll; a packet it rejects with another error is dropped and
// counted (rejected()), so one bad packet cannot stall the ring. The batch may go to an
// aio::Consumer instead (the end of the path), whose exception passes through the poll.
//
// Two modes decide what a full ring does:
//   * lossless (files): send() returns kErrAgain with first_unsent at the first packet
//     that did not fit — back-pressure; the producer retries (aio::send_all).
//   * live (sockets): the packet is dropped and counted in overruns(); send() succeeds.
// A packet larger than max_packet is never truncated: send() returns kErrInvalid with it
// as first_unsent. Each packet's bytes are stored contiguously (never split at the end of
// the byte area), which is why max_packet may be at most half the byte capacity.
//
// Sequence numbers and byte positions are 64-bit counters compared by difference, so they
// may wrap (tests start them just below 2^64).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "aio/aio.hpp"
#include "aio/consumer.hpp"

namespace dltdump::aio {

class Ring final : public Aio {
 public:
  enum class Mode { Lossless, Live };
  struct Options {
    std::size_t slots = 4096;       // packets in flight; a power of two
    std::size_t bytes = 16u << 20;  // byte area; a power of two
    std::uint32_t max_packet =
        65535 + 64;  // largest packet accepted (IP total length + link headers); at most bytes / 2
    Mode mode = Mode::Lossless;
    std::uint64_t first_sequence = 0;  // for tests of counter wrap-around
  };
  static constexpr std::size_t kMaxBatch = 64;

  // Throws std::invalid_argument when the options break the rules above.
  explicit Ring(const Options& options);

  // Producer thread only.
  int send(std::span<const Packet> batch, std::size_t* first_unsent, bool flush) noexcept override;
  // Producer: no more packets will come.
  void close() noexcept { closed_.store(true, std::memory_order_release); }

  // Consumer thread only. Sends up to max_batch (≤ kMaxBatch) waiting packets to `dst` as
  // one batch (flush set) and returns how many left the ring.
  std::size_t poll(Aio& dst, std::size_t max_batch = kMaxBatch) noexcept;
  // Consumer thread only. Hands up to max_batch (≤ kMaxBatch) waiting packets to `dst` as
  // one batch and returns how many left the ring (all of them). If `dst` throws, none of
  // them left it, and the exception propagates.
  std::size_t poll(Consumer& dst, std::size_t max_batch = kMaxBatch);
  // True once the producer closed the ring and every packet has been polled.
  bool drained() const noexcept;
  // Packets waiting (either thread; a snapshot).
  std::size_t pending() const noexcept;

  std::uint64_t overruns() const noexcept { return overruns_.load(std::memory_order_relaxed); }
  std::uint64_t rejected() const noexcept { return rejected_; }

 private:
  struct Slot {
    Packet meta;              // data is set by poll()
    std::uint64_t begin = 0;  // byte position of the packet's first byte
    std::uint64_t end = 0;    // byte position after it (where the next may start)
  };

  Options options_;
  std::uint64_t slot_mask_, byte_mask_;
  std::vector<Slot> slots_;
  std::unique_ptr<std::uint8_t[]> bytes_;

  // Producer-owned; the consumer reads them with acquire.
  alignas(64) std::atomic<std::uint64_t> head_;  // next sequence to publish
  std::uint64_t byte_head_;                      // producer only: next free byte position
  std::atomic<std::uint64_t> overruns_{0};
  std::atomic<bool> closed_{false};
  // Consumer-owned; the producer reads them with acquire.
  alignas(64) std::atomic<std::uint64_t> tail_;  // next sequence to consume
  std::atomic<std::uint64_t> byte_tail_;         // bytes before this are free
  std::uint64_t rejected_ = 0;
  std::array<Packet, kMaxBatch> batch_{};

  // Consumer: fills batch_ with up to max_batch waiting packets; returns how many.
  std::size_t gather(std::size_t max_batch) noexcept;
  // Consumer: the first n packets of the ring are free again.
  void release(std::size_t n) noexcept;
};

}  // namespace dltdump::aio
