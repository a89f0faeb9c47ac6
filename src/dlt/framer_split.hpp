// What decoding one DLT file in pieces needs of a Framer (app/parallel/dlt_blocks on
// several cores, the library's chunked reads in src/api/reader.cpp), beyond what every
// framer user needs (dlt/framer.hpp): framing a file held whole in memory up to a given
// offset, and resuming from there. Kept off Framer's public surface so that its ordinary
// interface is feed/finish.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "dlt/framer.hpp"

namespace dltdump::dlt {

struct FramerSplit {
  // Frames from `framer`'s current offset (the `start` it was made with, or where the last
  // call stopped), where `rest` holds every remaining byte of the input (so the
  // end-of-input rules apply at its end), and stops once the cursor reaches stream offset
  // `stop`. Returns the offset reached: `stop` exactly when a packet or skip ended there,
  // more when one straddled it, the end of input otherwise. A skip record in progress stays
  // pending (see flush_pending), so the framer can go on with another call. `rest` is read
  // during the call only. Not to be mixed with feed() on the same framer. Throws what
  // `sink` throws (the framer is then not to be used again).
  static std::uint64_t decode_until(Framer& framer, std::span<const std::uint8_t> rest, std::uint64_t stop,
                                    FramerSink& sink) {
    return framer.decode_until(rest, stop, sink);
  }
  // Delivers the pending skip record of `framer`, if any, to `sink` (on_skip); nothing
  // once the framer was interrupted (Framer::set_interrupt_flag). Throws what `sink` throws.
  static void flush_pending(Framer& framer, FramerSink& sink) {
    if (!framer.interrupted()) framer.deliver_skip(sink);
  }

  // Network framing, for a capture decoded in pieces whose pieces begin with a lead-in
  // (app/parallel/capture_chunks): appends to `out` everything that decides which events
  // `framer` makes of the bytes fed next, with stream offsets counted from
  // undelivered_from(): whether it is idle and mid-stream, and if not, the bytes it holds
  // back, the open skip record and the sender's last unit. Two framers whose appended
  // texts are equal frame what follows alike (for a feeder that maps their offsets to the
  // same places: dissect::CaptureFlow). Never throws but std::bad_alloc.
  static void append_state(const Framer& framer, std::string& out) { framer.append_state(out); }
  // From now on began_as_continuation() says true: what the framer did so far was checked
  // otherwise (its state at this point, append_state) and no longer counts.
  static void forget_start(Framer& framer) noexcept { framer.start_ = Framer::Start::Same; }
};

}  // namespace dltdump::dlt
