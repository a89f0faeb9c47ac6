// PCAP-NG constants shared by the reader and the writer (IETF draft-ietf-opsawg-pcapng).
//
// Every block is: type u32, total length u32, body, total length u32 again; the total
// length is a multiple of 4 and at least 12. Options are u16 code, u16 value length
// (without padding), value zero-padded to 4 bytes; a list ends with code 0, length 0.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dltdump::pcap::pcapng {

inline constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
inline constexpr std::uint32_t kInterfaceDescription = 0x00000001;
inline constexpr std::uint32_t kObsoletePacket = 0x00000002;
inline constexpr std::uint32_t kSimplePacket = 0x00000003;
inline constexpr std::uint32_t kInterfaceStatistics = 0x00000005;
inline constexpr std::uint32_t kEnhancedPacket = 0x00000006;
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;

inline constexpr std::uint16_t kOptEnd = 0;
inline constexpr std::uint16_t kOptComment = 1;
inline constexpr std::uint16_t kShbHardware = 2;
inline constexpr std::uint16_t kShbOs = 3;
inline constexpr std::uint16_t kShbUserApplication = 4;
inline constexpr std::uint16_t kIfName = 2;
inline constexpr std::uint16_t kIfTsresol = 9;
inline constexpr std::uint16_t kIfTsoffset = 14;
inline constexpr std::uint16_t kEpbFlags = 2;
inline constexpr std::uint16_t kIsbStartTime = 2;
inline constexpr std::uint16_t kIsbEndTime = 3;
inline constexpr std::uint16_t kIsbIfRecv = 4;
inline constexpr std::uint16_t kIsbIfDrop = 5;
inline constexpr std::uint16_t kIsbOsDrop = 7;

// The largest block the reader accepts and the writer produces: Wireshark's cap (16 MiB,
// the largest D-Bus packet, plus 128 KiB of options). A section header block is capped
// lower, at 1 MiB, as libpcap does.
inline constexpr std::uint32_t kMaxBlockBytes = (16u << 20) + (128u << 10);
inline constexpr std::uint32_t kMaxSectionHeaderBytes = 1u << 20;
// The largest packet the writer takes: what fits in a block of kMaxBlockBytes with the
// EPB's fixed part, epb_flags, end of options and trailer.
inline constexpr std::uint32_t kMaxPacketBytes = kMaxBlockBytes - 28 - 8 - 4 - 4;

constexpr std::size_t pad4(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

}  // namespace dltdump::pcap::pcapng
