// An archive as a series of inputs: each member that is a regular file is opened as an input
// of its own, in archive order, sniffed (and decompressed, if it is compressed itself) as a
// file would be, and given to the caller when it holds DLT data — a DLT file, a recording, a
// capture; the others (text, an archive inside, lz4, what sniffs as nothing) are skipped
// and counted, an encrypted zip member too. Directories, links and devices are ignored —
// also a streamed zip's links, which its local headers give as regular files holding their
// target's path: skipped as unrecognised data until the central directory, after the last
// member, says they were links (compress::ArchiveReader::late_links), then not counted.
//
// Members are streamed, never extracted or held whole (compress/archive_reader.hpp): a
// member is read while it is decoded, and the next is reached only when it is done.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compress/archive_reader.hpp"
#include "input/decompressed_input.hpp"
#include "util/error.hpp"

namespace dltdump::input {

class ArchiveInput {
 public:
  // `archive`: what open_content returned for `name`, whose content is Tar or Zip; `shown`:
  // the archive as the command line gives it ("-" for standard input), which its members'
  // names begin with (compress::member_name).
  ArchiveInput(SniffedInput archive, const std::string& name, const std::string& shown);

  struct Member {
    std::optional<SniffedInput> input;  // the member's stream, sniffed (its content never compressed)
    std::string name;                   // compress::member_name: `shown/path`
    // Or, instead of `input`, why the member could not be opened: alone (its compressed
    // stream corrupt where the sniff read, too many layers: the next one can be), or with
    // the archive, `archive_failed` (its data cut short where the sniff read: the member is
    // named, as a cut found while it is decoded names it, and nothing follows).
    std::optional<util::Error> fault;
    bool archive_failed = false;
  };
  // The next member that holds DLT data, or that failed (alone, or with the archive:
  // Member::archive_failed, after which next() is not called again); nullopt after the last
  // (the skips then no longer count the links the archive's end revealed). The
  // previous member's InputFile must be gone. Throws util::input_error for a corrupt or cut
  // archive (naming it, the member and the offset), what the archive's reads throw
  // (util::Stopped too).
  std::optional<Member> next();

  // Whether the archive itself failed (compress::ArchiveReader::failed).
  bool failed() const noexcept { return reader_.failed(); }

  // Members skipped as not DLT data, and those encrypted, so far.
  std::uint64_t skipped() const noexcept { return skipped_; }
  std::uint64_t encrypted() const noexcept { return encrypted_; }

  // What the skipped members were, for --stats. A reason is what a member holds: "empty",
  // describe() of its content ("unrecognised data", "a tar archive", "a zip archive",
  // "lz4-compressed data"), or "encrypted" (not read). Reasons in the order first met, each
  // with its count; the first kListedSkips members by name (compress::member_name) with
  // their reason, `skipped_not_listed` the others (memory stays bounded however many).
  struct SkipReason {
    std::string reason;
    std::uint64_t members = 0;
  };
  struct SkippedMember {
    std::string name;
    std::string reason;
    std::uint64_t offset = 0;  // compress::ArchiveReader::Member::offset
  };
  static constexpr std::size_t kListedSkips = 100;
  const std::vector<SkipReason>& skip_reasons() const noexcept { return reasons_; }
  const std::vector<SkippedMember>& skipped_listed() const noexcept { return listed_; }
  std::uint64_t skipped_not_listed() const noexcept { return not_listed_; }

 private:
  // Counts member `name`, at `offset`, as skipped for `reason`.
  void skip(std::string name, std::string reason, std::uint64_t offset);
  // No longer counts the skipped members that the reader's late_links() names.
  void forget_links();

  std::string shown_;
  compress::Limits limits_;
  bool regular_;  // the archive is a regular file: so are its members' bytes (InputFile::from_regular_file)
  compress::ArchiveReader reader_;
  std::uint64_t skipped_ = 0, encrypted_ = 0;
  std::vector<SkipReason> reasons_;
  std::vector<SkippedMember> listed_;
  std::uint64_t not_listed_ = 0;
  std::vector<std::uint64_t> unrecognised_;  // the offsets of the members skipped as unrecognised data
};

// The one line that says what `archive` skipped; empty when it skipped nothing.
std::string skipped_members_line(const std::string& name, const ArchiveInput& archive);

}  // namespace dltdump::input
