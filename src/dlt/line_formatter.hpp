// The text line of a message or skip record, exactly as DltDump prints it (spec §2):
//
//   [<pos>: ]<TIME> <DEVTIME> <MCNT> <ECU> <APP> <CTX> <SESSION> <TYPE> <TAIL>\n
//
// TIME is local time (TZ honoured); DEVTIME is `0.0000` for messages without a device
// time (deviation Q1); TAIL is `verbose <N> <args>`, `non-verbose 1 [<id>] <arg>` or, for
// control messages, `non-verbose <service text>`.
//
// The same formatter writes the machine-readable records instead when its options say so:
// a JSON Lines record (dlt/json_record.hpp) or a CSV row (dlt/csv_record.hpp) per message
// and skip record, so that every path that makes lines (one thread or many) makes those.
#pragma once

#include <cstdint>
#include <string_view>

#include "dlt/csv_record.hpp"
#include "dlt/json_record.hpp"
#include "dlt/line_colour.hpp"
#include "dlt/message.hpp"
#include "dlt/message_facts.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

// The TIME column of text lines (--time): local time as DltDump prints it; the same in UTC;
// ISO 8601 in UTC (`yyyy-MM-ddTHH:mm:ss.ffffffZ`); seconds since the first line this
// formatter wrote that has a time (`12.345678`, `-` for a line without one); or no column
// (the line starts with the device time). JSON and CSV records keep their own fields.
enum class TimeColumn : std::uint8_t { Local, Utc, Iso, Relative, Device };

class LineFormatter {
 public:
  // Facts: not text but a binary record per message and skip record (dlt/message_facts.hpp),
  // for the summaries (--stats, -c) that parallel decoders feed.
  enum class Style : std::uint8_t { Text, Json, Csv, Facts };
  struct Options {
    // NOLINTNEXTLINE(google-explicit-constructor): `{true}` reads as the options it is
    Options(bool position = false, Style style = Style::Text, std::string_view input = {})
        : position(position), style(style), input(input) {}
    bool position;                        // prefix `%08x: ` with the stream offset (text lines)
    Style style;                          // text lines, JSON Lines records or CSV rows
    std::string_view input;               // the input's name, as records of other styles show it
    TimeColumn time = TimeColumn::Local;  // text lines' TIME column
    bool colour = false;                  // text lines coloured by level (dlt/line_colour.hpp): a terminal's
  };
  explicit LineFormatter(Options options) : options_(options) {}

  const Options& options() const { return options_; }
  // A new input (its name, for the records of other styles); valid until the next call.
  void set_input(std::string_view input) { options_.input = input; }

  // Appends the line (or record) of a message that parse_packet accepted.
  void format(const Message& m, util::TextBuffer& out);
  // Appends the text line of a message up to its payload text: format() is format_head(),
  // the payload text and end_line(). Text style only.
  void format_head(const Message& m, util::TextBuffer& out);
  // Appends the line end of the line format_head began last (with the colour's reset when it
  // began one).
  void end_line(util::TextBuffer& out) {
    if (coloured_) [[unlikely]] {
      out.append(kColourReset);
      coloured_ = false;
    }
    out.put('\n');
  }
  // Appends the line of a skip record (`… SKIP SKIP 0 log warn verbose 4 Skipped: …`).
  void format(const SkipRecord& s, util::TextBuffer& out);

 private:
  void put_prefix(std::uint64_t position, util::Timestamp time, util::TextBuffer& out);
  // The TIME column of a mode other than Local, with its separator.
  void put_other_time(util::Timestamp time, util::TextBuffer& out);

  Options options_;
  bool coloured_ = false;  // the line begun last has a colour to reset
  util::LocalTimeFormatter time_;
  util::UtcTimeFormatter utc_;
  bool have_origin_ = false;  // Relative: the first time written, once there is one
  std::int64_t origin_us_ = 0;
  JsonRecordFormatter json_;
  CsvRecordFormatter csv_;
};

// Appends the text of a message's payload (what `-s`/`-r` search): the argument texts,
// `[<id>] …` for non-verbose, the service text for control. Copies the text the framer
// made while validating when there is one (Message::has_payload_text).
void format_payload_text(const Message& m, util::TextBuffer& out);

// The payload's text: the one the framer made while validating, else made into `scratch`
// (cleared first); valid until either changes.
std::string_view payload_text_of(const Message& m, util::TextBuffer& scratch);

// Appends a skip line's text: `Skipped: <length> bytes; Reason: <reason>`.
void format_skip_text(const SkipRecord& s, util::TextBuffer& out);

}  // namespace dltdump::dlt
