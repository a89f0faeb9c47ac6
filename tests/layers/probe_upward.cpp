// Compiled as part of the dlt layer by tests/layers/layers_test.sh, which expects the
// build to FAIL: dlt sits below app, so app's headers are not on its include path.
#include "app/dump_app.hpp"
