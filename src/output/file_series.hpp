// The files one output writes: naming, creation rules and splitting (dltdump-spec §6.2,
// §6.3; the seed design's §2.4.4.7 table).
//
// * Files are opened on demand (`open`, called when the first line for a file arrives), so
//   a run that writes no line creates no file. The name comes from the template with the
//   current input, counter and the first line's time.
// * A *series* is the list of files written for one stream of lines: the whole run when the
//   template has no %FILE% (inputs are concatenated), else one series per input
//   (`begin_input` closes the file and starts a new series with counter 001).
// * Splitting is on when a split size is given and the template can split (%CTR% or a
//   date/time variable): after a line, `full(size)` says the file reached its limit; the
//   caller closes it and the next line opens the next name. If that name is the file just
//   closed (a date that did not change), it is reopened for append and its limit grows by
//   20 % of the split size.
// * With %LC% in the template, each lifecycle has its own file, and several may be open:
//   the caller takes each opened descriptor over (`release`) and keeps the files open as
//   output/lifecycle_files.hpp does. A file this series created before is continued by
//   append (a lifecycle's file that was closed to make room). Such files are not split.
// * Never overwritten, even with force: an input of the run (same device and inode) —
//   `Not overwriting the input file <abs path>.` — or a file this run created, unless it is
//   the series' last file being continued — `Not overwriting previously created file <name>.`
//   (when another input made it — two inputs of one base name with %FILE% — the line names
//   both: `… <name> (the output of <input>) with the output of <input>.`).
//   Without force an existing file is refused: `The file '<abs path>' already exists.`
//   These throw util::creation_error: the current input fails, the run goes on with the next.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "compress/output_compression.hpp"
#include "output/file_template.hpp"
#include "util/file_identity.hpp"
#include "util/scoped_fd.hpp"
#include "util/timestamp.hpp"

namespace dltdump::output {

// The least size a file of a split may be given (dltdump-spec §1.2: --split's 64 KiB).
inline constexpr std::uint64_t kMinSplitBytes = 64u << 10;

struct FileSeriesOptions {
  std::string name_template;
  std::uint64_t split_bytes = 0;           // 0: one file per series
  bool force = false;                      // truncate existing files (never inputs or this run's)
  std::vector<util::FileIdentity> inputs;  // files that must never be written
  // Compresses each file (the writer's business: the series counts bytes before compression)
  compress::OutputCompression compression = compress::OutputCompression::None;
  // A library's: a name that is the process's standard output or error by another name
  // (util::names_standard_stream; `/dev/fd/%FILE%` over an input named `1.dlt`) is refused
  // when its file is to be made — the host program's output is not the library's.
  bool not_standard_streams = false;
};

class FileSeries {
 public:
  explicit FileSeries(FileSeriesOptions options);
  FileSeries(const FileSeries&) = delete;
  FileSeries& operator=(const FileSeries&) = delete;
  ~FileSeries();

  const FileTemplate& name_template() const { return template_; }
  bool splits() const { return split_bytes_ > 0; }

  // A new input begins (`path` as given; "-" for standard input; `member`: it is an
  // archive's member, `path` its name `archive/path`). Without %FILE% the open file stays
  // open; with it, the file is closed — the caller flushes its buffer first.
  void begin_input(std::string_view path, bool member = false);

  bool is_open() const { return fd_ >= 0; }
  // Opens the file for a first line at `time`. Returns the bytes the file already holds
  // (non-zero only when continued by append). Throws util::Error (see above).
  std::uint64_t open(util::Timestamp time, std::uint64_t lifecycle = 0);
  int fd() const { return fd_; }
  const std::string& name() const { return name_; }

  // Hands the open file's descriptor to the caller (files by lifecycle).
  util::ScopedFd release() { return util::ScopedFd(std::exchange(fd_, -1)); }
  // Whether a file now `size` bytes long has reached its split limit (then the caller
  // flushes and calls close(true)).
  bool full(std::uint64_t size) const { return split_bytes_ > 0 && size >= limit_; }
  // Closes the open file, if any; `full`: the next file of the series gets the next counter.
  void close(bool full = false);
  // Whether `file` is one this run created (or truncated) so far.
  bool created(const util::FileIdentity& file) const {
    return std::find(created_.begin(), created_.end(), file) != created_.end();
  }

 private:
  bool was_created(const std::string& name) const;

  FileTemplate template_;
  std::uint64_t split_bytes_;
  bool force_;
  bool not_standard_streams_;
  std::vector<util::FileIdentity> inputs_;
  std::vector<util::FileIdentity> created_;          // files this run created (or truncated)
  std::vector<std::string> creators_;                // for each, the input it was created for
  std::vector<bool> creator_members_;                // and whether that was an archive's member
  std::string input_;                                // the current input (begin_input's path)
  bool member_ = false;                              // it is an archive's member
  std::string stem_;                                 // %FILE% of the current input
  std::vector<std::string> series_;                  // names of the current series' files
  std::unordered_set<std::string> lifecycle_files_;  // with %LC%: every name in series_
  std::uint32_t counter_ = 1;
  std::uint64_t limit_ = 0;
  int fd_ = -1;
  std::string name_;
};

}  // namespace dltdump::output
