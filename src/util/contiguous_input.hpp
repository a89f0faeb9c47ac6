// Contiguous views of a sequential input, for formats made of length-prefixed records
// (PCAP records, PCAP-NG blocks) that must be parsed in one piece.
//
// A mapped file is viewed in place (zero copy); the pages behind the reader are released
// as it advances, so resident memory stays flat. A pipe is read in large chunks into an
// owned buffer that is compacted when needed. Spans handed out by `peek` stay valid until
// `release()`; a `peek` that could only be served by moving such spans returns nullopt
// instead, and the caller ends its batch, calls `release()` and asks again.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "util/input_file.hpp"

namespace dltdump::util {

class ContiguousInput {
 public:
  explicit ContiguousInput(InputFile& file) : file_(file) {}
  // Another view of the same mapped file, from offset `start`, that releases the pages
  // behind it only if `release_pages`: readers that decode one piece of a file while
  // others read the rest must not.
  ContiguousInput view_from(std::uint64_t start, bool release_pages) const {
    ContiguousInput v(file_);
    v.pos_ = v.released_ = start;
    v.releases_ = release_pages;
    return v;
  }
  // The whole input if it is a mapped file, else empty.
  std::span<const std::uint8_t> mapped() const noexcept {
    return file_.is_mapped() ? file_.whole() : std::span<const std::uint8_t>{};
  }

  // The `n` bytes at offset(); fewer only at end of input. nullopt when serving them would
  // move bytes handed out since the last release(). Throws util::Error on a read error.
  std::optional<std::span<const std::uint8_t>> peek(std::size_t n);
  // The bytes from offset() on that can be viewed without reading or moving anything: the
  // rest of a mapped file, or what a pipe buffer holds. For a fast path that falls back on
  // peek() when a record is not whole in it.
  std::span<const std::uint8_t> ready() const noexcept {
    if (file_.is_mapped()) {
      const auto whole = file_.whole();
      return whole.subspan(std::min(pos_, whole.size()));
    }
    return {buf_.data() + pos_, filled_ - pos_};
  }
  // Moves offset() forward by n bytes (at most as many as the last peek returned).
  void consume(std::size_t n) noexcept { pos_ += n; }
  // Stream offset of the next byte.
  std::uint64_t offset() const noexcept { return base_ + pos_; }
  // No span handed out so far is in use any more.
  void release() noexcept;

  const std::string& name() const noexcept { return file_.name(); }

 private:
  InputFile& file_;
  std::uint64_t base_ = 0;         // stream offset of buf_[0] (pipes) / 0 (mapped)
  std::size_t pos_ = 0;            // read position in the map or buf_
  std::size_t kept_ = 0;           // spans from here on may be in use (pipes)
  std::size_t released_ = 0;       // mapped bytes released so far
  std::vector<std::uint8_t> buf_;  // pipes: buf_[0, filled_) holds input
  std::size_t filled_ = 0;
  bool eof_ = false;
  bool releases_ = true;  // mapped pages behind the reader are released
};

}  // namespace dltdump::util
