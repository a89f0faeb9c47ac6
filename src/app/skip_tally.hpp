// Counting the bytes a framer skips, on their way to the next sink: an input whose every
// byte was skipped is probably in another format (input/format_sniff words the warning).
//
// Put between a framer and its sink only for an input whose format the content did not
// confirm: the messages pass through one more virtual call. Lines made in place
// (InPlaceLines) go to the next sink directly, as they would without the tally.
#pragma once

#include <cstdint>

#include "dlt/framer_sink.hpp"

namespace dltdump::app {

class SkipTally final : public dlt::FramerSink {
 public:
  // `next` must outlive the tally.
  explicit SkipTally(dlt::FramerSink& next) : next_(next) {}
  void on_message(const dlt::Message& m) override { next_.on_message(m); }
  void on_skip(const dlt::SkipRecord& s) override {
    skipped_ += s.length;
    next_.on_skip(s);
  }
  dlt::InPlaceLines* in_place_lines() override { return next_.in_place_lines(); }

  // Bytes in the skip records passed on so far.
  std::uint64_t skipped() const noexcept { return skipped_; }

 private:
  dlt::FramerSink& next_;
  std::uint64_t skipped_ = 0;
};

}  // namespace dltdump::app
