// What XML 1.0 calls not well-formed and pugixml lets through (it is a fast, forgiving
// parser: it checks the structure, not every character), so that a FIBEX file xmllint and
// .NET's reader (DltDump's) refuse is refused here too, rather than read differently
// without a word (`&#0;` cuts a text, `&undefined;` stays as written, the second of two
// `ID` attributes is ignored):
//   * a character XML does not allow: a C0 control other than tab, LF and CR, raw or as a
//     character reference (`&#1;`), or by reference a surrogate, U+FFFE, U+FFFF or a number
//     past U+10FFFF;
//   * an entity reference other than the five predefined ones (amp, lt, gt, quot, apos):
//     only a DTD declares others, and a FIBEX file with one is refused (fibex_reader.cpp);
//   * a '&' that starts no reference;
//   * an attribute given twice in one start tag.
// References count where XML expands them: in texts and attribute values, not in
// comments, CDATA sections and processing instructions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dltdump::fibex {

struct XmlFault {
  std::size_t offset;     // of the culprit: the byte, the '&', the repeated attribute's name
  std::string reason;     // e.g. "a character reference to U+0000, which XML does not allow"
  bool not_utf8 = false;  // the bytes at offset are no UTF-8 (no reason given)
};

// The first fault of the kinds above in the text of a document, `text`, before it is
// parsed (a NUL byte included: the caller names it as it names a NUL elsewhere), or its
// first byte that is not UTF-8 (util::invalid_utf8_at), whichever comes first. One pass
// over the text, 64 bytes at a time (a catalogue set of 200 MB loads in under a second: a
// second pass, or a walk over every node of the parsed tree, would show). Only what the
// pass flags is looked at closer: where a '&' does not start a reference, the markup
// before it is read to know whether it is literal there; a quote before white space may
// end one of two attribute values of a tag, which is then read from its '<' and its
// attribute names compared (not in comments and CDATA). References after a DOCTYPE are
// not judged (the DOCTYPE is refused).
std::optional<XmlFault> first_character_fault(std::string_view text);

}  // namespace dltdump::fibex
