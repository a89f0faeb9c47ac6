// Compressed outputs: which compression an output name's suffix asks for (`.gz`, `.zst`,
// `.xz`, after the extension that decides the kind: `x.dlt.zst`, `x.txt.gz`), and the
// frame encoders that write it (util::FrameEncoder, on util::FrameCompressor's workers,
// so that util::FdWriter ends every frame on a whole record).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "util/frame_compressor.hpp"

namespace dltdump::compress {

enum class OutputCompression : std::uint8_t { None, Gzip, Zstd, Xz };

// The compression the suffix of `name` asks for (case-insensitive); None for any other name.
OutputCompression output_compression(std::string_view name);

// The length of that suffix (".zst": 4), 0 for None.
std::size_t compression_suffix_size(OutputCompression compression);

// The worker threads that compress the frames of an output in `compression`: zstd at
// level 1, gzip at level 6 (libdeflate), xz at preset 1 (each frame an xz stream), one
// worker per core (at most 8), each with its own encoder. nullptr for None. Throws
// std::bad_alloc when a library cannot make an encoder, std::system_error when no thread
// can be started.
std::shared_ptr<util::FrameCompressor> make_frame_compressor(OutputCompression compression);

}  // namespace dltdump::compress
