#include "dlt/marker_scan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

using namespace dltdump;

namespace {
constexpr std::uint8_t kFile[4] = {'D', 'L', 'T', 0x01};
constexpr std::uint8_t kSerial[4] = {'D', 'L', 'S', 0x01};

// The rules, position by position.
bool reference_may_start(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  for (std::size_t k = 0; k < n; ++k)
    if (std::memcmp(p + k, marker, std::min<std::size_t>(n - k, 4)) == 0) return true;
  return false;
}
std::size_t reference_find(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  for (std::size_t k = 0; k + 4 <= n; ++k)
    if (std::memcmp(p + k, marker, 4) == 0) return k;
  return n;
}
std::size_t reference_prefix_at_end(const std::uint8_t* p, std::size_t n, const std::uint8_t* marker) {
  for (std::size_t k = std::min<std::size_t>(3, n); k > 0; --k)
    if (std::memcmp(p + n - k, marker, k) == 0) return k;
  return 0;
}
}  // namespace

// Regions of every length up to 200 (both vector widths, their overlapping last windows and
// the scalar tail), made of the marker's own bytes and one other, so that pairs, partial
// markers and whole ones turn up everywhere; each region sits at every alignment.
TEST(MarkerScan, AgreesWithThePositionByPositionRule) {
  std::mt19937 rng(5);
  const std::uint8_t alphabet[] = {'D', 'L', 'T', 'S', 0x01, 'x'};
  std::vector<std::uint8_t> buffer(256 + 64);
  int found = 0, not_found = 0;
  for (const std::uint8_t* marker : {kFile, kSerial}) {
    for (int round = 0; round < 30000; ++round) {
      const std::size_t n = rng() % 201;
      const std::size_t align = rng() % 64;
      // Mostly one other byte, with the marker's bytes sprinkled in at a random density.
      const unsigned density = 1 + rng() % 40;
      for (std::size_t k = 0; k < n; ++k) buffer[align + k] = rng() % density == 0 ? alphabet[rng() % 5] : 'x';
      if (n > 0 && rng() % 2) {  // plant a marker, or its head, anywhere (cut by the end)
        const std::size_t at = rng() % n, len = std::min<std::size_t>(1 + rng() % 4, n - at);
        std::memcpy(buffer.data() + align + at, marker, len);
      }
      const std::uint8_t* p = buffer.data() + align;
      const bool expected = reference_may_start(p, n, marker);
      (expected ? found : not_found)++;
      ASSERT_EQ(dlt::marker_may_start(p, n, marker), expected) << "n " << n << " round " << round;
      ASSERT_EQ(dlt::marker_may_start_without_avx2(p, n, marker), expected) << "n " << n << " round " << round;
      ASSERT_EQ(dlt::find_marker(p, n, marker), reference_find(p, n, marker)) << "n " << n;
      ASSERT_EQ(dlt::marker_prefix_at_end(p, n, marker), reference_prefix_at_end(p, n, marker)) << "n " << n;
    }
  }
  EXPECT_GT(found, 5000);
  EXPECT_GT(not_found, 5000);
}
