#include "app/skip_tally.hpp"

#include <algorithm>
#include <cstring>

namespace dltdump::app {

namespace {

// Whether `content`, what a skipped region begins like, is another format than the
// framing reads — one whose magic leaves little room for chance: a network recording has
// none (noise reads as one), gzip's two bytes are held to its method byte too, and a tar
// to its header's magic (zero bytes, which the sniff takes for an empty tar when they are
// all it sees, are padding in a log).
bool foreign_to(input::Content content, dlt::StreamFormat format, std::span<const std::uint8_t> bytes) {
  using input::Content;
  switch (content) {
    case Content::Unknown:
    case Content::DltNetwork: return false;
    case Content::DltFile: return format != dlt::StreamFormat::File;
    case Content::DltSerial: return format != dlt::StreamFormat::Serial;
    case Content::Gzip: return bytes.size() >= 3 && bytes[2] == 8;  // deflate
    case Content::Tar: return bytes.size() >= 262 && std::memcmp(bytes.data() + 257, "ustar", 5) == 0;
    default: return true;
  }
}

}  // namespace

void SkipTally::take_from(std::span<const std::uint8_t> bytes, std::uint64_t offset, std::vector<std::uint8_t>& to,
                          std::uint64_t start, std::uint64_t end) {
  const std::uint64_t from = start + to.size();
  const std::uint64_t bytes_end = offset + bytes.size();
  if (from < offset || from >= bytes_end || to.size() >= kLookBytes) return;
  const std::uint64_t until = std::min({bytes_end, end, start + kLookBytes});
  if (until <= from) return;
  const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(from - offset);
  to.insert(to.end(), first, first + static_cast<std::ptrdiff_t>(until - from));
}

void SkipTally::after_feed(const dlt::Framer& framer) {
  // Every event still to come starts at or after `from`: the framer's pending skip record,
  // the packet it carries, the skip open at the end — several regions, delivered by a
  // later feed or by finish, when this window is gone (a fuzzer's finding: regions
  // delivered by finish were never looked at on one thread, while the blocks of several
  // threads, which see the whole file, warned of them).
  const std::uint64_t from = framer.undelivered_from();
  if (from != held_at_) {
    if (from > held_at_ && from < held_at_ + held_.size())
      held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(from - held_at_));
    else held_.clear();
    held_at_ = from;
  }
  // All of them while they are near (kHeldBytes); past that, one skip open for long: its
  // first bytes.
  const std::uint64_t window_end = window_offset_ + window_.size();
  const std::uint64_t limit = window_end - from <= kHeldBytes ? window_end - from : kLookBytes;
  if (held_.size() > limit) held_.resize(limit);
  const std::uint64_t have = held_at_ + held_.size();
  if (have < window_offset_ || have >= window_end || held_.size() >= limit) return;
  const std::uint64_t until = std::min(window_end, held_at_ + limit);
  const auto first = window_.begin() + static_cast<std::ptrdiff_t>(have - window_offset_);
  held_.insert(held_.end(), first, first + static_cast<std::ptrdiff_t>(until - have));
}

void SkipTally::look_at(const dlt::SkipRecord& s) {
  look_.clear();
  const std::uint64_t end = s.position + s.length;
  take_from(held_, held_at_, look_, s.position, end);
  take_from(window_, window_offset_, look_, s.position, end);
  if (look_.size() > s.length) look_.resize(s.length);
  // A region at the input's start is the input's own content, which its sniff judged (the
  // warnings about an input skipped whole, or compressed data read as --format says).
  if (look_.empty() || s.position == 0) return;
  const std::span<const std::uint8_t> bytes(look_);
  const input::Content content =
      input::sniff_content([&](std::size_t n) { return bytes.first(std::min(n, bytes.size())); });
  if (!foreign_to(content, format_, bytes)) return;
  if (!foreign_) foreign_ = Foreign{s.position, s.length, content, 0};
  ++foreign_->regions;
}

}  // namespace dltdump::app
