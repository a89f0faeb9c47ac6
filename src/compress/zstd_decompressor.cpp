// zstd through libzstd's streaming decoder; frames (and skippable frames) follow each other.
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <optional>
#include <vector>

#include <new>

#include "compress/decompressor.hpp"

namespace dltdump::compress {

namespace {

class ZstdDecompressor final : public Decompressor {
 public:
  ZstdDecompressor() : d_(ZSTD_createDStream()) {
    if (!d_) throw std::bad_alloc();
    ZSTD_DCtx_setParameter(d_, ZSTD_d_windowLogMax, 27);  // 128 MiB, zstd's own default bound
  }
  ~ZstdDecompressor() override { ZSTD_freeDStream(d_); }
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;

  // libzstd does not say where in its input it found a fault (the positions are not
  // updated on an error), so it is given at most kPiece bytes at a time: a fault is then
  // placed at the end of the piece in which it was found, at most kPiece bytes past it.
  // (Blocks that span pieces are gathered in libzstd's buffer: one copy of the compressed
  // bytes, a few percent of decompressing them.)
  static constexpr std::size_t kPiece = 16u << 10;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    std::size_t in_pos = 0, out_pos = 0;
    for (;;) {
      const std::size_t piece = std::min(in.size() - in_pos, kPiece);
      ZSTD_inBuffer ib{in.data() + in_pos, piece, 0};
      ZSTD_outBuffer ob{out.data(), out.size(), out_pos};
      const std::size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
      if (ZSTD_isError(rc)) {
        const std::size_t found = in_pos + piece;
        switch (ZSTD_getErrorCode(rc)) {
          case ZSTD_error_frameParameter_windowTooLarge:
            throw CorruptData(
                "a frame needs a window over 128 MiB (made with zstd --long?); decompress it first, e.g. zstd "
                "--long=31 -dc FILE | dltdump -",
                out_pos, found, true);
          case ZSTD_error_dictionary_wrong:
            throw CorruptData(
                "made with a dictionary (zstd -D), which dltdump does not take; decompress it first, e.g. "
                "zstd -D DICT -dc FILE | dltdump -",
                out_pos, found, true);
          // What it wrote before it found the fault is what zstd -dc writes too (a frame
          // whose checksum fails after its last block: all of it).
          default: throw CorruptData(ZSTD_getErrorName(rc), ob.pos, found);
        }
      }
      const bool progress = ib.pos > 0 || ob.pos > out_pos;
      if (progress) frame_end_ = rc == 0;  // 0: a frame ended and was flushed whole
      in_pos += ib.pos;
      out_pos = ob.pos;
      if (!progress || in_pos == in.size() || out_pos == out.size()) break;
    }
    return {in_pos, out_pos, last && frame_end_ && in_pos == in.size()};
  }

 private:
  ZSTD_DStream* d_;
  bool frame_end_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> make_zstd_decompressor() { return std::make_unique<ZstdDecompressor>(); }

std::optional<std::size_t> zstd_frame_size(std::span<const std::uint8_t> in) {
  const std::size_t n = ZSTD_findFrameCompressedSize(in.data(), in.size());
  if (ZSTD_isError(n) || n == 0 || n > in.size()) return std::nullopt;
  return n;
}

ZstdFrameDecoder::ZstdFrameDecoder() : d_(ZSTD_createDCtx()) {
  if (!d_) throw std::bad_alloc();
  ZSTD_DCtx_setParameter(static_cast<ZSTD_DCtx*>(d_), ZSTD_d_windowLogMax, 27);  // as the streaming decoder
}

ZstdFrameDecoder::~ZstdFrameDecoder() { ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(d_)); }

bool ZstdFrameDecoder::decode(std::span<const std::uint8_t> frame, std::vector<std::uint8_t>& out,
                              std::size_t max_bytes) {
  auto* d = static_cast<ZSTD_DCtx*>(d_);
  // The streaming decoder, so that it refuses what the one of the stream refuses (a window
  // over 128 MiB, a dictionary); given the whole frame and room for its bytes it decodes in
  // one pass.
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR) return false;
  if (size != ZSTD_CONTENTSIZE_UNKNOWN && size > max_bytes) return false;
  const std::size_t first =
      size == ZSTD_CONTENTSIZE_UNKNOWN ? std::min<std::size_t>(max_bytes, 1u << 20) : static_cast<std::size_t>(size);
  // A reused buffer a little short of this frame's size is not copied into a larger one
  // (its old bytes are of no use), and some room is left for the next frame's.
  out.clear();
  if (out.capacity() < first) out.reserve(first + first / 8);
  out.resize(first);
  ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
  ZSTD_inBuffer ib{frame.data(), frame.size(), 0};
  std::size_t filled = 0;
  for (;;) {
    ZSTD_outBuffer ob{out.data(), out.size(), filled};
    const std::size_t rc = ZSTD_decompressStream(d, &ob, &ib);
    filled = ob.pos;
    if (ZSTD_isError(rc)) return false;
    if (rc == 0) {
      out.resize(filled);
      return ib.pos == ib.size;
    }
    if (filled == out.size()) {
      if (out.size() >= max_bytes) return false;
      out.resize(std::min(max_bytes, std::max<std::size_t>(out.size() * 2, 1u << 16)));
    } else if (ib.pos == ib.size) {
      return false;  // the frame ends early
    }
  }
}

}  // namespace dltdump::compress
