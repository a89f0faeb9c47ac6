#include "dlt/split_points.hpp"

#include <cstring>

#include "dlt/packet.hpp"

namespace dltdump::dlt {

namespace {
constexpr std::uint8_t kMarker[4] = {'D', 'L', 'T', 0x01};
constexpr std::size_t kStorage = 16;
}  // namespace

std::uint64_t next_verified_packet(std::span<const std::uint8_t> file, std::uint64_t from) {
  const std::uint8_t* base = file.data();
  const std::size_t size = file.size();
  std::size_t p = static_cast<std::size_t>(from);
  while (p + kStorage + 4 <= size) {
    const void* hit = ::memmem(base + p, size - p, kMarker, 4);
    if (!hit) break;
    p = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - base);
    if (p + kStorage + 4 > size) break;
    const unsigned len = standard_header_length(base + p + kStorage);
    const std::size_t end = p + kStorage + len;
    Message m;
    if (len != 0 && end <= size && (end == size || (end + 4 <= size && std::memcmp(base + end, kMarker, 4) == 0)) &&
        parse_packet({base + p + kStorage, len}, m))
      return p;
    ++p;
  }
  return size;
}

std::vector<std::uint64_t> split_points(std::span<const std::uint8_t> file, std::uint64_t block_bytes) {
  std::vector<std::uint64_t> points{0};
  if (block_bytes == 0) block_bytes = file.size() ? file.size() : 1;
  for (std::uint64_t nominal = block_bytes; nominal < file.size(); nominal += block_bytes) {
    if (nominal < points.back()) continue;  // the previous search ran past this one
    std::uint64_t p = next_verified_packet(file, nominal);
    if (p >= file.size()) break;
    if (p > points.back()) points.push_back(p);
  }
  points.push_back(file.size());
  return points;
}

}  // namespace dltdump::dlt
