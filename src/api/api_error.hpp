// How the API layer turns the decoder's faults into the one public exception type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dltdump/error.hpp"

namespace dltdump::api {

// Rethrows the exception being handled as a dltdump::Error: a util::Error by its culprit
// (an input's fault names `input` and `offset`; an option's is an argument error), a
// dltdump::Error as it is; anything else (std::bad_alloc) unchanged. Only in a catch.
[[noreturn]] void rethrow_as_api_error(const std::string& input, std::optional<std::uint64_t> offset);

// An argument error with message `what`.
Error argument_error(const std::string& what);

// Throws an Error of `kind` for a file name `name` that holds a NUL byte (the OS would
// read a shorter name; the messages of the layers below would be cut there).
void check_name(const std::string& name, Error::Kind kind = Error::Kind::input);

}  // namespace dltdump::api
