// -R: an input argument that names a directory stands for the files below it.
#pragma once

#include <vector>

#include "input/input_spec.hpp"

namespace dltdump::input {

// The files below directory `dir` (a File spec), in name order: every regular file (or
// symbolic link to one) in it and its subdirectories, compared as paths relative to it byte
// by byte, so `a/x` before `b`. Names that begin with '.' are left out, files and
// directories alike (editors' and version control's); symbolic links to directories are
// not followed (no loops). Each spec's argument is `dir`'s argument joined with the
// relative path. Throws util::input_uri_error (exit 2) naming `dir` when it cannot be read or holds no
// file.
std::vector<InputSpec> files_below(const InputSpec& dir);

// Whether `spec` is a File spec naming a directory.
bool is_directory(const InputSpec& spec);

}  // namespace dltdump::input
