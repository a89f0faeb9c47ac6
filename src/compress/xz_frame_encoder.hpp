// xz streams (liblzma: one call per stream, the whole frame in memory).
#pragma once

#include <cstdint>
#include <memory>

#include "util/frame_encoder.hpp"

namespace dltdump::compress {

std::unique_ptr<util::FrameEncoder> make_xz_frame_encoder(std::uint32_t preset);

}  // namespace dltdump::compress
