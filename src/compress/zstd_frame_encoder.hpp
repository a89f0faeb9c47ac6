// zstd frames (libzstd), compressed by `workers` threads of the library (0: on the
// calling thread) when a frame is large enough to be cut into jobs.
#pragma once

#include <memory>

#include "util/frame_encoder.hpp"

namespace dltdump::compress {

// Throws std::bad_alloc when libzstd cannot make a context.
std::shared_ptr<util::FrameEncoder> make_zstd_frame_encoder(int level, int workers);

}  // namespace dltdump::compress
