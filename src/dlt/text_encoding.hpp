// Byte-to-text conversions used by argument and control decoding.
//
// All functions append to an output with the TextBuffer interface and never fail: every
// byte sequence has a defined text. No text they make holds a C0 control (0x00-0x1F), DEL
// or a C1 control (U+0080-U+009F): a message is one line whatever its bytes (deviation
// from DltDump, which prints strings' controls raw).
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// DLT "ASCII" strings, decoded as ISO-8859-15: bytes 0x00-0x1F and 0x7F-0x9F become '.',
// 0xA0 a space, the eight ISO-8859-15 letters (€ Š š Ž ž Œ œ Ÿ) their characters, and
// other bytes >= 0xA0 their Latin-1 character. Output is UTF-8.
void append_iso8859_15(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// Latin-1 with control bytes as '.' (the control service get_software_version).
void append_latin1(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// UTF-8 as is, except that C0 controls (0x00-0x1F), DEL and C1 controls (U+0080-U+009F)
// become '.' as in the single-byte decoders (one message is one line, and no input byte may
// reach a terminal as an escape sequence); each maximal invalid subsequence becomes U+FFFD.
void append_utf8(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

// Bytes as lowercase hex pairs separated by single spaces (`11 22 33`); nothing for n = 0.
void append_hex_bytes(util::TextBuffer& out, const std::uint8_t* p, std::size_t n);

inline constexpr char kHexDigits[] = "0123456789abcdef";

// Variants for NullText (validation only): nothing to do.
inline void append_iso8859_15(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_latin1(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_utf8(util::NullText&, const std::uint8_t*, std::size_t) {}
inline void append_hex_bytes(util::NullText&, const std::uint8_t*, std::size_t) {}

}  // namespace dltdump::dlt
