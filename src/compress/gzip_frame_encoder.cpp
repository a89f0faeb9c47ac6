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

  std::string encode(std::string_view in, std::string& out) override {
    const std::size_t before = out.size(), bound = libdeflate_gzip_compress_bound(compressor_, in.size());
    out.resize(before + bound);
    const std::size_t n = libdeflate_gzip_compress(compressor_, in.data(), in.size(), out.data() + before, bound);
    out.resize(before + n);
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
