#include "util/substring.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

using dltdump::util::find_substring;

TEST(Substring, AgreesWithStdFindOnRandomText) {
  std::mt19937 rng(5);
  for (int round = 0; round < 100000; ++round) {
    std::string hay(rng() % 80, 'a'), needle(rng() % 6, 'a');
    for (auto& c : hay) c = static_cast<char>('a' + rng() % 3);  // small alphabet: many near misses
    for (auto& c : needle) c = static_cast<char>('a' + rng() % 3);
    const char* hit = find_substring(hay.data(), hay.size(), needle.data(), needle.size());
    const std::size_t want = hay.find(needle);
    ASSERT_EQ(hit ? static_cast<std::size_t>(hit - hay.data()) : std::string::npos, want)
        << "hay '" << hay << "' needle '" << needle << "'";
  }
}

TEST(Substring, EdgesOfTheHaystack) {
  const std::string hay = "0123456789abcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(find_substring(hay.data(), hay.size(), "0123", 4), hay.data());
  EXPECT_EQ(find_substring(hay.data(), hay.size(), "xyz", 3), hay.data() + 33);
  EXPECT_EQ(find_substring(hay.data(), hay.size(), "yz!", 3), nullptr);
  EXPECT_EQ(find_substring(hay.data(), 3, "0123", 4), nullptr);
  EXPECT_EQ(find_substring(hay.data(), hay.size(), "", 0), hay.data());
}
