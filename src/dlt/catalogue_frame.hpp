// One frame of a non-verbose catalogue (a FIBEX frame, dltdump-spec §8): what a message
// with its id means — the ids and type its line shows and the arguments its payload holds.
// Frames live in a dlt::Catalogue (dlt/catalogue.hpp), read-only once built; a Message
// points at the frame it was decoded by (Message::frame).
#pragma once

#include <cstdint>
#include <string_view>

#include "dlt/id.hpp"

namespace dltdump::dlt {

// How the payload bytes of one argument (a FIBEX PDU) are read and shown.
enum class SignalType : std::uint8_t {
  Text,     // static description text: consumes no bytes
  Bool,     // BYTE-LENGTH bytes, `true` if any is not zero
  Sint,     // BYTE-LENGTH bytes, the first `width` a signed integer
  Uint,     //   … unsigned, decimal
  Hex,      //   … unsigned, `0x` and 2·width hex digits
  Bin,      //   … unsigned, `0b` and nibble groups
  Float,    //   … IEEE 754 binary32 or binary64 (`%g`)
  Raw,      // u16 length, then bytes (hex pairs)
  Ascii,    // u16 length, then an ISO-8859-15 string
  Utf8,     // u16 length, then a UTF-8 string
  Unknown,  // a type dltdump does not know: BYTE-LENGTH bytes (or u16 length, then bytes
            // when BYTE-LENGTH is 0) shown as `(<length>) <hex pairs>`
};

struct CatalogueArg {
  SignalType type = SignalType::Unknown;
  std::uint8_t width = 0;       // value bytes of Bool/Sint/Uint/Hex/Bin/Float (1, 2, 4 or 8)
  std::uint16_t name_size = 0;  // signals: the bytes of `text` that are the name (the rest: the unit)
  std::uint32_t bytes = 0;      // the PDU's BYTE-LENGTH
  // Points into the catalogue. Text: the description as lines show it. A signal: its
  // variable name then its unit (VARI_NAME, VARI_UNIT of the FIBEX signal instance) as the
  // file has them, empty if it gives none; the JSON records' `name` and `unit`, which lines
  // do not show. (One view for both keeps an argument at 24 bytes: a frame holds a copy of
  // each of its arguments.)
  std::string_view text;

  std::string_view name() const { return type == SignalType::Text ? std::string_view() : text.substr(0, name_size); }
  std::string_view unit() const { return type == SignalType::Text ? std::string_view() : text.substr(name_size); }
};

struct CatalogueFrame {
  std::uint32_t id = 0;   // the message id (first 4 payload bytes)
  Id ecu, app, ctx;       // ecu: the id of the catalogue file's ECU (empty if it names none)
  std::uint8_t msin = 0;  // message type and type info as the MSIN byte has them, verbose bit clear
  std::uint32_t arg_count = 0;
  const CatalogueArg* args = nullptr;  // arg_count arguments in payload order
  // What the arguments need, known when the catalogue is built, so that most payloads are
  // judged without a walk (dlt/catalogue_payload.hpp, frame_fits): the bytes of the
  // fixed-size arguments plus 2 per length-prefixed one (the least a payload must hold);
  // whether any argument's length comes from the payload; whether a fixed-size argument's
  // BYTE-LENGTH is below its type's width (then no payload fits).
  std::uint32_t least_bytes = 0;
  bool counted = false;
  bool never_fits = false;
};

}  // namespace dltdump::dlt
