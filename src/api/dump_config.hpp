// A Dump's options (dltdump/dump.hpp) checked as the command line checks its own, and
// turned into the run's app::DumpConfig. Nothing here is installed; the tests of the
// command line's options read the config it makes.
#pragma once

#include <vector>

#include "app/dump_app.hpp"
#include "dltdump/dump.hpp"
#include "util/diagnostic.hpp"

namespace dltdump::api {

struct CheckedDump {
  app::DumpConfig config;                  // its catalogue points into the options' Catalogue (kept by the caller)
  std::vector<util::Diagnostic> warnings;  // what has no effect, one line each, in the command line's words
};

// Checks `options` (see Dump's constructor): throws util::option_error (exit 1) or
// util::input_uri_error (exit 2), with the command line's messages. Reads the folders of
// -R. The result's config.catalogue points into options.catalogue.
CheckedDump check_dump(const DumpOptions& options);

}  // namespace dltdump::api
