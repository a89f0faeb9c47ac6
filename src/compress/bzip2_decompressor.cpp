// bzip2 through libbz2; streams follow each other (as pbzip2 and `cat` make them).
#include <bzlib.h>

#include <algorithm>
#include <limits>
#include <new>

#include "compress/decompressor.hpp"

namespace dltdump::compress {

namespace {

class Bzip2Decompressor final : public Decompressor {
 public:
  Bzip2Decompressor() { init(); }
  ~Bzip2Decompressor() override { BZ2_bzDecompressEnd(&s_); }
  Bzip2Decompressor(const Bzip2Decompressor&) = delete;
  Bzip2Decompressor& operator=(const Bzip2Decompressor&) = delete;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    constexpr std::size_t kMax = std::numeric_limits<unsigned>::max();
    if (padding_ || (between_streams_ && !in.empty() && in[0] == 0)) {
      // Zero bytes after the last stream (storage padding): ignored, as bzip2 ignores
      // trailing garbage. Anything else after them is not bzip2 data.
      padding_ = true;
      for (std::size_t i = 0; i < in.size(); ++i)
        if (in[i] != 0) throw CorruptData("data after the zero bytes that follow the last stream", 0, i);
      return {in.size(), 0, last};
    }
    if (between_streams_) {
      if (in.empty()) return {0, 0, last};
      BZ2_bzDecompressEnd(&s_);
      init();
      between_streams_ = false;
    }
    s_.next_in = const_cast<char*>(reinterpret_cast<const char*>(in.data()));  // libbz2 only reads it
    s_.avail_in = static_cast<unsigned>(std::min(in.size(), kMax));
    s_.next_out = reinterpret_cast<char*>(out.data());
    s_.avail_out = static_cast<unsigned>(std::min(out.size(), kMax));
    const unsigned in_before = s_.avail_in, out_before = s_.avail_out;
    const int rc = BZ2_bzDecompress(&s_);
    Step step{in_before - s_.avail_in, out_before - s_.avail_out, false};
    if (rc == BZ_STREAM_END) {
      between_streams_ = true;
      step.done = last && step.consumed == in.size();
    } else if (rc == BZ_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (rc != BZ_OK) {
      throw CorruptData(rc == BZ_DATA_ERROR_MAGIC ? "not bzip2 data" : "corrupt data", step.produced, step.consumed);
    }
    return step;
  }

 private:
  void init() {
    s_ = bz_stream{};
    if (BZ2_bzDecompressInit(&s_, 0, 0) != BZ_OK) throw std::bad_alloc();
  }
  bz_stream s_{};
  bool between_streams_ = false;
  bool padding_ = false;  // zero bytes after the last stream
};

}  // namespace

std::unique_ptr<Decompressor> make_bzip2_decompressor() { return std::make_unique<Bzip2Decompressor>(); }

}  // namespace dltdump::compress
