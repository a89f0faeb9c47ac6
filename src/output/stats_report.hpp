// The --stats report of a finished tally (output/stats_tally.hpp): aligned tables for
// people (`--stats`), or one JSON document for programs (`--stats=json`, schema in
// docs/stats.schema.json, every field explained in docs/statistics.md).
#pragma once

#include <cstdint>

#include "output/stats_tally.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::output {

enum class StatsFormat : std::uint8_t { Text, Json };

// The version of the JSON report's schema: fields are added, never changed, within one.
inline constexpr int kStatsVersion = 1;

// Appends the report of `tally` to `out`: text in the local time zone (as lines show time),
// JSON in UTC. Ids and input names as lines and diagnostics show them (controls as '.' or
// \xHH). Never throws but std::bad_alloc.
void write_stats_report(const StatsTally& tally, StatsFormat format, util::TextBuffer& out);

}  // namespace dltdump::output
