// A stream of bytes that is not a file descriptor: what util::InputFile reads in place of a
// pipe when an input's bytes are made on the way (a decompressed stream, compress/). It is
// declared here so that every reader of an InputFile — the walks, the capture readers, the
// sorted run — reads such a stream as it reads a pipe, without a copy through a real pipe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dltdump::util {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies the next bytes of the stream, at most `n` (n > 0), into `into`; returns how many,
  // 0 only at the end of the stream. May wait for them. Throws util::Error for a fault of
  // the stream (after every byte before the fault was returned), util::Stopped when a stop
  // is requested while it waits.
  virtual std::size_t read(std::uint8_t* into, std::size_t n) = 0;
  // Whether read() would return at once (bytes held, the end or a fault reached).
  virtual bool ready() const noexcept = 0;
  // How far the stream's own input has been read (for a decompressed stream: the
  // compressed bytes consumed), for the progress line; any thread.
  virtual std::uint64_t input_progress() const noexcept = 0;
  // How much of the stream's own input it took to make the bytes read() has returned so
  // far — where a fault found in them lies in that input (a decompressed stream: the end of
  // the decoder's step that made the last byte returned, while input_progress() may be far
  // ahead). For messages, on the reading thread or after it. By default input_progress().
  virtual std::uint64_t input_of_read() const noexcept { return input_progress(); }
};

}  // namespace dltdump::util
