// A message or skip record as one JSON Lines record (https://jsonlines.org): one JSON object
// and a line end, valid UTF-8, no control byte. The fields are documented in
// docs/json-records.md (schema docs/json-records.schema.json, version kJsonSchemaVersion):
// where the message came from, its header fields, its text exactly as the line shows it and
// its arguments typed.
#pragma once

#include <cstdint>
#include <string_view>

#include "dlt/message.hpp"
#include "dlt/record_fields.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

inline constexpr int kJsonSchemaVersion = 1;

class JsonRecordFormatter {
 public:
  // Appends the record of a message that parse_packet accepted, read from input `input`
  // (its name as given on the command line).
  void format(const Message& m, std::string_view input, util::TextBuffer& out);
  // Appends the record of a skip record.
  void format(const SkipRecord& s, std::string_view input, util::TextBuffer& out);

 private:
  // `"input":"…","position":` of the current input, made once per input.
  std::string_view input_field(std::string_view input);
  // Writes `<position>,"time":…,"time_us":…` unchecked at p (100 bytes reserved); returns
  // the end.
  char* put_place(char* p, std::uint64_t position, util::Timestamp time);

  // Writes time_us `us` unchecked at p (24 bytes reserved); returns the end. `fraction`:
  // the six digits of us's microseconds within its second (readable as 8 bytes), as the
  // record's time field has written them.
  char* put_time_us(char* p, std::int64_t us, const char* fraction);

  util::UtcTimeFormatter time_;
  // The first microsecond of the second whose digits second_text_ holds (none: far enough
  // below any time written whole).
  std::int64_t second_start_us_ = -2000000;
  char second_text_[32] = {};                            // its decimal digits, zero padded
  std::uint8_t second_size_ = 0;                         // how many
  util::TextBuffer text_{util::TextBuffer::kLineBytes};  // a payload text the framer did not make
  InputField input_field_;                               // `"input":"…","position":` of the current input
};

}  // namespace dltdump::dlt
