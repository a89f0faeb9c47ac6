// The filter options of the command line (dltdump-spec §1.2, §7; deviations Q3, Q4):
// their texts turned into the public dltdump::Filter, -m, --none and context sizes, with
// DltDump's validation messages. Every failure throws util::option_error (exit 1).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command_line.hpp"
#include "cli/options.hpp"

namespace dltdump::cli {

// Fills dump.filter, none, max_count, before_context and after_context from the parsed
// command line (a bad regular expression is refused when the Dump is made). Refuses
// values that can never match (an id longer than 4 bytes, a type number no line has, an
// empty list item, text that is not UTF-8); appends to `warnings` a line for values that
// have no effect (-A/-B without a filter, -i without -s or -r).
void parse_filter_options(const ParsedCommandLine& cl, DumpOptions& dump, std::vector<util::Diagnostic>& warnings);

// Single values (exposed for tests). Each returns nullopt when the text is not valid.
// --type: a name (case-insensitive) or a number as .NET's int parsing with thousands
// separators, sign and a zero fraction takes it (`48`, `+48`, `48.0`, `1,024`).
std::optional<std::int32_t> parse_type(std::string_view text);
// A signed 32-bit decimal (surrounding spaces allowed).
std::optional<std::int32_t> parse_int32(std::string_view text);
// --sessionid: a signed 32-bit decimal, or the unsigned form of the same 32 bits that
// dlt-viewer shows (4294967295 = -1); surrounding spaces allowed.
std::optional<std::int32_t> parse_session_id(std::string_view text);
// --level: fatal 1, error 2, warn 3, info 4, debug 5, verbose 6 (case-insensitive).
std::optional<int> parse_level(std::string_view text);
// -m: an unsigned decimal below 10^19 (a leading + and surrounding spaces allowed).
std::optional<std::uint64_t> parse_count(std::string_view text);
// --messageid: unsigned 32-bit, decimal digits only.
std::optional<std::uint32_t> parse_message_id(std::string_view text);

}  // namespace dltdump::cli
