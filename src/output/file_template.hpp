// Output file name templates (dltdump-spec §6.3).
//
// A template is the `-o` argument with `%NAME%` variables:
//   %FILE%       the input's file name without directory and extension ("stdin" for `-`)
//   %CTR%        the split counter, at least 3 digits (001, 002, …, 999, 1000)
//   %CDATE%      yyyyMMdd        } local time of the first line written to the file;
//   %CTIME%      HHmmss          } a line without time gives 19700101 / 000000
//   %CDATETIME%  yyyyMMddTHHmmss }
//   %LC%         the line's lifecycle, as --lifecycles numbers it, at least 3 digits (001,
//                …); 000 for a line of none (a skipped region before the first message).
//                Each lifecycle gets files of its own (FileSeries); a run over time
//                (app/sort/sorted_run.hpp) gives the numbers (dlt::Message::lifecycle)
//   %%           a single %
//   %OTHER%      the environment variable OTHER (case-sensitive), empty if unset
// An unterminated `%rest` is kept as written. Built-in names win over the environment;
// the environment is read once, when the template is parsed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/timestamp.hpp"

namespace dltdump::output {

// What the variables stand for when a file is named.
struct TemplateValues {
  std::string_view file;        // %FILE%
  std::uint32_t counter = 1;    // %CTR%
  util::Timestamp time;         // %CDATE%, %CTIME%, %CDATETIME%
  std::uint64_t lifecycle = 0;  // %LC%
};

class FileTemplate {
 public:
  explicit FileTemplate(std::string_view text);

  // %FILE% appears: every input gets its own files (otherwise inputs are concatenated).
  bool has_file() const { return has_file_; }
  // %CTR% or a date/time variable appears: --split may start new files.
  bool can_split() const { return can_split_; }
  // A date/time variable appears: the name depends on the first line's time.
  bool has_time() const { return has_time_; }
  // %LC% appears: the name depends on the line's lifecycle.
  bool has_lifecycle() const { return has_lifecycle_; }
  // The %NAME% variables that are neither dltdump's nor set in the environment (so empty
  // in every name), in order, each once: a likely slip (`%ECU%` is no variable of dltdump's).
  const std::vector<std::string>& unset_variables() const { return unset_; }

  std::string expand(const TemplateValues& values) const;

  // The name as far as it is fixed for the run: environment variables and `%%` resolved,
  // each per-file variable (%FILE%, %CTR%, date and time) as written. What a run writes
  // (output kind, records, refused extensions: output/output.hpp) is decided from it, so
  // `-o 'y.%E%'` with E=csv is a CSV output, and a per-file variable never chooses the kind
  // (every file of a run is of one kind; an extension belongs after the last of them).
  std::string fixed_name() const;

 private:
  enum class Part : std::uint8_t { Literal, File, Counter, Date, Time, DateTime, Lifecycle };
  struct Piece {
    Part part;
    std::string text;  // the literal (environment values are resolved into literals)
  };
  std::vector<Piece> pieces_;
  std::vector<std::string> unset_;
  bool has_file_ = false, can_split_ = false, has_time_ = false, has_lifecycle_ = false;
};

// The %FILE% value of an input path: its last component without the last extension, and
// without a compression's extension before it (`trip.dlt.gz` → `trip`, as `trip.dlt`).
std::string file_stem(std::string_view path);

}  // namespace dltdump::output
