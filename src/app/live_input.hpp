// Live inputs (dltdump-spec §1.5, deviations Q5, Q9, Q14): a TCP connection, a UDP socket
// (unicast or multicast) or a serial port, decoded into the run's pipeline until the
// stream ends or the user stops the run (Ctrl-C, SIGTERM).
//
//   * TCP and serial are byte streams: one framer (network, serial) per connection, every
//     line stamped with the PC clock when its bytes arrived. A TCP connection attempt gives
//     up after 5 s, a connected stream ends after 5 s without data; with --retries the
//     run reconnects (N times, or forever when negative) and continues the same output.
//   * UDP runs on two threads: the receiver (input::UdpReceiver → optional capture tap →
//     aio::Ring in live mode) and this thread, which decodes the ring's packets with an
//     dissect::CaptureDecoder (one framer per sender) and writes the lines. A slow output
//     never blocks the receiver: the ring and the socket buffer absorb it, and what they
//     lost is counted and reported on stderr (and in the capture's statistics block).
//   * The output is flushed at least every 5 s; a stop request ends the input normally:
//     everything received is decoded and written, files are closed whole.
#pragma once

#include "app/live_stream.hpp"
#include "app/pipeline.hpp"
#include "input/input_spec.hpp"

namespace dltdump::app {

// Decodes the live input `spec` into `pipeline`; a TCP or serial stream is framed as
// `framing` (--format; by default network for TCP, serial for serial ports), and its lines
// get the PC clock unless the framing is File (storage headers carry their own time, spec
// §1.6). Diagnostics that DltDump prints
// (connection retries) go to `diag_fd`, statistics to stderr. Throws util::input_error when
// the input could not be opened or connected at all (it then counts as not processed), and
// util::output_error when writing (the output, the --capture file) fails.
void decode_live(const input::InputSpec& spec, dlt::StreamFormat framing, const DumpConfig& config, Pipeline& pipeline,
                 int diag_fd);

// The name a live input gives %FILE% in output templates: its URI with every character
// that is not a letter, digit or '-' replaced by '_' (`tcp_192_168_1_10_3490`).
std::string live_input_name(const input::InputSpec& spec);

}  // namespace dltdump::app
