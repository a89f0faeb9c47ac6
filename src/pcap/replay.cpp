#include "pcap/replay.hpp"

#include <algorithm>
#include <array>
#include <thread>

#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::pcap {

namespace {
constexpr std::size_t kMaxBatch = 64;
}

ReplayStats replay(pcap::CaptureReader& reader, aio::Aio& dst, std::size_t batch_size, const std::function<void()>& wait) {
  std::array<aio::Packet, kMaxBatch> batch;
  batch_size = std::clamp<std::size_t>(batch_size, 1, kMaxBatch);
  ReplayStats stats;
  auto deliver = [&](std::size_t n) {
    if (n == 0) return;
    std::size_t idx = 0;
    const int rc = aio::send_all(dst, {batch.data(), n}, &idx, false, [&] {
      if (wait) wait();
      else std::this_thread::yield();
    });
    if (rc != aio::kSuccess)
      throw util::Error("Packet at offset " + std::to_string(batch[idx].offset) + " was refused (" + aio::strerror(rc) + ")");
    stats.packets += n;
    ++stats.batches;
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
        if (next == pcap::CaptureReader::Next::packet) ++n;
        else {
          end = next == pcap::CaptureReader::Next::end;
          break;
        }
      }
    } catch (const util::Error&) {
      deliver(n);  // what came before the fault is good
      throw;
    }
    deliver(n);
    reader.release();
  }
  return stats;
}

}  // namespace dltdump::pcap
