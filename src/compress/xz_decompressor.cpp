// xz through liblzma's stream decoder, one stream at a time: after each, stream padding
// (zero bytes, a multiple of four) and then another stream or the end, as xz -dc reads
// them; any other byte is data after the last stream.
#include <lzma.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

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
  // threads 0: liblzma's one-thread decoder; else its multi-threaded one (the same output,
  // its blocks decoded side by side when their headers give their sizes, as xz -T makes them).
  explicit XzDecompressor(unsigned threads) : threads_(threads) { start_stream(); }
  ~XzDecompressor() override { lzma_end(&s_); }
  XzDecompressor(const XzDecompressor&) = delete;
  XzDecompressor& operator=(const XzDecompressor&) = delete;

  Step run(std::span<const std::uint8_t> in, std::span<std::uint8_t> out, bool last) override {
    std::size_t skipped = 0;  // bytes of `in` taken here: padding, the next stream's magic checked
    if (between_streams_) {
      while (skipped < in.size() && in[skipped] == 0 && magic_seen_ == 0) ++skipped, ++padding_;
      if (magic_seen_ == 0 && skipped == in.size()) {  // nothing but padding so far
        if (last && padding_ % 4 != 0) throw CorruptData("stream padding not a multiple of four bytes", 0, skipped);
        return {skipped, 0, last};
      }
      if (magic_seen_ == 0) {
        if (padding_ % 4 != 0) throw CorruptData("stream padding not a multiple of four bytes", 0, skipped);
        start_stream();
      }
      // Another stream, or bytes that are not one (xz -dc's "file format not recognized";
      // liblzma would say so only once it has a whole 12-byte header, and call a shorter
      // tail a cut).
      for (std::size_t i = skipped; i < in.size() && magic_seen_ < sizeof kMagic; ++i, ++magic_seen_)
        if (in[i] != kMagic[magic_seen_])
          throw CorruptData(
              padding_ ? "data after the zero bytes that follow the last stream" : "data after the last stream", 0, i);
      if (magic_seen_ == sizeof kMagic) between_streams_ = false;
    }
    s_.next_in = in.data() + skipped;
    s_.avail_in = in.size() - skipped;
    s_.next_out = out.data();
    s_.avail_out = out.size();
    const lzma_ret rc = lzma_code(&s_, last ? LZMA_FINISH : LZMA_RUN);
    Step step{in.size() - s_.avail_in, out.size() - s_.avail_out, false};
    if (rc == LZMA_STREAM_END) {
      // A stream has ended: padding or another stream may follow (xz's concatenation,
      // handled here to tell those bytes from others).
      between_streams_ = true;
      padding_ = 0;
      magic_seen_ = 0;
      step.done = last && step.consumed == in.size();
    } else if (rc == LZMA_MEM_ERROR) {
      throw std::bad_alloc();
    } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
      throw CorruptData(reason(rc), step.produced, step.consumed);
    }  // LZMA_BUF_ERROR: no progress possible (with LZMA_FINISH: the stream is cut short)
    return step;
  }

 private:
  static constexpr std::uint8_t kMagic[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};

  // A decoder for one stream (liblzma's LZMA_CONCATENATED would take the next ones itself,
  // but cannot tell junk after the last stream from a stream cut short).
  void start_stream() {
    lzma_ret rc = LZMA_OK;
    if (threads_ == 0) {
      rc = lzma_stream_decoder(&s_, kXzMemoryLimit, 0);
    } else {
      lzma_mt mt{};
      mt.threads = threads_;
      mt.memlimit_threading = kXzMemoryLimit;  // past it, one thread (no error)
      mt.memlimit_stop = kXzMemoryLimit;
      rc = lzma_stream_decoder_mt(&s_, &mt);
    }
    if (rc != LZMA_OK) throw std::bad_alloc();
  }

  unsigned threads_;
  lzma_stream s_ = LZMA_STREAM_INIT;
  bool between_streams_ = false;  // a stream has ended; no whole magic of a next one seen
  std::uint64_t padding_ = 0;     // zero bytes since the stream ended
  std::size_t magic_seen_ = 0;    // bytes of the next stream's magic seen (and given to s_)
};

}  // namespace

std::unique_ptr<Decompressor> make_xz_decompressor() { return std::make_unique<XzDecompressor>(0); }

std::unique_ptr<Decompressor> make_xz_mt_decompressor(unsigned threads) {
  return std::make_unique<XzDecompressor>(std::max(threads, 1u));
}

std::vector<XzBlock> xz_blocks(std::span<const std::uint8_t> file) {
  if (file.size() < 2 * LZMA_STREAM_HEADER_SIZE) return {};
  lzma_stream_flags footer{};
  if (lzma_stream_footer_decode(&footer, file.data() + file.size() - LZMA_STREAM_HEADER_SIZE) != LZMA_OK) return {};
  const std::uint64_t index_size = footer.backward_size;
  if (index_size > file.size() - 2 * LZMA_STREAM_HEADER_SIZE) return {};
  lzma_index* index = nullptr;
  std::uint64_t memory = kXzMemoryLimit;
  std::size_t at = 0;
  const std::uint8_t* in = file.data() + file.size() - LZMA_STREAM_HEADER_SIZE - index_size;
  if (lzma_index_buffer_decode(&index, &memory, nullptr, in, &at, static_cast<std::size_t>(index_size)) != LZMA_OK)
    return {};
  std::vector<XzBlock> blocks;
  if (lzma_index_stream_size(index) == file.size()) {  // one stream, the whole file
    lzma_index_iter it;
    lzma_index_iter_init(&it, index);
    while (!lzma_index_iter_next(&it, LZMA_INDEX_ITER_BLOCK))
      blocks.push_back(
          {it.block.compressed_file_offset, it.block.uncompressed_file_offset + it.block.uncompressed_size});
  }
  lzma_index_end(index, nullptr);
  return blocks;
}

}  // namespace dltdump::compress
