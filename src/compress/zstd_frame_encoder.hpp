// zstd frames (libzstd), each made on the calling thread: the frames of an output are
// compressed side by side by util::FrameCompressor's workers, one encoder each.
#pragma once

#include <memory>

#include "util/frame_encoder.hpp"

namespace dltdump::compress {

// `level`: zstd's, negative for its fast levels (`zstd --fast=N` is level -N).
// Throws std::bad_alloc when libzstd cannot make a context.
std::unique_ptr<util::FrameEncoder> make_zstd_frame_encoder(int level);

}  // namespace dltdump::compress
