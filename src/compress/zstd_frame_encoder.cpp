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

  std::string encode(std::string_view in, std::string& out) override {
    const std::size_t before = out.size(), bound = ZSTD_compressBound(in.size());
    out.resize(before + bound);
    const std::size_t n = ZSTD_compress2(cctx_, out.data() + before, bound, in.data(), in.size());
    if (ZSTD_isError(n)) {
      out.resize(before);
      return ZSTD_getErrorName(n);
    }
    out.resize(before + n);
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
