#include "compress/gzip_frame_encoder.hpp"

#include <libdeflate.h>

#include <new>
#include <string>

namespace dltdump::compress {

namespace {

class GzipFrameEncoder final : public util::FrameEncoder {
 public:
  explicit GzipFrameEncoder(int level) : compressor_(libdeflate_alloc_compressor(level)) {
    if (compressor_ == nullptr) throw std::bad_alloc();
  }
  ~GzipFrameEncoder() override { libdeflate_free_compressor(compressor_); }

  std::string encode(std::string_view in, util::TextBuffer& out) override {
    const std::size_t bound = libdeflate_gzip_compress_bound(compressor_, in.size());
    const std::size_t n = libdeflate_gzip_compress(compressor_, in.data(), in.size(), out.reserve(bound), bound);
    out.advance(n);
    return n == 0 ? "libdeflate found no room for the member" : std::string();
  }

 private:
  libdeflate_compressor* compressor_;
};

}  // namespace

std::unique_ptr<util::FrameEncoder> make_gzip_frame_encoder(int level) {
  return std::make_unique<GzipFrameEncoder>(level);
}

}  // namespace dltdump::compress
