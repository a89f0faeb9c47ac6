// A FIBEX file as the UTF-8 text the XML parser reads, and places in it.
//
// XML names its encoding by a byte order mark, its first bytes or its declaration
// (`<?xml version="1.0" encoding="windows-1252"?>`); a document in another encoding than
// UTF-8 is converted (iconv), so that the parser, the texts taken from it and the places
// named in messages all see one text. What no XML reader accepts is refused at once, with
// its place: bytes that are not of the encoding, a NUL byte, text before the first '<'
// (e.g. a binary file given by mistake: its first bytes decide, before the rest is read),
// and the characters and references XML does not allow (fibex/xml_wellformed.hpp: pugixml
// takes them).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "util/error.hpp"

namespace dltdump::fibex {

// A fault of FIBEX file `name` (exit 6): `Problem when loading FIBEX files: <what>`.
util::Error fibex_error(const std::string& name, const std::string& what);

struct XmlText {
  std::unique_ptr<char[]> bytes;  // size + 1 bytes (the parser may write one past the text)
  std::size_t size = 0;
  bool converted = false;  // from another encoding: its offsets are not the file's
  std::string_view view() const { return {bytes.get(), size}; }
};

// The file at `path` as UTF-8 text. Throws fibex_error (naming the file, and the line and
// position of a fault) if it cannot be read, names an encoding iconv does not know, holds
// bytes that are not of its encoding, a NUL byte or another character or reference XML
// does not allow, or does not start like XML.
XmlText read_xml_text(const std::string& path);

// The same for a document held in memory (`name` for messages).
XmlText xml_text(std::string_view name, std::string_view document);

// Line and column (1-based) of byte `offset` of UTF-8 `text`, as XML readers count them:
// a line ends at LF, CR LF or a lone CR; columns count characters; a byte order mark is
// not one.
std::pair<std::size_t, std::size_t> place(std::string_view text, std::size_t offset);

// The same for increasing offsets, in one pass over the text: at(offset) for offsets in
// ascending order (a smaller one starts over). The text must outlive it.
class Places {
 public:
  explicit Places(std::string_view text);
  std::pair<std::size_t, std::size_t> at(std::size_t offset);

 private:
  std::string_view text_;
  std::size_t offset_, line_ = 1, column_ = 1;
};

}  // namespace dltdump::fibex
