// The open flows of a capture by key: the lookup every datagram makes.
//
// Open addressing with linear probing in a power-of-two table kept at most half full; the
// slot comes from the high bits of a multiplicative hash of the key's fields. Erasing
// shifts the following entries of the cluster back, so there are no tombstones and a
// lookup never scans more than its cluster. Memory: 2 slots per entry at most, plus the
// initial 16.
#pragma once

#include <cstdint>
#include <vector>

#include "dissect/capture_flow.hpp"

namespace dltdump::dissect {

template <typename Value>
class FlowTable {
 public:
  FlowTable() { slots_.resize(kInitialSlots); }

  // The value stored for `key`, or null.
  Value* find(const FlowKey& key) noexcept {
    return const_cast<Value*>(static_cast<const FlowTable&>(*this).find(key));
  }
  const Value* find(const FlowKey& key) const noexcept {
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  // Stores `value` for `key`, which must not be in the table.
  void insert(const FlowKey& key, const Value& value) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(key, value);
    ++size_;
  }
  // Removes `key` if present.
  void erase(const FlowKey& key) noexcept {
    std::size_t i = home(key);
    for (;; i = (i + 1) & mask()) {
      if (!slots_[i].used) return;
      if (slots_[i].key == key) break;
    }
    // Move back every later entry of the cluster whose home is not in (i, j].
    for (std::size_t j = (i + 1) & mask(); slots_[j].used; j = (j + 1) & mask()) {
      const std::size_t h = home(slots_[j].key);
      const bool stays = i < j ? (h > i && h <= j) : (h > i || h <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i].used = false;
    --size_;
  }
  std::size_t size() const noexcept { return size_; }
  void clear() noexcept {
    for (Slot& s : slots_) s.used = false;
    size_ = 0;
  }
  // Calls f(key, value) for every entry, in no particular order.
  template <typename F>
  void for_each(F f) const {
    for (const Slot& s : slots_)
      if (s.used) f(s.key, s.value);
  }

 private:
  static constexpr std::size_t kInitialSlots = 16;
  struct Slot {
    FlowKey key{};
    Value value{};
    bool used = false;
  };

  std::size_t mask() const noexcept { return slots_.size() - 1; }
  std::size_t home(const FlowKey& key) const noexcept {
    // Field by field, mixed so that the compiler cannot merge the loads into one wide load:
    // the key was usually just stored field by field, and a wide load of narrow stores
    // waits for them to reach the cache.
    const std::uint64_t a = (key.source.low * 0x9E3779B97F4A7C15ull ^ key.destination.low) +
                            (key.source.high ^ key.destination.high * 0xC2B2AE3D27D4EB4Full);
    const std::uint64_t b = (std::uint64_t{key.interface} << 32) ^ (std::uint64_t{key.protocol} << 40) ^
                            (std::uint64_t{key.source_port} << 16 | key.destination_port);
    const std::uint64_t h = (a ^ b) * 0xD6E8FEB86659FD93ull;
    return static_cast<std::size_t>(h >> shift_);
  }
  void place(const FlowKey& key, const Value& value) noexcept {
    std::size_t i = home(key);
    while (slots_[i].used) i = (i + 1) & mask();
    slots_[i] = Slot{key, value, true};
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    --shift_;
    for (const Slot& s : old)
      if (s.used) place(s.key, s.value);
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  unsigned shift_ = 64 - 4;  // 64 - log2(slots_.size())
};

}  // namespace dltdump::dissect
