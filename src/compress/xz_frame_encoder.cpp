#include "compress/xz_frame_encoder.hpp"

#include <lzma.h>

#include <string>

namespace dltdump::compress {

namespace {

class XzFrameEncoder final : public util::FrameEncoder {
 public:
  explicit XzFrameEncoder(std::uint32_t preset) : preset_(preset) {}

  std::string encode(std::string_view in, util::TextBuffer& out) override {
    const std::size_t bound = lzma_stream_buffer_bound(in.size());
    std::size_t pos = 0;
    const lzma_ret r =
        lzma_easy_buffer_encode(preset_, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(in.data()),
                                in.size(), reinterpret_cast<std::uint8_t*>(out.reserve(bound)), &pos, bound);
    if (r == LZMA_OK) out.advance(pos);
    switch (r) {
      case LZMA_OK: return {};
      case LZMA_MEM_ERROR: return "liblzma ran out of memory";
      default: return "liblzma failed (error " + std::to_string(static_cast<int>(r)) + ")";
    }
  }

 private:
  std::uint32_t preset_;
};

}  // namespace

std::unique_ptr<util::FrameEncoder> make_xz_frame_encoder(std::uint32_t preset) {
  return std::make_unique<XzFrameEncoder>(preset);
}

}  // namespace dltdump::compress
