#include "pcap/capture_tap.hpp"

#include <time.h>

namespace dltdump::pcap {

std::int64_t realtime_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int CaptureTap::send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool flush) noexcept {
  std::size_t accepted = batch.size();
  int rc = aio::kSuccess;
  if (dst_) {
    std::size_t idx = 0;  // a downstream that breaks the contract and leaves it: capture nothing
    rc = dst_->send(batch, &idx, flush);
    if (rc != aio::kSuccess) accepted = std::min(idx, batch.size());
  }
  for (std::size_t i = 0; i < accepted; ++i) capture(batch[i]);
  if (flush) {
    try {
      writer_.flush();
    } catch (const std::exception& e) {
      if (error_.empty()) error_ = e.what();
      ++capture_errors_;
    }
  }
  if (rc != aio::kSuccess && first_unsent) *first_unsent = accepted;
  return rc;
}

void CaptureTap::capture(const aio::Packet& p) noexcept {
  aio::Packet stamped = p;
  if (stamped.time_ns == aio::Packet::kNoTime) stamped.time_ns = clock_();
  if (stamped.direction == aio::Direction::Unknown) stamped.direction = direction_;
  try {
    writer_.write_packet(interface_, stamped);
    ++captured_;
  } catch (const std::exception& e) {
    if (error_.empty()) error_ = e.what();
    ++capture_errors_;
  }
}

}  // namespace dltdump::pcap
