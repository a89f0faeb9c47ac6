#include "filter/filter_sink.hpp"

#include "dlt/line_formatter.hpp"

namespace dltdump::filter {

FilterSink::FilterSink(const Filter& filter, Context context, dlt::FramerSink& next, bool next_wants_text)
    : filter_(filter),
      context_(context),
      next_(next),
      wants_any_text_(!filter.passes_nothing() && (next_wants_text || filter.has_text_group())),
      droppable_(context.before == 0 && context.after == 0 && !filter.may_pass_skip_lines()),
      scratch_(filter.search().scratch()),
      held_(context.before) {}

void FilterSink::on_message(const dlt::Message& m) {
  if (filter_.passes_nothing()) return;
  bool hit = filter_.header_match(m);
  const dlt::Message* line = &m;
  if (hit && filter_.has_text_group()) {
    if (!m.has_payload_text) {
      // Text made here only if the payload bytes allow a match (the gate asked the same
      // before the framer made text for the others).
      if (!filter_.text_may_match(m)) {
        route(m, false);
        return;
      }
      text_.clear();
      dlt::format_payload_text(m, text_);
      with_text_ = m;
      with_text_.has_payload_text = true;
      with_text_.payload_text = text_.view();
      line = &with_text_;
    }
    hit = filter_.text_match(line->payload_text, *scratch_);
  }
  route(*line, hit);
}

void FilterSink::on_skip(const dlt::SkipRecord& s) {
  if (filter_.passes_nothing()) return;
  bool hit = filter_.header_match(s);
  if (hit && filter_.has_text_group()) {
    text_.clear();
    dlt::format_skip_text(s, text_);
    hit = filter_.text_match(text_.view(), *scratch_);
  }
  route(s, hit);
}

template <class Event>
void FilterSink::route(const Event& e, bool hit) {
  if (hit) {
    release_held();
    forward(e);
    after_left_ = context_.after;
  } else if (after_left_ > 0) {
    --after_left_;
    forward(e);
  } else if (context_.before > 0) {
    hold(e);
  }
}

FilterSink::Held& FilterSink::next_slot() {
  if (held_count_ < held_.size()) return held_[(held_first_ + held_count_++) % held_.size()];
  Held& oldest = held_[held_first_];  // full: the oldest line falls out of the window
  held_first_ = (held_first_ + 1) % held_.size();
  return oldest;
}

void FilterSink::hold(const dlt::Message& m) {
  Held& h = next_slot();
  h.is_skip = false;
  h.message = m;
  h.message.has_payload_text = false;  // the text (if any) lives in a buffer that moves on
  h.message.payload_text = {};
  h.bytes.assign(m.raw.begin(), m.raw.end());
  const std::uint8_t* base = h.bytes.data();
  std::size_t packet_at;
  if (m.packet.data() >= m.raw.data() && m.packet.data() + m.packet.size() <= m.raw.data() + m.raw.size()) {
    packet_at = static_cast<std::size_t>(m.packet.data() - m.raw.data());
  } else {  // not inside the raw bytes: keep a copy of its own
    packet_at = h.bytes.size();
    h.bytes.insert(h.bytes.end(), m.packet.begin(), m.packet.end());
    base = h.bytes.data();
  }
  h.message.raw = {base, m.raw.size()};
  h.message.packet = {base + packet_at, m.packet.size()};
  h.message.payload = {base + packet_at + static_cast<std::size_t>(m.payload.data() - m.packet.data()),
                       m.payload.size()};
}

void FilterSink::hold(const dlt::SkipRecord& s) {
  Held& h = next_slot();
  h.is_skip = true;
  h.skip = s;  // its reason is one of the static kReason* texts
}

void FilterSink::release_held() {
  for (; held_count_ > 0; --held_count_) {
    const Held& h = held_[held_first_];
    held_first_ = (held_first_ + 1) % held_.size();
    if (h.is_skip) next_.on_skip(h.skip);
    else next_.on_message(h.message);
  }
  held_first_ = 0;
}

}  // namespace dltdump::filter
