// Byte-to-text conversions used by argument and control decoding.
//
// All functions append to an output with the TextBuffer interface and never fail: every
// byte sequence has a defined text. No text they make holds a C0 control (0x00-0x1F), DEL
// or a C1 control (U+0080-U+009F), nor U+2028 or U+2029: a message is one line whatever
// its bytes (deviation from DltDump, which prints strings' controls raw).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// DLT "ASCII" strings, decoded as ISO-8859-15: bytes 0x00-0x1F and 0x7F-0x9F become '.',
// 0xA0 a space, the eight ISO-8859-15 letters (€ Š š Ž ž Œ œ Ÿ) their characters, and
// other bytes >= 0xA0 their Latin-1 character. Output is UTF-8.
void append_iso8859_15(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// Latin-1 with control bytes as '.' (the control service get_software_version).
void append_latin1(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// UTF-8 as is, except that C0 controls (0x00-0x1F), DEL, C1 controls (U+0080-U+009F) and
// the line and paragraph separators U+2028, U+2029 become '.' as in the single-byte decoders
// (one message is one line for every reader, and no input byte may reach a terminal as an
// escape sequence); each maximal invalid subsequence becomes U+FFFD.
void append_utf8(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// The contents of a JSON string (RFC 8259 §7, without the quotes) for a UTF-8 string
// argument: valid characters as they are, except `"` and `\` (escaped), the controls
// (C0, DEL and C1, as `\u00XX`: the value stays exact, the record one line) and U+2028,
// U+2029 (as `\u2028`, `\u2029`: JavaScript and some JSON-Lines readers split lines
// there); each maximal
// invalid subsequence becomes U+FFFD, as append_utf8 does. Returns whether any did.
bool append_json_utf8(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);
inline bool append_json_utf8(util::TextBuffer& out, std::string_view s) {
  return append_json_utf8(out, reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// `"<contents>"` of a string argument's bytes (UTF-8 or ISO-8859-15) as above, then
// `,"replaced":true` if bytes that were not UTF-8 were replaced: a JSON value and the flag
// that goes with it (docs/json-records.md) — unless `flagged`: the object has that key
// already (its name's or unit's), which a JSON object holds once.
void append_json_string_value(util::TextBuffer& out, const std::uint8_t* p, std::size_t n, bool utf8,
                              bool flagged = false);

// Both of a string argument's texts at once (UTF-8 if `utf8`, else ISO-8859-15): the line's
// (append_utf8, append_iso8859_15) appended to `text` and the JSON string's contents
// (append_json_utf8, append_json_iso8859_15) to `json`, the same bytes as those write, in
// one scan. Returns whether bytes were replaced (as append_json_utf8; false for
// ISO-8859-15). Clears `plain` unless the bytes are all printable ASCII other than `"` and
// `\` (then both texts are the bytes themselves, and a JSON string takes the line's as it is).
bool append_text_and_json(util::TextBuffer& text, util::TextBuffer& json, const std::uint8_t* p, std::size_t n,
                          bool utf8, bool& plain);

// The contents of a JSON string for text that is valid UTF-8 without controls (a line's
// text, an input name as util::printable shows it): only `"`, `\`, U+2028 and U+2029 are
// escaped.
void append_json_printable(util::TextBuffer& out, std::string_view s);

// The same for an ISO-8859-15 ("ASCII") string argument: every byte is a character (none
// is U+2028 or U+2029).
void append_json_iso8859_15(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// Bytes as lowercase hex pairs separated by single spaces (`11 22 33`); nothing for n = 0.
void append_hex_bytes(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// Bytes as lowercase hex digits without separators (`112233`): raw data in JSON.
void append_hex_run(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

inline constexpr char kHexDigits[] = "0123456789abcdef";

// Variants for NullText (validation only): nothing to do.
inline void append_iso8859_15(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_latin1(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_utf8(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_hex_bytes(util::NullText&, const std::uint8_t*, std::size_t) {}

}  // namespace dltdump::dlt
