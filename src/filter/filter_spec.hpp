// What the user asked to filter: the parsed values of the filter options (dltdump-spec §7).
//
// Plain data, made by the command line and turned into a filter::Filter (which compiles the
// regular expressions and packs the ids) when the run starts. Within one group any value
// matches (OR); every group that is given must match (AND). An empty group is not given.
// An exclusion group (`--not-…`) is the opposite: a line that matches any of its values
// fails it. `invert` (-v) then selects the lines that fail the whole conjunction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "filter/dlf_file.hpp"

namespace dltdump::filter {

// --verbose / --nonverbose / --control: bits of FilterSpec::kinds.
inline constexpr unsigned kKindVerbose = 1, kKindNonVerbose = 2, kKindControl = 4;
inline constexpr unsigned kKindAll = kKindVerbose | kKindNonVerbose | kKindControl;

struct FilterSpec {
  std::vector<std::string> ecu_ids, app_ids, ctx_ids;
  std::vector<std::int32_t> session_ids;
  std::vector<std::int32_t> types;                                 // MSIN with the verbose bit masked (0x30 = log warn)
  std::vector<std::string> not_ecu_ids, not_app_ids, not_ctx_ids;  // --not-ecuid, --not-appid, --not-ctxid
  std::vector<std::int32_t> not_types;                             // --not-type, as `types`
  // --level: log messages of this level or a more severe one (1 fatal ... 6 verbose; 0: not given).
  int max_level = 0;
  unsigned kinds = 0;                                       // 0 or kKindAll: no restriction
  std::vector<std::uint32_t> message_ids;                   // non-verbose message ids
  std::optional<std::int64_t> not_before_us, not_after_us;  // inclusive, µs since 1970 UTC
  std::vector<std::string> strings;                         // -s: substrings of the line text
  std::vector<std::string> regexes;                         // -r: PCRE2 patterns, searched in the line text
  bool ignore_case = false;                                 // -i: applies to strings and regexes
  bool none = false;                                        // --none: nothing passes
  bool invert = false;                                      // -v: the lines the groups do not select
  // --filter-file: the filters of a dlt-viewer filter file, one more group (AND): nullopt
  // when not given.
  std::optional<std::vector<DlfRule>> filter_file;
  // -m: after this many matching messages an input is read no further (not a filter: it
  // makes no line fail, so it is not in any()).
  std::optional<std::uint64_t> max_count;
  // Not a filter: non-verbose messages are described by a catalogue (--fibex), so their
  // application and context ids may be a frame's rather than the extended header's.
  bool catalogue = false;

  // True when the filters pass every message of an ECU or none (its id, a time window), so
  // gaps in the message counters of what passes are messages lost, whether the ECU's
  // senders count per context or per ECU (docs/statistics.md). An application, context or
  // session filter keeps a context's sequence whole, but not an ECU's.
  // Inverted, only ECU groups keep that property (a time window inverted cuts a hole).
  bool keeps_counter_sequences_whole() const {
    return app_ids.empty() && ctx_ids.empty() && session_ids.empty() && types.empty() && not_app_ids.empty() &&
           not_ctx_ids.empty() && not_types.empty() && max_level == 0 && (kinds == 0 || kinds == kKindAll) &&
           message_ids.empty() && strings.empty() && regexes.empty() && !filter_file &&
           (!invert || (!not_before_us && !not_after_us));
  }

  // True when any option restricts the lines (context needs at least one).
  bool any() const {
    return none || !ecu_ids.empty() || !app_ids.empty() || !ctx_ids.empty() || !session_ids.empty() || !types.empty() ||
           !not_ecu_ids.empty() || !not_app_ids.empty() || !not_ctx_ids.empty() || !not_types.empty() ||
           max_level != 0 || (kinds != 0 && kinds != kKindAll) || !message_ids.empty() || not_before_us ||
           not_after_us || !strings.empty() || !regexes.empty() || filter_file.has_value();
  }
};

}  // namespace dltdump::filter
