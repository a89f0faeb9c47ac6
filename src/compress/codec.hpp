// The compressed formats dltdump reads, and what tells them apart: the magic at their start.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace dltdump::compress {

enum class Codec : std::uint8_t { Gzip, Zstd, Xz, Bzip2 };

// The codec whose magic `head` begins with; nullopt for none (or too few bytes to tell).
// A zstd skippable frame counts as zstd (the decoder skips it).
std::optional<Codec> codec_of(std::span<const std::uint8_t> head) noexcept;

// "gzip", "zstd", "xz", "bzip2": the format's name in messages.
const char* codec_name(Codec codec) noexcept;

}  // namespace dltdump::compress
