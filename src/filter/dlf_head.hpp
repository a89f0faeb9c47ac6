// dlt-viewer's header string of a line: what a filter file's header-text field searches.
//
//   <yyyy/MM/dd HH:mm:ss.uuuuuu> <device time> <counter> <ECU> <APP> <CTX> <session> <type> <mode> <args>
//
// Local time (TZ honoured) as the text line shows it; the device time `0.0000` when there
// is none; the ids as the line shows them (bytes that are not printable ASCII as '.'); the
// session id unsigned (0 when there is none); the type as the line's TYPE column (`log
// warn`, `control request`; empty without an extended header); the mode `verbose` or
// `non-verbose`; the argument count for a verbose message, 0 for the others (dlt-viewer
// counts the arguments it decoded, and decodes no non-verbose payload without a plugin).
// Skip lines: their text line up to the `Skipped: …` text.
#pragma once

#include <string>
#include <string_view>

#include "dlt/line_formatter.hpp"
#include "dlt/message.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::filter {

class DlfHead {
 public:
  // The header string of `m` / of skip record `s`; valid until the next call. Allocates only
  // while its buffer grows to a line's size.
  std::string_view of(const dlt::Message& m);
  // `text`: the skip line's text (dlt::format_skip_text).
  std::string_view of(const dlt::SkipRecord& s, std::string_view text);

 private:
  void put_time(const util::Timestamp& t);
  void put_id(const dlt::Id& id);
  std::string text_;
  util::LocalTimeFormatter time_;
  dlt::LineFormatter skip_line_{dlt::LineFormatter::Options{}};
  util::TextBuffer skip_text_{util::TextBuffer::kLineBytes};
};

}  // namespace dltdump::filter
