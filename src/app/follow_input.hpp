// --follow: a DLT file or recording that another program is still writing, decoded as it
// grows, as `tail -F` follows a log. What is there is decoded first; then the file is
// polled (kFollowPoll) and what is appended is decoded, the output flushed whenever the
// end is reached, so the lines appear as the recorder writes. A message cut short at the
// end stays in the framer until its rest arrives. A name that does not exist yet is waited
// for. The format is --format's, else sniffed once the first bytes decide it (or have
// stopped growing for a second). A file truncated under it (a recorder's copytruncate) is
// followed again from its start, one line on standard error saying so; a file replaced
// under its name (rotated: moved away and a new one created) is read to its end, then the
// new file is followed, its format sniffed again; a removed one is read to its end and its
// name waited for. Only regular files: a pipe, FIFO or device is refused. Runs until Ctrl-C
// or SIGTERM, which end it normally (whole lines, exit 0), as a live input.
#pragma once

#include <chrono>

#include "app/pipeline.hpp"
#include "input/input_spec.hpp"

namespace dltdump::app {

inline constexpr std::chrono::milliseconds kFollowPoll{100};

// Follows the file `spec` (InputKind::File) into `pipeline`, calling its begin_input once the
// format is known (--format `requested`, else sniffed from the first bytes once the file has
// any; again, with a new input for the output, when a file of another format replaces it);
// the caller ends the input. Returns only by throwing: util::Stopped at a stop request,
// filter::MaxCountReached when -m's matches are all given, util::input_error when the name
// holds something other than a regular file, cannot be read, or holds a capture or
// compressed data (followed are DLT files and recordings), util::output_error when writing
// fails. Notes about a missing, truncated, rotated or removed file go to `diag_fd`.
[[noreturn]] void decode_followed(const input::InputSpec& spec, input::InputFormat requested, Pipeline& pipeline,
                                  int diag_fd);

}  // namespace dltdump::app
