// xz through liblzma's stream decoder, streams concatenated (LZMA_CONCATENATED: the end is
// known only when told that no input follows, LZMA_FINISH).
#include <lzma.h>

#include <new>
#include <string>

#include "compress/decompressor.hpp"

namespace dltdump::compress {

namespace {

const char* reason(lzma_ret rc) {
  switch (rc) {
    case LZMA_MEMLIMIT_ERROR: return "the stream needs more memory than allowed";
    case LZMA_FORMAT_ERROR: return "not xz data";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "corrupt data";
    case LZMA_BUF_ERROR: return "unexpected end of data";
    default: return "decoder error";
  }
}

class XzDecompressor final : public Decompressor {
 public:
  XzDecompressor() {
    if (lzma_stream_decoder(&s_, kXzMemoryLimit, LZMA_CONCATENATED) != LZMA_OK) throw std::bad_alloc();
  }
  ~XzDecompressor() override { lzma_end(&s_); }
  XzDecompressor(const XzDecompressor&) = delete;
  XzDecompressor& operator=(const XzDecompressor&) = delete;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    if (ended_) return {0, 0, true};
    s_.next_in = in.data();
    s_.avail_in = in.size();
    s_.next_out = out.data();
    s_.avail_out = out.size();
    const lzma_ret rc = lzma_code(&s_, last ? LZMA_FINISH : LZMA_RUN);
    Step step{in.size() - s_.avail_in, out.size() - s_.avail_out, false};
    if (rc == LZMA_STREAM_END) {
      ended_ = true;
      step.done = true;
    } else if (rc == LZMA_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
      throw CorruptData(reason(rc), step.produced, step.consumed);
    }  // LZMA_BUF_ERROR: no progress possible (with LZMA_FINISH: the stream is cut short)
    return step;
  }

 private:
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> make_xz_decompressor() { return std::make_unique<XzDecompressor>(); }

}  // namespace dltdump::compress
