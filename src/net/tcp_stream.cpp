#include "net/tcp_stream.hpp"

#include <algorithm>
#include <cstring>

#include "aio/packet.hpp"

namespace dltdump::net {

namespace {

constexpr std::uint64_t kBase = std::uint64_t{1} << 32;  // positions start here: a segment behind stays positive

bool waited_too_long(std::int64_t since, std::int64_t now, std::int64_t timeout) noexcept {
  if (since == aio::Packet::kNoTime || now == aio::Packet::kNoTime || now <= since) return false;
  return static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(since) > static_cast<std::uint64_t>(timeout);
}

// Copies of a frame (a capture that records each twice) come within this of the original.
constexpr std::int64_t kCopyNs = 1'000'000'000;

bool within(std::int64_t a, std::int64_t b, std::int64_t most) noexcept {
  if (a == aio::Packet::kNoTime || b == aio::Packet::kNoTime) return false;
  return a >= b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b) <= static_cast<std::uint64_t>(most)
                : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a) <= static_cast<std::uint64_t>(most);
}
// Both times known and more than `most` apart.
bool apart(std::int64_t a, std::int64_t b, std::int64_t most) noexcept {
  return a != aio::Packet::kNoTime && b != aio::Packet::kNoTime && !within(a, b, most);
}

}  // namespace

std::uint64_t TcpStream::unwrap(std::uint32_t seq) const noexcept {
  const auto delta = static_cast<std::int32_t>(seq - static_cast<std::uint32_t>(next_));
  return next_ + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
}

void TcpStream::start(std::uint32_t seq, std::int64_t time_ns) noexcept {
  started_ = true;
  next_ = kBase + seq;
  began_at_ = next_;
  began_time_ns_ = time_ns;
  fin_done_ = false;
  recent_count_ = 0;
  fin_at_.reset();
  syn_end_.reset();
  syn_ack_.reset();
}

void TcpStream::end_connection(std::int64_t time_ns) noexcept {
  if (!started_) return;
  const std::uint64_t from = syn_end_ ? *syn_end_ : began_at_;
  if (next_ < from || next_ - from >= (std::uint64_t{1} << 31)) return;
  ended_ = true;
  ended_first_ = static_cast<std::uint32_t>(from);
  ended_length_ = static_cast<std::uint32_t>(next_ - from);
  ended_time_ns_ = time_ns;
  ended_recent_ = recent_;
  ended_recent_count_ = std::min<std::uint32_t>(recent_count_, kRecent);
  recorded_at_end_ = std::min(recorded_at_end_, recorded_);
}

bool TcpStream::copies_ended_control(const TcpSegment& s, std::int64_t time_ns) const noexcept {
  // A SYN names the byte before the connection's first, a FIN or RST one up to its end.
  if (!ended_ || !within(time_ns, ended_time_ns_, kCopyNs)) return false;
  const std::uint32_t at = s.seq + (s.syn() ? 1u : 0u) - ended_first_;
  return at <= ended_length_;
}

TcpStream::Seen TcpStream::Seen::of(std::uint32_t seq, std::span<const std::uint8_t> payload) noexcept {
  Seen seen{seq, static_cast<std::uint32_t>(payload.size()), 0, 0};
  const std::size_t n = std::min<std::size_t>(payload.size(), 8);
  std::memcpy(&seen.head, payload.data(), n);
  std::memcpy(&seen.tail, payload.data() + payload.size() - n, n);
  return seen;
}

bool TcpStream::copies_ended(const TcpSegment& s, std::int64_t time_ns) const noexcept {
  if (ended_recent_count_ == 0 || s.payload.empty() || !within(time_ns, ended_time_ns_, kCopyNs)) return false;
  const Seen seen = Seen::of(s.seq, s.payload);
  return std::find(ended_recent_.begin(), ended_recent_.begin() + ended_recent_count_, seen) !=
         ended_recent_.begin() + ended_recent_count_;
}

bool TcpStream::continued_by(const TcpStream& next) const noexcept {
  // Copies of the connection that ended here may still come: `next` would take them.
  if (ended_ && (next.earliest_ns_ == aio::Packet::kNoTime || within(next.earliest_ns_, ended_time_ns_, kCopyNs) ||
                 next.earliest_ns_ < ended_time_ns_))
    return false;
  if (!started_) return true;  // ended by an RST: `next` began afresh, as this one would
  // A connection `next` continued from here and ended before it had seen kRecent segments
  // would have remembered this one's last segments too.
  if (next.recorded_at_end_ < kRecent) return false;
  // A SYN `next` knows (from a lead-in) is this one's, as far behind.
  if (next.syn_end_)
    return syn_end_ && next_ - *syn_end_ == next.first_position_ - *next.syn_end_ && syn_ack_ == next.syn_ack_;
  return !syn_end_ || next.reached_back_ <= next_ - *syn_end_ + 1;
}

void TcpStream::carry_on_from(const TcpStream& before) noexcept {
  stats_ += before.stats_;
  if (!before.started_) return;  // ended by an RST there: this stream began afresh in both
  // The SYN known is `before`'s: no SYN came since this stream began (began_plainly_at), and
  // one its lead-in saw (begin_here) may be one `before` no longer knows (an RST since).
  syn_end_.reset();
  syn_ack_.reset();
  // Where and when `before` began, and whether a FIN ended it (the late SYN's rule), as
  // far behind this stream's start as behind `before`'s next byte.
  began_at_ = first_position_ - (before.next_ - before.began_at_);
  began_time_ns_ = before.began_time_ns_;
  fin_done_ = before.fin_done_;
  if (!ended_) {  // the connection that ended before, unless one ended here since
    ended_ = before.ended_;
    ended_first_ = before.ended_first_;
    ended_length_ = before.ended_length_;
    ended_time_ns_ = before.ended_time_ns_;
    ended_recent_ = before.ended_recent_;
    ended_recent_count_ = before.ended_recent_count_;
  }
  // The last segments: `before`'s, then those this stream added since it began here (a
  // lead-in's are `before`'s too), oldest first, the ring's next place the oldest — as one
  // stream would hold them.
  const std::uint32_t mine = std::min(recorded_, recent_count_);
  if (recorded_at_end_ == UINT32_MAX && mine < kRecent) {
    std::array<Seen, kRecent> both{};
    const std::uint32_t theirs =
        std::min<std::uint32_t>(kRecent - mine, std::min<std::uint32_t>(before.recent_count_, kRecent));
    for (std::uint32_t k = 0; k < theirs; ++k) both[k] = before.recent_[(before.recent_count_ - theirs + k) % kRecent];
    for (std::uint32_t k = 0; k < mine; ++k) both[theirs + k] = recent_[(recent_count_ - mine + k) % kRecent];
    recent_ = both;
    recent_count_ = theirs + mine;
  }
  if (!before.syn_end_) return;
  // The SYN at the same distance behind this stream's start as behind `before`'s next
  // byte; further than unwrap reaches (2 GiB) it can never be matched again, so forgotten.
  const std::uint64_t distance = before.next_ - *before.syn_end_;
  if (distance > (std::uint64_t{1} << 31)) return;
  syn_end_ = first_position_ - distance;
  syn_ack_ = before.syn_ack_;
}

void TcpStream::begin_here() noexcept {
  stats_ = {};
  reached_back_ = 0;
  earliest_ns_ = kNoEarliest;
  recorded_at_end_ = UINT32_MAX;
  recorded_ = 0;
  any_segment_ = true;
  saw_syn_ = false;
  began_plainly_ = started_ && settled();
  first_seq_ = next_sequence();
  first_position_ = next_;
}

void TcpStream::add(const TcpSegment& s, std::uint64_t payload_offset, std::int64_t time_ns, TcpBudget& budget,
                    TcpStreamSink& sink) {
  if (!any_segment_) {
    any_segment_ = true;
    began_plainly_ = !s.syn() && !s.rst() && !s.fin();
    first_seq_ = s.seq;
    first_position_ = kBase + s.seq;
  }
  saw_syn_ = saw_syn_ || s.syn();
  earliest_ns_ = std::min(earliest_ns_, time_ns);  // kNoTime is the least
  if (s.payload.empty() && (s.syn() || s.rst() || s.fin()) && copies_ended_control(s, time_ns)) return;
  if (s.rst()) {  // the connection is gone: what it held is given up, the next segment starts afresh
    // Unless its sequence number lies behind the next byte or beyond the window: the
    // receiver ignores such a reset (RFC 5961: a stray or forged one), and so do we.
    if (started_) {
      const std::uint64_t at = unwrap(s.seq);
      if (at < next_ || at > next_ + budget.limits.window_bytes) return;
      if (at > next_) {
        // Ahead of bytes still to come (the capture holds it before the connection's last
        // segments, or they were lost): the stream ends there once they came or were given
        // up, as at a FIN.
        if (!fin_at_) end_at(at, payload_offset, time_ns);
        return;
      }
      end_stream(payload_offset, time_ns, budget, sink);
    }
    started_ = false;
    return;
  }
  std::uint32_t seq = s.seq;
  // A copy of one of the last segments of the connection that ended here (a capture
  // holding each frame twice, the copy after the end: the same place, length and end
  // bytes), wherever it falls in this one — but for the next byte this one expects (a new
  // connection's own, where the old one's were, text alike at the ends): seen already.
  if (!s.syn() && copies_ended(s, time_ns) && !(started_ && unwrap(seq) == next_)) {
    stats_.retransmitted += s.payload.size();
    return;
  }
  if (s.syn() && started_ && !syn_end_ && !fin_done_ && unwrap(seq + 1) <= began_at_ &&
      next_ - unwrap(seq + 1) <= kLateSynBytes && within(time_ns, began_time_ns_, kCopyNs)) {
    // The SYN of this connection, captured after its first data (a capture's packets out
    // of order: a few segments, milliseconds, no FIN): it tells where the stream began, the
    // stream goes on. (A new connection's SYN lands so close below the first bytes seen, so
    // soon, by chance only.)
    syn_end_ = unwrap(seq + 1);
    if (s.acks()) syn_ack_ = s.ack;
    ++seq;
  } else if (s.syn()) {
    // The same SYN again: sent again in the handshake, or a copy (a mirror port's) — unless
    // it answers another client SYN (another acknowledgment number), or comes more than a
    // second after the SYN once data flowed (no copy comes so late, and a SYN is sent again
    // only before the handshake completes, but for one that carries data: TCP Fast Open's,
    // sent again after 1 s, then 3 s): then a new connection with the same initial
    // sequence number (a stack without random ones, restarted).
    const bool same_syn = syn_end_ && unwrap(seq + 1) == *syn_end_ && !(s.acks() && syn_ack_ && s.ack != *syn_ack_) &&
                          !(next_ > *syn_end_ && s.payload.empty() && apart(time_ns, began_time_ns_, kCopyNs));
    // After this connection's FIN its SYN again is a copy or, later, a new connection with
    // the same ISN.
    if (started_ && same_syn && fin_done_ && within(time_ns, fin_time_ns_, kCopyNs)) return;
    if (started_ && (!same_syn || fin_done_)) {  // a new connection on the same ports
      end_stream(payload_offset, time_ns, budget, sink);
      started_ = false;
    }
    if (!started_) {
      start(seq + 1, time_ns);
      syn_end_ = next_;
      if (s.acks()) syn_ack_ = s.ack;
      ++syn_starts_;
    }
    ++seq;  // the SYN takes one sequence number; data after it starts at seq + 1
  } else if (!started_) {
    start(seq, time_ns);
  } else if (fin_done_ && !s.payload.empty() && unwrap(seq) > next_) {
    // Data beyond the FIN, after which this connection sends nothing: a new connection on
    // the same ports whose SYN the capture missed, not bytes missing.
    end_stream(payload_offset, time_ns, budget, sink);
    start(seq, time_ns);
  } else if (syn_end_ && !s.payload.empty() && unwrap(seq) + 1 < *syn_end_ &&
             !outside_window(unwrap(seq), unwrap(seq) + s.payload.size(), budget)) {
    // Data from before this connection's SYN (a keep-alive's byte lies just before it),
    // within the window, not a copy of the connection before: a new connection on the same
    // ports whose SYN the capture missed.
    end_stream(payload_offset, time_ns, budget, sink);
    start(seq, time_ns);
  }

  std::span<const std::uint8_t> b = s.payload;
  std::uint64_t begin = unwrap(seq);
  const std::uint64_t end = begin + b.size();
  if ((!b.empty() || s.fin()) && outside_window(begin, end, budget) &&
      !follow_jump(begin, b, payload_offset, time_ns, budget, sink)) {
    give_up_expired(budget, sink, time_ns);
    return;
  }
  if (s.fin() && end >= next_ && !fin_at_) end_at(end, payload_offset + b.size(), time_ns);
  if (!b.empty()) {
    recent_[recent_count_++ % kRecent] = Seen::of(seq, b);
    ++recorded_;
    if (begin < first_position_) reached_back_ = std::max(reached_back_, first_position_ - begin);
    if (end <= next_) {
      stats_.retransmitted += b.size();
    } else {
      if (begin < next_) {  // partly seen already: the first copy wins
        const std::uint64_t seen = next_ - begin;
        stats_.retransmitted += seen;
        b = b.subspan(seen);
        payload_offset += seen;
        begin = next_;
      }
      if (begin == next_) {
        stats_.bytes += b.size();
        next_ = end;
        sink.on_bytes(b, payload_offset, time_ns, true);
        drain(budget, sink, time_ns);
      } else {
        hold(begin, b, payload_offset, time_ns, budget);
        if (over_limits(budget)) {
          ++stats_.forced;
          give_up_over_limits(budget, sink, time_ns);
        }
      }
    }
  }
  give_up_expired(budget, sink, time_ns);
  check_fin(sink);
}

bool TcpStream::outside_window(std::uint64_t begin, std::uint64_t end, const TcpBudget& budget) const noexcept {
  const std::uint64_t w = budget.limits.window_bytes;
  return begin > next_ + w || end + w < next_;
}

bool TcpStream::follow_jump(std::uint64_t begin, std::span<const std::uint8_t> b, std::uint64_t file_offset,
                            std::int64_t time_ns, TcpBudget& budget, TcpStreamSink& sink) {
  const std::uint64_t end = begin + b.size();
  // A confirmation brings bytes past the candidate's: a duplicate of a bad packet (captures
  // often hold each frame twice) confirms nothing.
  if (candidate_ && begin >= candidate_->begin && begin <= candidate_->end + budget.limits.window_bytes &&
      end > candidate_->end) {
    Candidate c = std::move(*candidate_);
    candidate_.reset();
    if (!c.held.bytes.empty()) {
      held_bytes_ -= c.held.bytes.size() + kSegmentCost;
      budget.held -= c.held.bytes.size() + kSegmentCost;
    }
    flush(budget, sink);  // the gaps before the jump are given up
    ++stats_.resyncs;
    const std::uint64_t missing = c.begin > next_ ? c.begin - next_ : 0;
    if (missing) {
      stats_.missing += missing;
      ++stats_.gaps;
    }
    sink.on_break(missing, c.held.file_offset, c.held.time_ns);
    next_ = c.end;  // the candidate's bytes not kept stay counted as out of window
    // The SYN seen is no landmark where the stream now goes on (back beyond it, the bytes
    // after the jump would read as a new connection's, from before it).
    syn_end_.reset();
    syn_ack_.reset();
    if (!c.held.bytes.empty()) {
      stats_.out_of_window -= c.held.bytes.size();
      stats_.bytes += c.held.bytes.size();
      sink.on_bytes(c.held.bytes, c.held.file_offset, c.held.time_ns, false);
    }
    return true;
  }
  stats_.out_of_window += b.size();
  if (b.empty()) return false;  // a FIN alone: nothing to follow
  drop_candidate(budget);
  candidate_ = Candidate{begin, end, Held{{}, file_offset, time_ns}};
  const std::size_t cost = b.size() + kSegmentCost;
  if (held_bytes_ + cost <= budget.limits.max_stream_bytes && budget.held + cost <= budget.limits.max_total_bytes) {
    candidate_->held.bytes.assign(b.begin(), b.end());
    held_bytes_ += cost;
    budget.held += cost;
  }
  return false;
}

void TcpStream::drop_candidate(TcpBudget& budget) noexcept {
  if (!candidate_) return;
  if (!candidate_->held.bytes.empty()) {
    held_bytes_ -= candidate_->held.bytes.size() + kSegmentCost;
    budget.held -= candidate_->held.bytes.size() + kSegmentCost;
  }
  candidate_.reset();
}

// Keeps the bytes of [begin, begin + b.size()) that no held segment has yet.
void TcpStream::hold(std::uint64_t begin, std::span<const std::uint8_t> b, std::uint64_t file_offset,
                     std::int64_t time_ns, TcpBudget& budget) {
  if (!waiting()) waiting_since_ns_ = time_ns;
  const std::uint64_t end = begin + b.size();
  auto it = held_.upper_bound(begin);
  if (it != held_.begin()) {
    auto before = std::prev(it);
    if (before->first + before->second.bytes.size() > begin) it = before;
  }
  std::uint64_t at = begin;
  while (at < end) {
    if (it == held_.end() || it->first >= end) {
      keep(at, b.subspan(at - begin), file_offset + (at - begin), time_ns, budget);
      return;
    }
    if (it->first > at) {
      keep(at, b.subspan(at - begin, it->first - at), file_offset + (at - begin), time_ns, budget);
      at = it->first;
    }
    const Held& h = it->second;
    const std::uint64_t covered_end = std::min(end, it->first + h.bytes.size());
    const std::uint8_t* mine = b.data() + (at - begin);
    const std::uint8_t* theirs = h.bytes.data() + (at - it->first);
    const std::size_t n = covered_end - at;
    stats_.retransmitted += n;
    for (std::size_t i = 0; i < n; ++i) stats_.conflicts += mine[i] != theirs[i];
    at = covered_end;
    ++it;
  }
}

void TcpStream::keep(std::uint64_t at, std::span<const std::uint8_t> b, std::uint64_t file_offset, std::int64_t time_ns,
                     TcpBudget& budget) {
  if (b.empty()) return;
  held_.emplace(at, Held{std::vector<std::uint8_t>(b.begin(), b.end()), file_offset, time_ns});
  held_bytes_ += b.size() + kSegmentCost;
  budget.held += b.size() + kSegmentCost;
}

// Delivers the held segments that now follow on.
void TcpStream::drain(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns) {
  bool delivered = false;
  while (!held_.empty() && held_.begin()->first <= next_) {
    auto node = held_.extract(held_.begin());
    const std::uint64_t at = node.key();
    Held& h = node.mapped();
    held_bytes_ -= h.bytes.size() + kSegmentCost;
    budget.held -= h.bytes.size() + kSegmentCost;
    const std::uint64_t end = at + h.bytes.size();
    if (end <= next_) {
      stats_.retransmitted += h.bytes.size();
      continue;
    }
    const std::uint64_t seen = next_ - at;
    stats_.retransmitted += seen;
    stats_.bytes += end - next_;
    next_ = end;
    delivered = true;
    sink.on_bytes(std::span<const std::uint8_t>(h.bytes).subspan(seen), h.file_offset + seen, h.time_ns, false);
  }
  if (delivered && waiting()) waiting_since_ns_ = time_ns;  // a new gap opens now
}

void TcpStream::give_up_first_gap(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns) {
  const auto& [at, h] = *held_.begin();
  if (at > next_) {
    const std::uint64_t missing = at - next_;
    stats_.missing += missing;
    ++stats_.gaps;
    next_ = at;
    sink.on_break(missing, h.file_offset, h.time_ns);
  }
  drain(budget, sink, time_ns);
}

void TcpStream::end_stream(std::uint64_t file_offset, std::int64_t time_ns, TcpBudget& budget, TcpStreamSink& sink) {
  flush(budget, sink);
  sink.on_break(0, file_offset, time_ns);
  end_connection(time_ns);
}

void TcpStream::end_at(std::uint64_t at, std::uint64_t file_offset, std::int64_t time_ns) noexcept {
  if (!waiting()) waiting_since_ns_ = time_ns;
  fin_at_ = at;
  fin_offset_ = file_offset;
  fin_time_ns_ = time_ns;
}

void TcpStream::give_up_expired(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns) {
  if (!waiting() || !waited_too_long(waiting_since_ns_, time_ns, budget.limits.timeout_ns)) return;
  drop_candidate(budget);  // never confirmed: its bytes stay counted as out of window
  // The first gap, then each next one only if it too waited that long: it opened when the
  // bytes after it came, and may be segments reordered on the way, still to come.
  while (!held_.empty() && waited_too_long(waiting_since_ns_, time_ns, budget.limits.timeout_ns)) {
    give_up_first_gap(budget, sink, time_ns);
    if (!held_.empty()) waiting_since_ns_ = held_.begin()->second.time_ns;
  }
  if (held_.empty()) flush(budget, sink);  // bytes before a FIN that never came
  check_fin(sink);
}

void TcpStream::give_up_over_limits(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns) {
  while (!held_.empty() && over_limits(budget)) give_up_first_gap(budget, sink, time_ns);
}

void TcpStream::peer_began_anew(std::uint32_t syn_seq, std::uint64_t file_offset, std::int64_t time_ns,
                                TcpBudget& budget, TcpStreamSink& sink) {
  if (started_) {
    if (!syn_end_ || unwrap(syn_seq + 1) != *syn_end_ || (next_ == *syn_end_ && !fin_done_ && held_.empty())) return;
    end_stream(file_offset, time_ns, budget, sink);
  } else if (!ended_ || ended_first_ != syn_seq + 1) {
    return;  // (a connection that ended by a RST, whose SYN seen again was taken for a copy)
  }
  start(syn_seq + 1, time_ns);
  syn_end_ = next_;
}

void TcpStream::flush(TcpBudget& budget, TcpStreamSink& sink) {
  while (!held_.empty()) give_up_first_gap(budget, sink, aio::Packet::kNoTime);
  if (fin_at_ && *fin_at_ > next_) {  // bytes before the FIN that never came
    const std::uint64_t missing = *fin_at_ - next_;
    stats_.missing += missing;
    ++stats_.gaps;
    next_ = *fin_at_;
    sink.on_break(missing, fin_offset_, fin_time_ns_);
  }
  drop_candidate(budget);  // never confirmed: its bytes stay counted as out of window
  check_fin(sink);
}

void TcpStream::check_fin(TcpStreamSink& sink) {
  if (!fin_at_ || next_ < *fin_at_ || !held_.empty()) return;
  next_ = *fin_at_ + 1;  // the FIN takes one sequence number
  fin_at_.reset();
  fin_done_ = true;
  sink.on_break(0, fin_offset_, fin_time_ns_);
}

void TcpStream::release(TcpBudget& budget) noexcept {
  budget.held -= held_bytes_;
  held_bytes_ = 0;
  held_.clear();
  candidate_.reset();
}

}  // namespace dltdump::net
