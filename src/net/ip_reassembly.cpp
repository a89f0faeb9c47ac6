#include "net/ip_reassembly.hpp"

#include <algorithm>

#include "util/state_text.hpp"

namespace dltdump::net {

IpReassembly::Set& IpReassembly::open(const Key& key) {
  auto [it, fresh] = sets_.try_emplace(key);
  if (fresh) {
    age_.push_back(key);
    it->second.age = std::prev(age_.end());
  }
  return it->second;
}

void IpReassembly::erase(std::map<Key, Set>::iterator it) {
  bytes_ -= it->second.bytes;
  age_.erase(it->second.age);
  sets_.erase(it);
}

IpReassembly::Outcome IpReassembly::insert(Set& s, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns) {
  const std::uint32_t begin = ip.fragment_offset;
  const auto len = static_cast<std::uint32_t>(ip.payload.size());
  const std::uint32_t end = begin + len;
  const bool last = !ip.more_fragments;
  for (const Piece& p : s.pieces) {
    if (p.ip_offset == begin && p.bytes.size() == len && p.checksum == ip.checksum) return Outcome::Duplicate;
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
  const auto at = std::upper_bound(s.pieces.begin(), s.pieces.end(), begin,
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
  auto it = sets_.find(key);
  if (it != sets_.end()) {
    const std::int64_t gap = time_ns - it->second.last_accepted_ns;
    if (gap > limits_.timeout_ns || gap < -limits_.timeout_ns) {
      ++stats_.discarded_sets;
      erase(it);
    }
  }
  Set* s = &open(key);
  Outcome outcome = insert(*s, ip, offset, time_ns);
  if (outcome == Outcome::Conflict) {  // discard and retry once as the start of a new set
    ++stats_.discarded_sets;
    erase(sets_.find(key));
    s = &open(key);
    outcome = insert(*s, ip, offset, time_ns);
  }
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
      erase(sets_.find(key));
      return &done_;
    }
  }
  enforce_limits();
  return nullptr;
}

void IpReassembly::enforce_limits() {
  // Oldest first; a single set larger than max_bytes is dropped too.
  while ((sets_.size() > limits_.max_sets || bytes_ > limits_.max_bytes) && !age_.empty()) {
    ++stats_.dropped_sets;
    erase(sets_.find(age_.front()));
  }
}

void IpReassembly::finish() {
  stats_.incomplete_at_end += sets_.size();
  sets_.clear();
  age_.clear();
  bytes_ = 0;
}

std::vector<std::string> IpReassembly::set_states() const {
  std::vector<std::string> states;
  states.reserve(age_.size());
  for (const Key& key : age_) {
    std::string& out = states.emplace_back();
    auto put = [&](const auto& v) { util::append_state(out, v); };
    const auto& [interface, source, destination, id, protocol, version] = key;
    for (const std::uint64_t v : {std::uint64_t{interface}, source.high, source.low, destination.high, destination.low,
                                  std::uint64_t{id}, std::uint64_t{protocol}, std::uint64_t{version}})
      put(v);
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
  const std::vector<Key> keys(age_.begin(), age_.end());
  const std::vector<std::string> mine = set_states();
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (std::find(states.begin(), states.end(), mine[i]) != states.end()) erase(sets_.find(keys[i]));
}

}  // namespace dltdump::net
