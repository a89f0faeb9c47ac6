#include "compress/zip_directory.hpp"

#include <optional>
#include <utility>

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

namespace {

// APPNOTE.TXT 4.3.16: the end of central directory record; 4.3.14, 4.3.15: zip64's.
constexpr std::size_t kEndBytes = 22, kMaxComment = 65535;
constexpr std::uint32_t kEndSignature = 0x06054B50;           // PK\5\6
constexpr std::uint32_t kZip64EndSignature = 0x06064B50;      // PK\6\6
constexpr std::uint32_t kZip64LocatorSignature = 0x07064B50;  // PK\6\7
constexpr std::size_t kZip64EndFixed = 12, kZip64LocatorBytes = 20;
constexpr std::uint16_t kCountEscape = 0xFFFF;

// Where the last end record's signature is, with room for its 22 bytes, in the last
// 22 + 65535 bytes of `file`.
std::optional<std::size_t> end_record_at(std::span<const std::uint8_t> file) {
  if (file.size() < kEndBytes) return std::nullopt;
  const std::size_t lowest = file.size() > kEndBytes + kMaxComment ? file.size() - kEndBytes - kMaxComment : 0;
  for (std::size_t at = file.size() - kEndBytes + 1; at-- > lowest;)
    if (le32(file, at) == kEndSignature) return at;
  return std::nullopt;
}

// The central directory entries from the start of `d`: how many, and where they end.
std::pair<std::uint64_t, std::size_t> walk_entries(std::span<const std::uint8_t> d) {
  std::uint64_t entries = 0;
  std::size_t at = 0;
  while (at + kHeaderBytes <= d.size() && le32(d, at) == kHeaderSignature) {
    const std::size_t next = at + kHeaderBytes + le16(d, at + 28) + le16(d, at + 30) + le16(d, at + 32);
    if (next > d.size()) break;
    ++entries;
    at = next;
  }
  return {entries, at};
}

// Past the zip64 end record and its locator at `at` in `d`, if they are there and whole.
std::size_t past_zip64_records(std::span<const std::uint8_t> d, std::size_t at) {
  if (at + kZip64EndFixed <= d.size() && le32(d, at) == kZip64EndSignature) {
    const std::uint64_t size = le64(d, at + 4);
    if (size <= d.size() - at - kZip64EndFixed) at += kZip64EndFixed + static_cast<std::size_t>(size);
  }
  if (at + kZip64LocatorBytes <= d.size() && le32(d, at) == kZip64LocatorSignature) at += kZip64LocatorBytes;
  return at;
}

}  // namespace

bool zip_has_end_record(std::span<const std::uint8_t> file) { return end_record_at(file).has_value(); }

std::string zip_end_damage(std::span<const std::uint8_t> rest, std::uint64_t at) {
  const auto [entries, end] = walk_entries(rest);
  const std::size_t record = past_zip64_records(rest, end);
  if (record + 4 > rest.size() || le32(rest, record) != kEndSignature)
    return "no end of central directory record after its " + std::to_string(entries) + " central directory entries";
  if (record + kEndBytes > rest.size() || record + kEndBytes + le16(rest, record + 20) > rest.size())
    return "its end of central directory record is cut short";
  const std::uint16_t count = le16(rest, record + 10);
  const std::uint32_t size = le32(rest, record + 12), offset = le32(rest, record + 16);
  if (count != kCountEscape && count != entries)
    return "its end of central directory record's entry count is " + std::to_string(count) + ", the directory holds " +
           std::to_string(entries);
  if (size != kZip64Escape && size != end)
    return "its end of central directory record gives the directory " + std::to_string(size) + " bytes, not " +
           std::to_string(end);
  if (offset != kZip64Escape && offset != at)
    return "its end of central directory record places the directory at byte " + std::to_string(offset) + ", not " +
           std::to_string(at);
  return {};
}

bool zip_end_record_agrees(std::span<const std::uint8_t> file) {
  const std::optional<std::size_t> record = end_record_at(file);
  if (!record) return false;
  const std::uint32_t size = le32(file, *record + 12), offset = le32(file, *record + 16);
  if (size == kZip64Escape || offset == kZip64Escape) return true;  // zip64: libarchive's to judge
  // The directory ends where the zip64 records or the end record begin.
  for (std::size_t directory_end : {*record, *record >= kZip64LocatorBytes ? *record - kZip64LocatorBytes : *record}) {
    if (directory_end < size) continue;
    const std::size_t start = directory_end - size;
    if (start < offset) continue;
    const std::size_t zip_start = start - offset;  // a self-extracting stub before it
    if (offset > 0 && (zip_start + 4 > file.size() || le32(file, zip_start) != 0x04034B50)) continue;
    const std::span<const std::uint8_t> rest = file.subspan(start);
    if (zip_end_damage(rest, offset).empty()) return true;
  }
  return false;
}

}  // namespace dltdump::compress
