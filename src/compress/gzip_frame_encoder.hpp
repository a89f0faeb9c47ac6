// gzip members (libdeflate: one call per member, the whole frame in memory).
#pragma once

#include <memory>

#include "util/frame_encoder.hpp"

namespace dltdump::compress {

// Throws std::bad_alloc when libdeflate cannot make a compressor.
std::unique_ptr<util::FrameEncoder> make_gzip_frame_encoder(int level);

}  // namespace dltdump::compress
