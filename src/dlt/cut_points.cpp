#include "dlt/cut_points.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/marker_scan.hpp"
#include "dlt/packet.hpp"

namespace dltdump::dlt {

namespace {
constexpr std::size_t kStorage = kStorageHeaderBytes;
}  // namespace

std::uint64_t next_verified_packet(std::span<const std::uint8_t> file, std::uint64_t from) {
  const std::uint8_t* base = file.data();
  const std::size_t size = file.size();
  std::size_t p = static_cast<std::size_t>(from);
  while (p + kStorage + 4 <= size) {
    p += find_marker(base + p, size - p, kFileMarker);
    if (p + kStorage + 4 > size) break;
    const unsigned len = standard_header_length(base + p + kStorage);
    const std::size_t end = p + kStorage + len;
    Message m;
    if (len != 0 && end <= size && (end == size || (end + 4 <= size && std::memcmp(base + end, kFileMarker, 4) == 0)) &&
        parse_packet({base + p + kStorage, len}, m))
      return p;
    ++p;
  }
  return size;
}

CutPoints::CutPoints(std::span<const std::uint8_t> file, std::uint64_t block_bytes)
    : file_(file), block_(block_bytes ? block_bytes : 1) {}

std::uint64_t CutPoints::at(std::size_t k) {
  while (points_.size() <= k) {
    const std::uint64_t prev = points_.back();
    const std::uint64_t nominal = std::max<std::uint64_t>(points_.size() * block_, prev + 1);
    points_.push_back(prev >= file_.size() || nominal >= file_.size() ? file_.size()
                                                                      : next_verified_packet(file_, nominal));
  }
  return points_[k];
}

}  // namespace dltdump::dlt
