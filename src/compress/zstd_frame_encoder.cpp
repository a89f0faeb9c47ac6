#include "compress/zstd_frame_encoder.hpp"

#include <zstd.h>

#include <new>
#include <string>

namespace dltdump::compress {

namespace {

class ZstdFrameEncoder final : public util::FrameEncoder {
 public:
  explicit ZstdFrameEncoder(int level) : cctx_(ZSTD_createCCtx()) {
    if (cctx_ == nullptr) throw std::bad_alloc();
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
  }
  ~ZstdFrameEncoder() override { ZSTD_freeCCtx(cctx_); }

  std::string encode(std::string_view in, util::TextBuffer& out) override {
    const std::size_t bound = ZSTD_compressBound(in.size());
    const std::size_t n = ZSTD_compress2(cctx_, out.reserve(bound), bound, in.data(), in.size());
    if (ZSTD_isError(n)) return ZSTD_getErrorName(n);
    out.advance(n);
    return {};
  }

 private:
  ZSTD_CCtx* cctx_;
};

}  // namespace

std::unique_ptr<util::FrameEncoder> make_zstd_frame_encoder(int level) {
  return std::make_unique<ZstdFrameEncoder>(level);
}

}  // namespace dltdump::compress
