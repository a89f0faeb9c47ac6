// capgen: the project's deterministic packet-capture generator (PCAP-NG, written with the
// project's own writer).
//
// Two modes:
//   * packets (default): `--count` packets (or about `--size` bytes) of UDP/IPv4 datagrams
//     to port 3490 with random payloads of 0..--max-payload bytes (or --payload N) over
//     `--interfaces` interfaces cycling through Ethernet (1), raw IPv4 (228) and raw IP (101);
//     directions alternate inbound/outbound/unknown; `--dropped N` records N packets lost on
//     interface 0 in its statistics block.
//   * DLT (`--dlt STREAM`): the DLT messages of a network-format stream (as `dltgen --format
//     net` writes) carried in UDP datagrams to port 3490 from `--flows` sources, each bound
//     to an interface of a different kind: Ethernet, Ethernet with a VLAN tag, Ethernet
//     with two tags (QinQ), Linux SLL, Linux SLL2 (and raw IPv4 in the second section).
//     Datagrams hold 1..--max-messages messages (default 8; 1 is what a logger that sends
//     each message on its own produces); unless --no-split, a message may be cut across two
//     datagrams of its flow. Datagrams above 1472 bytes are sent as IPv4 fragments, in a
//     shuffled order; `--noise` adds ARP, IPv6 and UDP traffic to other ports. With
//     `--sections 2` the second half goes into a second, big-endian section. Each source
//     keeps the messages in stream order, so per flow the output order is the stream's.
// Time stamps grow by a random 1-1000 µs with nanosecond digits. `--summary` prints the
// packet count, per-interface counts, the message count and the first and last times.
//
// Usage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] [--payload N]
//               [--max-payload N] [--dropped N]
//               [--dlt STREAM [--flows N] [--max-messages N] [--no-split] [--noise] [--sections 1|2]]
//               [--summary] -o OUT.pcapng
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "frame_builder.hpp"
#include "pcap/pcapng_writer.hpp"
#include "rng.hpp"
#include "util/error.hpp"

namespace {

using dltdump::tools::Frame;
using dltdump::tools::Rng;
namespace lt = dltdump::aio::link_type;
namespace fb = dltdump::tools;

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "capgen: %s\nusage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] [--payload N] "
               "[--max-payload N] [--dropped N] [--dlt STREAM [--flows N] [--max-messages N] [--no-split] [--noise] "
               "[--sections 1|2]] "
               "[--summary] -o OUT.pcapng\n",
               why);
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

struct Config {
  std::uint64_t count = 0, size = 0, seed = 1, interfaces = 3, max_payload = 1400, dropped = 0;
  long fixed_payload = -1;
  std::string dlt;
  std::uint64_t flows = 5, sections = 1, max_messages = 8;
  bool split = true, noise = false, summary = false;
  std::string out;
};

// ---- packets mode ----

int random_packets(const Config& c, int fd) {
  Rng rng{c.seed};
  std::vector<std::uint16_t> links;
  std::vector<std::uint64_t> per_interface(c.interfaces);
  std::int64_t time = 1'700'000'000'000'000'000LL;
  const std::int64_t first = time;
  std::uint64_t written = 0;
  dltdump::pcap::PcapngWriter w(fd, c.out, {"", "", "capgen"});
  const std::uint16_t cycle[] = {lt::kEthernet, lt::kIpv4, lt::kRaw};
  for (std::uint64_t i = 0; i < c.interfaces; ++i) {
    links.push_back(cycle[i % 3]);
    w.add_interface({links.back(), "if" + std::to_string(i), 0});
  }
  for (std::uint64_t n = 0; c.count ? n < c.count : w.offset() < c.size; ++n) {
    const auto itf = static_cast<std::uint32_t>(rng.below(static_cast<std::uint32_t>(c.interfaces)));
    const std::size_t payload = c.fixed_payload >= 0 ? static_cast<std::size_t>(c.fixed_payload)
                                                     : rng.below(static_cast<std::uint32_t>(c.max_payload + 1));
    fb::Addresses a;
    a.source = 0xC0A80000u | (itf & 0xFF);
    a.destination = 0xEFFF2A63;  // 239.255.42.99
    a.source_port = static_cast<std::uint16_t>(40000 + (itf & 0xFF));
    Frame data(payload);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng.next());
    Frame ip = fb::ipv4(a, fb::udp(a, data), static_cast<std::uint16_t>(n));
    const Frame frame = links[itf] == lt::kEthernet ? fb::ethernet(ip) : ip;
    time += 1000 + rng.below(999000);
    const auto dir = static_cast<dltdump::aio::Direction>(n % 3 == 2 ? 0 : 1 + n % 3);
    w.write_packet(itf, time, frame, 0, dir);
    ++per_interface[itf];
    ++written;
  }
  w.count_dropped(0, c.dropped);
  w.close(time);
  if (c.summary) {
    std::printf("packets %" PRIu64 "\nfirst_ns %" PRId64 "\nlast_ns %" PRId64 "\n", written, first, time);
    for (std::uint64_t i = 0; i < c.interfaces; ++i)
      std::printf("interface %" PRIu64 " %u %" PRIu64 "\n", i, links[i], per_interface[i]);
  }
  return 0;
}

// ---- DLT mode ----

std::vector<Frame> read_messages(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) usage(("cannot read " + path).c_str());
  Frame all;
  std::uint8_t buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) all.insert(all.end(), buf, buf + n);
  std::fclose(f);
  std::vector<Frame> messages;
  for (std::size_t at = 0; at + 4 <= all.size();) {
    const std::size_t len = static_cast<std::size_t>(all[at + 2]) << 8 | all[at + 3];
    if (len < 4 || at + len > all.size()) usage("--dlt: not a clean network-format DLT stream");
    messages.emplace_back(all.begin() + static_cast<long>(at), all.begin() + static_cast<long>(at + len));
    at += len;
  }
  return messages;
}

// How each flow's frames are framed on its interface.
enum class Wrap { ethernet, vlan, qinq, sll, sll2, raw };
constexpr Wrap kWraps[] = {Wrap::ethernet, Wrap::vlan, Wrap::sll, Wrap::qinq, Wrap::sll2, Wrap::raw};

std::uint16_t link_of(Wrap w) {
  switch (w) {
    case Wrap::sll: return lt::kLinuxSll;
    case Wrap::sll2: return lt::kLinuxSll2;
    case Wrap::raw: return lt::kIpv4;
    default: return lt::kEthernet;
  }
}

Frame wrap(Wrap w, const Frame& ip) {
  switch (w) {
    case Wrap::vlan: return fb::ethernet(ip, {0x8100});
    case Wrap::qinq: return fb::ethernet(ip, {0x88A8, 0x8100});
    case Wrap::sll: return fb::sll(ip);
    case Wrap::sll2: return fb::sll2(ip);
    case Wrap::raw: return ip;
    default: return fb::ethernet(ip);
  }
}

struct Source {
  fb::Addresses addresses;
  Wrap wrap;
  std::deque<Frame> messages;  // still to send, in stream order
  Frame carry;                 // the tail of a message cut at the end of the last datagram
  std::uint16_t ip_id = 1;
};

int dlt_capture(const Config& c, int fd) {
  Rng rng{c.seed};
  const auto messages = read_messages(c.dlt);
  const std::size_t flows = std::clamp<std::size_t>(c.flows, 1, 64);
  const std::size_t kinds = c.sections > 1 ? 6 : 5;
  std::vector<Source> sources(flows);
  for (std::size_t i = 0; i < flows; ++i) {
    sources[i].addresses.source = 0x0A00000B + static_cast<std::uint32_t>(i);
    sources[i].addresses.source_port = static_cast<std::uint16_t>(i % 2 ? 3490 : 49152 + i);
    sources[i].wrap = kWraps[i % kinds];
  }
  for (std::size_t m = 0; m < messages.size(); ++m) sources[m % flows].messages.push_back(messages[m]);

  std::int64_t time = 1'709'280'000'000'000'000LL;
  const std::int64_t first = time;
  std::uint64_t frames = 0;
  std::unique_ptr<dltdump::pcap::PcapngWriter> w;
  std::vector<std::uint32_t> interface_of(flows);
  auto start_section = [&](bool big_endian) {
    if (w) w->close(time);
    w = std::make_unique<dltdump::pcap::PcapngWriter>(fd, c.out,
                                                      dltdump::pcap::SectionInfo{"", "", "capgen", big_endian});
    for (std::size_t i = 0; i < flows; ++i)
      interface_of[i] = w->add_interface({link_of(sources[i].wrap), "flow" + std::to_string(i), 0});
    w->add_interface({lt::kEthernet, "noise", 0});
  };
  auto emit = [&](std::uint32_t itf, const Frame& frame) {
    time += 1000 + rng.below(999000);
    w->write_packet(itf, time, frame);
    ++frames;
  };
  auto send_datagram = [&](Source& s, std::uint32_t itf, const Frame& payload) {
    const Frame udp = fb::udp(s.addresses, payload);
    const std::uint16_t id = s.ip_id++;
    // Fragment what does not fit a 1500-byte MTU, unless the last piece would be shorter
    // than 16 bytes (36 with its IP header: DltDump ignores shorter IP packets).
    if (udp.size() > 1480 && udp.size() % 1480 >= 16) {
      auto pieces = fb::fragments(s.addresses, udp, 1480, id);
      for (std::size_t i = pieces.size(); i > 1; --i)
        std::swap(pieces[i - 1], pieces[rng.below(static_cast<std::uint32_t>(i))]);
      for (const auto& p : pieces) emit(itf, wrap(s.wrap, p));
    } else {
      emit(itf, wrap(s.wrap, fb::ipv4(s.addresses, udp, id)));
    }
  };
  auto noise = [&]() {
    fb::Addresses a;
    a.source = 0x0A0000C8;
    a.destination_port = rng.chance(50) ? 30490 : 5353;
    const std::uint32_t itf = static_cast<std::uint32_t>(flows);
    switch (rng.below(3)) {
      case 0: emit(itf, fb::ethernet(Frame(28, 0x11), {}, 0x0806)); break;  // ARP
      case 1: emit(itf, fb::ethernet(Frame(60, 0x60), {}, 0x86DD)); break;  // IPv6
      default: emit(itf, fb::ethernet(fb::ipv4(a, fb::udp(a, Frame(40 + rng.below(200), 0x22))))); break;
    }
  };

  start_section(false);
  std::size_t remaining = messages.size();
  const std::size_t switch_at = c.sections > 1 ? messages.size() / 2 : messages.size() + 1;
  bool switched = false;
  while (remaining > 0) {
    if (!switched && messages.size() - remaining >= switch_at) {
      // Close each flow's cut message in this section: flows do not cross sections.
      for (std::size_t i = 0; i < flows; ++i)
        if (!sources[i].carry.empty()) {
          send_datagram(sources[i], interface_of[i], sources[i].carry);
          sources[i].carry.clear();
        }
      start_section(true);
      switched = true;
    }
    Source& s = sources[rng.below(static_cast<std::uint32_t>(flows))];
    const std::size_t i = static_cast<std::size_t>(&s - sources.data());
    if (s.messages.empty() && s.carry.empty()) continue;
    Frame payload = std::move(s.carry);
    s.carry.clear();
    const std::size_t take = 1 + rng.below(static_cast<std::uint32_t>(c.max_messages));
    for (std::size_t k = 0; k < take && !s.messages.empty(); ++k) {
      payload.insert(payload.end(), s.messages.front().begin(), s.messages.front().end());
      s.messages.pop_front();
      --remaining;
    }
    // Cut the last message, leaving at least 8 bytes on each side (see send_datagram).
    if (c.split && !s.messages.empty() && payload.size() > 40 && rng.chance(40)) {
      const std::size_t cut =
          payload.size() - 8 - rng.below(static_cast<std::uint32_t>(std::min<std::size_t>(payload.size() - 16, 200)));
      s.carry.assign(payload.begin() + static_cast<long>(cut), payload.end());
      payload.resize(cut);
    }
    send_datagram(s, interface_of[i], payload);
    if (c.noise && rng.chance(20)) noise();
  }
  for (std::size_t i = 0; i < flows; ++i)
    if (!sources[i].carry.empty()) send_datagram(sources[i], interface_of[i], sources[i].carry);
  w->close(time);
  if (c.summary)
    std::printf("packets %" PRIu64 "\nmessages %zu\nfirst_ns %" PRId64 "\nlast_ns %" PRId64 "\n", frames,
                messages.size(), first, time);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(("missing value for " + a).c_str());
      return argv[++i];
    };
    if (a == "--count") c.count = number(value(), "--count");
    else if (a == "--size") c.size = number(value(), "--size");
    else if (a == "--seed") c.seed = number(value(), "--seed");
    else if (a == "--interfaces") c.interfaces = number(value(), "--interfaces");
    else if (a == "--payload") c.fixed_payload = static_cast<long>(number(value(), "--payload"));
    else if (a == "--max-payload") c.max_payload = number(value(), "--max-payload");
    else if (a == "--dropped") c.dropped = number(value(), "--dropped");
    else if (a == "--dlt") c.dlt = value();
    else if (a == "--flows") c.flows = number(value(), "--flows");
    else if (a == "--sections") c.sections = number(value(), "--sections");
    else if (a == "--max-messages") c.max_messages = std::max<std::uint64_t>(1, number(value(), "--max-messages"));
    else if (a == "--no-split") c.split = false;
    else if (a == "--noise") c.noise = true;
    else if (a == "--summary") c.summary = true;
    else if (a == "-o") c.out = value();
    else usage(("unknown argument " + a).c_str());
  }
  if (c.out.empty()) usage("no output (-o)");
  if (c.count == 0 && c.size == 0) c.count = 1000;
  if (c.interfaces == 0 || c.interfaces > 1000) usage("--interfaces must be 1..1000");
  if (c.max_payload > 65507) usage("--max-payload must be at most 65507");
  const int fd = c.out == "-" ? STDOUT_FILENO : ::open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) usage(("cannot create " + c.out).c_str());
  int rc = 0;
  try {
    rc = c.dlt.empty() ? random_packets(c, fd) : dlt_capture(c, fd);
  } catch (const dltdump::util::Error& e) {
    std::fprintf(stderr, "capgen: %s\n", e.what());
    rc = 1;
  }
  if (fd != STDOUT_FILENO) ::close(fd);
  return rc;
}
