#include "util/contiguous_input.hpp"

#include <algorithm>
#include <cstring>

namespace dltdump::util {

namespace {
constexpr std::size_t kReleaseStep = 8u << 20;  // madvise at most once per 8 MiB read
// Pages are released this far behind the reader: views handed out lately are usually still
// read (by the workers of a parallel decoder), and reading released pages faults them in
// again from the page cache (correct, but slow).
constexpr std::size_t kReleaseLag = 8u << 20;
constexpr std::size_t kInitialBytes = 4u << 20;  // pipe buffer
}  // namespace

std::optional<std::span<const std::uint8_t>> ContiguousInput::peek(std::size_t n) {
  if (file_.is_mapped()) {
    const auto whole = file_.whole();
    const std::size_t have = whole.size() - std::min(pos_, whole.size());
    return whole.subspan(std::min(pos_, whole.size()), std::min(n, have));
  }
  while (filled_ - pos_ < n && !eof_) {
    // Room is needed for the request and for one more chunk of up to kReadBytes.
    if (pos_ + n > buf_.size() || filled_ + InputFile::kReadBytes > buf_.size()) {
      if (kept_ < pos_) return std::nullopt;  // compacting would move spans in use
      if (filled_ > pos_) std::memmove(buf_.data(), buf_.data() + pos_, filled_ - pos_);
      base_ += pos_;
      filled_ -= pos_;
      kept_ = pos_ = 0;
      const std::size_t need = n + InputFile::kReadBytes;
      if (need > buf_.size()) buf_.resize(std::max(need, kInitialBytes));
    }
    const auto chunk = file_.next_window();  // at most kReadBytes; throws on a read error
    if (chunk.empty()) {
      eof_ = true;
      break;
    }
    std::memcpy(buf_.data() + filled_, chunk.data(), chunk.size());
    filled_ += chunk.size();
  }
  return std::span<const std::uint8_t>(buf_.data() + pos_, std::min(n, filled_ - pos_));
}

void ContiguousInput::release() noexcept {
  kept_ = pos_;
  file_.note_progress(base_ + pos_);  // for the progress line
  if (file_.is_mapped() && releases_ && pos_ >= released_ + kReleaseStep + kReleaseLag) {
    file_.release_before(pos_ - kReleaseLag);
    released_ = pos_ - kReleaseLag;
  }
}

}  // namespace dltdump::util
