// Compiled as part of the filter layer by tests/layers/layers_test.sh, which expects the
// build to SUCCEED: dlt and util are below filter. It shows the two failing probes fail
// for the reason they are meant to, not because probes cannot build at all.
#include "dlt/framer.hpp"
#include "util/fd_writer.hpp"
