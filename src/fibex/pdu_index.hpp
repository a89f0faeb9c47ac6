// The PDUs of one FIBEX file by id, for the frames' references to them.
//
// Open addressing over (hash, id, value) slots: a lookup touches one slot, and the id's
// bytes only when the 64-bit hashes are equal. std::unordered_map took a fifth of the
// load time of a 200 MB catalogue set here (a node and its key per probe, each a cache
// miss; docs/PERFORMANCE.md). The ids are views: their bytes must outlive the index (they
// are the parsed document's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace dltdump::fibex {

class PduIndex {
 public:
  // Room for `n` ids without growing.
  void reserve(std::size_t n) {
    std::size_t want = 16;
    while (want < 2 * n) want *= 2;
    if (want > slots_.size()) rehash(want);
  }
  // The value of `id`, added as `value` if it was not there; `added` tells which.
  std::pair<std::uint32_t*, bool> try_emplace(std::string_view id, std::uint32_t value) {
    if (2 * (used_ + 1) > slots_.size()) rehash(slots_.empty() ? 16 : 2 * slots_.size());
    const std::uint64_t h = std::hash<std::string_view>{}(id);
    Slot& s = slot_of(id, h);
    if (s.used) return {&s.value, false};
    s = {h, id, value, true};
    ++used_;
    return {&s.value, true};
  }
  // The value of `id`, or null.
  const std::uint32_t* find(std::string_view id) const {
    if (slots_.empty()) return nullptr;
    const Slot& s = const_cast<PduIndex*>(this)->slot_of(id, std::hash<std::string_view>{}(id));  // NOLINT
    return s.used ? &s.value : nullptr;
  }
  std::size_t size() const { return used_; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view id;
    std::uint32_t value = 0;
    bool used = false;
  };
  // The slot holding `id`, or the empty one where it belongs (the table is never full).
  Slot& slot_of(std::string_view id, std::uint64_t h) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask;; at = (at + 1) & mask) {
      Slot& s = slots_[at];
      if (!s.used || (s.hash == h && s.id == id)) return s;
    }
  }
  void rehash(std::size_t n) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(n, Slot{});
    for (const Slot& s : old)
      if (s.used) slot_of(s.id, s.hash) = s;
  }

  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

}  // namespace dltdump::fibex
