// A message or skip record as one CSV row (RFC 4180: fields separated by commas, text fields
// in double quotes with quotes doubled, CRLF-free rows ending in LF, UTF-8). The columns are
// the line's fields (kCsvHeader), text last; their values are those of the JSON record's
// fields of the same names (docs/json-records.md), an empty field where JSON has null.
// Nothing in a row is a control byte, so a row is always one line.
#pragma once

#include <string_view>

#include "dlt/message.hpp"
#include "dlt/record_fields.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

// The header row, first in each CSV file.
inline constexpr std::string_view kCsvHeader =
    "record,input,position,time,device_time,counter,ecu,app,ctx,session,kind,type,subtype,message_id,noar,text\n";

class CsvRecordFormatter {
 public:
  // Appends the row of a message that parse_packet accepted, read from input `input`.
  void format(const Message& m, std::string_view input, util::TextBuffer& out);
  // Appends the row of a skip record (record `skip`; its text in the text column).
  void format(const SkipRecord& s, std::string_view input, util::TextBuffer& out);

 private:
  // The quoted input name, made once per input.
  std::string_view input_field(std::string_view input);
  // Writes `,<position>,<time>,` unchecked at p (54 bytes reserved); returns the end.
  char* put_place(char* p, std::uint64_t position, util::Timestamp time);

  util::UtcTimeFormatter time_;
  util::TextBuffer text_{util::TextBuffer::kLineBytes};
  InputField input_field_;  // the current input's quoted name
};

}  // namespace dltdump::dlt
