// zstd through libzstd's streaming decoder; frames (and skippable frames) follow each other.
#include <zstd.h>
#include <zstd_errors.h>

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
    if (ZSTD_isError(rc)) {
      switch (ZSTD_getErrorCode(rc)) {
        case ZSTD_error_frameParameter_windowTooLarge:
          throw CorruptData(
              "a frame needs a window over 128 MiB (made with zstd --long?); decompress it first, e.g. zstd "
              "--long=31 -dc FILE | dltdump -",
              ob.pos, true);
        case ZSTD_error_dictionary_wrong:
          throw CorruptData(
              "made with a dictionary (zstd -D), which dltdump does not take; decompress it first, e.g. "
              "zstd -D DICT -dc FILE | dltdump -",
              ob.pos, true);
        default: throw CorruptData(ZSTD_getErrorName(rc), ob.pos);
      }
    }
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
