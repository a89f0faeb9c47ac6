// Unaligned loads of fixed-width integers in a given byte order.
//
// DLT headers are big endian; payloads use the byte order named by the MSBF bit; storage
// headers are little endian. Every reader here takes a pointer to at least N readable
// bytes (the caller has checked the length) and never requires alignment.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace dltdump::util {

template <typename T>
inline T load_native(const std::uint8_t* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
inline T byteswap_if(T v, bool swap) noexcept {
  if (!swap) return v;
  if constexpr (sizeof(T) == 1) return v;
  else if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(static_cast<std::uint16_t>(v)));
  else if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(static_cast<std::uint32_t>(v)));
  else return static_cast<T>(__builtin_bswap64(static_cast<std::uint64_t>(v)));
}

// Load a T stored in big-endian (big_endian == true) or little-endian order.
template <typename T>
inline T load(const std::uint8_t* p, bool big_endian) noexcept {
  constexpr bool kHostBig = std::endian::native == std::endian::big;
  return byteswap_if(load_native<T>(p), big_endian != kHostBig);
}

// Load an unsigned value of `width` bytes (1, 2, 4 or 8; anything else reads 8).
inline std::uint64_t load_width(const std::uint8_t* p, unsigned width, bool big_endian) noexcept {
  switch (width) {
    case 1: return p[0];
    case 2: return load<std::uint16_t>(p, big_endian);
    case 4: return load<std::uint32_t>(p, big_endian);
    default: return load<std::uint64_t>(p, big_endian);
  }
}

inline std::uint16_t load_be16(const std::uint8_t* p) noexcept { return load<std::uint16_t>(p, true); }
inline std::uint32_t load_be32(const std::uint8_t* p) noexcept { return load<std::uint32_t>(p, true); }
inline std::uint16_t load_le16(const std::uint8_t* p) noexcept { return load<std::uint16_t>(p, false); }
inline std::uint32_t load_le32(const std::uint8_t* p) noexcept { return load<std::uint32_t>(p, false); }

// Store helpers, used by encoders and the test-data generator.
template <typename T>
inline void store(std::uint8_t* p, T v, bool big_endian) noexcept {
  constexpr bool kHostBig = std::endian::native == std::endian::big;
  v = byteswap_if(v, big_endian != kHostBig);
  std::memcpy(p, &v, sizeof v);
}

}  // namespace dltdump::util
