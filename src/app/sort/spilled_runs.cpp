#include "app/sort/spilled_runs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/error.hpp"
#include "util/fd_writer.hpp"

namespace dltdump::app {

namespace {

constexpr std::size_t kWriteBytes = 1u << 20;

}  // namespace

SpilledRuns::SpilledRuns(std::string input) : input_(std::move(input)) {
  const char* tmp = std::getenv("TMPDIR");
  dir_ = tmp && *tmp ? tmp : "/tmp";
  // Unnamed: nothing is left behind, however the run ends.
  do fd_ = ::open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    std::string name = dir_ + "/dltdump-sort-XXXXXX";  // a file system without O_TMPFILE
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ >= 0) ::unlink(name.c_str());
  }
  if (fd_ < 0) fail("cannot create a temporary file in " + dir_, errno);
  buffer_.reserve(kWriteBytes + kReadBytes);
}

SpilledRuns::~SpilledRuns() {
  if (fd_ >= 0) ::close(fd_);
}

void SpilledRuns::fail(const std::string& what, int err) const {
  throw util::input_error(
      input_, util::with_os_reason(
                  input_ + ": too far out of order to sort in memory, and " + what + " for its sorted runs", err));
}

void SpilledRuns::append(const HeldEntry& e, std::span<const std::uint8_t> bytes) {
  const auto* head = reinterpret_cast<const std::uint8_t*>(&e);
  buffer_.insert(buffer_.end(), head, head + sizeof e);
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  if (buffer_.size() >= kWriteBytes) flush();
}

void SpilledRuns::end_run() {
  const std::uint64_t end = file_size_ + buffer_.size();
  if (end > run_start_) runs_.push_back({run_start_, end});
  run_start_ = end;
}

void SpilledRuns::flush() {
  if (buffer_.empty()) return;
  if (!util::write_all(fd_, {reinterpret_cast<const char*>(buffer_.data()), buffer_.size()}))
    fail("cannot write to a temporary file in " + dir_, errno);
  file_size_ += buffer_.size();
  buffer_.clear();
}

void SpilledRuns::start_reading() {
  end_run();
  flush();
  buffer_ = std::vector<std::uint8_t>();  // its memory goes (`= {}` would keep it)
  readers_.reserve(runs_.size());
  for (const Run& run : runs_) {
    auto r = std::make_unique<Reader>();
    r->next = run.start;
    r->end = run.end;
    r->buffer = std::make_unique_for_overwrite<std::uint8_t[]>(kReadBytes);
    if (advance(*r)) {
      heads_.push_back(r.get());
      readers_.push_back(std::move(r));
    }
  }
  const auto later = [](const Reader* a, const Reader* b) { return HeldEntry::later(a->entry, b->entry); };
  std::make_heap(heads_.begin(), heads_.end(), later);
}

bool SpilledRuns::advance(Reader& r) {
  if (r.filled > 0) r.at += sizeof(HeldEntry) + r.entry.size;  // past the current record
  auto available = [&] { return r.filled - r.at; };
  auto need = [&](std::size_t n) {  // at least n bytes from buffer[at] on, if the run has them
    if (available() >= n) return true;
    std::memmove(r.buffer.get(), r.buffer.get() + r.at, available());
    r.filled = available();
    r.at = 0;
    while (r.filled < n && r.next < r.end) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kReadBytes - r.filled, r.end - r.next));
      const ssize_t got = ::pread(fd_, r.buffer.get() + r.filled, want, static_cast<off_t>(r.next));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) fail("cannot read back a temporary file in " + dir_, got < 0 ? errno : EIO);
      r.filled += static_cast<std::size_t>(got);
      r.next += static_cast<std::uint64_t>(got);
    }
    return available() >= n;
  };
  if (!need(sizeof(HeldEntry))) return false;
  std::memcpy(&r.entry, r.buffer.get() + r.at, sizeof r.entry);
  if (!need(sizeof(HeldEntry) + r.entry.size)) fail("found a temporary file cut short", EIO);
  return true;
}

void SpilledRuns::pop() {
  const auto later = [](const Reader* a, const Reader* b) { return HeldEntry::later(a->entry, b->entry); };
  std::pop_heap(heads_.begin(), heads_.end(), later);
  if (advance(*heads_.back())) std::push_heap(heads_.begin(), heads_.end(), later);
  else heads_.pop_back();
}

}  // namespace dltdump::app
