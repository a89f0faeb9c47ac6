#include "dlt/marker_scan.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace dltdump::dlt {

std::size_t find_marker_after_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  if (n < 4) return n;  // no room for a marker (and an empty span's pointer may be null)
  const void* hit = ::memmem(p, n, marker, 4);
  return hit ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - p) : n;
}

std::size_t marker_prefix_at_end(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  for (std::size_t k = std::min<std::size_t>(3, n); k > 0; --k)
    if (std::memcmp(p + n - k, marker, k) == 0) return k;
  return 0;
}

namespace {

// The scan looks for the marker's first two bytes side by side, many positions at a time:
// such a pair is rare inside a packet, and only then is each candidate checked in full.
// Windows start at 0, W, 2W, … plus a last one whose pairs end exactly at n (overlapping
// the one before), so every pair position in [0, n-1) is covered; the last byte, which can
// only begin a one-byte prefix, is checked apart.

#if defined(__x86_64__)
// True if some pair position in [p, p+n-1) holds marker[0], marker[1]; n ≥ 33.
__attribute__((target("avx2"))) bool any_pair_avx2(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  const __m256i first = _mm256_set1_epi8(static_cast<char>(marker[0]));
  const __m256i second = _mm256_set1_epi8(static_cast<char>(marker[1]));
  const std::size_t last = n - 33;
  __m256i any = _mm256_setzero_si256();
  for (std::size_t i = 0;; i += 32) {
    if (i > last) i = last;
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + 1));
    any = _mm256_or_si256(any, _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, second)));
    if (i == last) return !_mm256_testz_si256(any, any);
  }
}
const bool kHaveAvx2 = __builtin_cpu_supports("avx2");
#endif

// The exact scan, with the pair search's answer `any_pair` when it is already known.
bool may_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker, std::optional<bool> any_pair) {
  auto candidate_at = [&](std::size_t k) {
    return p[k] == marker[0] && std::memcmp(p + k, marker, std::min<std::size_t>(n - k, 4)) == 0;
  };
#if defined(__SSE2__)
  if (n >= 17) {
    const __m128i first = _mm_set1_epi8(static_cast<char>(marker[0]));
    const __m128i second = _mm_set1_epi8(static_cast<char>(marker[1]));
    auto pairs_at = [&](std::size_t i) {
      const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
      return _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, second));
    };
    const std::size_t last = n - 17;
    if (!any_pair) {
      // Usually no pair at all: one test for the whole region.
      __m128i any = pairs_at(last);
      for (std::size_t i = 0; i < last; i += 16) any = _mm_or_si128(any, pairs_at(i));
      any_pair = _mm_movemask_epi8(any) != 0;
    }
    if (!*any_pair) return p[n - 1] == marker[0];
    for (std::size_t i = 0;; i += 16) {
      if (i > last) i = last;
      unsigned hits = static_cast<unsigned>(_mm_movemask_epi8(pairs_at(i)));
      while (hits != 0) {
        if (candidate_at(i + static_cast<std::size_t>(__builtin_ctz(hits)))) return true;
        hits &= hits - 1;
      }
      if (i == last) return p[n - 1] == marker[0];
    }
  }
#endif
  for (std::size_t k = 0; k < n; ++k)
    if (candidate_at(k)) return true;
  return false;
}

}  // namespace

bool marker_may_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
#if defined(__x86_64__)
  if (n >= 33 && kHaveAvx2) {
    if (!any_pair_avx2(p, n, marker)) return p[n - 1] == marker[0];
    return may_start(p, n, marker, true);
  }
#endif
  return may_start(p, n, marker, std::nullopt);
}

bool marker_may_start_without_avx2(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  return may_start(p, n, marker, std::nullopt);
}

}  // namespace dltdump::dlt
