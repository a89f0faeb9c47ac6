#include "util/text_buffer.hpp"

#include <algorithm>

namespace dltdump::util {

void TextBuffer::grow(std::size_t need) {
  std::size_t cap = static_cast<std::size_t>(end_ - buf_.get());
  grow_to(std::max(cap * 2, size() + need + 256));
}

void TextBuffer::grow_to(std::size_t capacity) {
  std::size_t used = buf_ ? size() : 0;
  auto fresh = std::make_unique_for_overwrite<char[]>(capacity);
  if (used) std::memcpy(fresh.get(), buf_.get(), used);
  buf_ = std::move(fresh);
  cur_ = buf_.get() + used;
  end_ = buf_.get() + capacity;
}

void TextBuffer::consume_front(std::size_t n) {
  std::size_t rest = size() - n;
  if (rest) std::memmove(buf_.get(), buf_.get() + n, rest);
  cur_ = buf_.get() + rest;
}

}  // namespace dltdump::util
