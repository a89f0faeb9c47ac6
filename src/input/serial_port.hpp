// Opening a serial port with the settings of a `ser:` argument (dltdump-spec §1.5), with
// termios: raw mode, the baud rate, data bits, parity, stop bits and handshake given.
//
// Linux termios has no 1.5 stop bits (CSTOPB gives 1.5 with 5 data bits, 2 otherwise)
// and no DTR/DSR flow control: `dtr` in the handshake is ignored (open_serial_port
// returns a warning saying so).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "input/live_uri.hpp"
#include "util/diagnostic.hpp"

namespace dltdump::input {

// Whether Linux has a termios speed for `baud` (50 … 4000000).
bool is_standard_baud(std::uint32_t baud);

// An opened port: its non-blocking descriptor (the caller closes it) and, when a setting
// could not be honoured exactly, the warning to show the user.
struct OpenedSerialPort {
  int fd;
  std::optional<util::Diagnostic> warning;
};

// Opens and configures the port. Throws util::input_error `Couldn't open serial port
// <port> (<reason>)`.
OpenedSerialPort open_serial_port(const SerialSettings& settings);

}  // namespace dltdump::input
