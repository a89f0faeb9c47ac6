// A message or skip record a sorted run's merge holds back (app/sort/merge.hpp): its sort
// key and place, and where its bytes are. Small, since heaps move it about.
#pragma once

#include <cstdint>
#include <tuple>

#include "app/sort/lifecycle_table.hpp"

namespace dltdump::app {

struct HeldEntry {
  std::int64_t key;
  std::uint64_t seq;                  // place in the input: unique within it
  std::uint32_t block, offset, size;  // the bytes: in the cursor's arena (block, offset), `size` long
  const LifecycleInfo* lifecycle;     // null: a skip record (a dlt::SkipRecord's bytes)
  std::uint64_t position;             // a message's offset in its input

  // The order of an input's records: by key, then place. "Later" so that std heaps
  // keep the smallest in front.
  static bool later(const HeldEntry& a, const HeldEntry& b) {
    return std::tuple{a.key, a.seq} > std::tuple{b.key, b.seq};
  }
};

}  // namespace dltdump::app
