#include "pcap/replay.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "util/stop_signal.hpp"

namespace dltdump::pcap {

namespace {

// The replay loop; `deliver(batch)` sends one batch downstream or throws.
template <typename Deliver>
ReplayOutcome replay_into(pcap::CaptureReader& reader, std::size_t batch_size, Deliver deliver) {
  BatchReader batches(reader, batch_size);
  ReplayOutcome outcome;
  for (;;) {
    util::throw_if_stopped();  // SIGINT/SIGTERM: once per batch, never per packet
    const std::span<const aio::Packet> batch = batches.next();
    if (batch.empty()) break;
    deliver(batch);
    outcome.packets += batch.size();
    ++outcome.batches;
  }
  outcome.fault = batches.fault();
  return outcome;
}

}  // namespace

BatchReader::BatchReader(pcap::CaptureReader& reader, std::size_t batch_size)
    : reader_(reader), batch_size_(std::clamp<std::size_t>(batch_size, 1, kMaxBatch)) {}

std::span<const aio::Packet> BatchReader::next() {
  if (pending_release_) {
    reader_.release();
    pending_release_ = false;
  }
  std::size_t n = 0;
  while (n == 0 && !end_ && !fault_) {
    try {
      while (n < batch_size_) {
        n += reader_.next_well_formed({batch_.data() + n, batch_size_ - n});
        if (n == batch_size_) break;
        const auto next = reader_.next(batch_[n]);
        if (next == pcap::CaptureReader::Next::Packet) ++n;
        else {
          end_ = next == pcap::CaptureReader::Next::End;
          break;  // the end, or the reader needs the packets so far released
        }
      }
    } catch (const util::Error& e) {
      fault_ = e;  // what came before it is good
    }
    if (n == 0 && !end_ && !fault_) reader_.release();  // nothing held: release and read on
  }
  pending_release_ = n > 0 && !fault_;
  return {batch_.data(), n};
}

ReplayOutcome replay(pcap::CaptureReader& reader, aio::Consumer& dst, std::size_t batch_size) {
  return replay_into(reader, batch_size, [&](std::span<const aio::Packet> batch) { dst.take(batch); });
}

ReplayOutcome replay(pcap::CaptureReader& reader, aio::Aio& dst, std::size_t batch_size,
                     const std::function<void()>& wait) {
  return replay_into(reader, batch_size, [&](std::span<const aio::Packet> batch) {
    std::size_t idx = 0;
    const int rc = aio::send_all(dst, batch, &idx, false, [&] {
      if (wait) wait();
      else std::this_thread::yield();
    });
    if (rc != aio::kSuccess)
      throw util::Error(
          util::ExitCode::NoInputProcessed, util::Culprit::Internal, "",
          "Packet at offset " + std::to_string(batch[idx].offset) + " was refused (" + aio::strerror(rc) + ")");
  });
}

}  // namespace dltdump::pcap
