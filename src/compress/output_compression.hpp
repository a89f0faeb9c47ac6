// Compressed outputs: which compression an output name's suffix asks for (`.gz`, `.zst`,
// `.xz`, after the extension that decides the kind: `x.dlt.zst`, `x.txt.gz`), and the
// frame encoder that writes it (util::FrameEncoder, so that util::FdWriter ends every
// frame on a whole record).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "util/frame_encoder.hpp"

namespace dltdump::compress {

enum class OutputCompression : std::uint8_t { None, Gzip, Zstd, Xz };

// The compression the suffix of `name` asks for (case-insensitive); None for any other name.
OutputCompression output_compression(std::string_view name);

// The length of that suffix (".zst": 4), 0 for None.
std::size_t compression_suffix_size(OutputCompression compression);

// The encoder for `compression` (not None): zstd at level 1 with worker threads, gzip at
// level 6 (libdeflate), xz at preset 1 (single-threaded: each frame is an xz stream).
// Throws std::bad_alloc when the library cannot make one.
std::shared_ptr<util::FrameEncoder> make_frame_encoder(OutputCompression compression);

}  // namespace dltdump::compress
