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

  // libzstd does not say where in its input it found a fault, nor what the failing call
  // wrote (the positions are not updated on an error): what that call flushed of the blocks
  // before the fault would be lost, more or less of it as the input came in pieces (a pipe's
  // reads) — up to a whole chunk of small blocks (a new user's finding: a corrupt stream
  // stopped at a varying byte, or on a 1 MiB boundary). So each call decodes at most one
  // block: it is given the input libzstd's hint asks for (the rest of the block, the
  // header or the checksum it is loading), and a call that filled `out` is followed by one
  // without input, which only flushes. Every byte of the blocks before the faulty one is then
  // delivered, whatever the pieces, and the fault is placed at the end of the faulty block
  // (or header, or checksum). (Blocks that span pieces are gathered in libzstd's buffer:
  // one copy of the compressed bytes, a few percent of decompressing them.)
  //
  // At a frame's start there is no hint: one for a frame header's first 5 bytes (its magic
  // number and descriptor, after which libzstd's hint says how many more), counting a block
  // header as the hints do.
  static constexpr std::size_t kBlockHeaderBytes = 3;
  static constexpr std::size_t kFrameStartBytes = 5 + kBlockHeaderBytes;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    std::size_t in_pos = 0, out_pos = 0;
    for (;;) {
      const bool flushing = flush_pending_;
      // A hint over the 3 bytes of a block header counts the next one's too, when a
      // block's bytes are expected: not given, so that a damaged header fails a call of its
      // own (a checksum, 4 bytes, then takes two calls).
      const std::size_t want = hint_ > kBlockHeaderBytes ? hint_ - kBlockHeaderBytes : hint_;
      const std::size_t give = flushing ? 0 : std::min(in.size() - in_pos, want);
      ZSTD_inBuffer ib{in.data() + in_pos, give, 0};
      ZSTD_outBuffer ob{out.data(), out.size(), out_pos};
      const std::size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
      if (ZSTD_isError(rc)) {
        const std::size_t found = in_pos + give;
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
          // The failing call decoded no block before the faulty one (see above): what the
          // calls before wrote is every byte before the fault (a frame whose checksum fails
          // after its last block: all of it).
          default: throw CorruptData(ZSTD_getErrorName(rc), out_pos, found);
        }
      }
      const bool progress = ib.pos > 0 || ob.pos > out_pos;
      if (progress) frame_end_ = rc == 0;  // 0: a frame ended and was flushed whole
      in_pos += ib.pos;
      out_pos = ob.pos;
      if (progress || !flushing) hint_ = rc == 0 ? kFrameStartBytes : rc;
      // `out` full: libzstd may hold more of the block; the next call only flushes.
      flush_pending_ = out_pos == out.size();
      if (flush_pending_) break;
      if (flushing) continue;  // flushed (or there was nothing to): now the input
      if (!progress || in_pos == in.size()) break;
    }
    return {in_pos, out_pos, last && frame_end_ && in_pos == in.size()};
  }

 private:
  ZSTD_DStream* d_;
  bool frame_end_ = false;
  std::size_t hint_ = kFrameStartBytes;  // the input the next call may take
  bool flush_pending_ = false;           // the last call filled its output
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
