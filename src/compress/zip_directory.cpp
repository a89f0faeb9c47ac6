#include "compress/zip_directory.hpp"

namespace dltdump::compress {

namespace {

// APPNOTE.TXT 4.3.12: the central directory file header.
constexpr std::size_t kHeaderBytes = 46;
constexpr std::uint32_t kHeaderSignature = 0x02014B50;  // PK\1\2
constexpr std::uint8_t kHostUnix = 3, kHostMacOs = 19;  // "version made by", high byte
constexpr std::uint32_t kTypeMask = 0170000, kTypeLink = 0120000;
constexpr std::uint32_t kZip64Escape = 0xFFFFFFFF;
constexpr std::uint16_t kZip64Extra = 0x0001;

std::uint16_t le16(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(le16(b, at)) | (static_cast<std::uint32_t>(le16(b, at + 2)) << 16);
}
std::uint64_t le64(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint64_t>(le32(b, at)) | (static_cast<std::uint64_t>(le32(b, at + 4)) << 32);
}

// The zip64 local header offset in `extra` (an entry's extra field): after the sizes the
// header escapes (each 8 bytes), as APPNOTE 4.5.3 orders them; `offset` when the field is
// missing or too short.
std::uint64_t zip64_offset(std::span<const std::uint8_t> extra, bool size_escaped, bool compressed_escaped,
                           std::uint64_t offset) {
  std::size_t at = 0;
  while (at + 4 <= extra.size()) {
    const std::uint16_t id = le16(extra, at);
    const std::size_t length = le16(extra, at + 2);
    if (at + 4 + length > extra.size()) break;
    if (id == kZip64Extra) {
      const std::size_t skip = (size_escaped ? 8 : 0) + (compressed_escaped ? 8 : 0);
      if (length >= skip + 8) return le64(extra, at + 4 + skip);
      break;
    }
    at += 4 + length;
  }
  return offset;
}

}  // namespace

std::vector<std::uint64_t> zip_link_offsets(std::span<const std::uint8_t> directory) {
  std::vector<std::uint64_t> links;
  std::size_t at = 0;
  while (at + kHeaderBytes <= directory.size() && le32(directory, at) == kHeaderSignature) {
    const std::size_t name = le16(directory, at + 28), extra = le16(directory, at + 30),
                      comment = le16(directory, at + 32);
    const std::size_t next = at + kHeaderBytes + name + extra + comment;
    if (next > directory.size()) break;
    const std::uint8_t host = directory[at + 5];
    const std::uint32_t mode = le32(directory, at + 38) >> 16;
    if ((host == kHostUnix || host == kHostMacOs) && (mode & kTypeMask) == kTypeLink) {
      std::uint64_t offset = le32(directory, at + 42);
      if (offset == kZip64Escape)
        offset =
            zip64_offset(directory.subspan(at + kHeaderBytes + name, extra), le32(directory, at + 24) == kZip64Escape,
                         le32(directory, at + 20) == kZip64Escape, offset);
      links.push_back(offset);
    }
    at = next;
  }
  return links;
}

bool zip_has_end_record(std::span<const std::uint8_t> file) {
  constexpr std::size_t kEndBytes = 22, kMaxComment = 65535;
  constexpr std::uint32_t kEndSignature = 0x06054B50;  // PK\5\6
  if (file.size() < kEndBytes) return false;
  const std::size_t lowest = file.size() > kEndBytes + kMaxComment ? file.size() - kEndBytes - kMaxComment : 0;
  for (std::size_t at = file.size() - kEndBytes + 1; at-- > lowest;)
    if (le32(file, at) == kEndSignature) return true;
  return false;
}

}  // namespace dltdump::compress
