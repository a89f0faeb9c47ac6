// Creating an output file by dltdump's overwrite rule (dltdump-spec §6.2): an existing file
// is replaced only with --force.
#pragma once

#include <string>

namespace dltdump::util {

// Creates `name` for writing (truncating an existing file only if `force`) and returns the
// descriptor. An existing character device or FIFO (`/dev/null`, a named pipe) is opened
// as it is: writing to it overwrites nothing. A name of one of this process's open
// descriptors (`/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`) is opened to append, whatever
// is behind it and whatever `force`: the caller's shell opened it (`2>log`). Throws util::creation_error `The file
// '<abs>' already exists.` or `Couldn't create the <what> <abs> (<reason>)`.
int create_file(const std::string& name, bool force, const std::string& what = "output file");

// Throws what create_file(name, false) would for an existing `name`; nothing if create_file
// could create or open it. For refusing before a run writes anything.
void refuse_existing(const std::string& name);

}  // namespace dltdump::util
