// The generators' random numbers: splitmix64 — small, fast and reproducible everywhere,
// so the same seed gives the same corpus on any machine.
#pragma once

#include <cstdint>

namespace dltdump::tools {

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
};

}  // namespace dltdump::tools
