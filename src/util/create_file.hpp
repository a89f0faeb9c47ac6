// Creating an output file by dltdump's overwrite rule (dltdump-spec §6.2): an existing file
// is replaced only with --force.
#pragma once

#include <string>

namespace dltdump::util {

// Creates `name` for writing (truncating an existing file only if `force`) and returns the
// descriptor. Throws util::creation_error `The file '<abs>' already exists.` or
// `Couldn't create the <what> <abs> (<reason>)`.
int create_file(const std::string& name, bool force, const std::string& what = "output file");

}  // namespace dltdump::util
