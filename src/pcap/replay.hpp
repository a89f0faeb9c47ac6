// Replay: a capture file as a source of aio batches.
//
// Reads packets from a PCAP or PCAP-NG reader and sends them downstream in batches of up
// to `batch_size` packets, with the capture's own time stamps, interfaces, link types and
// file offsets — the same shape a live receiver produces, so decoding does not care which
// it has. Downstream is either the end of the path, an aio::Consumer (the capture
// decoder), whose exceptions pass through; or an aio stage, whose kErrAgain is retried
// (after `wait`) until the packets are taken, so a lossless ring gives back-pressure all the
// way to the file.
//
// A malformed capture ends the replay early, after every packet before the fault was sent.
// The fault (the reader's util::input_error) is returned, not thrown: the caller still has
// the packets before it to finish (flows flushed, losses reported) before the input fails
// with it. Everything else — what the consumer throws, util::Stopped — propagates at once.
#pragma once

#include <array>

#include <cstdint>
#include <functional>
#include <optional>

#include "aio/aio.hpp"
#include "aio/consumer.hpp"
#include "pcap/capture_reader.hpp"
#include "util/error.hpp"

namespace dltdump::pcap {

struct [[nodiscard]] ReplayOutcome {
  std::uint64_t packets = 0;  // sent downstream
  std::uint64_t batches = 0;
  // What ended the replay before the end of the file (or the reader's stop): the
  // capture's fault; empty when it was read to its end.
  std::optional<util::Error> fault;
};

// A capture's packets a batch at a time, for a caller that pulls them (replay() pushes).
class BatchReader {
 public:
  static constexpr std::size_t kMaxBatch = 64;
  // `reader` must outlive this object. `batch_size` is clamped to 1..kMaxBatch.
  explicit BatchReader(pcap::CaptureReader& reader, std::size_t batch_size = kMaxBatch);
  // The next batch: up to batch_size packets, valid until the next call (which releases
  // them). Empty at the end of the capture or after a fault; a fault (a malformed
  // capture) ends the batches after the packets before it were returned, and is kept in
  // fault(). Throws only what the reader throws besides its faults (nothing it names).
  std::span<const aio::Packet> next();
  const std::optional<util::Error>& fault() const noexcept { return fault_; }

 private:
  pcap::CaptureReader& reader_;
  std::size_t batch_size_;
  std::array<aio::Packet, kMaxBatch> batch_;
  bool end_ = false, pending_release_ = false;
  std::optional<util::Error> fault_;
};

// Sends every packet of `reader` to `dst`. Throws what `dst` throws, and util::Stopped
// when a stop is requested (looked at once per batch).
ReplayOutcome replay(pcap::CaptureReader& reader, aio::Consumer& dst, std::size_t batch_size = 64);

// Sends every packet of `reader` to the stage `dst`. Throws util::Stopped as above, and a
// util::Error that fails the input (Culprit::Internal) when `dst` fails with an error
// other than kErrAgain, naming the packet's file offset and the aio error.
ReplayOutcome replay(pcap::CaptureReader& reader, aio::Aio& dst, std::size_t batch_size = 64,
                     const std::function<void()>& wait = {});

}  // namespace dltdump::pcap
