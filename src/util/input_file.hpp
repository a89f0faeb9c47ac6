// A read-only file mapping, or a read of a non-mappable file (pipe, tty) in chunks.
//
// `InputFile::open` opens a path for reading. Regular files are memory-mapped whole and
// handed out in windows (`next_window`) so the framer works in place, without copies.
// Pages already consumed are released with `release_before` so that resident memory
// stays bounded however large the file is (the page cache keeps them, our RSS does not).
// Anything that cannot be mapped (stdin, a FIFO, a character device) is read with large
// `read(2)` calls into an owned buffer instead, and a util::ByteSource (a decompressed
// stream, `from_source`) likewise, as a pipe is. Errors throw util::Error with a message
// that names the path.
//
// A mapped file that another program cuts while it is read does not kill the process
// (util/shrink_guard.hpp): what lies past the new end reads as zeros, and the reader finds
// out with `shrunk_to` / `check_not_shrunk` at its next check (after a window or block).
// A file that grows while it is read is read to the size it had when opened.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "util/byte_source.hpp"
#include "util/error.hpp"

namespace dltdump::util {

class InputFile {
 public:
  // Opens `path`, or standard input when `path` is "-". Throws util::Error (naming `path`).
  // `name`: what the file is called once open, in messages about reading it (the input as
  // the command line gives it); empty: `path`.
  static InputFile open(const std::string& path, const std::string& name = {});
  // Wraps an already open descriptor (not closed by the destructor if !owned).
  static InputFile from_fd(int fd, std::string name, bool owned);
  // Device, inode and modification time: which file it is (see below).
  struct Identity {
    std::uint64_t device = 0, inode = 0;
    std::int64_t modified_ns = 0;
  };
  // Reads `source` (owned) as a pipe, named `name`, with the identity of the file it is
  // made from. progress() is then the source's input_progress(). Assumes source != nullptr.
  // `regular`: the source's bytes come from a regular file (see from_regular_file).
  static InputFile from_source(std::unique_ptr<ByteSource> source, std::string name, Identity identity,
                               bool regular = false);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  InputFile(const InputFile&) = delete;
  ~InputFile();

  // The next window of input bytes; empty at end of input. The span stays valid until
  // the next call. Throws util::Error on a read error, and util::Stopped when a stop is
  // requested (SIGINT/SIGTERM) while a pipe is read.
  std::span<const std::uint8_t> next_window();

  // The next bytes of the input that next_window() would hand out, at most `n` (> 0),
  // copied into `into`: for a reader that keeps them in buffers of its own (a pipe's or a
  // source's then skip the copy through this file's buffer). Returns
  // how many; 0 only at the end of input. Throws as next_window() does.
  std::size_t read(std::uint8_t* into, std::size_t n);

  // The first min(n, kReadBytes) bytes of the input, fewer only if it is shorter, without
  // consuming them: the first next_window() still begins with them. For telling the format
  // by content, also of a pipe, which is read only as far as asked (it keeps streaming).
  // Only before the first next_window(); valid until then. Throws util::Error on a read
  // error.
  std::span<const std::uint8_t> head(std::size_t n);

  // The whole file when it is mapped (empty otherwise). Valid as long as the InputFile.
  std::span<const std::uint8_t> whole() const noexcept { return {map_, map_size_}; }

  // Tells the file that bytes before stream offset `offset` are no longer referenced.
  void release_before(std::uint64_t offset) noexcept;

  // How far decoding has come, for a progress display (app/progress.hpp), from any thread:
  // the furthest offset given to release_before or note_progress, for a pipe at least the
  // bytes read.
  // A source's: the bytes it has read of its own input.
  std::uint64_t progress() const noexcept {
    return source_ ? source_->input_progress() : progress_.load(std::memory_order_relaxed);
  }
  // Decoding has come to stream offset `offset` (the decoding thread only; one store).
  void note_progress(std::uint64_t offset) noexcept {
    if (offset > progress_.load(std::memory_order_relaxed)) progress_.store(offset, std::memory_order_relaxed);
  }
  // Whether next_window() would return at once: a mapped file, bytes held, the end seen, or
  // a pipe with bytes to read (poll(2), no wait).
  bool ready() const noexcept;
  // Waits until ready() or `timeout_ms` has passed (poll(2)); returns ready().
  bool wait_ready(int timeout_ms) const noexcept;
  // `f` is called (on the reading thread) before a read of a pipe that would wait: for
  // writing out what was decoded so far, so that the lines of a slow producer show as they
  // come and a stop while waiting loses none. What `f` throws, next_window() throws. Empty:
  // none. The caller keeps what `f` refers to alive until it sets another.
  void set_before_wait(std::function<void()> f) { before_wait_ = std::move(f); }
  // The size of a mapped file (as mapped); 0 for a pipe, whose size is not known.
  std::uint64_t known_size() const noexcept { return map_size_; }

  // The file's size now, if it is smaller than the mapped size (another program cut it
  // since it was opened); nullopt otherwise, and for unmapped inputs. One fstat.
  std::optional<std::uint64_t> shrunk_to() const noexcept;
  // Throws util::Error naming the input if shrunk_to() says it shrank: the lines decoded
  // so far are those of its bytes before the cut; what follows is not decoded.
  void check_not_shrunk() const;
  // That error for a file found `now` bytes long; throw_shrunk throws it.
  Error shrink_error(std::uint64_t now) const;
  [[noreturn]] void throw_shrunk(std::uint64_t now) const { throw shrink_error(now); }

  // Set once the file is known to have been cut (see util::ShrinkGuard::cut_flag): a
  // framer given it stops at its next packet. Valid as long as the InputFile.
  const std::atomic<bool>* cut_flag() const noexcept;

  const std::string& name() const noexcept { return name_; }
  bool is_mapped() const noexcept { return map_ != nullptr; }
  // Whether it reads a util::ByteSource (from_source: a decompressed stream, an archive's member).
  bool from_source() const noexcept { return source_ != nullptr; }
  // Whether its bytes come from a regular file — itself, or the file its source decompresses
  // — so that a wait for them is this process's own work, never another program's pace (a
  // pipe, a terminal, a socket): what is written meanwhile need not go out first.
  bool from_regular_file() const noexcept { return regular_; }
  // The open descriptor (owned by this InputFile, or standard input); -1 for a source.
  int fd() const noexcept { return fd_; }
  // Device and inode, to recognise the same file under another name.
  std::uint64_t device() const noexcept { return dev_; }
  std::uint64_t inode() const noexcept { return ino_; }
  // Its modification time when opened, in nanoseconds (to tell a file rewritten in place).
  std::int64_t modified_ns() const noexcept { return mtime_ns_; }
  // The file's size and modification time now (one fstat), as modified_ns() counts it;
  // nullopt for a source or a pipe's end, or when fstat fails.
  struct Now {
    std::uint64_t size = 0;
    std::int64_t modified_ns = 0;
  };
  std::optional<Now> stat_now() const noexcept;
  Identity identity() const noexcept { return {dev_, ino_, mtime_ns_}; }

  static constexpr std::size_t kWindowBytes = 32u << 20;  // mapped window
  static constexpr std::size_t kReadBytes = 1u << 20;     // read(2) size for pipes

 private:
  InputFile() = default;
  // One read(2) of up to n bytes (EINTR retried); 0 at end of input. Throws util::Error.
  std::size_t read_some(std::uint8_t* into, std::size_t n);

  std::string name_;
  int fd_ = -1;
  bool owned_ = false;
  const std::uint8_t* map_ = nullptr;
  std::size_t map_size_ = 0;
  int guard_slot_ = -1;                     // util::ShrinkGuard slot of the mapping
  std::size_t map_pos_ = 0;                 // next window starts here
  std::size_t released_ = 0;                // pages before this were released
  std::vector<std::uint8_t> buf_;           // read(2) buffer for non-mappable inputs
  std::size_t held_ = 0;                    // pipes: bytes read by head(), not yet handed out,
  std::size_t held_from_ = 0;               // from buf_[held_from_] (read() may take some)
  bool eof_ = false;                        // pipes: head() saw the end of input
  std::atomic<std::uint64_t> progress_{0};  // progress(): written by the decoding thread only
  std::function<void()> before_wait_;       // set_before_wait
  std::unique_ptr<ByteSource> source_;      // from_source: read in place of fd_
  std::uint64_t dev_ = 0, ino_ = 0;
  std::int64_t mtime_ns_ = 0;
  bool regular_ = false;  // from_regular_file
};

}  // namespace dltdump::util
