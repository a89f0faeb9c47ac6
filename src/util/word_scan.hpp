// Copying text eight bytes at a time while no byte needs a change: the fast path of the
// text writers (dlt/text_encoding.cpp, the CSV and JSON records), which hand the bytes a
// word test rejects to a byte loop of their own and then come back here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dltdump::util {

inline constexpr std::uint64_t kWordOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kWordHighBits = 0x8080808080808080ull;

// True if no byte of w is `c` ("Bit Twiddling Hacks", hasvalue).
inline bool word_lacks(std::uint64_t w, std::uint8_t c) {
  const std::uint64_t x = w ^ (kWordOnes * c);
  return ((x - kWordOnes) & ~x & kWordHighBits) == 0;
}

// Copies to `o` the longest prefix of [p, p+n) made of 8-byte words that pass `ok`, and
// returns its length; the rest is the caller's (a byte loop). Reads and writes only within
// [p, p+n) and [o, o+n). When the words end before n because fewer than 8 bytes are left
// and the last 8 bytes (overlapping those copied) pass too, the whole input is copied: the
// output is the same bytes either way, and a text's tail costs no byte loop.
template <typename Pred>
inline std::size_t copy_words_while(char* o, const std::uint8_t* p, std::size_t n, Pred ok) {
  std::size_t i = 0;
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (!ok(w)) return i;
    std::memcpy(o + i, &w, 8);
    i += 8;
  }
  if (i < n && n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p + n - 8, 8);
    if (ok(w)) {
      std::memcpy(o + n - 8, &w, 8);
      return n;
    }
  }
  return i;
}

// Writes [p, p+n) to o as `step` writes each byte, words that pass `ok` copied as they are
// (copy_words_while): after a word that fails, `step` takes the bytes of that word only
// (one escape does not send the rest of a text down the byte loop), then words again.
// `step(i, k)` writes the output of the byte (or sequence) at p[i] at o[k] and advances i
// (by at least one, possibly past the word) and k. Assumes `ok(w)` only for words whose
// every byte `step` would write unchanged. Returns the bytes written.
template <typename Pred, typename Step>
inline std::size_t copy_words_or_step(char* o, const std::uint8_t* p, std::size_t n, Pred ok, Step step) {
  std::size_t i = 0, k = 0;
  for (;;) {
    const std::size_t copied = copy_words_while(o + k, p + i, n - i, ok);
    i += copied;
    k += copied;
    if (i >= n) return k;
    const std::size_t stop = n - i < 8 ? n : i + 8;
    while (i < stop) step(i, k);
  }
}

}  // namespace dltdump::util
