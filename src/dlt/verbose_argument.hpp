// The arguments of a verbose payload as typed values (for programs, not lines): one flat
// record per argument, struct members following their struct one level deeper, each
// pointing into the payload (no copy). The text of a line is verbose_payload.hpp's.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace dltdump::dlt {

struct VerboseArgument {
  enum class Type : std::uint8_t { Bool, Sint, Uint, Float, String, Raw, Trace, Struct };
  // How an integer is shown (SCOD of UINT/SINT), or a string's coding (0 ASCII, 1 UTF-8).
  enum class Coding : std::uint8_t { Decimal = 0, Utf8 = 1, Hex = 2, Binary = 3 };
  Type type = Type::Raw;
  bool array = false;       // ARAY: `count` values of `width` bytes in `data`
  bool big_endian = false;  // the payload's byte order
  Coding coding = Coding::Decimal;
  std::uint8_t depth = 0;                    // 0 for an argument, n+1 for a member of a struct at depth n
  std::uint8_t width = 0;                    // bytes of one value (Bool, Sint, Uint, Float); 0 otherwise
  std::uint32_t count = 1;                   // values of an array; members of a struct; 1 otherwise
  std::span<const std::uint8_t> name, unit;  // VARI, empty without
  // The value's bytes: `count` × `width` for numbers, the characters (a trailing NUL
  // dropped) for String and Trace, the bytes for Raw; empty for Struct.
  std::span<const std::uint8_t> data;
};

// Appends the arguments of `payload` (verbose, `noar` arguments, byte order `big_endian`)
// to `out`, in payload order. Returns false, with what came before the fault appended, if
// the payload is not valid (validate_verbose's rules). The records point into `payload`.
bool list_verbose_arguments(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                            std::vector<VerboseArgument>& out);

// Value `i` (< count) of a Bool, Sint, Uint or Float argument. Integers of 128 bits give
// their low 64 bits; a float as an integer is truncated; a bool is 0 or 1.
std::int64_t argument_int(const VerboseArgument& a, std::uint32_t i);
std::uint64_t argument_uint(const VerboseArgument& a, std::uint32_t i);
double argument_double(const VerboseArgument& a, std::uint32_t i);
// A String or Trace argument's characters as UTF-8, as a line shows them (ISO 8859-15
// converted, control characters as '.', invalid UTF-8 as U+FFFD).
std::string argument_string(const VerboseArgument& a);

}  // namespace dltdump::dlt
