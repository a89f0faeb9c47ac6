// What a zip's central directory says about the kind of its members, for a zip read as a
// stream (standard input, a zip inside compression). A member's local header, which a
// stream gives before its data, holds no file type: a symbolic link is stored as a regular
// file whose data is its target's path, and only the central directory, at the archive's
// end, says it is a link (the Unix mode in its external attributes). A zip file is read
// through that directory (compress/archive_reader.hpp) and its links are known at once.
#pragma once

#include <cstdint>
#include <span>
#include <string>
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

// What is wrong with the end of a zip read as a stream: `rest` holds its bytes from stream
// offset `at` — where its last member ended, so its central directory begins there — to
// its end. Its central directory entries must be followed by an end of central directory
// record (a zip64 end record and locator may come between) that agrees with them: its
// entry count, its directory size and offset (each unless escaped for zip64), whole with
// its comment. Returns "" when it does, else the damage in a few words (for a message
// naming the archive). Never reads outside `rest`.
std::string zip_end_damage(std::span<const std::uint8_t> rest, std::uint64_t at);

// Whether a whole zip `file` (mapped) has an end record (zip_has_end_record: the last one
// found) that agrees with the central directory before it — the entries end where it (or
// the zip64 records) begins, as many as it counts, and its offset is where the directory
// begins, measured from where the zip begins (a self-extracting stub before it is allowed:
// a local header there). Then libarchive can read the zip through its directory; otherwise
// it is read as a stream, whose end zip_end_damage judges as on a pipe.
bool zip_end_record_agrees(std::span<const std::uint8_t> file);

}  // namespace dltdump::compress
