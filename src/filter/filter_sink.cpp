#include "filter/filter_sink.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "dlt/line_formatter.hpp"

namespace dltdump::filter {

FilterSink::FilterSink(const Filter& filter, Context context, dlt::FramerSink& next, bool next_wants_text)
    : filter_(filter), context_(context), next_(next),
      wants_any_text_(!filter.passes_nothing() && (next_wants_text || filter.has_text_group())),
      next_wants_text_(next_wants_text), invert_(filter.inverted()),
      droppable_(context.before == 0 && context.after == 0 && !filter.may_pass_skip_lines()),
      counting_(filter.has_max_count()), max_count_(filter.max_count()), scratch_(filter.search().scratch()),
      held_(context.before) {
  begin_input();
  if (context.before == 0) return;
  // Enough for `before` of the largest lines, within the byte budget; never less than one
  // line. Allocated uninitialised: pages are touched only as lines are held.
  const std::uint64_t budget = std::clamp<std::uint64_t>(context.held_bytes, kMaxHeldLineBytes, kMaxHeldBytes);
  ring_size_ =
      static_cast<std::size_t>(std::min<std::uint64_t>(budget, std::uint64_t{context.before} * kMaxHeldLineBytes));
  ring_.reset(new std::uint8_t[ring_size_]);
}

void FilterSink::begin_input(std::string_view name) {
  matches_ = 0;
  stopping_ = counting_ && max_count_ == 0;
  if (held_count_ == 0) {
    earlier_names_.clear();  // no held line points to them
  } else {
    const std::string_view earlier = earlier_names_.emplace_back(input_);
    for (std::size_t i = 0; i < held_count_; ++i) {
      Held& h = held_[(held_first_ + i) % held_.size()];
      std::string_view& input = h.is_skip ? h.skip.input : h.message.input;
      if (input.empty()) input = earlier;
    }
  }
  input_ = name;
}

dlt::PayloadGate::Need FilterSink::inverted_need(const dlt::Message& m) const {
  if (filter_.passes_nothing()) return Need::Nothing;  // --none is not inverted
  if (filter_.header_match(m)) {
    // The groups hold so far: the line is selected only if the text group fails it.
    if (filter_.has_text_group() && filter_.text_may_match(m)) return Need::Text;
    if (!filter_.has_text_group()) return droppable_ ? Need::Nothing : Need::Validation;
  }
  return next_wants_text_ ? Need::Text : Need::Validation;  // selected
}

void FilterSink::on_message(const dlt::Message& m) {
  if (filter_.passes_nothing()) return;
  bool hit = filter_.header_match(m);
  const dlt::Message* line = &m;
  if (hit && filter_.has_text_group()) {
    if (!m.has_payload_text) {
      // Text made here only if the payload bytes allow a match (the gate asked the same
      // before the framer made text for the others).
      if (!filter_.text_may_match(m)) {
        route(m, invert_);
        return;
      }
      text_.clear();
      dlt::format_payload_text(m, text_);
      with_text_ = m;
      with_text_.has_payload_text = true;
      with_text_.payload_text = text_.view();
      line = &with_text_;
    }
    hit = filter_.text_match(*line, line->payload_text, *scratch_);
  }
  route(*line, hit != invert_);
}

void FilterSink::on_skip(const dlt::SkipRecord& s) {
  if (filter_.passes_nothing()) return;
  bool hit = filter_.header_match(s);
  if (hit && filter_.has_text_group()) {
    text_.clear();
    dlt::format_skip_text(s, text_);
    hit = filter_.text_match(s, text_.view(), *scratch_);
  }
  route(s, hit != invert_);
}

template <class Event>
void FilterSink::route_after_last(const Event& e) {
  if (after_left_ == 0) throw MaxCountReached{};
  --after_left_;
  forward(e);
  if (after_left_ == 0) throw MaxCountReached{};
}

template <class Event>
void FilterSink::route(const Event& e, bool hit) {
  if (stopping_) [[unlikely]] {
    route_after_last(e);
    return;
  }
  if (hit) {
    release_held();
    forward(e);
    after_left_ = context_.after;
    if constexpr (std::is_same_v<Event, dlt::Message>) {
      if (counting_ && ++matches_ >= max_count_) [[unlikely]] {
        stopping_ = true;
        if (after_left_ == 0) throw MaxCountReached{};
      }
    }
  } else if (after_left_ > 0) {
    --after_left_;
    forward(e);
  } else if (context_.before > 0) {
    hold(e);
  }
}

FilterSink::Held& FilterSink::next_slot(std::size_t bytes) {
  if (held_count_ == held_.size()) drop_oldest();  // the count bound
  std::size_t at = ring_tail_, charge = 0;
  if (bytes > 0) {
    for (;;) {  // the byte bound: ends, since an empty ring holds any one line
      if (ring_used_ == 0) ring_head_ = ring_tail_ = 0;
      if (ring_used_ == 0 || ring_tail_ > ring_head_) {  // free: [tail, end) and [0, head)
        if (ring_size_ - ring_tail_ >= bytes) {
          at = ring_tail_, charge = bytes;
          break;
        }
        if (ring_head_ >= bytes) {  // wrap; the end of the ring stays unused meanwhile
          at = 0, charge = ring_size_ - ring_tail_ + bytes;
          break;
        }
      } else if (ring_head_ - ring_tail_ >= bytes) {  // wrapped: free is [tail, head)
        at = ring_tail_, charge = bytes;
        break;
      }
      drop_oldest();
      cut_ = true;
    }
    ring_tail_ = at + bytes;
    ring_used_ += charge;
  }
  Held& h = held_[(held_first_ + held_count_++) % held_.size()];
  h.at = at;
  h.size = bytes;
  h.charge = charge;
  return h;
}

void FilterSink::drop_oldest() {
  const Held& h = held_[held_first_];
  held_first_ = (held_first_ + 1) % held_.size();
  --held_count_;
  if (h.size == 0) return;  // a skip line holds no bytes
  ring_used_ -= h.charge;
  ring_head_ = h.at + h.size;
}

void FilterSink::hold(const dlt::Message& m) {
  const bool packet_inside =
      m.packet.data() >= m.raw.data() && m.packet.data() + m.packet.size() <= m.raw.data() + m.raw.size();
  Held& h = next_slot(m.raw.size() + (packet_inside ? 0 : m.packet.size()));
  h.is_skip = false;
  h.message = m;
  h.message.has_payload_text = false;  // the text (if any) lives in a buffer that moves on
  h.message.payload_text = {};
  h.message.has_payload_args = false;  // the same
  h.message.payload_args = {};
  std::uint8_t* base = ring_.get() + h.at;
  std::memcpy(base, m.raw.data(), m.raw.size());
  std::size_t packet_at;
  if (packet_inside) {
    packet_at = static_cast<std::size_t>(m.packet.data() - m.raw.data());
  } else {  // not inside the raw bytes: a copy of its own after them
    packet_at = m.raw.size();
    std::memcpy(base + packet_at, m.packet.data(), m.packet.size());
  }
  h.message.raw = {base, m.raw.size()};
  h.message.packet = {base + packet_at, m.packet.size()};
  h.message.payload = {base + packet_at + static_cast<std::size_t>(m.payload.data() - m.packet.data()),
                       m.payload.size()};
}

void FilterSink::hold(const dlt::SkipRecord& s) {
  Held& h = next_slot(0);
  h.is_skip = true;
  h.skip = s;  // its reason is one of the static kReason* texts
}

void FilterSink::release_held() {
  if (cut_ && held_count_ < context_.before) ++cut_windows_;
  cut_ = false;
  for (; held_count_ > 0; --held_count_) {
    const Held& h = held_[held_first_];
    held_first_ = (held_first_ + 1) % held_.size();
    if (h.is_skip) next_.on_skip(h.skip);
    else next_.on_message(h.message);
  }
  held_first_ = 0;
  ring_head_ = ring_tail_ = ring_used_ = 0;
}

}  // namespace dltdump::filter
