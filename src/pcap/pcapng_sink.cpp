#include "pcap/pcapng_sink.hpp"

#include "util/error.hpp"

namespace dltdump::pcap {

int PcapngSink::send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool flush) noexcept {
  std::size_t i = 0;
  try {
    for (; i < batch.size(); ++i) writer_.write_packet(interface_, batch[i]);
    if (flush) writer_.flush();  // a failed flush concerns no packet of this batch: all were taken
  } catch (const std::exception& e) {
    error_ = e.what();
    if (first_unsent) *first_unsent = i;
    return i < batch.size() ? aio::kErrIo : aio::kSuccess;
  }
  return aio::kSuccess;
}

}  // namespace dltdump::pcap
