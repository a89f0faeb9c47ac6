// Substring search for short haystacks (a line of text), without per-call setup.
//
// Compares the needle's first and last byte at 16 positions at once (SSE2), and the whole
// needle only where both agree; library memmem and Boyer-Moore-Horspool build tables per
// call or per needle that cost more than a whole search on lines of a hundred bytes.
#pragma once

#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dltdump::util {

// The first occurrence of needle[0, m) in hay[0, n), or nullptr. An empty needle is found
// at `hay`.
inline const char* find_substring(const char* hay, std::size_t n, const char* needle, std::size_t m) {
  if (m == 0) return hay;
  if (m > n) return nullptr;
  if (m == 1) return static_cast<const char*>(std::memchr(hay, needle[0], n));
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[m - 1]);
  for (; i + m - 1 + 16 <= n; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i + m - 1));
    unsigned mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask) {
      const unsigned k = static_cast<unsigned>(__builtin_ctz(mask));
      if (std::memcmp(hay + i + k + 1, needle + 1, m - 2) == 0) return hay + i + k;
      mask &= mask - 1;
    }
  }
#endif
  for (; i + m <= n; ++i)
    if (hay[i] == needle[0] && std::memcmp(hay + i, needle, m) == 0) return hay + i;
  return nullptr;
}

}  // namespace dltdump::util
