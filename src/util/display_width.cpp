#include "util/display_width.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace dltdump::util {

namespace {

// A small table, not the C library's wcwidth: that depends on the process's locale
// (setlocale is global to the process, and under the "C" locale — tests, cron jobs,
// containers — it returns -1 for every character beyond ASCII), so the same report would be
// aligned differently by where it runs. The ranges are Unicode's East Asian Width W and F
// (UAX #11) and the common combining and zero-width characters (general categories Mn, Me,
// Cf): what terminals draw in 2 and 0 columns. Rarer scripts' combining marks count 1 here,
// which costs at most a misaligned row, never a broken one.
struct Range {
  std::uint32_t first, last;
};

constexpr std::array<Range, 23> kZero = {{
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2}, {0x05C4, 0x05C5},
    {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670}, {0x06D6, 0x06DC}, {0x06DF, 0x06E4},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0x302A, 0x302F}, {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
}};

constexpr std::array<Range, 19> kWide = {{
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x2E80, 0x303E},   {0x3041, 0x3247},
    {0x3250, 0x4DBF},   {0x4E00, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}, {0x1B000, 0x1B16F},
}};

template <std::size_t N>
bool in(const std::array<Range, N>& table, std::uint32_t c) {
  return std::any_of(table.begin(), table.end(), [c](const Range& r) { return c >= r.first && c <= r.last; });
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    if (b0 < 0x80) {
      ++width;
      ++i;
      continue;
    }
    const std::size_t n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 1;
    if (n == 1 || i + n > s.size()) {  // not the start of a sequence: as one column
      ++width;
      ++i;
      continue;
    }
    std::uint32_t c = b0 & (0x7Fu >> n);
    for (std::size_t k = 1; k < n; ++k) c = c << 6 | (static_cast<std::uint8_t>(s[i + k]) & 0x3Fu);
    width += in(kZero, c) ? 0 : in(kWide, c) ? 2 : 1;
    i += n;
  }
  return width;
}

}  // namespace dltdump::util
