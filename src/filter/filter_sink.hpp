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
// * Held lines are copies (bytes and fields) in one byte ring that the FilterSink owns, so a
//   held line never points into an input (it may be released while a later input is read,
//   after the earlier one was unmapped). The window is bounded by count (`before`) and by
//   bytes (`held_bytes`, at most kMaxHeldBytes): when a new line does not fit, the oldest
//   held lines fall out of the window first, so a match may show fewer than `before` lines
//   of large messages (counted: cut_windows). Ring and slots are allocated once: the steady state does not
//   allocate.
// * reset() forgets the held lines and the after-context count: a new output begins (one
//   output per input). Otherwise context carries on from one input to the next.
// * -v (Filter::inverted): a line is a match when the groups do not all hold; context,
//   counting and the gate work on that selection. Skip lines are judged like messages.
// * -m N (Filter::has_max_count): after the N-th matching message of an input (skip lines
//   are shown but not counted, as -c counts messages), the next `after` lines follow as
//   trailing context whatever they are (as grep -m -A: a match among them is context and
//   counts nothing), then on_message / on_skip throw MaxCountReached: the input is to be
//   read no further. With N = 0 the first event of an input throws. begin_input() starts
//   the count afresh.
// One FilterSink belongs to one thread (its text-search scratch is per thread).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dlt/framer_sink.hpp"
#include "dlt/packet.hpp"
#include "filter/filter.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::filter {

// Thrown by FilterSink once an input has given its -m matches and their trailing context:
// the decoder stops reading that input (the lines already forwarded are whole). Not a
// util::Error: it ends no input in failure.
struct MaxCountReached {};

class FilterSink final : public dlt::FramerSink, public dlt::PayloadGate {
 public:
  // Largest byte budget of the before-context window, and the default.
  static constexpr std::uint64_t kMaxHeldBytes = 64u << 20;
  struct Context {
    std::uint32_t before = 0, after = 0;
    std::uint64_t held_bytes = kMaxHeldBytes;  // clamped to [one largest line, kMaxHeldBytes]
  };
  // `next_wants_text`: whether `next` prints text (a text sink) or not (binary output).
  FilterSink(const Filter& filter, Context context, dlt::FramerSink& next, bool next_wants_text = true);

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;
  Need need(const dlt::Message& m) const override {
    if (invert_) [[unlikely]]
      return inverted_need(m);
    if (filter_.header_match(m) && filter_.text_may_match(m)) return wants_any_text_ ? Need::Text : Need::Validation;
    return droppable_ ? Need::Nothing : Need::Validation;
  }
  bool drops_unparsed(std::span<const std::uint8_t> packet) const override {
    return droppable_ && filter_.rejects_packet(packet);
  }
  bool looks_unparsed() const override { return droppable_ && filter_.may_reject_packets(); }

  // A new input begins: the -m count starts afresh (context carries on; see reset()).
  // `name`: the input as records name it (dlt::Message::input); lines still held from the
  // input before keep that one's name, since they may be released among this input's lines.
  void begin_input(std::string_view name = {});
  // Forgets the held lines and the after-context count (a new output begins).
  void reset() {
    held_first_ = held_count_ = 0;
    earlier_names_.clear();
    ring_head_ = ring_tail_ = ring_used_ = 0;
    after_left_ = 0;
    cut_ = false;
  }
  // Bytes of the ring that holds the before-context (allocated once, touched as used).
  std::size_t held_capacity() const { return ring_size_; }
  // Matches shown with fewer lines before them than `before` although more came: the
  // byte bound had dropped the older ones.
  std::uint64_t cut_windows() const { return cut_windows_; }

  // Largest accepted `before` (bounds the memory held for context).
  static constexpr std::uint32_t kMaxBefore = 100'000;

 private:
  // Largest ring bytes one held line takes: its raw bytes (storage header + packet) and,
  // if the packet lies apart from them, the packet.
  static constexpr std::size_t kMaxHeldLineBytes = 2 * (dlt::kStorageHeaderBytes + dlt::kMaxPacketBytes);
  struct Held {
    bool is_skip = false;
    dlt::Message message;  // spans into ring_ (set when held; the ring never moves)
    dlt::SkipRecord skip;
    std::size_t at = 0, size = 0;  // its bytes in ring_ (0: a skip line holds none)
    std::size_t charge = 0;        // ring bytes it uses: size and what was left unused
                                   // at the ring's end when it wrapped
  };
  Need inverted_need(const dlt::Message& m) const;
  template <class Event>
  void route(const Event& e, bool hit);
  // After the -m-th match: the trailing context, then the end of the input.
  template <class Event>
  void route_after_last(const Event& e);
  void forward(const dlt::Message& m) { next_.on_message(m); }
  void forward(const dlt::SkipRecord& s) { next_.on_skip(s); }
  void hold(const dlt::Message& m);
  void hold(const dlt::SkipRecord& s);
  // The slot for a new held line of `bytes` bytes, room made in the window for it.
  Held& next_slot(std::size_t bytes);
  void drop_oldest();
  void release_held();

  const Filter& filter_;
  Context context_;
  dlt::FramerSink& next_;
  bool wants_any_text_;
  bool next_wants_text_;
  bool invert_;     // Filter::inverted
  bool droppable_;  // a message the groups do not select is never printed (no context, no skip lines)
  bool counting_;   // Filter::has_max_count
  std::uint64_t max_count_;
  std::uint64_t matches_ = 0;  // matching messages of this input so far
  bool stopping_ = false;      // the input gave its -m matches: trailing context, then stop
  std::unique_ptr<TextSearch::Scratch> scratch_;
  util::TextBuffer text_{util::TextBuffer::kLineBytes};  // payload text made here (when the framer made none)
  dlt::Message with_text_;                               // a message with that text attached
  std::vector<Held> held_;                               // ring of `before` slots
  std::size_t held_first_ = 0, held_count_ = 0;
  // The held lines' bytes, first in first out like the slots: used from ring_head_ up to
  // ring_tail_ (wrapping at ring_size_), ring_used_ bytes in all.
  std::unique_ptr<std::uint8_t[]> ring_;
  std::size_t ring_size_ = 0, ring_head_ = 0, ring_tail_ = 0, ring_used_ = 0;
  std::uint32_t after_left_ = 0;
  bool cut_ = false;  // the byte bound dropped a held line since the last match
  std::uint64_t cut_windows_ = 0;
  std::string input_;  // the current input's name (begin_input)
  // Names of earlier inputs that held lines point to (a deque: its strings never move).
  std::deque<std::string> earlier_names_;
};

}  // namespace dltdump::filter
