// Passes the messages and skip lines a Filter accepts to the next sink, with grep-style
// context (dltdump-spec §7: `-B`, `-A`).
//
// * A matching line first releases up to `before` held non-matching lines (oldest first),
//   then itself; the next `after` non-matching lines pass as after-context (a new match
//   restarts the count). Lines passed as after-context are never held, so nothing is
//   printed twice; no separators are printed. The state persists across inputs: one
//   FilterSink serves a whole run.
// * It is also the framer's PayloadGate: payload text is made only for messages whose headers
//   pass (and only if the text group or the next sink needs text at all). Text for a line
//   that passes without it (context, or a gate that could not judge) is made on demand.
//   Without context, and when no skip line can pass, a message whose headers fail is
//   needed for nothing (the framer may skip validating it).
// * Held lines are copies (bytes and fields), at most `before` of them, each at most one
//   packet: memory is bounded by before × 64 KiB and reused, so the steady state does not
//   allocate.
// One FilterSink belongs to one thread (its text-search scratch is per thread).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "dlt/framer.hpp"
#include "filter/filter.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::filter {

class FilterSink final : public dlt::FramerSink, public dlt::PayloadGate {
 public:
  struct Context {
    std::uint32_t before = 0, after = 0;
  };
  // `next_wants_text`: whether `next` prints text (a text sink) or not (binary output).
  FilterSink(const Filter& filter, Context context, dlt::FramerSink& next, bool next_wants_text = true);

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;
  Need need(const dlt::Message& m) const override {
    if (filter_.header_match(m) && filter_.text_may_match(m)) return wants_any_text_ ? Need::kText : Need::kValidation;
    return droppable_ ? Need::kNothing : Need::kValidation;
  }
  bool drops_unparsed(std::span<const std::uint8_t> packet) const override {
    return droppable_ && filter_.rejects_packet(packet);
  }
  bool looks_unparsed() const override { return droppable_ && filter_.may_reject_packets(); }

  // Largest accepted `before` (bounds the memory held for context).
  static constexpr std::uint32_t kMaxBefore = 100'000;

 private:
  struct Held {
    bool is_skip = false;
    dlt::Message message;
    dlt::SkipRecord skip;
    std::vector<std::uint8_t> bytes;  // the message's raw bytes (and packet, if apart)
  };
  template <class Event>
  void route(const Event& e, bool hit);
  void forward(const dlt::Message& m) { next_.on_message(m); }
  void forward(const dlt::SkipRecord& s) { next_.on_skip(s); }
  void hold(const dlt::Message& m);
  void hold(const dlt::SkipRecord& s);
  Held& next_slot();
  void release_held();

  const Filter& filter_;
  Context context_;
  dlt::FramerSink& next_;
  bool wants_any_text_;
  bool droppable_;  // a message whose headers fail is never printed (no context, no skip lines)
  std::unique_ptr<TextSearch::Scratch> scratch_;
  util::TextBuffer text_{1 << 16};  // payload text made here (when the framer made none)
  dlt::Message with_text_;          // a message with that text attached
  std::vector<Held> held_;          // ring of `before` slots
  std::size_t held_first_ = 0, held_count_ = 0;
  std::uint32_t after_left_ = 0;
};

}  // namespace dltdump::filter
