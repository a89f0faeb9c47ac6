#include "output/file_template.hpp"

#include <algorithm>

#include "util/ascii.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace dltdump::output {

FileTemplate::FileTemplate(std::string_view text) {
  auto literal = [&](std::string_view s) {
    if (s.empty()) return;
    if (pieces_.empty() || pieces_.back().part != Part::Literal) pieces_.push_back({Part::Literal, {}});
    pieces_.back().text += s;
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('%', i);
    if (open == std::string_view::npos) {
      literal(text.substr(i));
      break;
    }
    literal(text.substr(i, open - i));
    const std::size_t close = text.find('%', open + 1);
    if (close == std::string_view::npos) {  // unterminated: kept as written
      literal(text.substr(open));
      break;
    }
    const std::string name(text.substr(open + 1, close - open - 1));
    i = close + 1;
    if (name.empty()) literal("%");
    else if (name == "FILE") pieces_.push_back({Part::File, {}}), has_file_ = true;
    else if (name == "CTR") pieces_.push_back({Part::Counter, {}}), can_split_ = true;
    else if (name == "CDATE") pieces_.push_back({Part::Date, {}}), can_split_ = has_time_ = true;
    else if (name == "CTIME") pieces_.push_back({Part::Time, {}}), can_split_ = has_time_ = true;
    else if (name == "CDATETIME") pieces_.push_back({Part::DateTime, {}}), can_split_ = has_time_ = true;
    else if (name == "LC") pieces_.push_back({Part::Lifecycle, {}}), has_lifecycle_ = true;
    else if (const char* value = std::getenv(name.c_str())) literal(value);
    else if (std::find(unset_.begin(), unset_.end(), name) == unset_.end()) unset_.push_back(name);
  }
}

namespace {

// The local date and time of `t` as yyyyMMdd and HHmmss; a time stamp without a source is
// not converted (it names the file 19700101 / 000000, as DltDump does).
void local_parts(util::Timestamp t, char (&date)[40], char (&time)[40]) {
  struct tm tm {};
  if (t.valid) {
    std::int64_t seconds = t.us / 1000000;
    if (t.us % 1000000 < 0) --seconds;
    const std::time_t tt = static_cast<std::time_t>(seconds);
    localtime_r(&tt, &tm);
  } else {
    tm.tm_year = 70;
    tm.tm_mday = 1;
  }
  std::snprintf(date, sizeof date, "%04d%02d%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday);
  std::snprintf(time, sizeof time, "%02d%02d%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// 1 → "001", 1000 → "1000": names that sort in order up to 999.
std::string at_least_3_digits(std::uint64_t n) {
  char text[24];
  std::snprintf(text, sizeof text, "%03llu", static_cast<unsigned long long>(n));
  return text;
}

}  // namespace

std::string FileTemplate::expand(const TemplateValues& values) const {
  char date[40], time[40];
  if (has_time_) local_parts(values.time, date, time);
  std::string name;
  for (const Piece& p : pieces_) {
    switch (p.part) {
      case Part::Literal: name += p.text; break;
      case Part::File: name += values.file; break;
      case Part::Counter: name += at_least_3_digits(values.counter); break;
      case Part::Lifecycle: name += at_least_3_digits(values.lifecycle); break;
      case Part::Date: name += date; break;
      case Part::Time: name += time; break;
      case Part::DateTime: name += date, name += 'T', name += time; break;
    }
  }
  return name;
}

std::string FileTemplate::fixed_name() const {
  std::string name;
  for (const Piece& p : pieces_) {
    switch (p.part) {
      case Part::Literal: name += p.text; break;
      case Part::File: name += "%FILE%"; break;
      case Part::Counter: name += "%CTR%"; break;
      case Part::Date: name += "%CDATE%"; break;
      case Part::Time: name += "%CTIME%"; break;
      case Part::DateTime: name += "%CDATETIME%"; break;
      case Part::Lifecycle: name += "%LC%"; break;
    }
  }
  return name;
}

std::string file_stem(std::string_view path) {
  if (path == "-") return "stdin";
  const std::size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  // Every compression's extension, in any case (as a nested input is decompressed up to
  // three times, x.dlt.zst.gz gives x), then the format's.
  for (bool dropped = true; dropped;) {
    dropped = false;
    const std::string lower = util::ascii_lower(base);
    for (std::string_view packed : {".gz", ".zst", ".xz", ".bz2"}) {
      if (base.size() > packed.size() && std::string_view(lower).ends_with(packed)) {
        base.remove_suffix(packed.size());
        dropped = true;
        break;
      }
    }
  }
  const std::size_t dot = base.rfind('.');
  if (dot != std::string_view::npos && dot > 0) base = base.substr(0, dot);
  return std::string(base);
}

}  // namespace dltdump::output
