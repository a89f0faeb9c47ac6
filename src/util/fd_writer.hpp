// Buffered output to a file descriptor through one large buffer.
//
// Producers format whole records (text lines, DLT messages) into `buffer()` and call
// `line_done()` after each; once the buffer holds `kFlushBytes` or more, it is written with
// as few write(2) calls as the kernel allows. A failed write (disk full, file size limit,
// permission) throws util::output_error naming the destination; a pipe whose reader went
// away (EPIPE) throws util::broken_pipe (the run ends quietly, util/error.hpp).
//
// A regular file always ends on a whole record: the writer remembers where each buffered
// record ends, and when a write fails part-way it cuts the file back to the end of the
// last record that was written whole. A block passed to write_direct is text lines, none
// holding a '\n' but its end (control characters print as .: deviation Q20), so its whole lines are those up to
// the last '\n' written. Pipes and terminals cannot be cut; their reader sees what was
// taken.
//
// A compressed output (set_compressor) is written as independent frames of whole records,
// each ending at the first record end at least kFlushBytes past its start (frame_full; or at
// a flush()), whether the records came one by one, in blocks (write_direct) or copied from
// a file (copy_from): so a compressed file's bytes do not depend on how its records were
// grouped into blocks or runs, i.e. on the number of decoding threads, on the filter, or on
// whether the command line or the library (dltdump::Writer, one message at a time) wrote
// them. They are compressed on the
// compressor's workers while the caller goes on (util/frame_compressor.hpp) and written in order, a few
// frames behind: a failed write cuts a regular file back to the end of the last whole
// frame (the frames behind it are dropped), and flush() and a stop write every frame
// begun, whole, so that the file always decodes, to whole records. size() still counts
// the bytes before compression.
//
// A stop request (util/stop_signal.hpp) that interrupts a write blocked on a pipe makes
// the writer finish the record or line begun, drop the rest and throw util::Stopped, so
// that a slow reader neither holds the run nor gets half a line.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/frame_compressor.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::util {

// Writes all of `text` to `fd` unbuffered (diagnostics, help); retries short writes and
// EINTR. Returns false if the descriptor refuses the bytes.
bool write_all(int fd, std::string_view text);

// Cuts the regular file open as `fd` to `size` bytes and moves its offset there, so that a
// later write goes on from the cut (ftruncate alone leaves the offset past the end: the next
// write would leave a hole of zeros — a new user's finding, after a failed copy). Best
// effort: a failure is not reported (the write that follows reports its own).
void cut_file_to(int fd, std::uint64_t size) noexcept;

// Throws the failure `err` (an errno) of a write to output `name`: util::output_error
// "Couldn't write to NAME (reason)", or, when the reader of a pipe went away (EPIPE),
// util::broken_pipe — the run ends quietly, as the manual's closed-pipe rule says.
[[noreturn]] void throw_write_error(const std::string& name, int err);
// The same for what the user asked for (help, version) on `fd`, named `name` in the error:
// a refused write throws as FdWriter's do (util::output_error, exit 5; util::broken_pipe
// when the reader went away).
void write_all_or_throw(int fd, std::string_view text, const std::string& name);

class FdWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1u << 20;
  // Room past kFlushBytes for the record that crosses it (a line of the longest packet).
  static constexpr std::size_t kOverflowBytes = 64u << 10;
  // Record ends remembered without growing: a buffer of short lines.
  static constexpr std::size_t kReservedEnds = 1u << 16;
  // After a stop request, how long a write waits for a reader to make room for the rest of
  // the record it began before it gives up.
  static constexpr int kStopWriteWaitMs = 2000;

  // `size`: bytes the destination already holds (a file continued by append). A negative
  // `fd` is no destination yet (see retarget).
  FdWriter(int fd, std::string name, std::uint64_t size = 0);
  ~FdWriter();

  // The rule of a frame's end (see the top), the one every writing path follows: a frame
  // of `bytes` ends at the record end that makes it so.
  static constexpr bool frame_full(std::uint64_t bytes) { return bytes >= kFlushBytes; }
  // Bytes the frame begun (the records buffered) takes before it is full: a caller that
  // hands over records in a block finds where its frames will end (output::DltSink).
  std::uint64_t frame_room() const { return buf_.size() >= kFlushBytes ? 0 : kFlushBytes - buf_.size(); }

  TextBuffer& buffer() { return buf_; }
  void line_done() {
    if (record_ends_) ends_.push_back(static_cast<std::uint32_t>(buf_.size()));
    if (frame_full(buf_.size())) write_buffer();
  }
  // Writes what is buffered, then `text` directly: a large block of whole text lines made
  // elsewhere (each ending in its only '\n'), written without a copy (compressed: the
  // block's lines join the frame begun in the buffer, and the lines after its last whole
  // frame stay buffered, as if they had come one by one). Throws
  // util::output_error on failure, after cutting a regular file back to the lines that made
  // it whole.
  void write_direct(std::string_view text);

  // Writes what is buffered, then bytes [offset, offset+length) of the regular file
  // `in_fd` (named `in_name` in errors), copied inside the kernel (copy_file_range) where
  // the two files allow it, else read and written. The copy runs on a helper thread
  // (through its own duplicate of `in_fd`) while the caller goes on; the next call of any
  // writing method waits for it first, so records stay in order, and throws its failure
  // as util::output_error — also when the source fails: it was readable a moment ago (the
  // records were decoded from it), so if it is cut meanwhile the output cannot be
  // completed. After a failure, a regular file keeps the block's first
  // `whole_prefix(0, written)` bytes: the whole records among the `written` bytes that made
  // it (without the function, none). `whole_prefix` is called by that next call.
  // A compressed output (set_compressor) is not copied but read, in frames that end where
  // they would had the block's records come one by one (frame_full: the first frame holds
  // the records buffered before the block; `frame_end`, called at once, says where the
  // block's records end): the whole frames on the helper thread, compressed by the workers
  // and written in order; the records after the last whole frame read into the buffer now,
  // the next frame's start. After a failure the file keeps the frames written whole.
  // whole_prefix(from, limit), `from` the start of a record of the block: where the last
  // whole record of the block's bytes [from, limit) ends (`from` if none does).
  // frame_end(from, at_least), `from` the start of a record of the block, `at_least` <
  // length: where the first record of the block that ends at or after `at_least` ends.
  // Without it a compressed frame ends anywhere: records are not known.
  using WholePrefix = std::function<std::uint64_t(std::uint64_t from, std::uint64_t limit)>;
  using FrameEnd = std::function<std::uint64_t(std::uint64_t from, std::uint64_t at_least)>;
  void copy_from(int in_fd, std::string_view in_name, std::uint64_t offset, std::uint64_t length,
                 WholePrefix whole_prefix = {}, const FrameEnd& frame_end = {});

  // Writes everything buffered (after a running copy), and every compressed frame begun.
  // Throws util::output_error on failure (also a failure of a frame handed over before).
  void flush();

  // Writes from now on to `fd` (named `name`, already holding `size` bytes). Call flush()
  // first: the buffer must be empty.
  void retarget(int fd, std::string name, std::uint64_t size = 0);

  // Bytes written so far plus bytes buffered: the destination's size once flushed (for a
  // compressed output, before compression, frames being compressed included).
  std::uint64_t size() const { return written_ + queued_ + buf_.size(); }

  // Compresses what is written from now on on `compressor`'s workers (shared by the
  // writers of one output, which all write on one thread). Call before anything is
  // buffered.
  void set_compressor(std::shared_ptr<FrameCompressor> compressor);

 private:
  // Writes (or hands over, compressed) what is buffered, after a running copy.
  void write_buffer();
  void write_records(std::string_view bytes, bool lines);
  // How many of the first `done` bytes of `bytes` (being written by write_records) are
  // whole records or lines.
  std::size_t whole_part(std::string_view bytes, std::size_t done, bool lines) const;
  // Where the record or line that byte `done` of `bytes` belongs to ends (`done` itself at
  // a record start; bytes.size() when record ends are not known).
  std::size_t record_end_after(std::string_view bytes, std::size_t done, bool lines) const;
  // After a failed write of a compressed file cut back to nothing: an empty file is not a
  // valid compressed file (zstd -t and gzip -t refuse it), so it goes; no file is left.
  void remove_if_no_frame() noexcept;
  // Cuts a regular file back by `bytes` (the part of a block written before a failure).
  void cut_back(std::uint64_t bytes);
  // Runs `run` on the helper thread with its own duplicate of `in_fd` (or now, when no
  // descriptor is left).
  void start_copy(int in_fd, std::function<void(int)> run);
  // Waits for the copy in progress, if any; throws its failure.
  void finish_copy();
  // Drops the first `bytes` of the buffer (whole records) and their record ends.
  void drop_front(std::size_t bytes);
  // Hands over `bytes` (whole records) to be compressed as one frame (`fill` puts them
  // into the frame's input), after writing the oldest frame when frames_ is full. The
  // counters: `queued` the bytes handed over and not yet written, `written` those written
  // (the caller's written_ and queued_, or the helper thread's own). Throws what
  // write_oldest_frame throws.
  void queue_frame(const std::function<void(TextBuffer&)>& fill, std::uint64_t& written, std::uint64_t& queued);
  // Writes the oldest frame (waiting for its compression). On failure (of the encoder:
  // util::output_error; of the write: as write_records) drops every frame in flight,
  // leaving a regular file cut back to the end of the last whole frame, and throws.
  void write_oldest_frame(std::uint64_t& written, std::uint64_t& queued);
  // Writes every frame in flight, in order.
  void write_frames(std::uint64_t& written, std::uint64_t& queued);
  // The compressed copy_from: finds the frames' ends, then starts compress_range.
  void copy_compressed(int in_fd, std::string_view in_name, std::uint64_t offset, std::uint64_t length,
                       const FrameEnd& frame_end);
  // On the helper thread: reads, compresses and writes each frame of copy_.frame_ends,
  // counting copy_.done; throws what write_oldest_frame throws, or util::output_error if
  // `in_fd` fails (after writing the frames before).
  void compress_range(int in_fd, std::uint64_t offset);

  // The copy on the helper thread, and what became of it.
  struct Copy {
    std::thread thread;
    std::string in_name;
    std::uint64_t length = 0, size_before = 0;
    WholePrefix whole_prefix;
    int error = 0;                    // errno of the failure, 0 if none
    bool source_failed = false;       // the source ended early or could not be read
    bool use_copy_file_range = true;  // until the kernel says it cannot for these files
    std::vector<char> scratch;        // for reading and writing when it cannot
    // A compressed output's copy: where its frames end (offsets in the block), how much
    // of the block made it in whole frames, and the failure that stopped it.
    std::vector<std::uint64_t> frame_ends;
    std::string lead;  // the records buffered before the block: the first frame's start
    // The block's records after its last whole frame, read into the buffer's front while
    // the frames are read: dropped if a frame fails (they would follow a gap in the file).
    std::size_t tail = 0;
    std::uint64_t done = 0, queued = 0;
    std::exception_ptr failure;
    std::exception_ptr tail_failure;  // reading the records after the last whole frame failed
  };
  Copy copy_;

  int fd_;
  std::string name_;
  TextBuffer buf_;
  std::uint64_t written_;
  bool cut_points_ = false;                         // the destination is a regular file: it can be cut back
  bool record_ends_ = false;                        // a regular file or a pipe: remember record ends
  std::vector<std::uint32_t> ends_;                 // end offsets of the buffered records
  std::unique_ptr<FrameCompressor::Queue> frames_;  // compressed output: frames of whole records
  std::uint64_t queued_ = 0;                        // bytes in frames_, not yet written
  // A frame was not written (a failed write, or a stop before any of it went): the frames
  // after it were dropped with it, and nothing after them may be written either, so that
  // the file ends at its last whole frame instead of going on past a gap.
  bool frames_dropped_ = false;
};

}  // namespace dltdump::util
