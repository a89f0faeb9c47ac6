// The packet descriptor that travels in aio batches.
//
// A plain view: `data` points at `size` bytes owned by whoever sent the batch, valid only
// for the duration of the send call (aio contract rule 7). The metadata travels with each
// packet, not with the batch, so a capture replayed from a file and a live receive look the
// same downstream: each packet has its own time (kernel or capture time stamp), the
// interface it was seen on and that interface's link type, its direction, and where its
// bytes start in the source file (for `--position`).
#pragma once

#include <cstdint>
#include <limits>

namespace dltdump::aio {

// The pcapng `epb_flags` direction values (bits 0-1).
enum class Direction : std::uint8_t { Unknown = 0, Inbound = 1, Outbound = 2 };

// pcap/pcapng link types (LINKTYPE_* of the IETF registry) that the project names.
namespace link_type {
inline constexpr std::uint16_t kEthernet = 1;
inline constexpr std::uint16_t kRaw = 101;  // IPv4 or IPv6, no link header
inline constexpr std::uint16_t kLinuxSll = 113;
inline constexpr std::uint16_t kIpv4 = 228;
inline constexpr std::uint16_t kIpv6 = 229;
inline constexpr std::uint16_t kLinuxSll2 = 276;
}  // namespace link_type

struct Packet {
  static constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

  const std::uint8_t* data = nullptr;  // may be null when size == 0
  std::uint32_t size = 0;              // bytes at data (the captured length)
  std::uint32_t original_size = 0;     // length on the wire (>= size); 0 means `size`
  std::int64_t time_ns = kNoTime;      // ns since 1970-01-01 UTC, or kNoTime if unknown
  std::uint64_t offset = 0;            // source offset of data[0] (file position), if any
  std::uint32_t interface = 0;         // interface index, unique within one source
  std::uint16_t link_type = link_type::kRaw;
  Direction direction = Direction::Unknown;

  std::uint32_t wire_size() const noexcept { return original_size > size ? original_size : size; }
};

}  // namespace dltdump::aio
