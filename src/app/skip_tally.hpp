// Watching the bytes a framer skips, on their way to the next sink: an input whose every
// byte was skipped is probably in another format (input/format_sniff words the warning),
// and a skipped region that begins like another format (a capture, compressed data, an
// archive, the other DLT framing) is data the stream's one format cannot read — inputs
// joined into one stream (`unzip -p` of several members, `cat a.dlt b.pcapng`), which must
// not be lost silently.
//
// The messages pass through one more virtual call (lines made in place, InPlaceLines, go to
// the next sink directly). The feeder says which window it feeds (window) and, after each
// feed, which skip record the framer holds open (after_feed): the first bytes of every
// skipped region are then at hand when its record is delivered, also one that spans
// windows. The parallel decoders keep one tally with each block's framer (a framer that
// decodes on into the next block takes its tally along, set_next) and add up what each
// block found, in order (take_foreign, add).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "dlt/framer.hpp"
#include "dlt/framer_sink.hpp"
#include "input/format_sniff.hpp"

namespace dltdump::app {

class SkipTally final : public dlt::FramerSink {
 public:
  // A skipped region that begins like another format than `format`, the framing used.
  struct Foreign {
    std::uint64_t position = 0, length = 0;  // the first such region
    input::Content content = input::Content::Unknown;
    std::uint64_t regions = 0;  // all such regions

    // Adds what a later stretch of the same stream found: the first region stays the
    // first one.
    static void add(std::optional<Foreign>& into, const std::optional<Foreign>& later) {
      if (!later) return;
      if (!into) {
        into = later;
      } else {
        into->regions += later->regions;
      }
    }
  };
  // `next` must outlive the tally's use (or the next set_next).
  SkipTally(dlt::FramerSink& next, dlt::StreamFormat format) : next_(&next), format_(format) {}
  // A tally whose events have nowhere to go until set_next.
  explicit SkipTally(dlt::StreamFormat format) : next_(nullptr), format_(format) {}
  void on_message(const dlt::Message& m) override { next_->on_message(m); }
  void on_skip(const dlt::SkipRecord& s) override {
    skipped_ += s.length;
    look_at(s);
    next_->on_skip(s);
  }
  dlt::InPlaceLines* in_place_lines() override { return next_->in_place_lines(); }
  // Events go to `next` from now on (a framer's tally that follows it into another chain).
  void set_next(dlt::FramerSink& next) noexcept { next_ = &next; }

  // The framer is fed `window`, the stream's bytes from offset `offset` (empty: it is
  // finished). Lent until the next call.
  void window(std::span<const std::uint8_t> window, std::uint64_t offset) {
    window_ = window;
    window_offset_ = offset;
  }
  // After a feed of the window: keeps the bytes of the events `framer` has yet to deliver
  // (from its undelivered_from(): up to kHeldBytes of them, or the first kLookBytes of a
  // skip open for longer), so that a region delivered by a later feed or by finish, when
  // the window is gone, is looked at as one delivered now.
  void after_feed(const dlt::Framer& framer);

  // Bytes in the skip records passed on so far.
  std::uint64_t skipped() const noexcept { return skipped_; }
  // The skipped regions that began like another format, if any.
  const std::optional<Foreign>& foreign() const noexcept { return foreign_; }
  // Those regions found since the last call (or construction), which are forgotten.
  std::optional<Foreign> take_foreign() noexcept { return std::exchange(foreign_, std::nullopt); }

  // How much of a region is looked at: a tar's magic (at 257) and more.
  static constexpr std::size_t kLookBytes = 4096;
  // How far the bytes not yet delivered are kept after a feed: a pending skip record and
  // the packet carried after it are far shorter; only a skip open for long is longer.
  static constexpr std::size_t kHeldBytes = 256u << 10;

 private:
  // Appends to `to` (which holds the bytes of the stream from `start`) what `bytes` (the
  // stream's from `offset`) holds right after them, up to `end` and kLookBytes in all.
  static void take_from(std::span<const std::uint8_t> bytes, std::uint64_t offset, std::vector<std::uint8_t>& to,
                        std::uint64_t start, std::uint64_t end);
  void look_at(const dlt::SkipRecord& s);

  dlt::FramerSink* next_;
  dlt::StreamFormat format_;
  std::uint64_t skipped_ = 0;
  std::span<const std::uint8_t> window_;
  std::uint64_t window_offset_ = 0;
  // The bytes of the stream from held_at_ that the framer had not delivered after a feed.
  std::vector<std::uint8_t> held_;
  std::uint64_t held_at_ = ~std::uint64_t{0};
  std::vector<std::uint8_t> look_;  // a region's first bytes, being looked at
  std::optional<Foreign> foreign_;
};

}  // namespace dltdump::app
