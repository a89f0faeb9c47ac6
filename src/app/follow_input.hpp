// --follow: a DLT file or recording that another program is still writing, decoded as it
// grows, as `tail -F` follows a log. What is there is decoded first; then the file is
// polled (kFollowPoll) and what is appended is decoded, the output flushed whenever the
// end is reached, so the lines appear as the recorder writes. A message cut short at the
// end stays in the framer until its rest arrives. A file truncated under it (a recorder's
// copytruncate) is followed again from its start, one line on standard error saying so; a
// file replaced under its name (rotated: moved away and a new one created) is read to its
// end, then the new file is followed. Runs until Ctrl-C or SIGTERM, which end it normally
// (whole lines, exit 0), as a live input.
#pragma once

#include <chrono>

#include "app/pipeline.hpp"
#include "input/input_spec.hpp"

namespace dltdump::app {

inline constexpr std::chrono::milliseconds kFollowPoll{100};

// Follows the file `spec` (InputKind::File) into `pipeline`, calling its begin_input once the
// format is known (--format `requested`, else sniffed from the first bytes once the file has
// any); the caller ends the input. Returns only by throwing: util::Stopped at a stop request,
// filter::MaxCountReached when -m's matches are all given,
// util::input_error when the file cannot be opened at first or is a capture or compressed
// (followed are DLT files and recordings), util::output_error when writing fails. Notes about
// truncation and rotation go to `diag_fd`.
[[noreturn]] void decode_followed(const input::InputSpec& spec, input::InputFormat requested, Pipeline& pipeline,
                                  int diag_fd);

}  // namespace dltdump::app
