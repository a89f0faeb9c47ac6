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

// The cut after `cut` for blocks of about `block_bytes` (> 0): the first verified packet at
// or after the next multiple of block_bytes above `cut`; file.size() if there is none. It
// depends on `cut` alone, so a reader of one block knows where the next begins (the
// library's chunked reads, dltdump/chunks.hpp) without the cuts before it.
std::uint64_t next_cut(std::span<const std::uint8_t> file, std::uint64_t cut, std::uint64_t block_bytes);

// The cuts of `file` into blocks of about `block_bytes`: block 0 starts at 0, block k at
// next_cut of block k-1's start.
// Cuts are found when first asked for: probing every cut of a file up front would fault in
// most of a mapping at once (each probe maps a whole page-cache folio), so resident memory
// would grow with the file. Not thread-safe: callers serialise access.
class CutPoints {
 public:
  CutPoints(std::span<const std::uint8_t> file, std::uint64_t block_bytes);
  // Start of block k; file.size() when block k does not exist.
  std::uint64_t at(std::size_t k);
  bool exists(std::size_t k) { return at(k) < file_.size(); }

 private:
  std::span<const std::uint8_t> file_;
  std::uint64_t block_;
  std::vector<std::uint64_t> points_{0};
};

}  // namespace dltdump::dlt
