// A diagnostic: what the run says on standard error and goes on after — a setting that has
// no effect, what a capture's bounds lost, an input that decoded to nothing but skipped
// bytes, a setting a device could not honour. The counterpart of util::Error
// (util/error.hpp) for what fails nothing.
//
// Who makes it: the code that finds it returns it as a value (never a string out-parameter,
// never printed where it is found), because only the run knows where in the order of the
// output it belongs. Who prints it: main, before the run, for the command line's
// ("dltdump: warning: <text>"); the run, after that input's lines, for an input's
// (<text>). Each is one line on standard error.
#pragma once

#include <string>

#include "util/error.hpp"

namespace dltdump::util {

struct Diagnostic {
  Culprit culprit;
  std::string name;  // the culprit as the user gave it (input path or URI, option, port)
  std::string text;  // the complete line, naming the culprit, without a line end
};

}  // namespace dltdump::util
