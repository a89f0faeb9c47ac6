// What the compress tests read: compressible sample bytes, and bytes as a mapped file.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "util/input_file.hpp"

namespace dltdump::compress::test {

using Bytes = std::vector<std::uint8_t>;

// `n` bytes from `seed`: compressible, not trivially.
inline Bytes sample(std::size_t n, unsigned seed) {
  Bytes b(n);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    b[i] = static_cast<std::uint8_t>(i % 7 == 0 ? (x >> 16) : 'a' + i % 13);
  }
  return b;
}

// `bytes` in a memory file (memfd), opened as util::InputFile does a regular file (mapped),
// named `name`.
inline util::InputFile memory_file(const Bytes& bytes, const std::string& name) {
  const int fd = ::memfd_create("test", MFD_CLOEXEC);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  return util::InputFile::from_fd(fd, name, true);
}

}  // namespace dltdump::compress::test
