// The text line of a message or skip record, exactly as DltDump prints it (spec §2):
//
//   [<pos>: ]<TIME> <DEVTIME> <MCNT> <ECU> <APP> <CTX> <SESSION> <TYPE> <TAIL>\n
//
// TIME is local time (TZ honoured); DEVTIME is `0.0000` for messages without a device
// time (deviation Q1); TAIL is `verbose <N> <args>`, `non-verbose 1 [<id>] <arg>` or, for
// control messages, `non-verbose <service text>`.
#pragma once

#include "dlt/message.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

class LineFormatter {
 public:
  struct Options {
    bool position = false;  // prefix `%08x: ` with the stream offset
  };
  explicit LineFormatter(Options options) : options_(options) {}

  // Appends the line of a message that parse_packet accepted.
  void format(const Message& m, util::TextBuffer& out);
  // Appends the line of a message up to its payload text: format() is format_head(), the
  // payload text and a line end.
  void format_head(const Message& m, util::TextBuffer& out);
  // Appends the line of a skip record (`… SKIP SKIP 0 log warn verbose 4 Skipped: …`).
  void format(const SkipRecord& s, util::TextBuffer& out);

 private:
  void put_prefix(std::uint64_t position, util::Timestamp time, util::TextBuffer& out);

  Options options_;
  util::LocalTimeFormatter time_;
};

// Appends the text of a message's payload (what `-s`/`-r` search): the argument texts,
// `[<id>] …` for non-verbose, the service text for control. Copies the text the framer
// made while validating when there is one (Message::has_payload_text).
void format_payload_text(const Message& m, util::TextBuffer& out);

// Appends a skip line's text: `Skipped: <length> bytes; Reason: <reason>`.
void format_skip_text(const SkipRecord& s, util::TextBuffer& out);

}  // namespace dltdump::dlt
