// Searching a byte stream for the 4-byte sync markers of DLT files (`DLT\1`) and serial
// recordings (`DLS\1`). The framer asks these per packet, so they are made for short
// regions: the common case costs a few vector compares, never a library call's setup.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/byte_order.hpp"

namespace dltdump::dlt {

// What starts each storage header of a DLT file, and each packet of a serial recording.
inline constexpr std::uint8_t kFileMarker[4] = {'D', 'L', 'T', 0x01};
inline constexpr std::uint8_t kSerialMarker[4] = {'D', 'L', 'S', 0x01};

// find_marker's search when the marker is not at p.
std::size_t find_marker_after_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker);

// Offset of the first occurrence of the 4-byte `marker` in [p, p+n), or n.
inline std::size_t find_marker(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  if (n >= 4 && util::load_le32(p) == util::load_le32(marker)) return 0;  // the common case: a packet starts
  return find_marker_after_start(p, n, marker);
}

// Length (0-3) of the longest proper prefix of `marker` that ends the region [p, p+n).
std::size_t marker_prefix_at_end(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker);

// True if a marker may start in [p, p+n): wholly inside, or as a proper prefix that ends
// the region (to be completed by bytes after it). Uses AVX2 where the processor has it.
bool marker_may_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker);

// The same without AVX2 (SSE2 where the build has it): for tests of both paths.
bool marker_may_start_without_avx2(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker);

}  // namespace dltdump::dlt
