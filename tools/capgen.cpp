// capgen: the project's deterministic packet-capture generator (PCAP-NG, written with the
// project's own writer).
//
// Writes `--count` packets (or about `--size` bytes) of UDP/IPv4 datagrams to port 3490
// over `--interfaces` interfaces that cycle through the link types Ethernet (1), raw IPv4
// (228) and raw IP (101). Payload sizes are random in [0, --max-payload] (or fixed with
// --payload N); time stamps grow by a random 1-1000 µs with nanosecond digits; directions
// alternate inbound/outbound/unknown. With --summary it prints the packet count, the
// per-interface counts and the first and last time stamps (ns). --dropped N records N
// packets lost on interface 0 in its statistics block (isb_ifdrop), as a live capture would.
//
// Usage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] [--payload N]
//               [--max-payload N] [--dropped N] [--summary] -o OUT.pcapng
#include <fcntl.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "pcap/pcapng_writer.hpp"
#include "rng.hpp"
#include "util/error.hpp"

namespace {

using Bytes = std::vector<std::uint8_t>;
using dltdump::tools::Rng;
namespace lt = dltdump::aio::link_type;

void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

// An IPv4 header (with a valid checksum) and a UDP header (checksum 0) for `payload` bytes.
void put_ip_udp(Bytes& b, std::size_t at, std::size_t payload, std::uint32_t src, std::uint16_t id) {
  const std::size_t total = 20 + 8 + payload;
  b[at] = 0x45;
  put16(b, at + 2, static_cast<std::uint16_t>(total));
  put16(b, at + 4, id);
  b[at + 8] = 64;  // TTL
  b[at + 9] = 17;  // UDP
  for (int i = 0; i < 4; ++i) b[at + 12 + i] = static_cast<std::uint8_t>(src >> (24 - 8 * i));
  const std::uint8_t dst[4] = {239, 255, 42, 99};
  std::memcpy(&b[at + 16], dst, 4);
  std::uint32_t sum = 0;
  for (int i = 0; i < 20; i += 2) sum += static_cast<std::uint32_t>(b[at + i] << 8 | b[at + i + 1]);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  put16(b, at + 10, static_cast<std::uint16_t>(~sum));
  put16(b, at + 20, static_cast<std::uint16_t>(40000 + (src & 0xFF)));
  put16(b, at + 22, 3490);
  put16(b, at + 24, static_cast<std::uint16_t>(8 + payload));
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "capgen: %s\nusage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] "
                       "[--payload N] [--max-payload N] [--dropped N] [--summary] -o OUT.pcapng\n", why);
  std::exit(2);
}

std::uint64_t number(const char* s, const char* option) {
  char* end = nullptr;
  std::uint64_t v = std::strtoull(s, &end, 10);
  if (end == s) usage((std::string("bad number for ") + option).c_str());
  if (*end == 'K' || *end == 'k') v <<= 10;
  else if (*end == 'M') v <<= 20;
  else if (*end == 'G') v <<= 30;
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t count = 0, size = 0, seed = 1, interfaces = 3, max_payload = 1400, dropped = 0;
  long fixed_payload = -1;
  bool summary = false;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--count") count = number(value(), "--count");
    else if (a == "--size") size = number(value(), "--size");
    else if (a == "--seed") seed = number(value(), "--seed");
    else if (a == "--interfaces") interfaces = number(value(), "--interfaces");
    else if (a == "--payload") fixed_payload = static_cast<long>(number(value(), "--payload"));
    else if (a == "--max-payload") max_payload = number(value(), "--max-payload");
    else if (a == "--dropped") dropped = number(value(), "--dropped");
    else if (a == "--summary") summary = true;
    else if (a == "-o") out = value();
    else usage(("unknown argument " + a).c_str());
  }
  if (out.empty()) usage("no output (-o)");
  if (count == 0 && size == 0) count = 1000;
  if (interfaces == 0 || interfaces > 1000) usage("--interfaces must be 1..1000");
  if (max_payload > 65507) usage("--max-payload must be at most 65507");

  const int fd = out == "-" ? STDOUT_FILENO : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) usage(("cannot create " + out).c_str());
  Rng rng{seed};
  std::vector<std::uint16_t> links;
  std::vector<std::uint64_t> per_interface(interfaces);
  std::int64_t time = 1'700'000'000'000'000'000LL, first = time;
  std::uint64_t written = 0;
  try {
    dltdump::pcap::PcapngWriter w(fd, out, {"", "", "capgen"});
    const std::uint16_t cycle[] = {lt::kEthernet, lt::kIpv4, lt::kRaw};
    for (std::uint64_t i = 0; i < interfaces; ++i) {
      links.push_back(cycle[i % 3]);
      w.add_interface({links.back(), "if" + std::to_string(i), 0});
    }
    Bytes frame;
    for (std::uint64_t n = 0; count ? n < count : w.offset() < size; ++n) {
      const auto itf = static_cast<std::uint32_t>(rng.below(static_cast<std::uint32_t>(interfaces)));
      const std::size_t payload =
          fixed_payload >= 0 ? static_cast<std::size_t>(fixed_payload) : rng.below(static_cast<std::uint32_t>(max_payload + 1));
      const std::size_t link = links[itf] == lt::kEthernet ? 14 : 0;
      frame.assign(link + 28 + payload, 0);
      if (link) {
        const std::uint8_t mac[12] = {1, 0, 0x5E, 0x7F, 42, 99, 2, 0, 0, 0, 0, static_cast<std::uint8_t>(itf)};
        std::memcpy(frame.data(), mac, 12);
        put16(frame, 12, 0x0800);
      }
      put_ip_udp(frame, link, payload, 0xC0A80000u | (itf & 0xFF), static_cast<std::uint16_t>(n));
      for (std::size_t k = 0; k < payload; ++k) frame[link + 28 + k] = static_cast<std::uint8_t>(rng.next());
      time += 1000 + rng.below(999000);
      const auto dir = static_cast<dltdump::aio::Direction>(n % 3 == 2 ? 0 : 1 + n % 3);
      w.write_packet(itf, time, frame, 0, dir);
      ++per_interface[itf];
      ++written;
    }
    w.count_dropped(0, dropped);
    w.close(time);
  } catch (const dltdump::util::Error& e) {
    std::fprintf(stderr, "capgen: %s\n", e.what());
    return 1;
  }
  if (fd != STDOUT_FILENO) ::close(fd);
  if (summary) {
    std::printf("packets %" PRIu64 "\nfirst_ns %" PRId64 "\nlast_ns %" PRId64 "\n", written, first + 0, time);
    for (std::uint64_t i = 0; i < interfaces; ++i) std::printf("interface %" PRIu64 " %u %" PRIu64 "\n", i, links[i], per_interface[i]);
  }
  return 0;
}
