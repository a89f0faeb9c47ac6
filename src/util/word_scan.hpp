// Copying text several bytes at a time while no byte needs a change: the fast path of the
// text writers (dlt/text_encoding.cpp, the CSV and JSON records), which hand the bytes
// that do to a byte step of their own. A line's text takes 8-byte words to the first such
// byte (copy_words_while); a record's quoted texts take 16-byte blocks and come back to
// them after each such byte (copy_or_step).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// The bytes a text writer must look at one by one: up to three given values, and with
// `non_printable` also every byte that is not printable ASCII (0x00-0x1F, 0x7F-0xFF).
struct StopBytes {
  std::uint8_t a, b, c;
  bool non_printable;
};

// Copies to `o` the bytes of [p, p+n) before the first stop byte (kStop) and returns their count
// (n when there is none). Reads only within [p, p+n); writes within [o, o+n), possibly
// past the count (bytes the caller overwrites: it writes on from o + count). Sixteen bytes
// at a time (SSE2), then eight, the tail as the last 16 or 8 bytes overlapping those
// copied; a text of fewer than 8 bytes byte by byte. Without SSE2 it leaves everything to
// the caller (0).
template <StopBytes kStop>
inline std::size_t copy_until_stop(char* o, const std::uint8_t* p, std::size_t n);

// The same, copying to two outputs at once (o and o2, each as copy_until_stop writes o):
// two texts that show these bytes alike.
template <StopBytes kStop>
inline std::size_t copy_until_stop_twice(char* o, char* o2, const std::uint8_t* p, std::size_t n);

namespace detail {
// copy_until_stop's scan; `Outs` are the outputs it copies to.
template <StopBytes kStop, typename... Outs>
inline std::size_t copy_until_stop_to(const std::uint8_t* p, std::size_t n, Outs... outs) {
#if defined(__SSE2__)
  const auto stops = [](__m128i x) {
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(kStop.a))),
                               _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(kStop.b))),
                                            _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(kStop.c)))));
    if constexpr (kStop.non_printable)  // signed: below 0x20 or 0x80 and above; and DEL
      hit = _mm_or_si128(hit,
                         _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F))));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
  };
  const auto load16 = [p](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)); };
  const auto load8 = [p](std::size_t at) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + at)); };
  const auto store16 = [outs...](std::size_t at, __m128i x) {
    (_mm_storeu_si128(reinterpret_cast<__m128i*>(outs + at), x), ...);
  };
  const auto store8 = [outs...](std::size_t at, __m128i x) {
    (_mm_storel_epi64(reinterpret_cast<__m128i*>(outs + at), x), ...);
  };
  if (n >= 16) {
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i x = load16(i);
      store16(i, x);
      if (const unsigned hit = stops(x)) return i + static_cast<unsigned>(__builtin_ctz(hit));
    }
    if (i == n) return n;
    // The last 16 bytes: those before i passed already, so a hit is in the tail.
    const __m128i x = load16(n - 16);
    store16(n - 16, x);
    const unsigned hit = stops(x);
    return hit ? n - 16 + static_cast<unsigned>(__builtin_ctz(hit)) : n;
  }
  if (n >= 8) {
    __m128i x = load8(0);
    store8(0, x);
    unsigned hit = stops(x) & 0xFF;
    if (hit || n == 8) return hit ? static_cast<unsigned>(__builtin_ctz(hit)) : n;
    x = load8(n - 8);
    store8(n - 8, x);
    hit = stops(x) & 0xFF;
    return hit ? n - 8 + static_cast<unsigned>(__builtin_ctz(hit)) : n;
  }
  // Fewer than 8 bytes (a VARI name, a short value), byte by byte: a byte loop here is
  // cheaper than the caller's step for each of them.
  std::size_t i = 0;
  for (; i < n; ++i) {
    const std::uint8_t b = p[i];
    if (b == kStop.a || b == kStop.b || b == kStop.c || (kStop.non_printable && (b < 0x20 || b >= 0x7F))) break;
    ((outs[i] = static_cast<char>(b)), ...);
  }
  return i;
#else
  (void)p, (void)n, ((void)outs, ...);
  return 0;
#endif
}
}  // namespace detail

template <StopBytes kStop>
inline std::size_t copy_until_stop(char* o, const std::uint8_t* p, std::size_t n) {
  return detail::copy_until_stop_to<kStop>(p, n, o);
}

template <StopBytes kStop>
inline std::size_t copy_until_stop_twice(char* o, char* o2, const std::uint8_t* p, std::size_t n) {
  return detail::copy_until_stop_to<kStop>(p, n, o, o2);
}

// Writes [p, p+n) to o as `step` writes each byte: the bytes before a stop byte (kStop)
// are copied as they are (copy_until_stop), `step` takes the stop byte, then copying goes
// on. `step(i, k)` writes the output of the byte (or sequence) at p[i] at o[k] and advances i (by at
// least one) and k. Assumes that `step` writes every byte other than the stop bytes
// unchanged. Returns the bytes written.
template <StopBytes kStop, typename Step>
inline std::size_t copy_or_step(char* o, const std::uint8_t* p, std::size_t n, Step step) {
  std::size_t i = 0, k = 0;
  for (;;) {
    const std::size_t copied = copy_until_stop<kStop>(o + k, p + i, n - i);
    i += copied;
    k += copied;
    if (i >= n) return k;
    step(i, k);
  }
}

}  // namespace dltdump::util
