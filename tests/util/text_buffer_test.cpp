// TextBuffer: growth keeps what was written, across the 2 MiB step where the storage
// becomes huge-page aligned, and the buffer is reused after clear().
#include "util/text_buffer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace dltdump::util {
namespace {

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
  return s;
}

TEST(TextBuffer, GrowsPastHugePageSizesKeepingItsText) {
  TextBuffer t(16);
  const std::string text = pattern(5u << 20);
  for (std::size_t at = 0; at < text.size();) {  // pieces of every size up to 1 MiB
    const std::size_t n = std::min(text.size() - at, (at % 1000003) + 1);
    if (n % 3 == 0) {
      char* p = t.reserve(n);
      std::copy(text.begin() + static_cast<long>(at), text.begin() + static_cast<long>(at + n), p);
      t.advance(n);
    } else {
      t.append(text.data() + at, n);
    }
    at += n;
  }
  ASSERT_EQ(t.size(), text.size());
  EXPECT_TRUE(t.view() == text);
  // Large storage is 2 MiB aligned (the huge-page request needs it).
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data()) % (2u << 20), 0u);
  const char* storage = t.data();
  t.clear();
  t.append(text.data(), 3u << 20);  // fits: no new storage
  EXPECT_EQ(t.data(), storage);
  t.consume_front(1u << 20);
  EXPECT_TRUE(t.view() == std::string_view(text).substr(1u << 20, 2u << 20));
}

}  // namespace
}  // namespace dltdump::util
