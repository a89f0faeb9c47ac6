// The public API's small value types (dltdump/types.hpp, dltdump/writer.hpp) as the layers
// below name them. Each throws Error (argument) for a value outside its enum (a program
// may cast any number to one).
#pragma once

#include "dlt/line_formatter.hpp"
#include "dltdump/types.hpp"
#include "dltdump/writer.hpp"
#include "input/input_spec.hpp"

namespace dltdump::api {

// --format: automatic, file, serial, network, pcap.
input::InputFormat input_format(Format f);
// The format an input is decoded in (Automatic is never one: file).
Format public_format(input::InputFormat f);
// --time: the TIME column of text lines.
dlt::TimeColumn time_column_of(TimeColumn t);
// The records of a text file: JSON Lines, CSV, else text lines.
dlt::LineFormatter::Style style_of(OutputFormat f);

}  // namespace dltdump::api
