// What turns a block of whole records into one independent compressed frame, for
// util::FdWriter (compressed outputs: the encoders are in the compress layer).
//
// Every frame decodes on its own (a zstd frame, a gzip member, an xz stream), and the
// formats read a file of several as the concatenation of their contents: so a file cut
// back to the end of its last whole frame is still valid, and holds whole records.
#pragma once

#include <string>
#include <string_view>

#include "util/text_buffer.hpp"

namespace dltdump::util {

class FrameEncoder {
 public:
  FrameEncoder() = default;
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;
  virtual ~FrameEncoder() = default;

  // Appends to `out` one frame that decodes to exactly `in` (which may be empty); `out`
  // is a TextBuffer so that its room is not cleared first (reserve and advance).
  // Returns an empty text on success, else why it failed (the library's message, for an
  // error line that names the file); `out` is then as it was.
  virtual std::string encode(std::string_view in, TextBuffer& out) = 0;
};

}  // namespace dltdump::util
