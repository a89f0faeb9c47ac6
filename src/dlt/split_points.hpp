// Where a DLT file (storage-header format) may be cut for parallel decoding.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dltdump::dlt {

// The first offset >= `from` that starts a verified packet: `DLT\1`, a valid standard
// header, a payload that parses, and either the end of the file or another `DLT\1` right
// after the packet. Returns file.size() if there is none. A false positive (a packet
// embedded in another's payload) is harmless: the parallel decoder detects that the
// previous block's framer ran past it and decodes on serially.
std::uint64_t next_verified_packet(std::span<const std::uint8_t> file, std::uint64_t from);

// Block starts for decoding `file` in pieces of about `block_bytes`: 0, then one verified
// packet start at or after each multiple of block_bytes (duplicates removed), then
// file.size() as the end.
std::vector<std::uint64_t> split_points(std::span<const std::uint8_t> file, std::uint64_t block_bytes);

}  // namespace dltdump::dlt
