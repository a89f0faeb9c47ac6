// zstd through libzstd's streaming decoder; frames (and skippable frames) follow each other.
#include <zstd.h>

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

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    ZSTD_outBuffer ob{out.data(), out.size(), 0};
    const std::size_t rc = ZSTD_decompressStream(d_, &ob, &ib);
    if (ZSTD_isError(rc)) throw CorruptData(ZSTD_getErrorName(rc));
    if (ib.pos > 0 || ob.pos > 0) frame_end_ = rc == 0;  // 0: a frame ended and was flushed whole
    return {ib.pos, ob.pos, last && frame_end_ && ib.pos == in.size()};
  }

 private:
  ZSTD_DStream* d_;
  bool frame_end_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> make_zstd_decompressor() { return std::make_unique<ZstdDecompressor>(); }

}  // namespace dltdump::compress
