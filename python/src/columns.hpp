// read_dataframe's decoding into columns: the inputs' messages turned into numpy arrays in
// C++, with no Python object per message but for the text column's strings.
//
// The decoding runs without the GIL, a chunk of messages at a time; the GIL is taken back
// between chunks to turn the chunk's texts into Python strings, so that other Python
// threads run while the inputs are decoded (and the texts' bytes are held for one chunk
// only).
#pragma once

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <vector>

#include <dltdump/dltdump.hpp>

namespace dltdump::python {

struct ColumnRequest {
  std::vector<std::string> paths;
  Filter filter;
  ReaderOptions options;
  bool text = true;  // the text column (a Python string per message) or not
};

// The columns, as a dict of name → numpy array: see python/dltdump/__init__.py
// (read_dataframe), which makes the DataFrame of them; also "inputs", "skipped_bytes" and
// "ends" (each input's Reader::offset() at its end: for a chunk, the cut its reading ended
// at). Throws dltdump::Error, or py::error_already_set when a signal handler raises between
// chunks (KeyboardInterrupt).
pybind11::dict read_columns(const ColumnRequest& request);

// Sets up numpy and pybind11's numpy API (a no-op without numpy). Called once, when the
// module is imported: pybind11 sets its numpy API up on first use, in a function-local
// static that imports numpy; done first by two threads at once, one waits for the static
// with the GIL held, the other for the GIL inside numpy's import (a deadlock). Needs the GIL.
void init_numpy();

// An id as Python shows it: control characters as '.', as a line shows them; bytes that are
// no UTF-8 as U+FFFD.
pybind11::str id_text(Id id);

}  // namespace dltdump::python
