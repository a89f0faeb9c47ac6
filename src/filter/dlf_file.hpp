// A dlt-viewer filter file (`.dlf`, --filter-file) read into plain data.
//
// The file is XML: a root element `dltfilter` holding `filter` elements, each a list of
// text elements (`type`, `ecuid`, `enableecuid`, `applicationid`, `enableregexp_Appid`,
// `payloadtext`, `ignoreCase_Payload`, `logLevelMax`, `messageIdMin`, ...), as dlt-viewer
// 2.23 writes them. Numbers and flags are read as dlt-viewer reads them: a decimal
// integer, anything else 0 (a warning says so). Elements that only change how dlt-viewer
// shows a message (`name`, `filterColour`, `regex_search`, ...) are read and ignored.
//
// What dltdump cannot apply is a warning, never an error, so that a file written by a newer
// dlt-viewer still filters by the fields it knows: an unknown element (the filter keeps the
// rest), an unknown filter type (the filter is left out) and an enabled regex
// search-and-replace (it changes only what dlt-viewer shows).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dltdump::filter {

// One text field of a filter: its value and how dlt-viewer compares it.
struct DlfTextField {
  bool enabled = false;      // enable<field>
  std::string text;          // the value (UTF-8)
  bool regex = false;        // enableregexp_<Field>: a PCRE2 pattern searched in the field
  bool ignore_case = false;  // ignoreCase_<Field> (header and payload text only)
};

// One `filter` element.
struct DlfRule {
  enum class Kind : std::uint8_t { Positive = 0, Negative = 1, Marker = 2 };
  Kind kind = Kind::Positive;  // `type`: 0, 1, 2
  bool enabled = false;        // `enablefilter`: a disabled filter selects nothing and removes nothing
  std::string name;
  bool ecu_enabled = false;
  std::string ecu;            // compared whole with the message's ECU id
  DlfTextField app;           // whole (or a pattern searched in the id)
  DlfTextField ctx;           // contained in the id (or a pattern searched in it)
  DlfTextField header;        // contained in the line's head: its text up to the payload (or a pattern)
  DlfTextField payload;       // contained in the payload text (or a pattern)
  bool control_only = false;  // `enablectrlmsgs`: control messages only
  bool level_min_enabled = false, level_max_enabled = false;
  int level_min = 0, level_max = 6;  // log messages whose level (1 fatal ... 6 verbose) is in range
  bool message_id_enabled = false;
  // `messageIdMax` 0: the id equals `messageIdMin`; else min <= id < max (as dlt-viewer).
  std::uint32_t message_id_min = 0, message_id_max = 0;

  // True when the filter takes part in selection: enabled, positive or negative.
  bool selects() const { return enabled && (kind == Kind::Positive || kind == Kind::Negative); }
};

struct DlfFile {
  std::vector<DlfRule> rules;         // in file order
  std::vector<std::string> warnings;  // one line each, naming the file, filter and element
};

// Reads document `text` of file `name` (for messages). Throws util::Error (an option error,
// exit 1) `Filter file '<name>': <what>` for text that is not well-formed XML (with its line
// and column) or whose root element is not `dltfilter`.
DlfFile parse_dlf(std::string_view name, std::string_view text);

// Reads the file at `path`. Throws util::Error (option error) `Filter file '<path>': <reason>`
// when it cannot be read (missing, a directory, no permission), and as parse_dlf.
DlfFile read_dlf_file(const std::string& path);

}  // namespace dltdump::filter
