#include "compress/codec.hpp"

#include <algorithm>
#include <array>

namespace dltdump::compress {

namespace {

bool starts_with(std::span<const std::uint8_t> head, std::span<const std::uint8_t> magic) noexcept {
  return head.size() >= magic.size() && std::equal(magic.begin(), magic.end(), head.begin());
}

}  // namespace

std::optional<Codec> codec_of(std::span<const std::uint8_t> head) noexcept {
  // Any method byte: deflate is the only one defined, and the decoder says so for others.
  static constexpr std::array<std::uint8_t, 2> kGzip{0x1f, 0x8b};
  static constexpr std::array<std::uint8_t, 4> kZstd{0x28, 0xb5, 0x2f, 0xfd};
  static constexpr std::array<std::uint8_t, 6> kXz{0xfd, '7', 'z', 'X', 'Z', 0x00};
  static constexpr std::array<std::uint8_t, 3> kBzip2{'B', 'Z', 'h'};
  if (starts_with(head, kGzip)) return Codec::Gzip;
  if (starts_with(head, kZstd)) return Codec::Zstd;
  // A skippable frame: a magic 0x184D2A50..5F, little-endian.
  if (head.size() >= 4 && (head[0] & 0xf0) == 0x50 && head[1] == 0x2a && head[2] == 0x4d && head[3] == 0x18)
    return Codec::Zstd;
  if (starts_with(head, kXz)) return Codec::Xz;
  if (starts_with(head, kBzip2) && head.size() >= 4 && head[3] >= '1' && head[3] <= '9') return Codec::Bzip2;
  return std::nullopt;
}

const char* codec_name(Codec codec) noexcept {
  switch (codec) {
    case Codec::Gzip: return "gzip";
    case Codec::Zstd: return "zstd";
    case Codec::Xz: return "xz";
    case Codec::Bzip2: return "bzip2";
  }
  return "compressed";
}

}  // namespace dltdump::compress
