// ASCII case folding for option values, URI parts and file extensions (locale-independent).
#pragma once

#include <string>
#include <string_view>

namespace dltdump::util {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `s` with A-Z turned into a-z; every other byte unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace dltdump::util
