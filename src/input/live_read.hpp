// Reading a live byte stream (a connected TCP socket or a serial port) in bounded waits,
// so that the caller gets control back at least every `wait_ms` to look at the stop
// request, its idle timer and its flush timer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace dltdump::input {

struct LiveRead {
  enum class Status {
    Data,    // `bytes` > 0 bytes arrived
    Idle,    // nothing arrived within the wait (or a signal interrupted it)
    Closed,  // the peer closed the stream (end of file, hang-up)
    Failed,  // a read error; `error` is its errno (ECONNRESET, EIO for an unplugged port, …)
  };
  Status status;
  std::size_t bytes = 0;
  int error = 0;
};

// Waits up to `wait_ms` for `fd` to become readable and reads what is there into `buffer`.
LiveRead read_live(int fd, std::span<std::uint8_t> buffer, int wait_ms);

}  // namespace dltdump::input
