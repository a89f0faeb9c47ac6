#include "dlt/cut_points.hpp"

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

std::uint64_t next_cut(std::span<const std::uint8_t> file, std::uint64_t cut, std::uint64_t block_bytes) {
  const std::uint64_t size = file.size();
  if (block_bytes == 0 || cut >= size) return size;
  const std::uint64_t nominal = (cut / block_bytes + 1) * block_bytes;
  return nominal >= size ? size : next_verified_packet(file, nominal);
}

CutPoints::CutPoints(std::span<const std::uint8_t> file, std::uint64_t block_bytes)
    : file_(file), block_(block_bytes ? block_bytes : 1) {}

std::uint64_t CutPoints::at(std::size_t k) {
  while (points_.size() <= k) points_.push_back(next_cut(file_, points_.back(), block_));
  return points_[k];
}

}  // namespace dltdump::dlt
