// A growable byte buffer that lines and argument texts are formatted into.
//
// Appends are checked against the capacity with one well-predicted branch and grow the
// storage when needed, so no caller has to compute an upper bound of its output. The
// buffer is reused across lines: `clear()` keeps the allocation, so the hot path does
// not allocate once it has warmed up.
//
// `NullText` has the same interface and discards everything: the payload decoders are
// templates over the output type, so one decoder both validates (NullText) and formats
// (TextBuffer) without a second implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace dltdump::util {

class TextBuffer {
 public:
  // Start capacities. kLineBytes holds the text of nearly every line or payload (a packet
  // is at most 64 KiB), so a buffer reused line after line grows at most a few times;
  // kBlockBytes, a block of lines handed to the output in one piece.
  static constexpr std::size_t kLineBytes = std::size_t{1} << 16;
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

  explicit TextBuffer(std::size_t initial = 4096) { grow_to(initial); }
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;

  static constexpr bool kFormats = true;

  void put(char c) {
    if (cur_ == end_) grow(1);
    *cur_++ = c;
  }
  void append(const char* s, std::size_t n) {
    if (static_cast<std::size_t>(end_ - cur_) < n) grow(n);
    if (n) std::memcpy(cur_, s, n);
    cur_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }

  // Returns a pointer to at least n writable bytes; the caller writes k <= n of them and
  // calls advance(k).
  char* reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - cur_) < n) grow(n);
    return cur_;
  }
  void advance(std::size_t k) { cur_ += k; }

  const char* data() const { return buf_.get(); }
  std::size_t size() const { return static_cast<std::size_t>(cur_ - buf_.get()); }
  std::string_view view() const { return {data(), size()}; }
  void clear() { cur_ = buf_.get(); }
  // Drops everything after the first `n` bytes.
  void truncate(std::size_t n) { cur_ = buf_.get() + n; }
  // Removes the first `n` bytes, keeping the rest.
  void consume_front(std::size_t n);

 private:
  void grow(std::size_t need);
  void grow_to(std::size_t capacity);

  struct Free {
    void operator()(char* p) const noexcept;
  };
  std::unique_ptr<char[], Free> buf_;
  char* cur_ = nullptr;
  char* end_ = nullptr;
};

// Discards all output; used to validate payloads without formatting them.
struct NullText {
  static constexpr bool kFormats = false;
  void put(char) {}
  void append(const char*, std::size_t) {}
  void append(std::string_view) {}
};

}  // namespace dltdump::util
