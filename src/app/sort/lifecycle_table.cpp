#include "app/sort/lifecycle_table.hpp"

#include <algorithm>
#include <tuple>

namespace dltdump::app {

void LifecycleTable::finish() {
  by_number_.clear();
  std::vector<std::pair<std::uint32_t, LifecycleInfo*>> all;  // with the ECU's index
  for (std::uint32_t e = 0; e < ecus_.size(); ++e)
    for (std::size_t i = 0; i < ecus_[e].lifecycles.size(); ++i) {
      ecus_[e].lifecycles[i].facts = ecus_[e].rule.lifecycles()[i];
      all.emplace_back(e, &ecus_[e].lifecycles[i]);
    }
  // Without a start: after those with one (kNoKey is the least key, so flip it).
  auto start = [](const LifecycleInfo& l) {
    const std::int64_t s = l.start_us();
    return std::pair{s == kNoKey, s};
  };
  std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
    return std::tuple{start(*a.second), a.first, a.second->ecu_number} <
           std::tuple{start(*b.second), b.first, b.second->ecu_number};
  });
  for (auto& [e, l] : all) {
    l->number = by_number_.size() + 1;
    by_number_.push_back(l);
  }
}

}  // namespace dltdump::app
