// aio: "something you can send a batch of packets to" (aio-spec.md §1).
//
// Every packet stage — capture tap, ring, pcapng file sink, UDP receiver's consumer —
// implements Aio, so stages compose and one contract test suite
// (tests/aio/aio_contract_test.cpp) runs against all of them. The end of a path, whose
// failures are the run's faults rather than refusals, is an aio::Consumer instead
// (aio/consumer.hpp): the capture decoder.
//
// The contract of send(batch, first_unsent, flush):
//   * packets are taken in index order; an empty batch succeeds with no side effect;
//   * a zero-size packet (data may be null) counts as sent;
//   * returns kSuccess, or a negative error code; on error, if first_unsent is not null,
//     *first_unsent is the index of the first packet not sent: [0, idx) were sent,
//     [idx, n) were not (on success first_unsent is left untouched);
//   * the callee never modifies the batch or the packet bytes, and keeps no pointer into
//     either after it returns (it copies what it keeps);
//   * flush asks the stage to push out what it has buffered (each stage says how).
// The same buffer may appear several times in one batch, and buffers may overlap.
#pragma once

#include <cstddef>
#include <span>

#include "aio/packet.hpp"

namespace dltdump::aio {

inline constexpr int kSuccess = 0;
inline constexpr int kErrInvalid = -1;  // bad arguments (e.g. a packet larger than the stage takes)
inline constexpr int kErrAgain = -2;    // no room now; retry the unsent packets later
inline constexpr int kErrIo = -3;       // the stage's own I/O failed (its error() says why)

// A non-null static text for any code: "success", "bad input arguments",
// "try again later", "input/output error", or "unknown error" for anything else.
const char* strerror(int code) noexcept;

class Aio {
 public:
  virtual ~Aio() = default;
  // The contract above. Never throws.
  virtual int send(std::span<const Packet> batch, std::size_t* first_unsent, bool flush) noexcept = 0;
};

// Sends `batch` to `dst`, retrying the unsent rest after kErrAgain (calling `wait()`
// between attempts) until every packet is accepted. Returns kSuccess, or the first other
// error with *first_unsent set as send() does.
template <typename Wait>
int send_all(Aio& dst, std::span<const Packet> batch, std::size_t* first_unsent, bool flush, Wait wait) {
  std::size_t done = 0;
  while (true) {
    std::size_t idx = 0;
    const int rc = dst.send(batch.subspan(done), &idx, flush);
    if (rc == kSuccess) return kSuccess;
    done += idx;
    if (rc != kErrAgain) {
      if (first_unsent) *first_unsent = done;
      return rc;
    }
    wait();
  }
}

}  // namespace dltdump::aio
