// The end of a packet path: a consumer takes every packet of a batch, or throws.
//
// An aio::Aio stage never throws: it reports a refusal with an error code, because its
// caller may retry (kErrAgain) or drop the packet and go on (aio/ring.hpp). A consumer is
// what comes after the last such stage — the capture decoder, whose output may fail —
// where a failure is a fault of the run, not back-pressure: it is thrown where it is found
// (util/error.hpp) and passes through the replay of a file or the poll of a ring
// unchanged, instead of being kept and turned into an error code on the way.
//
// The contract of take(batch): the packets are taken in index order; the consumer never
// modifies the batch or the packet bytes, and keeps no pointer into either after it
// returns (it copies what it keeps). If it throws, the packets before the one it was
// taking were taken, the rest were not.
#pragma once

#include <span>

#include "aio/packet.hpp"

namespace dltdump::aio {

class Consumer {
 public:
  virtual ~Consumer() = default;
  // The contract above. Throws what the consumer's own downstream throws.
  virtual void take(std::span<const Packet> batch) = 0;
};

}  // namespace dltdump::aio
