// One streaming decompressor per format behind one small interface: compressed bytes in,
// decompressed bytes out, in steps of any size, with no limit on the stream's length (each
// decoder's own state is bounded: a zstd window of at most 128 MiB, an xz dictionary within
// kXzMemoryLimit). Streams of several members or frames (gzip members, zstd frames, xz
// streams, bzip2 streams, one after another as `cat a.gz b.gz` makes them) are read to the
// end of the last.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "compress/codec.hpp"

namespace dltdump::compress {

// The compressed data is not valid (what() is the decoder's reason, e.g. "invalid block
// type"); the caller names the input and the offset. `produced`: bytes the failing step
// wrote to the front of its `out` before the fault — good data (xz and bzip2 check each
// block as it ends), which the caller delivers before the fault. `consumed`: bytes of the
// step's `in` the decoder had taken when it found the fault, so that the offset named is
// where it was found, not where the step began (a small file is one step).
// `unsupported`: the data may be valid but asks for what the decoder is not set to give (a
// zstd window over 128 MiB, a dictionary).
class CorruptData : public std::runtime_error {
 public:
  explicit CorruptData(const std::string& what, std::size_t produced = 0, std::size_t consumed = 0,
                       bool unsupported = false)
      : std::runtime_error(what), produced_(produced), consumed_(consumed), unsupported_(unsupported) {}
  std::size_t produced() const noexcept { return produced_; }
  std::size_t consumed() const noexcept { return consumed_; }
  bool unsupported() const noexcept { return unsupported_; }

 private:
  std::size_t produced_;
  std::size_t consumed_;
  bool unsupported_;
};

// What the xz decoder may use (a stream asking for more is refused as corrupt data).
inline constexpr std::uint64_t kXzMemoryLimit = 512u << 20;

class Decompressor {
 public:
  struct Step {
    std::size_t consumed = 0;  // bytes of `in` used
    std::size_t produced = 0;  // bytes written to the front of `out`
    bool done = false;         // the stream is complete: `last` was set, all input used, all output given
  };
  virtual ~Decompressor() = default;
  // Decompresses from `in` into `out` (out not empty). `last`: no input follows `in`. A step
  // that neither consumes nor produces with `last` set and not done means the stream ends
  // early (truncated); without `last` it wants more input. Throws CorruptData.
  virtual Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) = 0;
};

// A new decompressor for `codec`. Throws std::bad_alloc when its library cannot set up.
std::unique_ptr<Decompressor> make_decompressor(Codec codec);
// The same, one per codec (compress/<codec>_decompressor.cpp): zlib, libzstd, liblzma,
// libbz2.
std::unique_ptr<Decompressor> make_gzip_decompressor();
std::unique_ptr<Decompressor> make_zstd_decompressor();
std::unique_ptr<Decompressor> make_xz_decompressor();
std::unique_ptr<Decompressor> make_bzip2_decompressor();

// xz with liblzma's multi-threaded decoder on `threads` threads (compress/xz_decompressor.cpp).
std::unique_ptr<Decompressor> make_xz_mt_decompressor(unsigned threads);
// The blocks of a file that is one xz stream, by its index (at its end): where each begins
// in the file, where its bytes end in the decompressed stream. Empty when the file is not
// one stream (several, padding after) or its index cannot be read.
struct XzBlock {
  std::uint64_t compressed_begin = 0;
  std::uint64_t decompressed_end = 0;
};
std::vector<XzBlock> xz_blocks(std::span<const std::uint8_t> file);

// zstd frames one by one, for decompressing a file's frames side by side
// (compress/decompressing_source.hpp; compress/zstd_decompressor.cpp).
// The compressed size of the frame (or skippable frame) at the front of `in`; nullopt when
// no whole frame is found there (a cut or corrupt header, not zstd).
std::optional<std::size_t> zstd_frame_size(std::span<const std::uint8_t> in);
class ZstdFrameDecoder {
 public:
  ZstdFrameDecoder();  // throws std::bad_alloc
  ~ZstdFrameDecoder();
  ZstdFrameDecoder(const ZstdFrameDecoder&) = delete;
  ZstdFrameDecoder& operator=(const ZstdFrameDecoder&) = delete;
  // Decompresses the one whole frame `frame` into `out` (resized to its bytes; a skippable
  // frame makes none). False, `out` unspecified, when it does not: corrupt data, more than
  // `max_bytes`, a window over 128 MiB or a dictionary (the streaming decoder says which).
  bool decode(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& out, std::size_t max_bytes);

 private:
  void* d_;  // ZSTD_DCtx
};

}  // namespace dltdump::compress
