// What decoding one DLT file in pieces needs of a Framer (app/parallel/dlt_blocks on
// several cores, the library's chunked reads in src/api/reader.cpp), beyond what every
// framer user needs (dlt/framer.hpp): framing a file held whole in memory up to a given
// offset, and resuming from there. Kept off Framer's public surface so that its ordinary
// interface is feed/finish.
#pragma once

#include <cstdint>
#include <span>

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
};

}  // namespace dltdump::dlt
