// Ctrl-C while a live input waits: a Reader's step runs without the GIL, so Python's
// SIGINT handler (KeyboardInterrupt) runs only once the step returns — and a quiet TCP
// peer or serial port never lets it return. The Readers the module makes are asked
// (ReaderOptions::keep_waiting) about every 100 ms while they wait: keep_waiting takes the
// GIL and runs the signal handlers (PyErr_CheckSignals, which only the main thread does); a
// handler that raised cancels the reading, its exception left set on the thread, and the
// caller raises it once the step returned and the GIL is back (raise_if_interrupted).
#pragma once

namespace dltdump::python {

// ReaderOptions::keep_waiting of the module's Readers: on the stepping thread, without the
// GIL. False once a signal handler raised (until raise_if_interrupted).
bool keep_waiting();

// Whether a signal handler raised during a step on this thread (no GIL needed): a caller
// reading several inputs without the GIL stops before the next.
bool interrupt_pending();

// With the GIL, right after a step (before any other Python call): throws the exception a
// signal handler raised during it (py::error_already_set), if one did.
void raise_if_interrupted();

}  // namespace dltdump::python
