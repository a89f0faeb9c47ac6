// libFuzzer target: IPv6 (and IPv4) headers, the shared fragment reassembler and the
// transport headers (net/ipv6.hpp, net/ipv4.hpp, net/ip_reassembly.hpp, net/tcp.hpp) on
// arbitrary packets. The input is a list of packets, each a 2-byte length and its bytes;
// the reassembler has small limits (8 sets, 4 KiB) and packets are 2 s apart now and then
// (time-outs). Invariants: a parsed packet's payload lies inside the packet; IPv6's
// extension header walk ends inside it; each completed datagram's pieces are contiguous
// from 0, every piece holds the bytes of the input at its offset, and the reassembler's
// bytes and sets stay within the limits plus one fragment, and it remembers no more
// completed datagrams than sets; a TCP header's payload lies inside what it was parsed
// from.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "net/ip_reassembly.hpp"
#include "net/ipv4.hpp"
#include "net/ipv6.hpp"
#include "net/tcp.hpp"

namespace {

using namespace dltdump;

void inside(std::span<const std::uint8_t> inner, std::span<const std::uint8_t> outer) {
  if (inner.data() < outer.data() || inner.data() + inner.size() > outer.data() + outer.size()) std::abort();
}

void transport(std::uint8_t protocol, std::span<const std::uint8_t> b) {
  if (protocol == net::kIpProtocolTcp) {
    if (const auto t = net::parse_tcp(b)) inside(t->payload, b);
  } else if (protocol == net::kIpProtocolUdp) {
    (void)net::parse_udp_header(b);
  }
}

void check_datagram(const net::IpReassembly::Datagram& d, const std::uint8_t* input, std::size_t size) {
  std::uint32_t covered = 0;
  for (const auto& p : d.pieces) {
    if (p.ip_offset != covered) std::abort();
    covered += static_cast<std::uint32_t>(p.bytes.size());
    if (p.offset > size || p.bytes.size() > size - p.offset) std::abort();
    if (!p.bytes.empty() && std::memcmp(p.bytes.data(), input + p.offset, p.bytes.size()) != 0) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Completed datagrams remembered for 1000 bytes and 2 s, at most 8.
  net::IpReassembly reassembly({8, 4096, 15'000'000'000, 1000, 2'000'000'000, 8});
  std::int64_t time = 0;
  std::size_t at = 0;
  while (at + 2 <= size) {
    const std::size_t len = std::min<std::size_t>((std::size_t{data[at]} << 8 | data[at + 1]), size - at - 2);
    const std::span<const std::uint8_t> ip(data + at + 2, len);
    const std::uint64_t base = at + 2;
    time += data[at] & 1 ? 2'000'000'000 : 1000;
    at += 2 + len;
    reassembly.pass(base);
    const net::IpReassembly::Datagram* done = nullptr;
    if (const auto p6 = net::parse_ipv6(ip)) {
      inside(p6->payload, ip);
      if (p6->is_fragment()) {
        done = reassembly.add(0, *p6, base + static_cast<std::uint64_t>(p6->payload.data() - ip.data()), time);
        if (done) {
          check_datagram(*done, data, size);
          const auto upper = net::upper_protocol(p6->protocol, done->pieces.front().bytes);
          if (upper) {
            if (upper->offset > done->pieces.front().bytes.size()) std::abort();
            transport(upper->protocol,
                      std::span<const std::uint8_t>(done->pieces.front().bytes).subspan(upper->offset));
          }
        }
      } else {
        transport(p6->protocol, p6->payload);
      }
    } else if (const auto p4 = net::parse_ipv4(ip, 28)) {
      inside(p4->payload, ip);
      if (p4->is_fragment()) {
        done = reassembly.add(1, *p4, base + static_cast<std::uint64_t>(p4->payload.data() - ip.data()), time);
        if (done) {
          check_datagram(*done, data, size);
          transport(p4->protocol, done->pieces.front().bytes);
        }
      } else {
        transport(p4->protocol, p4->payload);
      }
    }
    if (reassembly.open_sets() > 8 || reassembly.bytes_held() > 4096 + 65536 || reassembly.finished_states().size() > 8)
      std::abort();
  }
  reassembly.finish();
  if (reassembly.open_sets() != 0 || reassembly.bytes_held() != 0) std::abort();
  return 0;
}
