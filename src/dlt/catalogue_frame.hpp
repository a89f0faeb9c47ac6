// One frame of a non-verbose catalogue (a FIBEX frame, dltdump-spec §8): what a message
// with its id means — the ids and type its line shows and the arguments its payload holds.
// Frames live in a dlt::Catalogue (dlt/catalogue.hpp), read-only once built; a Message
// points at the frame it was decoded by (Message::frame).
#pragma once

#include <cstddef>
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

// A frame's line text as a plan made when the catalogue is built (dlt/catalogue_payload.cpp,
// format_frame_text): one step per argument that reads payload bytes, each the text before
// its value (`[id] ` for the first, the separators and the static texts in between, and a
// value's constant part: `0x`, `0b`, an unknown type's `(<length>) `) and how to show the
// value. Static texts are not steps: they cost one copy with their neighbours, not a
// dispatch each; the last step (End) carries the text after the last value.
enum class StepOp : std::uint8_t {
  End,
  Bool,
  // The numbers by type and value width (1, 2, 4, 8 bytes, in that order).
  Sint1,
  Sint2,
  Sint4,
  Sint8,
  Uint1,
  Uint2,
  Uint4,
  Uint8,
  Hex1,
  Hex2,
  Hex4,
  Hex8,
  Bin1,
  Bin2,
  Bin4,
  Bin8,
  Float4,
  Float8,
  Bytes,    // an unknown type's BYTE-LENGTH bytes as hex pairs (its length is in the lead)
  Raw,      // u16 length, then bytes as hex pairs
  Ascii,    // u16 length, then an ISO-8859-15 string
  Utf8,     // u16 length, then a UTF-8 string
  Counted,  // an unknown type without BYTE-LENGTH: u16 length, `(<length>) `, hex pairs
};

struct FrameStep {
  std::uint32_t lead_at = 0;    // the lead text: at CatalogueFrame::leads + lead_at
  std::uint32_t lead_size = 0;  // (followed by at least kFrameLeadSlack readable bytes)
  std::uint32_t bytes = 0;      // the payload bytes of a fixed-size value (BYTE-LENGTH)
  StepOp op = StepOp::End;
};

// Readable bytes after each lead text, so that a short lead is copied in one fixed-size move.
inline constexpr std::size_t kFrameLeadSlack = 32;

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
  // The line text's plan (StepOp): steps up to and including the End step, their lead texts
  // relative to `leads`. Both point into the catalogue.
  const FrameStep* steps = nullptr;
  const char* leads = nullptr;
};

}  // namespace dltdump::dlt
