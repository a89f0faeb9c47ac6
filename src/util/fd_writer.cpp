#include "util/fd_writer.hpp"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <utility>

#include "util/error.hpp"
#include "util/shrink_guard.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::util {

bool write_all(int fd, std::string_view text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

void cut_file_to(int fd, std::uint64_t size) noexcept {
  (void)!::ftruncate(fd, static_cast<off_t>(size));
  (void)!::lseek(fd, static_cast<off_t>(size), SEEK_SET);
}

namespace {

bool is_regular_file(int fd) {
  struct stat st {};
  return fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// Whether a write to `fd` can block until a signal interrupts it: a pipe or a socket.
bool is_pipe(int fd) {
  struct stat st {};
  return fd >= 0 && ::fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

}  // namespace

FdWriter::FdWriter(int fd, std::string name, std::uint64_t size)
    : fd_(fd), name_(std::move(name)), buf_(kFlushBytes + kOverflowBytes), written_(size),
      cut_points_(is_regular_file(fd)), record_ends_(cut_points_ || is_pipe(fd)) {
  if (record_ends_) ends_.reserve(kReservedEnds);
}

void FdWriter::retarget(int fd, std::string name, std::uint64_t size) {
  fd_ = fd;
  name_ = std::move(name);
  written_ = size;
  cut_points_ = is_regular_file(fd);
  frames_dropped_ = false;  // another file
  // A compressed output's unit is the frame: it is cut back, or finished on a stop, whole.
  record_ends_ = !frames_ && (cut_points_ || is_pipe(fd));
  ends_.clear();
}

void FdWriter::set_compressor(std::shared_ptr<FrameCompressor> compressor) {
  frames_ = compressor ? std::make_unique<FrameCompressor::Queue>(std::move(compressor)) : nullptr;
  frames_dropped_ = false;
  record_ends_ = !frames_ && (cut_points_ || is_pipe(fd_));
  ends_.clear();
}

void throw_write_error(const std::string& name, int err) {
  const std::string message = with_os_reason("Couldn't write to " + name, err);
  if (err == EPIPE) throw broken_pipe(name, message);
  throw output_error(name, message);
}

void write_all_or_throw(int fd, std::string_view text, const std::string& name) {
  errno = 0;
  if (!write_all(fd, text)) throw_write_error(name, errno != 0 ? errno : EIO);  // 0: write took nothing
}

// Writes `bytes`: the buffered records, whose ends are in ends_, or one block of text
// lines (ends_ empty, `lines`). On failure, a regular file is cut back to the last record
// or line written whole.
void FdWriter::write_records(std::string_view bytes, bool lines) {
  std::size_t done = 0;
  std::size_t until = bytes.size();  // less once a stop cuts the rest off
  bool stopping = false;             // a stop was seen: finish the record begun, no more
  while (done < until) {
    std::size_t want = until - done;
    if (stopping) {
      // A reader that reads no more must not hold the stop up forever: wait a bounded time
      // for room, then write no more than surely fits (a pipe takes PIPE_BUF bytes at once
      // when it polls writable), and give up — a cut line then — if no room comes. The
      // stop's signal may come again meanwhile (relayed to this thread,
      // util::interrupt_for_stop): the wait goes on to its end.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStopWriteWaitMs);
      int ready = -1;
      pollfd p{fd_, POLLOUT, 0};
      for (;;) {
        const auto left =
            std::chrono::ceil<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now()).count();
        ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(left, 0)));
        if (ready >= 0 || errno != EINTR) break;
      }
      if (ready <= 0) throw Stopped();
      want = std::min<std::size_t>(want, PIPE_BUF);
    }
    const ssize_t n = ::write(fd_, bytes.data() + done, want);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      // interrupted before a byte went: retry, unless a stop asked for the interruption
    } else {
      const int err = n == 0 ? EIO : errno;
      if (done > 0) cut_back(done - whole_part(bytes, done, lines));
      if (err == EPIPE && stop_requested()) throw Stopped();  // the stop came first
      remove_if_no_frame();
      throw_write_error(name_, err);
    }
    // A stop interrupts a write blocked on a slow pipe (no SA_RESTART): finish the record
    // begun, drop the rest, so that the reader gets whole lines and the run ends now.
    if (!stopping && done < until && stop_requested()) {
      stopping = true;
      until = record_end_after(bytes, done, lines);
      if (done == until) throw Stopped();
    }
  }
  if (until < bytes.size()) throw Stopped();
}

std::size_t FdWriter::record_end_after(std::string_view bytes, std::size_t done, bool lines) const {
  if (done == 0) return 0;
  if (lines) {
    if (bytes[done - 1] == '\n') return done;
    const void* end = std::memchr(bytes.data() + done, '\n', bytes.size() - done);
    return end ? static_cast<std::size_t>(static_cast<const char*>(end) - bytes.data()) + 1 : bytes.size();
  }
  // The first record end at or after `done`; all of it when record ends are not known.
  auto at = std::lower_bound(ends_.begin(), ends_.end(), static_cast<std::uint32_t>(done));
  return at == ends_.end() ? bytes.size() : *at;
}

std::size_t FdWriter::whole_part(std::string_view bytes, std::size_t done, bool lines) const {
  if (lines) {
    // A text line holds no '\n' but its end (control characters print as .: deviation Q20): the lines that made
    // it end at the last '\n' written.
    const void* last = ::memrchr(bytes.data(), '\n', done);
    return last ? static_cast<std::size_t>(static_cast<const char*>(last) - bytes.data()) + 1 : 0;
  }
  // The last record end at or before `done` (0 if the first record was cut).
  auto after = std::upper_bound(ends_.begin(), ends_.end(), static_cast<std::uint32_t>(done));
  return after == ends_.begin() ? 0 : *(after - 1);
}

void FdWriter::remove_if_no_frame() noexcept {
  struct stat st {};
  if (frames_ && cut_points_ && ::fstat(fd_, &st) == 0 && st.st_size == 0) ::unlink(name_.c_str());
}

void FdWriter::cut_back(std::uint64_t bytes) {
  if (!cut_points_ || bytes == 0) return;
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) >= bytes)
    cut_file_to(fd_, static_cast<std::uint64_t>(st.st_size) - bytes);
}

FdWriter::~FdWriter() {
  if (copy_.thread.joinable()) copy_.thread.join();
}

namespace {

// Copies [offset, offset+length) of `in_fd` to the end of `out_fd`, inside the kernel where
// it can, else by reading and writing through `scratch`. On failure sets `error` (and
// `source_failed` when the source was at fault); the destination's size tells how much
// arrived.
void copy_range(int in_fd, int out_fd, std::uint64_t offset, std::uint64_t length, const FdWriter::WholePrefix& whole,
                bool& use_copy_file_range, std::vector<char>& scratch, int& error, bool& source_failed) {
  std::uint64_t done = 0;
  while (done < length && use_copy_file_range) {
    loff_t from = static_cast<loff_t>(offset + done);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length - done, 1u << 30));
    const ssize_t n = ::copy_file_range(in_fd, &from, out_fd, nullptr, want, 0);
    if (n > 0) {
      done += static_cast<std::uint64_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP || errno == EBADF ||
                  errno == ETXTBSY)) {
      // These two files cannot be copied between in the kernel (a pipe or terminal, an
      // appending file, file systems that refuse, an old kernel): read and write instead.
      use_copy_file_range = false;
      break;
    }
    // A full disk, a size limit, or a source that ended early (it was cut meanwhile).
    error = n == 0 ? EIO : errno;
    source_failed = n == 0;
    return;
  }
  scratch.resize(FdWriter::kFlushBytes);
  while (done < length) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(length - done, scratch.size()));
    const ssize_t n = ::pread(in_fd, scratch.data(), want, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    // Only the whole records among the bytes read go out: a destination that cannot be cut
    // back (a pipe) never gets part of one when the source is cut meanwhile (a new user's
    // finding). The rest is read again with what follows.
    const std::uint64_t take = n <= 0  ? 0
                               : whole ? whole(done, done + static_cast<std::uint64_t>(n)) - done
                                       : static_cast<std::uint64_t>(n);
    if (take == 0) {  // the source ended early (cut), or no record ends in what it still holds
      error = n < 0 ? errno : EIO;
      source_failed = true;
      return;
    }
    if (!write_all(out_fd, {scratch.data(), static_cast<std::size_t>(take)})) {
      error = errno ? errno : EIO;
      return;
    }
    done += take;
  }
}

}  // namespace

void FdWriter::copy_from(int in_fd, std::string_view in_name, std::uint64_t offset, std::uint64_t length,
                         WholePrefix whole_prefix, const FrameEnd& frame_end) {
  if (frames_) return copy_compressed(in_fd, in_name, offset, length, frame_end);
  flush();  // also waits for the copy before
  struct stat st {};
  copy_.size_before = ::fstat(fd_, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  copy_.in_name = in_name;
  copy_.length = length;
  copy_.whole_prefix = std::move(whole_prefix);
  copy_.error = 0;
  copy_.source_failed = false;
  start_copy(in_fd, [this, offset, length](int from) {
    copy_range(from, fd_, offset, length, copy_.whole_prefix, copy_.use_copy_file_range, copy_.scratch, copy_.error,
               copy_.source_failed);
  });
}

void FdWriter::start_copy(int in_fd, std::function<void(int)> run) {
  // The helper thread reads through its own descriptor, so the caller may close `in_fd`.
  const int own = ::fcntl(in_fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0) {
    run(in_fd);  // no descriptor to spare: copy now
    copy_.thread = std::thread([] {});
    return;
  }
  copy_.thread = std::thread([run = std::move(run), own] {
    run(own);
    ::close(own);
  });
}

void FdWriter::finish_copy() {
  if (!copy_.thread.joinable()) {
    if (copy_.tail_failure) std::rethrow_exception(std::exchange(copy_.tail_failure, nullptr));
    return;
  }
  copy_.thread.join();
  if (frames_) {
    written_ += copy_.done;  // the whole frames that made it (a failed one was cut off)
    if (copy_.failure) drop_front(std::exchange(copy_.tail, 0));  // a new user's finding: they came after the gap
    copy_.tail = 0;
    if (copy_.failure || copy_.tail_failure) {
      remove_if_no_frame();
      const std::exception_ptr first = copy_.failure ? copy_.failure : copy_.tail_failure;  // one is told
      copy_.failure = copy_.tail_failure = nullptr;
      std::rethrow_exception(first);
    }
    return;
  }
  if (copy_.error == 0) {
    written_ += copy_.length;
    return;
  }
  const int err = copy_.error;
  copy_.error = 0;
  struct stat st {};
  if (cut_points_ && ::fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) >= copy_.size_before) {
    // Keep the whole records that made it, nothing after them.
    const std::uint64_t arrived =
        std::min<std::uint64_t>(static_cast<std::uint64_t>(st.st_size) - copy_.size_before, copy_.length);
    const std::uint64_t keep = copy_.whole_prefix ? std::min(copy_.whole_prefix(0, arrived), arrived) : 0;
    cut_file_to(fd_, copy_.size_before + keep);
    written_ += keep;
  }
  if (copy_.source_failed)
    throw output_error(name_, with_os_reason("Couldn't copy from " + copy_.in_name + " to " + name_, err));
  throw_write_error(name_, err);
}

namespace {

// Reads `want` bytes at `at` of `fd` into `into`; 0, or the errno of the failure (EIO: the
// file ended early).
int read_range(int fd, char* into, std::size_t want, std::uint64_t at) {
  for (std::size_t got = 0; got < want;) {
    const ssize_t n = ::pread(fd, into + got, want - got, static_cast<off_t>(at + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0 ? EIO : errno;
    got += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

void FdWriter::copy_compressed(int in_fd, std::string_view in_name, std::uint64_t offset, std::uint64_t length,
                               const FrameEnd& frame_end) {
  finish_copy();
  write_frames(written_, queued_);  // the helper thread takes over frames_ empty
  // The frames' ends, found here: frame_end reads the caller's bytes. Each frame ends where
  // line_done would end it had the records come one by one (frame_full), the first one
  // holding the records buffered before the block.
  copy_.frame_ends.clear();
  std::uint64_t from = 0;
  for (std::uint64_t room = std::max<std::uint64_t>(frame_room(), 1); from + room <= length; room = kFlushBytes) {
    std::uint64_t to = from + room;
    if (frame_end) {
      const std::uint64_t end = frame_end(from, to);
      if (end >= to && end <= length) to = end;  // else the bytes are no longer records (a cut file)
    }
    copy_.frame_ends.push_back(to);
    from = to;
  }
  copy_.in_name = in_name;
  copy_.done = copy_.queued = 0;
  copy_.failure = nullptr;
  copy_.tail = 0;
  if (!copy_.frame_ends.empty()) {
    copy_.lead.assign(buf_.view());
    buf_.clear();
    // Reading and compressing overlap with the caller's decoding, on the helper thread.
    start_copy(in_fd, [this, offset](int source) {
      try {
        compress_range(source, offset);
      } catch (...) {
        copy_.failure = std::current_exception();
      }
    });
  }
  // The records after the last whole frame begin the next one, as if buffered one by one.
  const auto tail = static_cast<std::size_t>(length - from);
  if (tail == 0) return;
  const int err = read_range(in_fd, buf_.reserve(tail), tail, offset + from);
  if (err != 0) {  // thrown by the next call, as a failure of the helper thread's reading is
    copy_.tail_failure = std::make_exception_ptr(
        output_error(name_, with_os_reason("Couldn't copy from " + std::string(in_name) + " to " + name_, err)));
    return;
  }
  buf_.advance(tail);
  if (!copy_.frame_ends.empty()) copy_.tail = tail;  // at the buffer's front (cleared above)
}

void FdWriter::drop_front(std::size_t bytes) {
  if (bytes == 0) return;
  buf_.consume_front(bytes);
  std::erase_if(ends_, [bytes](std::uint32_t end) { return end <= bytes; });
  for (std::uint32_t& end : ends_) end -= static_cast<std::uint32_t>(bytes);
}

void FdWriter::compress_range(int in_fd, std::uint64_t offset) {
  std::uint64_t from = 0;
  for (const std::uint64_t to : copy_.frame_ends) {
    const std::size_t want = static_cast<std::size_t>(to - from);
    const std::uint64_t at = offset + from;
    // Read into the frame's own input: no copy on the way to the workers.
    try {
      queue_frame(
          [&](TextBuffer& part) {
            if (from == 0) part.append(copy_.lead);
            const int err = read_range(in_fd, part.reserve(want), want, at);
            if (err != 0)
              throw output_error(name_, with_os_reason("Couldn't copy from " + copy_.in_name + " to " + name_, err));
            part.advance(want);
          },
          copy_.done, copy_.queued);
    } catch (...) {
      // The source failed: the frames before it go out whole (after a failed write,
      // none is left).
      write_frames(copy_.done, copy_.queued);
      throw;
    }
    from = to;
  }
  write_frames(copy_.done, copy_.queued);
}

void FdWriter::queue_frame(const std::function<void(TextBuffer&)>& fill, std::uint64_t& written,
                           std::uint64_t& queued) {
  if (frames_dropped_) return;  // past a gap: not written (the callers drop the bytes)
  if (frames_->full()) write_oldest_frame(written, queued);
  const std::uint64_t before = frames_->bytes();
  frames_->push_with(fill);
  queued += frames_->bytes() - before;
}

void FdWriter::write_oldest_frame(std::uint64_t& written, std::uint64_t& queued) {
  const FrameCompressor::Frame& frame = frames_->oldest();
  try {
    if (!frame.error.empty())
      throw output_error(name_, "Couldn't compress the output to " + name_ + ": " + frame.error);
    write_records(frame.out.view(), false);  // no record ends: a failure cuts the whole frame off
  } catch (...) {
    queued -= frames_->bytes();
    frames_->clear();
    frames_dropped_ = true;
    throw;
  }
  written += frame.in.size();
  queued -= frame.in.size();
  frames_->pop();
}

void FdWriter::write_frames(std::uint64_t& written, std::uint64_t& queued) {
  while (!frames_->empty()) write_oldest_frame(written, queued);
}

void FdWriter::write_direct(std::string_view text) {
  if (!frames_) {
    write_buffer();
    write_records(text, true);
    written_ += text.size();
    ShrinkGuard::poll();
    return;
  }
  if (buf_.size() >= kFlushBytes) write_buffer();  // not left so by line_done; to be sure
  finish_copy();
  // The frames end where line_done would end them had the lines come one by one: at the
  // first line end at least kFlushBytes past the frame's start, the lines buffered before
  // the block included. So the compressed bytes do not depend on how the lines were
  // grouped into blocks (which the number of decoding threads decides). The buffer holds
  // less than kFlushBytes here (line_done hands it over at that size), and the block ends
  // on a line's end, so what is left of it after its last whole frame is shorter still.
  try {
    for (;;) {
      const std::size_t need = kFlushBytes - buf_.size();  // at least 1
      if (text.size() < need) break;
      const void* end = std::memchr(text.data() + need - 1, '\n', text.size() - (need - 1));
      if (end == nullptr) break;
      const std::size_t take = static_cast<std::size_t>(static_cast<const char*>(end) - text.data()) + 1;
      queue_frame(
          [this, part = text.substr(0, take)](TextBuffer& in) {
            in.append(buf_.view());
            in.append(part);
          },
          written_, queued_);
      buf_.clear();
      text.remove_prefix(take);
    }
  } catch (...) {
    buf_.clear();
    throw;
  }
  buf_.append(text);
  ShrinkGuard::poll();
}

void FdWriter::write_buffer() {
  finish_copy();
  const std::size_t n = buf_.size();
  if (n == 0) return;
  try {
    if (frames_) {
      queue_frame([this](TextBuffer& in) { in.append(buf_.view()); }, written_, queued_);
    } else {
      write_records(buf_.view(), false);
      written_ += n;
    }
  } catch (...) {
    buf_.clear();
    ends_.clear();
    throw;
  }
  buf_.clear();
  ends_.clear();
  // The write may have waited for a slow reader: an input cut meanwhile is found now,
  // before its decoder reads on into the bytes the cut took (util/shrink_guard.hpp).
  ShrinkGuard::poll();
}

void FdWriter::flush() {
  write_buffer();
  if (frames_) write_frames(written_, queued_);
}

}  // namespace dltdump::util
