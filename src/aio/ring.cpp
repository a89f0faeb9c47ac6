#include "aio/ring.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace dltdump::aio {

namespace {
bool power_of_two(std::size_t n) { return n != 0 && (n & (n - 1)) == 0; }
}  // namespace

Ring::Ring(const Options& o)
    : options_(o), slot_mask_(o.slots - 1), byte_mask_(o.bytes - 1), slots_(o.slots), bytes_(new std::uint8_t[o.bytes]),
      head_(o.first_sequence), byte_head_(o.first_sequence), tail_(o.first_sequence), byte_tail_(o.first_sequence) {
  if (!power_of_two(o.slots) || !power_of_two(o.bytes)) throw std::invalid_argument("ring sizes must be powers of two");
  if (o.max_packet > o.bytes / 2) throw std::invalid_argument("ring max_packet must be at most half its bytes");
}

int Ring::send(std::span<const Packet> batch, std::size_t* first_unsent, bool) noexcept {
  std::uint64_t seq = head_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Packet& p = batch[i];
    if (p.size > options_.max_packet) {
      head_.store(seq, std::memory_order_release);
      if (first_unsent) *first_unsent = i;
      return kErrInvalid;
    }
    // Where the bytes go: contiguous, so skip the end of the area if the packet would wrap.
    std::uint64_t begin = byte_head_;
    const std::uint64_t at = begin & byte_mask_;
    if (p.size != 0 && at + p.size > options_.bytes) begin += options_.bytes - at;
    const bool full = seq - tail_.load(std::memory_order_acquire) >= options_.slots ||
                      begin + p.size - byte_tail_.load(std::memory_order_acquire) > options_.bytes;
    if (full) {
      if (options_.mode == Mode::Live) {
        overruns_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      head_.store(seq, std::memory_order_release);
      if (first_unsent) *first_unsent = i;
      return kErrAgain;
    }
    if (p.size) std::memcpy(bytes_.get() + (begin & byte_mask_), p.data, p.size);
    Slot& s = slots_[seq & slot_mask_];
    s.meta = p;
    s.meta.data = nullptr;
    s.begin = begin;
    s.end = begin + p.size;
    byte_head_ = s.end;
    ++seq;
    // Publish each packet at once so the consumer can start on it while we copy the next.
    head_.store(seq, std::memory_order_release);
  }
  return kSuccess;
}

std::size_t Ring::gather(std::size_t max_batch) noexcept {
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  const std::uint64_t head = head_.load(std::memory_order_acquire);
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(head - tail, std::min(max_batch, kMaxBatch)));
  for (std::size_t i = 0; i < n; ++i) {
    const Slot& s = slots_[(tail + i) & slot_mask_];
    batch_[i] = s.meta;
    batch_[i].data = s.meta.size ? bytes_.get() + (s.begin & byte_mask_) : nullptr;
  }
  return n;
}

void Ring::release(std::size_t n) noexcept {
  if (n == 0) return;
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  const Slot& last = slots_[(tail + n - 1) & slot_mask_];
  byte_tail_.store(last.end, std::memory_order_release);
  tail_.store(tail + n, std::memory_order_release);
}

std::size_t Ring::poll(Aio& dst, std::size_t max_batch) noexcept {
  const std::size_t n = gather(max_batch);
  if (n == 0) return 0;
  std::size_t idx = 0;
  const int rc = dst.send({batch_.data(), n}, &idx, true);
  std::size_t consumed = n;
  if (rc == kErrAgain) {
    consumed = std::min(idx, n);
  } else if (rc != kSuccess) {
    consumed = std::min(idx + 1, n);  // drop the packet the downstream rejected
    ++rejected_;
  }
  release(consumed);
  return consumed;
}

std::size_t Ring::poll(Consumer& dst, std::size_t max_batch) {
  const std::size_t n = gather(max_batch);
  if (n == 0) return 0;
  dst.take({batch_.data(), n});
  release(n);
  return n;
}

bool Ring::drained() const noexcept {
  // closed_ first: a packet published before close() is then visible in head_.
  const bool closed = closed_.load(std::memory_order_acquire);
  return closed && head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_acquire);
}

std::size_t Ring::pending() const noexcept {
  return static_cast<std::size_t>(head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire));
}

}  // namespace dltdump::aio
