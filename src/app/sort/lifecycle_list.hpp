// --lifecycles: the list of a run's lifecycles, in the run's numbering (the numbers
// --lifecycle and %LC% take), as a text table for people or as records for programs.
#pragma once

#include <string>

#include "app/sort/lifecycle_table.hpp"
#include "dlt/line_formatter.hpp"

namespace dltdump::app {

// The list of `table`'s lifecycles (LifecycleTable::finish called), one per row, in
// `style`:
//   Text: a table with a header row (LIFECYCLE ECU START END UPTIME FROM TO MESSAGES), local
//         times, each column as wide as its widest cell; `-` for what is not known.
//   Json: JSON Lines, one object per lifecycle: lifecycle, ecu, start and start_us, end and
//         end_us (RFC 3339 UTC, as records write times), uptime_from and uptime_to
//         (seconds), messages; null for what is not known.
//   Csv:  a header row, then those fields, times as in JSON, empty for what is not known.
// docs/manual.md (--lifecycles) describes the fields.
std::string lifecycle_list(const LifecycleTable& table, dlt::LineFormatter::Style style);

}  // namespace dltdump::app
