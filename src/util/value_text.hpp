// Values from outside (arguments, file names) as text: whether a value is UTF-8, and how a
// diagnostic shows it.
//
// A diagnostic is one line on standard error that names the value it is about; a value may
// hold anything argv or a directory can (invalid UTF-8, newlines, escape sequences), which
// must neither break the line nor reach the terminal as control codes.
#pragma once

#include <string>
#include <string_view>

namespace dltdump::util {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s);

// The offset of the first byte of `s` that does not begin a well-formed UTF-8 sequence,
// or std::string_view::npos if there is none. Runs of ASCII are passed 8 bytes at a time
// (a document of hundreds of megabytes is checked in well under a second).
std::size_t invalid_utf8_at(std::string_view s);

// True when `s` (valid UTF-8) holds a character a line shows as '.' (dlt::append_utf8): a
// control (C0, DEL or C1, U+0080-U+009F), U+2028 or U+2029 — a search text holding one can
// never match a line.
bool shows_as_dot(std::string_view s);

// `s` for a message, a diagnostic, a count's or a table's name, a record's input field:
// well-formed UTF-8 characters as they are, except the controls (C0, DEL, C1), the
// characters that are no controls but still break or reorder a line where they are shown —
// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (editors, browsers, Python's
// splitlines and some terminals start a new line), the bidirectional formatting characters
// U+061C, U+200E, U+200F, U+202A-U+202E and U+2066-U+2069 (they reorder what follows them: a
// name could make a line's numbers read differently) — and bytes that are not UTF-8, which
// are shown as `\xHH` (upper-case hex, one per byte). The result is valid UTF-8 that cannot
// break or reorder a line.
std::string printable(std::string_view s);
// printable(s) for the --stats JSON report, which escapes U+2028 and U+2029 itself (append_json_printable)
// and is read by programs: only the controls and bytes that are not UTF-8 as `\xHH`, the
// other characters as they are (a name in JSON stays the name).
std::string printable_in_json(std::string_view s);

// printable(s) in single quotes: how a message names a value.
std::string quoted(std::string_view s);

// `name` (a file's, not empty) as one word of a POSIX shell command in a diagnostic's
// advice: as it is when it holds only letters, digits and `._/+-,=:@%`, else in single
// quotes (a `'` as `'\''`); a leading `-` gets `./` first, so no command reads it as an
// option. Not printable(): the caller's line is.
std::string shell_word(std::string_view name);

}  // namespace dltdump::util
