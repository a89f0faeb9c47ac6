// The payload of a non-verbose message read through its catalogue frame (dltdump-spec
// §8.3), and the same message re-encoded as a verbose one (--nv-verbose, §6.4).
//
// The payload is the 4-byte message id, then the frame's arguments back to back: static
// texts take no bytes, fixed-size values take their BYTE-LENGTH, strings and raw data a
// 16-bit length (payload byte order) and that many bytes. A frame decodes a payload only
// if its arguments take every byte exactly; otherwise the message shows the byte dump of
// §3.3 (with the frame's ids and type: DltDump's rule).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "dlt/catalogue_frame.hpp"
#include "dlt/message.hpp"
#include "dlt/verbose_argument.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// The length of an unknown type's bytes as a line shows it inside its parentheses: `n` in
// lowercase hexadecimal of at least two digits. Writes into `digits`; returns the text.
std::string_view unknown_length_text(std::size_t n, std::array<char, 16>& digits);

// False when what `f`'s arguments need, known when the catalogue was built, rules out a
// payload of `n` bytes after the message id; true is final for a frame without
// length-prefixed arguments (!f.counted), else only frame_fits can tell.
bool frame_may_fit(const CatalogueFrame& f, std::size_t n);

// Whether `f`'s arguments take the bytes `args` (the payload after the message id)
// exactly. Reads nothing outside `args`.
bool frame_fits(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian);

// Appends the argument texts of `args` read by `f`, joined by single spaces (static texts
// and strings with controls shown as '.'), and returns true if the arguments took the bytes
// exactly, as frame_fits; otherwise what was appended is partial.
bool format_frame_args(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                       util::TextBuffer& out);

// Appends `[<id>] ` (f.id) and then what format_frame_args appends, byte for byte, made
// from the frame's text plan (CatalogueFrame::steps: static texts and separators copied
// with their neighbours, one dispatch per value); the same result.
bool format_frame_text(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                       util::TextBuffer& out);

// The same arguments as typed records appended to `out`, for programs (the library's
// Message::args): each as a verbose argument of its value would be — a fixed-size number
// `width` bytes of the payload (HEX and BIN an unsigned integer shown in hexadecimal or
// binary, a BOOL its first byte — the line shows true when any of its BYTE-LENGTH bytes
// is set, and BYTE-LENGTH is 1 in the catalogues we know), a string its characters without one terminating NUL
// (STRG_ASCII coded ASCII, STRG_UTF8 UTF-8), RAW, RAWD and unknown types raw bytes, a
// static text a UTF-8 string pointing into the catalogue; the signal's name and unit (the
// catalogue's) as a VARI's. The records point into `args` and the catalogue. Returns
// false, with what came before the fault appended, when the arguments do not take the
// bytes exactly (as frame_fits).
bool list_frame_arguments(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                          std::vector<VerboseArgument>& out);

// The same arguments as elements of a JSON array (without the brackets), one object per
// argument as docs/json-records.md describes ("args"); the same result.
bool format_frame_args_json(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                            util::TextBuffer& out);

// Writes message `m`, which its frame decodes (m.frame, m.frame_decodes), as a verbose
// packet into `out` (room for kMaxPacketBytes): the standard header with the fields `m` has
// (ECU, session, device time rounded down to whole milliseconds; the frame's ECU id where
// the message has none, so that the line shows the same), MSBF and counter kept; an
// extended header with the frame's type (verbose bit set), application and context; one
// verbose argument per frame argument — static texts as UTF-8 strings, hex and binary
// values as unsigned integers of that coding (deviation Q13), RAW as raw data. Returns the
// packet's length, or 0 if the message cannot be written so: an argument type without a
// verbose counterpart (SignalType::Unknown), a frame type without type info (a verbose
// message must have one), more than 255 arguments, or a packet longer than 64 KiB.
std::size_t write_verbose_packet(const Message& m, std::uint8_t* out);

}  // namespace dltdump::dlt
