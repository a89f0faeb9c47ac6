// -R: an input argument that names a directory stands for the files below it.
#pragma once

#include <vector>

#include "input/input_spec.hpp"
#include "util/diagnostic.hpp"

namespace dltdump::input {

// What a directory stands for: its files, and a warning for each entry left out.
struct DirectoryInputs {
  std::vector<InputSpec> files;
  std::vector<util::Diagnostic> warnings;  // each names the entry (Culprit::Input)
};

// The files below directory `dir` (a File spec), in name order: every regular file (or
// symbolic link to one) in it and its subdirectories, compared as paths relative to it byte
// by byte, so `a/x` before `b`. Names that begin with '.' are left out, files and
// directories alike (editors' and version control's); symbolic links to directories are
// not followed (no loops). A symbolic link that leads nowhere (dangling, a loop, a target
// that cannot be looked at) is a file too: opening it fails as a missing file on the
// command line does, in its place. A FIFO, socket or device is left out with a warning
// naming it: reading a FIFO that a walk happened upon could wait forever for a writer.
// A directory that cannot be read (`dir` itself or one below it: permission denied) is an
// input too, in its place (after what was listed of it, if its listing broke off): opening
// it fails as opening an unreadable file does, naming it, and the run goes on with the
// others. Each spec's argument is `dir`'s argument joined with the relative path. When
// `dir` holds no file (nothing, or only what is skipped) the result has no files and a
// warning naming `dir`: the run goes on with the other inputs. Never throws.
DirectoryInputs files_below(const InputSpec& dir);

// Whether `spec` is a File spec naming a directory.
bool is_directory(const InputSpec& spec);

}  // namespace dltdump::input
