// Opening a serial port with the settings of a `ser:` argument (dltdump-spec §1.5), with
// termios: raw mode, the baud rate, data bits, parity, stop bits and handshake given.
//
// Linux termios has no 1.5 stop bits (CSTOPB gives 1.5 with 5 data bits, 2 otherwise)
// and no DTR/DSR flow control: `dtr` in the handshake is ignored (open_serial_port
// says so in `note`).
#pragma once

#include <cstdint>
#include <string>

#include "input/live_uri.hpp"

namespace dltdump::input {

// Whether Linux has a termios speed for `baud` (50 … 4000000).
bool is_standard_baud(std::uint32_t baud);

// Opens and configures the port; returns the non-blocking descriptor (the caller closes
// it). Throws util::Error `Couldn't open serial port <port> (<reason>)`. `note` receives a
// line to show the user when a setting could not be honoured exactly, else stays empty.
int open_serial_port(const SerialSettings& settings, std::string& note);

}  // namespace dltdump::input
