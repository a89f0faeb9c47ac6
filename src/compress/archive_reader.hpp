// An archive (tar or zip) read member by member, in archive order, with libarchive: no
// member is extracted to disk or held whole in memory. Its bytes come from a util::InputFile
// — the file itself, or the decompressed stream of a compressed tar (x.tar.gz: the outer
// layer is undone by compress::DecompressingSource, as for any compressed input) — and a
// member's bytes are a util::ByteSource that the input layer sniffs and decodes as it would
// a file (input/archive_members.hpp).
//
// A zip inside a mapped file is read through its central directory (seeking) when its end
// record agrees with that directory; from a pipe (standard input, or a zip inside
// compression), or a file whose end record is missing or damaged, as a stream, which libarchive can do for
// most zips but not for a stored member whose size only follows its data. A streamed zip's
// local headers do not say which members are links: its central directory, read after its
// last member, does (late_links).
//
// A zip member whose data is damaged (a wrong CRC, corrupt or cut deflate data) fails alone
// when libarchive can reach the next member: through the central directory, or, streamed,
// when the member's local header gave its size. A tar's data has no check: a fault there is
// a cut (or the outer compression's), which ends the archive.
//
// Bounds: what the members' data adds up to is held to Limits::max_ratio times the file's
// compressed bytes (a zip's deflate or a tar's sparse member may expand as a bomb would),
// checked past Limits::kRatioFloor as for compressed streams; libarchive's own state is
// bounded per member.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compress/decompressing_source.hpp"
#include "util/byte_source.hpp"
#include "util/input_file.hpp"

struct archive;  // libarchive's handle

namespace dltdump::compress {

// How member `path` of archive `archive` is named in messages, SKIP and --position lines,
// JSON `input` fields and (its last component) %FILE%: `archive/path`, without the empty
// and `.` components of the path (the `./` that `tar -C dir .` puts before every path, a
// leading `/`, `//`: `x.tar/a/b.dlt`, not `x.tar/./a//b.dlt`), with every control
// byte of the path shown as `?` (no forged line, no escape sequence), at most
// kMaxMemberPath bytes of its folders and kMaxMemberName of its last component kept (then
// `...`: %FILE% stays a name the file system takes), and a last component that is empty or
// begins with `.` or `-` preceded by `_`: %FILE% (output/file_template.hpp) names a visible
// file, never a folder (`.`, `..`), a hidden file (`..` would give `..txt`) or one that
// reads as a command's option (`-rf.dlt`).
std::string member_name(const std::string& archive, const std::string& path);
inline constexpr std::size_t kMaxMemberPath = 512;
inline constexpr std::size_t kMaxMemberName = 128;

class ArchiveReader {
 public:
  struct Member {
    std::string path;          // the member's path in the archive, as stored (may hold anything)
    bool regular = false;      // a regular file (others: directories, links — hard links too —, devices)
    bool encrypted = false;    // its data is encrypted (not read)
    std::uint64_t offset = 0;  // where its header begins in the archive (a zip: its local header)
  };

  // Reads `raw` (owned, from its current position) as an archive named `name` in messages
  // about the archive itself (a fault before its first member), whose members are named
  // member_name(`shown`, path) (`shown`: the archive as the command line gives it).
  // `limits.file`: the outermost compressed layer (x.tar.gz), or null when `raw` is the
  // file itself. Throws std::bad_alloc when libarchive cannot set up.
  ArchiveReader(util::InputFile raw, std::string name, std::string shown, Limits limits);
  // Frees libarchive's state, unless a member's source is still alive (kept by a thread
  // that waits on a silent pipe): then that state is left to end with the process.
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // The next entry, nullopt after the last. The source of the previous member must be
  // gone (one kept by a decompressing thread that waits on a silent pipe is a fault of the
  // archive: nothing more is read). Throws util::input_error naming the archive, the member
  // and the offset for a corrupt or cut archive; naming the archive and where the header
  // begins for a damaged tar header, which libarchive would skip over (not the entry
  // before it: a link, say); at the end of a zip read as a stream, naming the archive for
  // an end record missing or not agreeing with its directory (zip_end_damage); what
  // reading `raw` throws (util::Stopped too).
  std::optional<Member> next();

  // The current entry's data, read through libarchive on the calling thread (any one
  // thread at a time). Valid until next() or this reader's end: the caller destroys it
  // first. Its input_progress() is the file's compressed bytes read so far (for nested
  // compression: Limits::file), its input_of_read() the file byte where a fault in what it
  // gave would be named (the end of libarchive's current block). read() throws
  // util::input_error for a fault of the data (naming the member and offsets: where the
  // fault was found; a warning that came with data, such as a zip member's wrong CRC,
  // after that data), past the ratio limit, and what reading `raw` throws. A fault of the
  // member's data alone (see above) leaves failed() false: next() goes on; the message ends
  // `reading the member stopped there`, an archive's `reading the archive stopped there`.
  std::unique_ptr<util::ByteSource> member_source();

  // The file's (compressed) bytes read so far.
  std::uint64_t file_bytes() const noexcept;

  // Whether a fault of the archive (or of reading its file) was thrown: nothing more can be
  // read from it. A fault of a member's own content (a corrupt gzip member, a malformed
  // capture) is not the archive's: the next member can be read.
  bool failed() const noexcept;

  // A zip read as a stream (a pipe, or a file whose end record does not agree with its
  // directory: zip_end_record_agrees), after next() gave its end: the offsets (Member::
  // offset) of the members its central directory marks as symbolic links
  // (compress/zip_directory.hpp), which next() gave as regular files, their data the
  // target's path. Empty otherwise, and for a directory over 16 MiB or not found where
  // libarchive stopped.
  const std::vector<std::uint64_t>& late_links() const noexcept;

  struct Io;  // what libarchive's callbacks reach (archive_reader.cpp)

 private:
  std::unique_ptr<Io> io_;
  ::archive* archive_ = nullptr;
};

}  // namespace dltdump::compress
