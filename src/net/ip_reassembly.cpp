#include "net/ip_reassembly.hpp"

#include <algorithm>
#include <functional>
#include <set>
#include <string_view>

#include "util/state_text.hpp"

namespace dltdump::net {

std::map<IpReassembly::Key, IpReassembly::Set>::iterator IpReassembly::open(const Key& key) {
  auto [it, fresh] = sets_.try_emplace(key);
  if (fresh) {
    age_.push_back({0, key});
    it->second.age = std::prev(age_.end());
  }
  return it;
}

void IpReassembly::erase(std::map<Key, Set>::iterator it) {
  bytes_ -= it->second.bytes;
  (it->second.completed ? finished_ : age_).erase(it->second.age);
  sets_.erase(it);
}

IpReassembly::Signature IpReassembly::Signature::of(std::uint32_t ip_offset,
                                                    std::span<const std::uint8_t> payload) noexcept {
  constexpr std::size_t kSampled = 64;
  auto text = [](std::span<const std::uint8_t> b) {
    return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
  };
  const std::size_t n = std::min(payload.size(), kSampled);
  const std::uint64_t head = std::hash<std::string_view>{}(text(payload.first(n)));
  const std::uint64_t tail = std::hash<std::string_view>{}(text(payload.last(n)));
  return {ip_offset, static_cast<std::uint32_t>(payload.size()), head ^ (tail * 0x9E3779B97F4A7C15ull)};
}

bool IpReassembly::copies(const Set& s, const Signature& sig, std::int64_t time_ns) const noexcept {
  const std::int64_t since = time_ns - s.last_accepted_ns;
  return since <= limits_.finished_timeout_ns && since >= -limits_.finished_timeout_ns && s.has(sig);
}

bool IpReassembly::Set::has(const Signature& sig) const noexcept {
  const std::size_t in_place = std::min<std::size_t>(fragments, kInline);
  return std::find(signatures.begin(), signatures.begin() + static_cast<long>(in_place), sig) !=
             signatures.begin() + static_cast<long>(in_place) ||
         std::find(more.begin(), more.end(), sig) != more.end();
}

IpReassembly::Outcome IpReassembly::insert(Set& s, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns) {
  const std::uint32_t begin = ip.fragment_offset;
  const auto len = static_cast<std::uint32_t>(ip.payload.size());
  const std::uint32_t end = begin + len;
  const bool last = !ip.more_fragments;
  for (const Piece& p : s.pieces) {
    // The same header checksum (spec §5.4), or the same bytes: a copy routed once more has
    // another TTL, so another checksum.
    if (p.ip_offset == begin && p.bytes.size() == len &&
        (p.checksum == ip.checksum || std::equal(p.bytes.begin(), p.bytes.end(), ip.payload.begin())))
      return Outcome::Duplicate;
  }
  if (last && s.has_last) return Outcome::Conflict;         // a second, different last fragment
  if (s.has_last && end > s.end) return Outcome::Conflict;  // beyond the last fragment
  for (const Piece& p : s.pieces) {
    const std::uint32_t p_end = p.ip_offset + static_cast<std::uint32_t>(p.bytes.size());
    if (begin < p_end && p.ip_offset < end) return Outcome::Conflict;  // overlap
    if (last && p_end > end) return Outcome::Conflict;                 // data beyond the new last
  }
  Piece piece;
  piece.bytes.assign(ip.payload.begin(), ip.payload.end());
  piece.offset = offset;
  piece.ip_offset = begin;
  piece.checksum = ip.checksum;
  // After the pieces at its place, but a piece of no bytes (a fragment of none, which no
  // overlap check stops there) before them: the pieces stay in tiling order.
  const auto at = len == 0 ? std::lower_bound(s.pieces.begin(), s.pieces.end(), begin,
                                              [](const Piece& p, std::uint32_t b) { return p.ip_offset < b; })
                           : std::upper_bound(s.pieces.begin(), s.pieces.end(), begin,
                                              [](std::uint32_t b, const Piece& p) { return b < p.ip_offset; });
  s.pieces.insert(at, std::move(piece));
  if (last) {
    s.has_last = true;
    s.end = end;
  }
  if (begin == 0) s.first_time_ns = time_ns;
  s.last_accepted_ns = time_ns;
  s.bytes += len;
  bytes_ += len;
  return Outcome::Accepted;
}

const IpReassembly::Datagram* IpReassembly::add(std::uint32_t interface, const IpFragment& ip, std::uint64_t offset,
                                                std::int64_t time_ns) {
  const Key key{interface, ip.source, ip.destination, ip.id, ip.protocol, ip.version};
  if (!any_added_) {
    any_added_ = true;
    first_ = offset;
  }
  auto it = sets_.find(key);
  if (it != sets_.end() && it->second.completed) {
    if (copies(it->second, Signature::of(ip), time_ns)) {
      ++stats_.duplicates;
      return nullptr;
    }
    erase(it);  // the id used again: a new datagram
    it = sets_.end();
  }
  if (it == sets_.end()) {
    if (offset - first_ < limits_.finished_window) opened_.push_back({key, Signature::of(ip), offset, time_ns});
  } else {
    const std::int64_t gap = time_ns - it->second.last_accepted_ns;
    if (gap > limits_.timeout_ns || gap < -limits_.timeout_ns) {
      ++stats_.discarded_sets;
      erase(it);
    }
  }
  it = open(key);
  Outcome outcome = insert(it->second, ip, offset, time_ns);
  if (outcome == Outcome::Conflict) {  // discard and retry once as the start of a new set
    ++stats_.discarded_sets;
    erase(it);
    it = open(key);
    outcome = insert(it->second, ip, offset, time_ns);
  }
  Set* const s = &it->second;
  if (outcome == Outcome::Duplicate) {
    ++stats_.duplicates;
    return nullptr;
  }
  if (outcome != Outcome::Accepted) return nullptr;
  // Complete when the last fragment is there and the pieces tile 0..end.
  if (s->has_last) {
    std::uint32_t covered = 0;
    for (const Piece& p : s->pieces) {
      if (p.ip_offset != covered) break;
      covered += static_cast<std::uint32_t>(p.bytes.size());
    }
    if (covered == s->end) {
      done_.pieces = std::move(s->pieces);
      done_.time_ns = s->first_time_ns;
      ++stats_.completed;
      remember(it, offset);
      return &done_;
    }
  }
  enforce_limits();
  return nullptr;
}

void IpReassembly::enforce_limits() {
  // Oldest first; a single set larger than max_bytes is dropped too.
  while ((age_.size() > limits_.max_sets || bytes_ > limits_.max_bytes) && !age_.empty()) {
    ++stats_.dropped_sets;
    erase(sets_.find(age_.front().second));
  }
}

void IpReassembly::remember(std::map<Key, Set>::iterator it, std::uint64_t offset) {
  while (!finished_.empty() && finished_.size() >= limits_.max_finished) {
    erase(sets_.find(finished_.front().second));
    crowded_out_ = true;
  }
  Set& s = it->second;
  bytes_ -= s.bytes;
  s.bytes = 0;
  if (limits_.max_finished == 0) {
    erase(it);
    return;
  }
  if (offset - first_ < limits_.finished_window) most_early_ = std::max(most_early_, finished_.size() + 1);
  s.completed = true;
  s.fragments = static_cast<std::uint32_t>(done_.pieces.size());
  for (std::size_t k = 0; k < done_.pieces.size(); ++k) {
    const Piece& p = done_.pieces[k];
    const Signature sig = Signature::of(p.ip_offset, p.bytes);
    if (k < Set::kInline) s.signatures[k] = sig;
    else s.more.push_back(sig);
  }
  s.age->first = offset + limits_.finished_window;
  finished_.splice(finished_.end(), age_, s.age);
}

void IpReassembly::forget_finished(std::uint64_t offset) noexcept {
  while (!finished_.empty() && finished_.front().first <= offset) erase(sets_.find(finished_.front().second));
}

void IpReassembly::finish() {
  stats_.incomplete_at_end += age_.size();
  sets_.clear();
  age_.clear();
  finished_.clear();
  bytes_ = 0;
}

std::vector<std::string> IpReassembly::finished_states() const {
  std::vector<std::string> states;
  states.reserve(finished_.size());
  for (const auto& [until, key] : finished_) {
    std::string& out = states.emplace_back();
    auto put = [&](const auto& v) { util::append_state(out, v); };
    append_key(out, key);
    put(until);
    const Set& s = sets_.at(key);
    put(s.last_accepted_ns);
    for (std::size_t k = 0; k < s.fragments; ++k) {
      const Signature& p = k < Set::kInline ? s.signatures[k] : s.more[k - Set::kInline];
      put(p.ip_offset);
      put(p.size);
      put(p.sample);
    }
  }
  return states;
}

bool IpReassembly::continues(const IpReassembly& before) const {
  // Where `before`'s datagrams may still be remembered, the two together stayed within
  // the limit whenever one more was remembered here.
  if (crowded_out_ || (most_early_ > 0 && most_early_ - 1 + before.finished_.size() >= limits_.max_finished))
    return false;
  return std::none_of(opened_.begin(), opened_.end(), [&](const Opened& o) {
    const auto f = before.sets_.find(o.key);
    return f != before.sets_.end() && f->second.completed && f->second.age->first > o.offset &&
           copies(f->second, o.signature, o.time_ns);
  });
}

void IpReassembly::note_from_here() noexcept {
  opened_.clear();
  any_added_ = false;
  crowded_out_ = false;
  most_early_ = 0;
}

void IpReassembly::take_finished(const IpReassembly& before) {
  // What `before` remembers, less what has expired since, the keys this one holds (a set
  // open or remembered anew) and the keys of fragments that found nothing remembered here
  // (which made `before` forget its datagram, or which were its duplicates: then
  // continues() said no). Nothing was forgotten for the limit.
  std::set<Key> opened;
  for (const Opened& o : opened_) opened.insert(o.key);
  Aged older;
  for (const auto& [until, key] : before.finished_) {
    if (until <= passed_ || sets_.count(key) || opened.count(key)) continue;
    older.push_back({until, key});
    Set& s = sets_.emplace(key, before.sets_.at(key)).first->second;
    s.age = std::prev(older.end());
  }
  finished_.merge(older, [](const auto& a, const auto& b) { return a.first < b.first; });
}

void IpReassembly::append_key(std::string& out, const Key& key) {
  const auto& [interface, source, destination, id, protocol, version] = key;
  for (const std::uint64_t v : {std::uint64_t{interface}, source.high, source.low, destination.high, destination.low,
                                std::uint64_t{id}, std::uint64_t{protocol}, std::uint64_t{version}})
    util::append_state(out, v);
}

std::vector<std::string> IpReassembly::set_states() const {
  std::vector<std::string> states;
  states.reserve(age_.size());
  for (const auto& [until, key] : age_) {
    std::string& out = states.emplace_back();
    auto put = [&](const auto& v) { util::append_state(out, v); };
    append_key(out, key);
    const Set& s = sets_.at(key);
    put(s.first_time_ns);
    put(s.last_accepted_ns);
    put(s.has_last);
    put(s.end);
    for (const Piece& p : s.pieces) {  // their bytes are the file's at p.offset
      put(p.offset);
      put(p.bytes.size());
      put(p.ip_offset);
      put(p.checksum);
    }
  }
  return states;
}

void IpReassembly::drop_sets(std::span<const std::string> states) {
  if (states.empty()) return;
  std::vector<Key> keys;
  for (const auto& [until, key] : age_) keys.push_back(key);
  const std::vector<std::string> mine = set_states();
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (std::find(states.begin(), states.end(), mine[i]) != states.end()) erase(sets_.find(keys[i]));
}

}  // namespace dltdump::net
