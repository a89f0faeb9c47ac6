#include "interrupt.hpp"

#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace dltdump::python {

namespace {

// A handler raised on this thread during a step: its exception is set, to be raised.
thread_local bool interrupted = false;

}  // namespace

bool keep_waiting() {
  if (interrupted) return false;
  const py::gil_scoped_acquire gil;
  if (PyErr_CheckSignals() != 0) interrupted = true;
  return !interrupted;
}

bool interrupt_pending() { return interrupted; }

void raise_if_interrupted() {
  if (!interrupted) return;
  interrupted = false;
  throw py::error_already_set();
}

}  // namespace dltdump::python
