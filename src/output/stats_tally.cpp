#include "output/stats_tally.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace dltdump::output {

namespace {

void add_to(StatsTally::Counts& c, std::uint64_t bytes) {
  ++c.messages;
  c.bytes += bytes;
}

}  // namespace

StatsTally::StatsTally(bool count_loss, StatsLimits limits)
    : count_loss_(count_loss), limits_(limits), slots_(1024, 0) {}

void StatsTally::begin_input(std::string_view name) {
  inputs();  // the previous input's counts, final
  input_start_ = total_;
  inputs_.push_back({std::string(name), {}, 0, 0, Status::Ok, {}});
  open_ = true;
}

void StatsTally::fail_input(std::string_view name, std::string_view reason) {
  if (!open_) {
    begin_input(name);  // nothing of it is counted: the totals do not grow
    open_ = false;
  }
  inputs_.back().status = Status::Failed;
  inputs_.back().reason = std::string(reason);
}

void StatsTally::stop() {
  stopped_ = true;
  if (open_) inputs_.back().status = Status::Stopped;
}

void StatsTally::not_read(std::string_view name) {
  stopped_ = true;
  begin_input(name);
  open_ = false;
  inputs_.back().status = Status::NotRead;
}

std::uint32_t StatsTally::ecu_index_of(dlt::Id ecu) {
  // Asked only when a stream is new.
  const std::uint32_t word = ecu.word();
  if (ecus_.size() >= limits_.max_streams) {
    const auto it = ecu_index_.find(word);
    return it == ecu_index_.end() ? kNoEcu : it->second;
  }
  const auto [it, added] = ecu_index_.try_emplace(word, static_cast<std::uint32_t>(ecus_.size()));
  if (added) {
    Ecu e;
    std::memcpy(e.id.chars, &word, 4);
    ecus_.push_back(e);
  }
  return it->second;
}

StatsTally::Stream* StatsTally::new_stream(std::size_t at, std::uint32_t tag, const dlt::Facts& m) {
  // At most 2^24 - 1 streams fit a slot's number; the limit is far below.
  if (streams_.size() >= std::min<std::size_t>(limits_.max_streams, kNumberMask)) return nullptr;
  Stream s;
  s.ecu_app = ecu_app_of(m);
  s.ctx_session = ctx_session_of(m);
  s.has_session = m.has_session();
  const auto [row, added] =
      context_index_.try_emplace({s.ecu_app, m.ctx}, static_cast<std::uint32_t>(contexts_.size()));
  if (added) {
    Context c;
    c.ecu = ecu_index_of(dlt::Facts::id(m.ecu));
    c.app = dlt::Facts::id(m.app);
    c.ctx = dlt::Facts::id(m.ctx);
    contexts_.push_back(c);
  }
  s.context = row->second;
  streams_.push_back(s);
  slots_[at] = tag | static_cast<std::uint32_t>(streams_.size());
  if (streams_.size() * 2 > slots_.size()) {  // keep probes short: at most half full
    std::vector<std::uint32_t> bigger(slots_.size() * 2, 0);
    const std::size_t mask = bigger.size() - 1;
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      const Stream& t = streams_[i];
      const std::uint64_t h = hash(t.ecu_app, t.ctx_session, t.has_session);
      std::size_t p = h & mask;
      while (bigger[p] != 0) p = (p + 1) & mask;
      bigger[p] = tag_of(h) | static_cast<std::uint32_t>(i + 1);
    }
    slots_.swap(bigger);
  }
  return &streams_.back();
}

void StatsTally::prefetch_slot(const dlt::Facts& f) const {
  const std::uint64_t h = hash(ecu_app_of(f), ctx_session_of(f), f.has_session());
  __builtin_prefetch(&slots_[h & (slots_.size() - 1)]);
}

void StatsTally::prefetch_stream(const dlt::Facts& f) const {
  const std::uint64_t h = hash(ecu_app_of(f), ctx_session_of(f), f.has_session());
  const std::uint32_t slot = slots_[h & (slots_.size() - 1)];
  if (slot != 0 && (slot & ~kNumberMask) == tag_of(h)) __builtin_prefetch(&streams_[(slot & kNumberMask) - 1]);
}

// A recording of thousands of streams (random sessions) spreads its messages over a table
// and streams larger than the core's cache: each record's slot and stream, looked up when
// its turn comes, cost a miss or two, in a chain (the stream's place is in the slot). Asked
// for kSlotAhead records ahead (the slot) and kStreamAhead (the stream, its slot in by then),
// they are in when the record is added.
void StatsTally::add_block(std::string_view block) {
  constexpr std::size_t kSize = sizeof(dlt::Facts), kSlotAhead = 16, kStreamAhead = 8;
  const std::size_t n = block.size() / kSize;
  const auto record = [&block](std::size_t i) {
    dlt::Facts f;
    std::memcpy(&f, block.data() + i * kSize, kSize);
    return f;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) prefetch_slot(record(i + kSlotAhead));
    if (i + kStreamAhead < n) prefetch_stream(record(i + kStreamAhead));
    add(record(i));
  }
}

void StatsTally::lifecycle_step(Ecu& e, const dlt::Facts& m, std::uint64_t run_lifecycle) {
  std::size_t i;
  if (run_lifecycle != 0) [[unlikely]] {
    i = e.run_lifecycles.try_emplace(run_lifecycle, static_cast<std::uint32_t>(e.lifecycles)).first->second;
  } else {
    i = e.rule.observe(m.time().valid, m.time_us, m.has_device_time(), m.device_time,
                       lifecycle_changes_ < limits_.max_lifecycle_changes);
  }
  if (i + 1 != e.lifecycle && run_lifecycle == 0) [[unlikely]]
    ++lifecycle_changes_;  // begun or gone back to, counted as LifecycleTable counts them
  if (i == e.lifecycles) [[unlikely]] {
    ++e.lifecycles;
    if (lifecycles_listed_ < limits_.max_lifecycles) {
      Lifecycle l;
      l.index = i + 1;
      l.start_time = m.time();
      e.listed.push_back(l);
      ++lifecycles_listed_;
    } else {
      ++lifecycles_dropped_;
    }
  }
  e.lifecycle = static_cast<std::uint32_t>(i + 1);
  if (i >= e.listed.size()) [[unlikely]]
    return;
  Lifecycle& l = e.listed[i];
  // A device time of 0 tells no uptime (dlt::tells_uptime), as in the rule and --lifecycles
  // (a new user's finding: the report showed 0.0000 where --lifecycles shows -).
  if (dlt::tells_uptime(m.has_device_time(), m.device_time) && !l.has_device_time) {
    l.has_device_time = true;
    l.start_device_time = m.device_time;
  }
  ++l.messages;
}

StatsTally::Gap StatsTally::gap_at(const dlt::Facts& m, const Stream& s, std::uint32_t missing,
                                   std::uint8_t before) const {
  return Gap{missing,
             before,
             m.counter,
             static_cast<std::uint32_t>(&s - streams_.data()),
             static_cast<std::uint32_t>(inputs_.size() - 1),
             origin_,
             m.position,
             m.time()};
}

void StatsTally::note_gap(std::vector<Gap>& list, const Gap& g) const {
  if (limits_.largest_gaps == 0) return;
  // After every gap at least as large: ties keep their order of arrival.
  auto at =
      std::upper_bound(list.begin(), list.end(), g, [](const Gap& a, const Gap& b) { return a.missing > b.missing; });
  list.insert(at, g);
  if (list.size() > limits_.largest_gaps) list.pop_back();
}

namespace {

// The level slot of each type slot: log fatal … verbose, else other.
constexpr std::array<std::uint8_t, kTypeSlots> kLevelOfType = [] {
  std::array<std::uint8_t, kTypeSlots> a{};
  for (std::size_t t = 0; t < kTypeSlots; ++t) a[t] = static_cast<std::uint8_t>(t >= 1 && t <= 6 ? t - 1 : kOtherLevel);
  return a;
}();

}  // namespace

void StatsTally::add_message(const dlt::Facts& m, std::uint64_t run_lifecycle) {
  const std::uint64_t bytes = m.bytes;
  add_to(total_, bytes);
  ++kinds_[m.kind];
  const std::size_t type = m.type;
  ++types_[type];

  Stream* s = stream_of(m);
  std::uint32_t ecu_index;
  if (s) [[likely]] {
    ++s->messages;
    Context& c = contexts_[s->context];
    add_to(c.counts, bytes);
    ++c.levels[kLevelOfType[type]];
    ecu_index = c.ecu;
  } else {
    add_to(folded_, bytes);
    ecu_index = ecu_index_of(dlt::Facts::id(m.ecu));
    if (ecu_index == kNoEcu) return;
  }

  Ecu& e = ecus_[ecu_index];
  add_to(e.counts, bytes);
  if (m.flags & dlt::Facts::kTimeValid) {
    if (!e.first.valid || m.time_us < e.first.us) [[unlikely]]
      e.first = m.time();
    if (!e.last.valid || m.time_us > e.last.us) e.last = m.time();
  }
  lifecycle_step(e, m, run_lifecycle);
  // A message that names no ECU cannot be told from other senders' (several flows of a
  // capture, say): no sequence follows it.
  if (!count_loss_ || !s || m.ecu == 0) return;

  // The ECU model counts every message; the stream model leaves out control messages (the
  // daemon answers with counter 0) and messages without application and context (the
  // sender's context cannot be told).
  const std::uint8_t ecu_before = e.counter.last;
  if (const std::uint32_t n = e.counter.step(m.counter, e.lifecycle); n) [[unlikely]] {
    e.ecu_back.note(n);
    if (listed(e.ecu_gaps, n)) note_gap(e.ecu_gaps, gap_at(m, *s, n, ecu_before));
  }
  if (m.kind == static_cast<std::uint8_t>(dlt::PayloadKind::Control) || !m.has_ids()) [[unlikely]]
    return;
  const CounterTrack before = s->counter;
  if (const std::uint32_t n = s->counter.step(m.counter, e.lifecycle); n) [[unlikely]] {
    e.stream_back.note(n);
    if (listed(e.stream_gaps_listed, n)) note_gap(e.stream_gaps_listed, gap_at(m, *s, n, before.last));
  }
  e.stream_missing = e.stream_missing + s->counter.missing - before.missing;
  e.stream_gaps += s->counter.gaps - before.gaps;
  e.stream_repeats += s->counter.repeats - before.repeats;
}

void StatsTally::add_skip(const dlt::Facts& r) {
  Input& in = inputs_.back();
  ++in.skipped_regions;
  in.skipped_bytes += r.bytes;
  const std::string_view reason = dlt::kSkipReasons[r.type < dlt::kSkipReasons.size() ? r.type : 0];
  auto it = std::find_if(skips_.begin(), skips_.end(), [&](const Skips& k) { return k.reason == reason; });
  if (it == skips_.end()) it = skips_.insert(skips_.end(), Skips{reason, 0, 0});
  ++it->regions;
  it->bytes += r.bytes;
}

std::vector<std::pair<std::uint32_t, StatsTally::Lifecycle>> StatsTally::lifecycles() const {
  std::vector<std::pair<std::uint32_t, Lifecycle>> all;
  for (std::size_t i = 0; i < ecus_.size(); ++i)
    for (const Lifecycle& l : ecus_[i].listed) all.emplace_back(static_cast<std::uint32_t>(i), l);
  return all;
}

std::uint64_t StatsTally::lifecycles_not_listed() const { return lifecycles_dropped_; }

}  // namespace dltdump::output
