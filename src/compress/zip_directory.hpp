// What a zip's central directory says about the kind of its members, for a zip read as a
// stream (standard input, a zip inside compression). A member's local header, which a
// stream gives before its data, holds no file type: a symbolic link is stored as a regular
// file whose data is its target's path, and only the central directory, at the archive's
// end, says it is a link (the Unix mode in its external attributes). A zip file is read
// through that directory (compress/archive_reader.hpp) and its links are known at once.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace dltdump::compress {

// The local header offsets of the entries that `directory` — the bytes from a zip's first
// central directory header on (what follows it, the end records, is passed over) — marks as
// symbolic links: made on Unix (or macOS), with S_IFLNK in the mode of their external
// attributes; a zip64 offset is taken from its extra field. In directory order. Reads
// entries while they are whole and begin with the central header signature: a directory
// cut short gives the links of its whole entries. Never reads outside `directory`.
std::vector<std::uint64_t> zip_link_offsets(std::span<const std::uint8_t> directory);

// Whether the last 22 + 65535 bytes of `file` (a whole zip) hold the signature of an end of
// central directory record with its 22 bytes: where libarchive looks for it to read the zip
// through its directory, seeking to each member (which goes on past a member whose data is
// damaged), rather than as a stream.
bool zip_has_end_record(std::span<const std::uint8_t> file);

}  // namespace dltdump::compress
