#include "util/input_file.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "util/error.hpp"
#include "util/shrink_guard.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::util {

InputFile InputFile::open(const std::string& path, const std::string& name) {
  if (path == "-") return from_fd(STDIN_FILENO, "-", false);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) throw input_error(path, "File not found " + path);
    if (err == EACCES || err == EPERM)
      throw input_error(path, with_os_reason("Insufficient permissions opening " + path, err));
    if (err == ENAMETOOLONG) throw input_error(path, "Path length too long " + path);
    throw input_error(path, with_os_reason("Couldn't open file " + path, err));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw input_error(path, "Couldn't open file " + path + " (Is a directory)");
  }
  return from_fd(fd, name.empty() ? path : name, true);
}

namespace {

std::int64_t modified_ns_of(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace

InputFile InputFile::from_fd(int fd, std::string name, bool owned) {
  InputFile f;
  f.fd_ = fd;
  f.owned_ = owned;
  f.name_ = std::move(name);
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    f.dev_ = st.st_dev;
    f.ino_ = st.st_ino;
    f.mtime_ns_ = modified_ns_of(st);
    f.regular_ = S_ISREG(st.st_mode);
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p != MAP_FAILED) {
        const auto size = static_cast<std::size_t>(st.st_size);
        f.guard_slot_ = ShrinkGuard::guard(p, size, fd);
        if (f.guard_slot_ >= 0) {
          f.map_ = static_cast<const std::uint8_t*>(p);
          f.map_size_ = size;
          ::madvise(p, f.map_size_, MADV_SEQUENTIAL);
        } else {
          ::munmap(p, size);  // every guard taken: read it, as a cut would kill the process
        }
      }
    }
  }
  if (!f.map_) f.buf_.resize(kReadBytes);
  return f;
}

InputFile InputFile::from_source(std::unique_ptr<ByteSource> source, std::string name, Identity identity,
                                 bool regular) {
  InputFile f;
  f.regular_ = regular;
  f.name_ = std::move(name);
  f.source_ = std::move(source);
  f.dev_ = identity.device;
  f.ino_ = identity.inode;
  f.mtime_ns_ = identity.modified_ns;
  f.buf_.resize(kReadBytes);
  return f;
}

InputFile::InputFile(InputFile&& o) noexcept
    : name_(std::move(o.name_)), fd_(o.fd_), owned_(o.owned_), map_(o.map_), map_size_(o.map_size_),
      guard_slot_(o.guard_slot_), map_pos_(o.map_pos_), released_(o.released_), buf_(std::move(o.buf_)), held_(o.held_),
      held_from_(o.held_from_), eof_(o.eof_), progress_(o.progress_.load(std::memory_order_relaxed)),
      before_wait_(std::move(o.before_wait_)), source_(std::move(o.source_)), dev_(o.dev_), ino_(o.ino_),
      mtime_ns_(o.mtime_ns_), regular_(o.regular_) {
  o.fd_ = -1;
  o.owned_ = false;
  o.map_ = nullptr;
  o.guard_slot_ = -1;
}

InputFile::~InputFile() {
  ShrinkGuard::release(guard_slot_);
  if (map_) ::munmap(const_cast<std::uint8_t*>(map_), map_size_);
  if (owned_ && fd_ >= 0) ::close(fd_);
}

std::span<const std::uint8_t> InputFile::next_window() {
  if (map_) {
    std::size_t n = std::min(kWindowBytes, map_size_ - map_pos_);
    std::span<const std::uint8_t> w(map_ + map_pos_, n);
    map_pos_ += n;
    return w;
  }
  std::size_t n = 0;
  std::size_t from = 0;
  if (held_ > 0) {
    n = std::exchange(held_, 0);
    from = std::exchange(held_from_, 0);
  } else if (!eof_) {
    if (before_wait_ && !ready()) before_wait_();
    n = read_some(buf_.data(), buf_.size());  // a terminal would wait for more after its end
  }
  progress_.store(progress_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  return {buf_.data() + from, n};
}

std::size_t InputFile::read(std::uint8_t* into, std::size_t n) {
  std::size_t got = 0;
  if (map_) {
    got = std::min(n, map_size_ - map_pos_);
    std::memcpy(into, map_ + map_pos_, got);
    map_pos_ += got;
    return got;
  }
  if (held_ > 0) {
    got = std::min(n, held_);
    std::memcpy(into, buf_.data() + held_from_, got);
    held_ -= got;
    held_from_ = held_ > 0 ? held_from_ + got : 0;
  } else if (!eof_) {
    if (before_wait_ && !ready()) before_wait_();
    got = read_some(into, n);
  }
  progress_.store(progress_.load(std::memory_order_relaxed) + got, std::memory_order_relaxed);
  return got;
}

std::size_t InputFile::read_some(std::uint8_t* into, std::size_t n) {
  if (source_) return source_->read(into, n);
  for (;;) {
    // A pipe that stays silent must not hold a stop up: the handlers interrupt the read
    // (no SA_RESTART), and a stop requested before it began is seen here.
    throw_if_stopped();
    ssize_t got = ::read(fd_, into, n);
    if (got >= 0) return static_cast<std::size_t>(got);
    const int err = errno;
    if (err == EINTR) continue;
    throw input_error(name_, with_os_reason("An I/O Exception occurred reading " + name_, err));
  }
}

std::span<const std::uint8_t> InputFile::head(std::size_t n) {
  if (map_) return {map_, std::min(n, map_size_)};
  n = std::min(n, buf_.size());
  while (held_ < n && !eof_) {
    const std::size_t got = read_some(buf_.data() + held_, buf_.size() - held_);
    if (got == 0) eof_ = true;
    held_ += got;
  }
  return {buf_.data(), std::min(n, held_)};
}

bool InputFile::ready() const noexcept { return wait_ready(0); }

bool InputFile::wait_ready(int timeout_ms) const noexcept {
  if (map_ || held_ > 0 || eof_) return true;
  if (source_) return source_->ready();
  struct pollfd p {};
  p.fd = fd_;
  p.events = POLLIN;
  return ::poll(&p, 1, timeout_ms) != 0;  // readable, at its end, or an error that the read will report
}

void InputFile::release_before(std::uint64_t offset) noexcept {
  if (!map_) return;
  if (offset > progress()) progress_.store(std::min<std::uint64_t>(offset, map_size_), std::memory_order_relaxed);
  static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  std::size_t end = static_cast<std::size_t>(std::min<std::uint64_t>(offset, map_size_)) / page * page;
  if (end > released_) {
    ::madvise(const_cast<std::uint8_t*>(map_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }
}

std::optional<std::uint64_t> InputFile::shrunk_to() const noexcept {
  if (!map_) return std::nullopt;
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return std::nullopt;
  const auto now = static_cast<std::uint64_t>(st.st_size);
  if (now < map_size_) return now;
  // The guard saw a read past the end, but the file has grown back since (copytruncate
  // and a writer that goes on): what was read there is gone all the same.
  if (ShrinkGuard::faulted(guard_slot_)) return 0;
  return std::nullopt;
}

std::optional<InputFile::Now> InputFile::stat_now() const noexcept {
  struct stat st {};
  if (source_ || fd_ < 0 || !map_ || ::fstat(fd_, &st) != 0) return std::nullopt;
  return Now{static_cast<std::uint64_t>(st.st_size), modified_ns_of(st)};
}

const std::atomic<bool>* InputFile::cut_flag() const noexcept { return ShrinkGuard::cut_flag(guard_slot_); }

void InputFile::check_not_shrunk() const {
  if (auto now = shrunk_to()) throw_shrunk(*now);
}

Error InputFile::shrink_error(std::uint64_t now) const {
  return input_cut_error(name_, "Input " + name_ + " shrank from " + std::to_string(map_size_) + " to " +
                                    std::to_string(now) + " bytes while being read; decoding stopped at the cut");
}

}  // namespace dltdump::util
