// One typed argument of a verbose message (Message::args()).
//
// A view: its name, unit and data point into the message's bytes and are valid as long as
// the Message they came from (until its Reader's next step). Copying it copies the view.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "dltdump/export.hpp"

namespace dltdump {

class DLTDUMP_API Argument {
 public:
  enum class Type : std::uint8_t { boolean, sint, uint, floating, string, raw, trace, structure };

  Type type() const noexcept { return type_; }
  // An array of `count()` numbers (ARAY); scalars are not.
  bool is_array() const noexcept { return array_; }
  // Values of an array; members of a structure (they follow it in args(), one level
  // deeper); 1 otherwise.
  std::uint32_t count() const noexcept { return count_; }
  // 0 for an argument of the message, n + 1 for a member of a structure at depth n.
  std::uint8_t depth() const noexcept { return depth_; }
  // Bytes of one number (1 to 16); 0 for strings, raw data and structures.
  std::uint8_t width() const noexcept { return width_; }
  // An integer the sender wants shown in hexadecimal or binary (SCOD).
  bool hex() const noexcept { return coding_ == 2; }
  bool binary() const noexcept { return coding_ == 3; }
  // A string argument coded as UTF-8 (any SCOD but 0, ASCII: as a line reads it); other
  // strings and traces are ISO 8859-15.
  bool utf8() const noexcept { return type_ == Type::string && coding_ == 1; }
  // Variable info (VARI): name and unit, empty without.
  std::string_view name() const noexcept { return {reinterpret_cast<const char*>(name_.data()), name_.size()}; }
  std::string_view unit() const noexcept { return {reinterpret_cast<const char*>(unit_.data()), unit_.size()}; }

  // Value `i` (< count()) of a number (boolean, sint, uint, floating): as a signed or
  // unsigned integer (128-bit integers give their low 64 bits, floats are truncated,
  // booleans are 0 or 1) or as a double. Assumes a number and i < count().
  std::int64_t as_int(std::uint32_t i = 0) const;
  std::uint64_t as_uint(std::uint32_t i = 0) const;
  double as_double(std::uint32_t i = 0) const;
  bool as_bool(std::uint32_t i = 0) const { return as_uint(i) != 0; }
  // A string or trace argument as UTF-8 text, as a line shows it (ASCII strings read as
  // ISO 8859-15, control characters as '.', invalid UTF-8 as U+FFFD, one trailing NUL
  // dropped).
  std::string as_string() const;
  // The value's bytes as they are in the payload (numbers in the payload's byte order; a
  // string's or trace's without its one trailing NUL): the exact characters of a string
  // are these decoded by utf8().
  std::span<const std::uint8_t> bytes() const noexcept { return data_; }
  bool big_endian() const noexcept { return big_endian_; }

 private:
  friend struct detail::Access;
  Type type_ = Type::raw;
  bool array_ = false;
  bool big_endian_ = false;
  std::uint8_t coding_ = 0;
  std::uint8_t depth_ = 0;
  std::uint8_t width_ = 0;
  std::uint32_t count_ = 1;
  std::span<const std::uint8_t> name_, unit_, data_;
};

}  // namespace dltdump
