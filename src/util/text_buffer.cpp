#include "util/text_buffer.hpp"

#include <sys/mman.h>
#include <algorithm>
#include <cstdlib>
#include <new>

namespace dltdump::util {

void TextBuffer::grow(std::size_t need) {
  std::size_t cap = static_cast<std::size_t>(end_ - buf_.get());
  grow_to(std::max(cap * 2, size() + need + 256));
}

void TextBuffer::grow_to(std::size_t capacity) {
  std::size_t used = buf_ ? size() : 0;
  // Buffers of 2 MiB and more (the parallel decoders' text of one block) are 2 MiB aligned
  // and asked to be backed by transparent huge pages: their first fill then takes a page
  // fault per 2 MiB instead of one per 4 KiB (5 % of the CPU of a parallel run over
  // 100 MB, docs/PERFORMANCE.md). Where huge pages are off, madvise changes nothing.
  constexpr std::size_t kHuge = 2u << 20;
  char* raw;
  if (capacity >= kHuge) {
    capacity = (capacity + kHuge - 1) / kHuge * kHuge;
    raw = static_cast<char*>(std::aligned_alloc(kHuge, capacity));
    if (raw) ::madvise(raw, capacity, MADV_HUGEPAGE);
  } else {
    raw = static_cast<char*>(std::malloc(capacity));
  }
  if (!raw) throw std::bad_alloc();
  std::unique_ptr<char[], Free> fresh(raw);
  if (used) std::memcpy(fresh.get(), buf_.get(), used);
  buf_ = std::move(fresh);
  cur_ = buf_.get() + used;
  end_ = buf_.get() + capacity;
}

void TextBuffer::Free::operator()(char* p) const noexcept { std::free(p); }

void TextBuffer::consume_front(std::size_t n) {
  std::size_t rest = size() - n;
  if (rest) std::memmove(buf_.get(), buf_.get() + n, rest);
  cur_ = buf_.get() + rest;
}

}  // namespace dltdump::util
