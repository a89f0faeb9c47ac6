// Verbose payloads: a sequence of NOAR self-describing arguments.
//
// A verbose payload is valid when exactly NOAR arguments consume it to the last byte, or
// when it is completely empty (then the message shows 0 arguments whatever NOAR says).
// Every argument type of DLT v1 is decoded (deviation Q15): BOOL, SINT, UINT (8 to 128
// bit; decimal, hex and binary coding), FLOA (16 to 128 bit), STRG (ASCII and UTF-8),
// RAWD, TRAI, arrays (ARAY) of the numeric types, structs (STRU, nested up to
// kMaxStructDepth), with variable info (VARI: names and units, not shown in the text)
// and fixed point (FIXP: quantisation and offset read, the coded value shown).
//
// Argument texts are joined by single spaces. Arrays print as `[a b c]` (flattened in
// row-major order), structs as `{a b c}`.
#pragma once

#include <cstdint>
#include <span>

#include "util/text_buffer.hpp"

namespace dltdump::dlt {

inline constexpr int kMaxStructDepth = 16;

// True if the payload is a valid verbose payload with `noar` arguments. Never reads
// outside `payload`.
bool validate_verbose(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar);

// Appends the argument texts of a payload that validate_verbose accepted. Returns false
// (with partial text appended) if it is not valid after all.
bool format_verbose(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar, util::TextBuffer& out);

// Appends the arguments of a payload that validate_verbose accepted as the elements of a
// JSON array (without the brackets), one object per argument as docs/json-records.md
// describes ("args"). Returns false (with partial text appended) if it is not valid.
bool format_verbose_json(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                         util::TextBuffer& out);

// Both of the above in one walk: appends the argument texts to `text` and the JSON
// elements to `args`. Returns false (with partial texts appended) if it is not valid. The
// same bytes as format_verbose and format_verbose_json each write. Sets `plain_text` when
// the text appended is printable ASCII without `"` and `\` (a JSON string takes it as it is).
bool format_verbose_with_json(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                              util::TextBuffer& text, util::TextBuffer& args, bool& plain_text);

// The argument count a line shows: 0 for an empty payload, else NOAR.
inline unsigned verbose_argument_count(std::span<const std::uint8_t> payload, std::uint8_t noar) {
  return noar & (0u - static_cast<unsigned>(!payload.empty()));  // no branch: lines vary
}

}  // namespace dltdump::dlt
