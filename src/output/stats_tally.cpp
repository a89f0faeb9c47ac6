#include "output/stats_tally.hpp"

#include <algorithm>
#include <cstring>

namespace dltdump::output {

namespace {

void add_to(StatsTally::Counts& c, std::uint64_t bytes) {
  ++c.messages;
  c.bytes += bytes;
}

std::uint64_t hash(std::uint32_t ecu, std::uint32_t app, std::uint32_t ctx, std::uint32_t session, bool has_session) {
  std::uint64_t x = ((std::uint64_t{ecu} << 32) | app) * 0x9E3779B97F4A7C15ull;
  x ^= (((std::uint64_t{ctx} << 32) | session) + has_session) * 0xC2B2AE3D27D4EB4Full;
  return x ^ (x >> 31);
}

}  // namespace

std::size_t type_slot(const dlt::Message& m) {
  unsigned msin;
  if (m.frame) [[unlikely]] {
    msin = m.frame->msin;
  } else {
    if (!m.has_extended || ((m.msin >> 1) & 7) > 3) return kNoTypeSlot;
    msin = m.msin;
  }
  return ((msin >> 1) & 3) * 16 + (msin >> 4);
}

StatsTally::StatsTally(bool count_loss, StatsLimits limits)
    : count_loss_(count_loss), limits_(limits), slots_(1024, 0) {}

void StatsTally::begin_input(std::string_view name) { inputs_.push_back({std::string(name), {}, 0, 0}); }

std::uint32_t StatsTally::ecu_of(dlt::Id ecu) {
  // Asked only when a stream is new.
  const std::uint32_t word = ecu.word();
  const auto [it, added] = ecu_index_.try_emplace(word, static_cast<std::uint32_t>(ecus_.size()));
  if (added) {
    Ecu e;
    std::memcpy(e.id.chars, &word, 4);
    ecus_.push_back(e);
  }
  return it->second;
}

StatsTally::Stream* StatsTally::stream_of(const Key& k, const dlt::Message& m) {
  std::size_t mask = slots_.size() - 1;
  std::size_t at = hash(k.ecu, k.app, k.ctx, k.session, k.has_session) & mask;
  for (;; at = (at + 1) & mask) {
    const std::uint32_t s = slots_[at];
    if (s == 0) break;
    if (keys_[s - 1] == k) return &streams_[s - 1];
  }
  if (streams_.size() >= limits_.max_streams) return nullptr;
  Stream s;
  s.app = m.app;
  s.ctx = m.ctx;
  s.ecu = ecu_of(m.shown_ecu());
  s.session = k.session;
  s.has_session = k.has_session;
  streams_.push_back(s);
  keys_.push_back(k);
  slots_[at] = static_cast<std::uint32_t>(streams_.size());
  if (streams_.size() * 2 > slots_.size()) {  // keep probes short: at most half full
    std::vector<std::uint32_t> bigger(slots_.size() * 2, 0);
    mask = bigger.size() - 1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const Key& key = keys_[i];
      std::size_t p = hash(key.ecu, key.app, key.ctx, key.session, key.has_session) & mask;
      while (bigger[p] != 0) p = (p + 1) & mask;
      bigger[p] = static_cast<std::uint32_t>(i + 1);
    }
    slots_.swap(bigger);
  }
  return &streams_.back();
}

void StatsTally::lifecycle_step(Ecu& e, std::uint32_t ecu_index, const dlt::Message& m) {
  auto begin = [&] {
    ++e.lifecycles;
    e.current = {};
    e.current.index = e.lifecycles;
    e.current.start_time = m.time;
    if (m.has_device_time) {
      e.current.has_device_time = true;
      e.current.start_device_time = e.current.max_device_time = m.device_time;
    }
  };
  if (e.lifecycles == 0) {
    begin();
  } else if (m.has_device_time) {
    Lifecycle& c = e.current;
    const std::uint32_t d = m.device_time;
    if (!c.has_device_time) {
      c.has_device_time = true;
      c.start_device_time = c.max_device_time = d;
    } else if (std::uint64_t{d} + restart_tolerance(c.max_device_time) < c.max_device_time) {
      if (ended_.size() < limits_.max_lifecycles) ended_.emplace_back(ecu_index, c);
      else ++ended_dropped_;
      begin();
    } else if (d > c.max_device_time) {
      c.max_device_time = d;
    }
  }
  ++e.current.messages;
}

void StatsTally::note_gap(std::vector<Gap>& list, const Gap& g) const {
  if (list.size() == limits_.largest_gaps && (list.empty() || list.back().missing >= g.missing)) return;
  // After every gap at least as large: ties keep their order of arrival.
  auto at =
      std::upper_bound(list.begin(), list.end(), g, [](const Gap& a, const Gap& b) { return a.missing > b.missing; });
  list.insert(at, g);
  if (list.size() > limits_.largest_gaps) list.pop_back();
}

void StatsTally::add(const dlt::Message& m) {
  const std::uint64_t bytes = m.raw.size();
  add_to(total_, bytes);
  add_to(inputs_.back().counts, bytes);
  ++kinds_[static_cast<std::size_t>(m.kind)];
  const std::size_t type = type_slot(m);
  ++types_[type];

  const Key key{m.shown_ecu().word(), m.app.word(), m.ctx.word(), m.has_session ? m.session : 0, m.has_session};
  Stream* s = stream_of(key, m);
  if (!s) [[unlikely]] {
    add_to(folded_, bytes);
    return;
  }
  add_to(s->counts, bytes);
  ++s->levels[type >= 1 && type <= 6 ? type - 1 : kOtherLevel];

  const std::uint32_t ecu_index = s->ecu;
  Ecu& e = ecus_[ecu_index];
  add_to(e.counts, bytes);
  if (m.time.valid) {
    if (!e.first.valid || m.time.us < e.first.us) e.first = m.time;
    if (!e.last.valid || m.time.us > e.last.us) e.last = m.time;
  }
  lifecycle_step(e, ecu_index, m);
  if (!count_loss_) return;

  auto gap = [&](std::uint32_t missing, std::uint8_t before) {
    return Gap{missing,
               before,
               m.counter,
               static_cast<std::uint32_t>(s - streams_.data()),
               static_cast<std::uint32_t>(inputs_.size() - 1),
               m.position,
               m.time};
  };
  // The ECU model counts every message; the stream model leaves out control messages (the
  // daemon answers with counter 0).
  const std::uint8_t ecu_before = e.counter.last;
  if (const std::uint32_t n = e.counter.step(m.counter, e.lifecycles)) note_gap(e.ecu_gaps, gap(n, ecu_before));
  if (m.kind == dlt::PayloadKind::Control) return;
  const std::uint8_t before = s->counter.last;
  const std::uint64_t repeats = s->counter.repeats;
  if (const std::uint32_t n = s->counter.step(m.counter, e.lifecycles)) {
    e.stream_missing += n;
    ++e.stream_gaps;
    note_gap(e.stream_gaps_listed, gap(n, before));
  }
  e.stream_repeats += s->counter.repeats - repeats;
}

void StatsTally::add(const dlt::SkipRecord& r) {
  Input& in = inputs_.back();
  ++in.skipped_regions;
  in.skipped_bytes += r.length;
  auto it = std::find_if(skips_.begin(), skips_.end(), [&](const Skips& k) { return k.reason == r.reason; });
  if (it == skips_.end()) it = skips_.insert(skips_.end(), Skips{r.reason, 0, 0});
  ++it->regions;
  it->bytes += r.length;
}

std::vector<std::pair<std::uint32_t, StatsTally::Lifecycle>> StatsTally::lifecycles() const {
  std::vector<std::pair<std::uint32_t, Lifecycle>> all = ended_;
  for (std::size_t i = 0; i < ecus_.size(); ++i)
    if (ecus_[i].lifecycles > 0) all.emplace_back(static_cast<std::uint32_t>(i), ecus_[i].current);
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.index < b.second.index;
  });
  return all;
}

std::uint64_t StatsTally::lifecycles_not_listed() const { return ended_dropped_; }

}  // namespace dltdump::output
