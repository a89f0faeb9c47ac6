#include "dlt/packet_chain.hpp"

#include "dlt/message.hpp"
#include "dlt/packet.hpp"

namespace dltdump::dlt {

namespace {

bool chain_at(std::span<const std::uint8_t> bytes, std::size_t at, unsigned packets) {
  Message m;
  for (unsigned k = 0; k < packets; ++k) {
    if (bytes.size() - at < 4) return false;
    const unsigned plen = standard_header_length(bytes.data() + at);
    if (plen == 0 || bytes.size() - at < plen) return false;
    if (!parse_packet(bytes.subspan(at, plen), m)) return false;
    at += plen;
  }
  return true;
}

}  // namespace

ChainSearch find_packet_chain(std::span<const std::uint8_t> bytes, std::size_t from, unsigned packets,
                              std::size_t reach) {
  std::size_t at = from;
  for (; at < bytes.size() && bytes.size() - at >= reach; ++at)
    if (chain_at(bytes, at, packets)) return {at, at};
  return {std::nullopt, at};
}

}  // namespace dltdump::dlt
