#include "pcap/replay.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "util/stop_signal.hpp"

namespace dltdump::pcap {

namespace {

constexpr std::size_t kMaxBatch = 64;

// The replay loop; `deliver(batch)` sends one batch downstream or throws.
template <typename Deliver>
ReplayOutcome replay_into(pcap::CaptureReader& reader, std::size_t batch_size, Deliver deliver) {
  std::array<aio::Packet, kMaxBatch> batch;
  batch_size = std::clamp<std::size_t>(batch_size, 1, kMaxBatch);
  ReplayOutcome outcome;
  auto send = [&](std::size_t n) {
    if (n == 0) return;
    deliver(std::span<const aio::Packet>(batch.data(), n));
    outcome.packets += n;
    ++outcome.batches;
  };
  bool end = false;
  while (!end) {
    util::throw_if_stopped();  // SIGINT/SIGTERM: once per batch, never per packet
    std::size_t n = 0;
    try {
      while (n < batch_size) {
        n += reader.next_well_formed({batch.data() + n, batch_size - n});
        if (n == batch_size) break;
        const auto next = reader.next(batch[n]);
        if (next == pcap::CaptureReader::Next::Packet) ++n;
        else {
          end = next == pcap::CaptureReader::Next::End;
          break;
        }
      }
    } catch (const util::Error& e) {
      outcome.fault = e;
    }
    send(n);  // what came before a fault is good
    if (outcome.fault) return outcome;
    reader.release();
  }
  return outcome;
}

}  // namespace

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
