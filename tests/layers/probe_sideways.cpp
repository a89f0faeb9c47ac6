// Compiled as part of the filter layer by tests/layers/layers_test.sh, which expects the
// build to FAIL: output is beside filter (neither is below the other).
#include "output/output.hpp"
