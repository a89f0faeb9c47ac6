// Line text helpers shared by the fuzz targets that compare decoded outputs.
#pragma once

#include <string>
#include <string_view>

namespace dltdump::fuzz {

// Calls f(line) for each line of `lines` (without its '\n'; a last line without one too).
template <class F>
void for_each_line(std::string_view lines, F f) {
  std::size_t at = 0;
  while (at < lines.size()) {
    std::size_t end = lines.find('\n', at);
    if (end == std::string_view::npos) end = lines.size();
    f(lines.substr(at, end - at));
    at = end + 1;
  }
}

// `lines` with the counter (third field) of every skip line blanked: a skip line shows -1,
// the SKIP message a DLT or PCAP-NG output writes for it a counter. Every line ends in
// '\n' in the result.
inline std::string with_skip_counters_blanked(std::string_view lines) {
  std::string out;
  for_each_line(lines, [&](std::string_view view) {
    std::string line(view);
    if (line.find("  SKIP SKIP ") != std::string::npos) {
      const std::size_t a = line.find(' ', line.find(' ', line.find(' ') + 1) + 1);
      const std::size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
      if (a != std::string::npos && b != std::string::npos) line.replace(a + 1, b - a - 1, "C");
    }
    out += line;
    out += '\n';
  });
  return out;
}

// `lines` without the `--position` prefix (`%08x: `) of each line. Assumes every line
// has one.
inline std::string without_positions(std::string_view lines) {
  std::string out;
  for_each_line(lines, [&](std::string_view line) {
    const std::size_t colon = line.find(": ");
    out += colon == std::string_view::npos ? line : line.substr(colon + 2);
    out += '\n';
  });
  return out;
}

}  // namespace dltdump::fuzz
