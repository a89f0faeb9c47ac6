// How many terminal columns a text takes: for aligning tables whose cells hold names from
// outside (the --stats report's input names).
#pragma once

#include <cstddef>
#include <string_view>

namespace dltdump::util {

// The columns `s` takes on a terminal with a monospace font, for text that printable()
// (util/value_text.hpp) has made: valid UTF-8 without controls. East Asian wide and
// fullwidth characters (CJK, Hangul, kana, fullwidth forms, most emoji) take 2, combining
// marks, zero-width characters and variation selectors 0, every other character 1; a byte
// that does not begin a well-formed sequence counts 1. Locale-independent.
std::size_t display_width(std::string_view s);

}  // namespace dltdump::util
