// An aio stage that writes every packet it is sent to one interface of a PCAP-NG writer.
//
// send() writes packets in order; when a write fails it returns kErrIo with the failed
// packet as first_unsent, and error() says why (the writer's message). flush flushes the
// writer; a failed flush after every packet was taken still returns kSuccess (error() is
// set) and the next send fails at its first packet, since the writer stays failed. Packet time stamps and directions
// are written as they come (kNoTime as 0).
#pragma once

#include <string>

#include "aio/aio.hpp"
#include "pcap/pcapng_writer.hpp"

namespace dltdump::pcap {

class PcapngSink final : public aio::Aio {
 public:
  PcapngSink(pcap::PcapngWriter& writer, std::uint32_t interface) : writer_(writer), interface_(interface) {}
  int send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool flush) noexcept override;
  const std::string& error() const noexcept { return error_; }

 private:
  pcap::PcapngWriter& writer_;
  std::uint32_t interface_;
  std::string error_;
};

}  // namespace dltdump::pcap
