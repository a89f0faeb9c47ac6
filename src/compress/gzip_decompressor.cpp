// gzip through zlib's inflate (libdeflate decompresses whole buffers only, and a stream's
// size is not known before its end). Members follow each other: after one ends, the next
// begins with its own header.
#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>

#include "compress/decompressor.hpp"

namespace dltdump::compress {

namespace {

class GzipDecompressor final : public Decompressor {
 public:
  GzipDecompressor() {
    if (inflateInit2(&z_, 15 + 16) != Z_OK) throw std::bad_alloc();  // 16: the gzip wrapper only
  }
  ~GzipDecompressor() override { inflateEnd(&z_); }
  GzipDecompressor(const GzipDecompressor&) = delete;
  GzipDecompressor& operator=(const GzipDecompressor&) = delete;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    constexpr std::size_t kMax = std::numeric_limits<uInt>::max();
    z_.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct; it only reads
    z_.avail_in = static_cast<uInt>(std::min(in.size(), kMax));
    z_.next_out = out.data();
    z_.avail_out = static_cast<uInt>(std::min(out.size(), kMax));
    if (padding_ || (between_members_ && !in.empty() && in[0] == 0)) return pad(in, last);
    const uInt in_before = z_.avail_in, out_before = z_.avail_out;
    if (z_.avail_in > 0) between_members_ = false;
    const int rc = between_members_ ? Z_OK : inflate(&z_, Z_NO_FLUSH);
    Step step{in_before - z_.avail_in, out_before - z_.avail_out, false};
    if (rc == Z_STREAM_END) {
      inflateReset(&z_);  // a next member may follow
      between_members_ = true;
    } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
      throw CorruptData(z_.msg ? z_.msg : "invalid deflate data", step.produced, step.consumed);
    } else if (rc == Z_MEM_ERROR) {
      throw std::bad_alloc();
    }  // Z_BUF_ERROR: no progress possible now (more input or room wanted)
    step.done = last && between_members_ && step.consumed == in.size();
    return step;
  }

 private:
  // Zero bytes after the last member (a logger's storage pads its files): ignored, as gzip
  // does. Anything else after them is not gzip data.
  Step pad(std::span<const std::uint8_t> in, bool last) {
    padding_ = true;
    for (std::size_t i = 0; i < in.size(); ++i)
      if (in[i] != 0) throw CorruptData("data after the zero bytes that follow the last member", 0, i);
    return {in.size(), 0, last};
  }

  z_stream z_{};
  bool between_members_ = false;  // a member has ended and no byte of a next one was given
  bool padding_ = false;          // zero bytes after the last member: see pad()
};

}  // namespace

std::unique_ptr<Decompressor> make_gzip_decompressor() { return std::make_unique<GzipDecompressor>(); }

}  // namespace dltdump::compress
