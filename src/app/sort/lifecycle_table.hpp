// The lifecycles of every ECU in a sorted run's inputs, and the sort key each message
// gets from them. Filled by the survey (the first pass), read by the merge (the second);
// docs/sorting.md explains the model.
//
// The lifecycles are told by dlt/lifecycle.hpp's rule with storage times (EcuLifecycles),
// fed each ECU's messages in input order, inputs in command-line order. A lifecycle's
// *anchor* is the absolute time at which its ECU's uptime was zero, estimated as the least
// (storage time − device time) over its messages that have both: a logger only ever adds
// delay to a storage time, so the least offset is the one closest to the truth. A
// message's sort key, in microseconds since 1970:
//
//   with storage time and device time, in a lifecycle with an anchor:  anchor + device time
//   with storage time only (or a lifecycle without anchor):            storage time
//   without storage time:                                              the key of the message
//                                                                      before it in its input
//                                                                      (the first timed one's
//                                                                      for those before it)
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dlt/id.hpp"
#include "dlt/lifecycle.hpp"
#include "dlt/message.hpp"

namespace dltdump::app {

// A key before every other: the messages of inputs without any storage time.
inline constexpr std::int64_t kNoKey = std::numeric_limits<std::int64_t>::min();

struct LifecycleInfo {
  dlt::Id ecu;
  std::uint64_t ecu_number = 0;  // 1 for the ECU's first lifecycle
  std::uint64_t number = 0;      // in the run: 1 for the earliest start (LifecycleTable::finish)
  std::uint64_t messages = 0;
  dlt::LifecycleFacts facts;  // anchor and device times (from the rule, at finish)
  bool has_time = false;
  std::int64_t min_time_us = 0, max_time_us = 0;  // storage or capture times

  // When it began and ended, as absolute times: by the anchor if it has one, else by its
  // storage times; kNoKey without either.
  std::int64_t start_us() const {
    if (facts.has_anchor && facts.has_device_time) return facts.anchor_us + std::int64_t{facts.min_device_time} * 100;
    return has_time ? min_time_us : kNoKey;
  }
  std::int64_t end_us() const {
    if (facts.has_anchor && facts.has_device_time) return facts.anchor_us + std::int64_t{facts.max_device_time} * 100;
    return has_time ? max_time_us : kNoKey;
  }
  // The key of a message of this lifecycle with storage time `time_us`, device time
  // `device_time` if `has_device` (0 counts as none: dlt::tells_uptime).
  std::int64_t key(std::int64_t time_us, bool has_device, std::uint32_t device_time) const {
    return facts.has_anchor && dlt::tells_uptime(has_device, device_time)
               ? facts.anchor_us + std::int64_t{device_time} * 100
               : time_us;
  }
};

class LifecycleTable {
 public:
  // Bounds whatever the input: ECUs told apart (the messages of those beyond share one
  // entry, named by the first of them), and lifecycles begun or returned to in all (past
  // it, every ECU stays in its current lifecycle). A few hundred bytes each at most.
  static constexpr std::size_t kMaxEcus = 1u << 16;
  static constexpr std::uint64_t kMaxChanges = dlt::kMaxLifecycleChanges;

  // The index of ECU `ecu`, added if new. Indexes count from 0 in order of first sight.
  std::uint32_t ecu_index(dlt::Id ecu) {
    if (const std::uint32_t i = find(ecu); i != kNotFound) return i;
    if (ecus_.size() > kMaxEcus) return static_cast<std::uint32_t>(kMaxEcus);  // the shared entry
    if (ecus_.size() < kMaxEcus) index_.emplace(ecu.word(), static_cast<std::uint32_t>(ecus_.size()));
    ecus_.push_back({ecu, dlt::EcuLifecycles{}, {}});
    return static_cast<std::uint32_t>(ecus_.size() - 1);
  }
  // The index of ECU `ecu`, or kNotFound if the table has not seen it.
  static constexpr std::uint32_t kNotFound = ~std::uint32_t{0};
  std::uint32_t find(dlt::Id ecu) const {
    const std::uint32_t w = ecu.word();
    Recent& r = recent_[(w * 0x9E3779B1u) >> (32 - kRecentBits)];
    if (r.index != kNotFound && r.word == w) return r.index;
    auto it = index_.find(w);
    if (it != index_.end()) {
      r = {w, it->second};
      return it->second;
    }
    return ecus_.size() > kMaxEcus ? static_cast<std::uint32_t>(kMaxEcus) : kNotFound;
  }
  std::size_t ecus() const { return ecus_.size(); }
  // The lifecycle of message `m` of ECU `ecu_index` (the rule fed it), and its index among
  // the ECU's (ecu_number − 1). Counts the message and its storage time.
  std::pair<LifecycleInfo*, std::size_t> observe(std::uint32_t ecu_index, const dlt::Message& m) {
    Ecu& e = ecus_[ecu_index];
    const std::size_t before = e.rule.size() == 0 ? kNoLifecycle : e.rule.current();
    const std::size_t i =
        e.rule.observe(m.time.known(), m.time.us, m.has_device_time, m.device_time, changes_ < kMaxChanges);
    if (i != before) ++changes_;
    if (i == e.lifecycles.size()) {
      e.lifecycles.emplace_back();
      e.lifecycles.back().ecu = e.id;
      e.lifecycles.back().ecu_number = i + 1;
    }
    LifecycleInfo& l = e.lifecycles[i];
    ++l.messages;
    if (m.time.known()) {
      if (!l.has_time) l.min_time_us = l.max_time_us = m.time.us;
      l.has_time = true;
      l.min_time_us = std::min(l.min_time_us, m.time.us);
      l.max_time_us = std::max(l.max_time_us, m.time.us);
    }
    return {&l, i};
  }
  // The lifecycle of index `i` of ECU `ecu_index` (as observe gave it).
  const LifecycleInfo& at(std::uint32_t ecu_index, std::size_t i) const { return ecus_[ecu_index].lifecycles[i]; }
  // How many lifecycles ECU `ecu_index` has.
  std::size_t lifecycles_of(std::uint32_t ecu_index) const { return ecus_[ecu_index].lifecycles.size(); }
  // Takes the anchors and device times from the rule, and numbers every lifecycle in the run
  // by start (start_us, then ECU in order of first sight, then its number; those without a
  // start last); after it, by_number() lists them.
  void finish();
  const std::vector<const LifecycleInfo*>& by_number() const { return by_number_; }
  // Whether kMaxChanges was reached: later restarts were not told apart.
  bool limit_reached() const { return changes_ >= kMaxChanges; }

 private:
  struct Ecu {
    dlt::Id id;
    dlt::EcuLifecycles rule;
    std::vector<LifecycleInfo> lifecycles;  // as rule.lifecycles(), with the counts
  };
  std::vector<Ecu> ecus_;
  std::unordered_map<std::uint32_t, std::uint32_t> index_;  // Id::word() → index into ecus_
  // ECUs found lately, by a hash of the id: a drive's ECUs interleave message by message,
  // so most lookups end here rather than in index_ (measured: --sort, see PERFORMANCE.md).
  static constexpr unsigned kRecentBits = 6;
  struct Recent {
    std::uint32_t word = 0, index = kNotFound;
  };
  mutable std::array<Recent, std::size_t{1} << kRecentBits> recent_{};
  std::uint64_t changes_ = 0;  // lifecycles begun or returned to
  static constexpr std::size_t kNoLifecycle = ~std::size_t{0};
  std::vector<const LifecycleInfo*> by_number_;
};

}  // namespace dltdump::app
