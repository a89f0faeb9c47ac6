// Sizes and counts on the generators' command lines: digits with an optional k, M or G
// suffix (powers of 1024), e.g. `--size 200M`.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>

namespace dltdump::tools {

// The value of `s`, or nullopt if it is not digits with an optional suffix.
inline std::optional<std::uint64_t> parse_size(const char* s) {
  char* end;
  std::uint64_t v = std::strtoull(s, &end, 10);
  if (end == s) return std::nullopt;
  switch (*end) {
    case 'k':
    case 'K': v <<= 10; break;
    case 'm':
    case 'M': v <<= 20; break;
    case 'g':
    case 'G': v <<= 30; break;
    case 0: return v;
    default: return std::nullopt;
  }
  return end[1] == 0 ? std::optional(v) : std::nullopt;
}

// The value of `s`, or the tool's usage() (which must not return) if it is not a size.
inline std::uint64_t size_or_usage(const char* s, void (*usage)()) {
  const auto v = parse_size(s);
  if (!v) {
    usage();
    std::abort();
  }
  return *v;
}

}  // namespace dltdump::tools
