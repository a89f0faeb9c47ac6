#include "compress/output_compression.hpp"

#include <algorithm>
#include <thread>

#include "compress/gzip_frame_encoder.hpp"
#include "compress/xz_frame_encoder.hpp"
#include "compress/zstd_frame_encoder.hpp"
#include "util/ascii.hpp"

namespace dltdump::compress {

namespace {

struct Suffix {
  std::string_view text;
  OutputCompression compression;
};
constexpr Suffix kSuffixes[] = {
    {".gz", OutputCompression::Gzip},
    {".zst", OutputCompression::Zstd},
    {".xz", OutputCompression::Xz},
};

// zstd's fastest positive level (level 3 was 1.6x slower for 5 % fewer bytes), gzip's
// usual default, xz's fastest preset (docs/PERFORMANCE.md, compressed outputs).
constexpr int kZstdLevel = 1;
constexpr int kGzipLevel = 6;
constexpr std::uint32_t kXzPreset = 1;

}  // namespace

OutputCompression output_compression(std::string_view name) {
  for (const auto& s : kSuffixes)
    if (name.size() > s.text.size() && util::ascii_lower(name.substr(name.size() - s.text.size())) == s.text)
      return s.compression;
  return OutputCompression::None;
}

std::size_t compression_suffix_size(OutputCompression compression) {
  for (const auto& s : kSuffixes)
    if (s.compression == compression) return s.text.size();
  return 0;
}

std::shared_ptr<util::FrameCompressor> make_frame_compressor(OutputCompression compression) {
  util::FrameCompressor::MakeEncoder make;
  switch (compression) {
    case OutputCompression::Gzip: make = [] { return make_gzip_frame_encoder(kGzipLevel); }; break;
    case OutputCompression::Zstd: make = [] { return make_zstd_frame_encoder(kZstdLevel); }; break;
    case OutputCompression::Xz: make = [] { return make_xz_frame_encoder(kXzPreset); }; break;
    case OutputCompression::None: return nullptr;
  }
  // One worker per core (as many as decoding threads by default): the frames are
  // independent, so they compress side by side while the caller decodes.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return std::make_shared<util::FrameCompressor>(make, std::min(cores, 8u));
}

}  // namespace dltdump::compress
