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
//   * DLT over TCP (`--tcp STREAM`): the messages of the stream over `--flows` TCP
//     connections from port 3490 (IPv4 and IPv6 alternating, over Ethernet, Linux SLL2, raw
//     IP 101 and raw IPv4/IPv6 228/229; a tenth of each connection's messages go the other
//     way, to port 3490) and one UDP flow over IPv6 (a hop-by-hop header now and then,
//     datagrams and segments beyond the MTU fragmented, IPv6 fragments in either order).
//     Connection 1's sequence numbers wrap; connection 2 ends with RST, the last is left
//     open, the others end with FIN. `--impair` makes the capture miss bytes (from inside a
//     message to a later message's start), start connection 0 in the middle of a message
//     without SYN, reorder, retransmit, overlap and send conflicting copies of segments
//     (always after the original), and record the fragments of a packet twice now and then. `--whole` cuts the streams
//     into segments of 1..--max-messages whole messages instead of 1-1460 bytes (one in 20 up to 4000) at any byte.
//     `--truth FILE` writes one line per message a decoder must find whole: the direction (`tcp0-down`, `tcp0-up`, …,
//     `udp6`) and the message's number in the stream. `--no-udp` leaves the UDP flow out (all TCP).
// Time stamps grow by a random 1-1000 µs with nanosecond digits. `--summary` prints the
// packet count, per-interface counts, the message count and the first and last times.
//
// Usage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] [--payload N]
//               [--max-payload N] [--dropped N]
//               [--dlt STREAM [--flows N] [--max-messages N] [--no-split] [--noise] [--sections 1|2]]
//               [--tcp STREAM [--flows N] [--max-messages N] [--whole] [--impair] [--no-udp] [--truth FILE]]
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
  std::fprintf(
      stderr,
      "capgen: %s\nusage: capgen [--count N | --size BYTES] [--seed S] [--interfaces K] [--payload N] "
      "[--max-payload N] [--dropped N] [--dlt STREAM [--flows N] [--max-messages N] [--no-split] [--noise] "
      "[--sections 1|2]] [--tcp STREAM [--flows N] [--max-messages N] [--whole] [--impair] [--no-udp] [--truth FILE]] "
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
  bool tcp = false, impair = false, udp6 = true, whole = false;
  std::string truth;
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

// ---- TCP mode ----

// Whether a standard header that the framer's resynchronisation could take for a packet
// starts in bytes [from, to) of `s`, its packet ending by `to` (version 1, length ≥ 4).
bool may_frame(const Frame& s, std::size_t from, std::size_t to) {
  for (std::size_t x = from; x + 4 <= to; ++x) {
    if ((s[x] & 0xE0) != 0x20) continue;
    const std::size_t len = static_cast<std::size_t>(s[x + 2]) << 8 | s[x + 3];
    if (len >= 4 && x + len <= to) return true;
  }
  return false;
}

// One direction of a TCP connection: its byte stream and what the capture misses of it.
struct TcpDirection {
  std::string name;
  Frame bytes;
  std::vector<std::size_t> starts, index;  // each message's start in `bytes`, its number in the input
  std::uint32_t isn = 0;
  bool syn = true;
  std::size_t capture_from = 0;                           // the first byte captured
  std::vector<std::pair<std::size_t, std::size_t>> lost;  // byte ranges the capture misses, in order
  fb::Addresses a;
  fb::Addresses6 a6;
  std::uint32_t seq_of(std::size_t pos) const { return isn + static_cast<std::uint32_t>(pos) + (syn ? 1u : 0u); }
  std::size_t end_of(std::size_t k) const { return k + 1 < starts.size() ? starts[k + 1] : bytes.size(); }
};

struct TcpSeg {
  std::size_t begin, end;
  std::uint8_t flags = 0;
  bool conflict = false;  // a copy with other bytes, after the original
};

struct TcpConnection {
  TcpDirection down, up;  // from the DLT port 3490 (the ECU), and to it (the viewer's requests)
  bool v6 = false;
  unsigned link = 0;  // 0 Ethernet, 1 Linux SLL2, 2 raw IP (101), 3 raw IPv4/IPv6 (228/229)
  std::uint32_t itf = 0;
  std::uint16_t ip_id = 1;
  std::uint32_t frag_id = 1;
  enum class End { fin, rst, open } end = End::fin;
  std::deque<Frame> frames;  // to send, in order
};

std::uint16_t tcp_link_type(const TcpConnection& c) {
  switch (c.link) {
    case 1: return lt::kLinuxSll2;
    case 2: return lt::kRaw;
    case 3: return c.v6 ? lt::kIpv6 : lt::kIpv4;
    default: return lt::kEthernet;
  }
}

Frame wrap_ip(unsigned link, bool v6, const Frame& ip) {
  const std::uint16_t type = v6 ? 0x86DD : 0x0800;
  switch (link) {
    case 1: return fb::sll2(ip, type);
    case 2:
    case 3: return ip;
    default: return fb::ethernet(ip, {}, type);
  }
}

// The IP packets (IPv4, or IPv6 with a hop-by-hop header now and then) carrying `data` of
// `protocol` (6 or 17), fragmented beyond a 1500-byte MTU.
std::vector<Frame> ip_packets(Rng& rng, bool v6, const fb::Addresses& a, const fb::Addresses6& a6, std::uint16_t& ip_id,
                              std::uint32_t& frag_id, const Frame& data, std::uint8_t protocol) {
  if (!v6) {
    if (data.size() <= 1480) return {fb::ipv4(a, data, ip_id++, 0, false, protocol)};
    std::size_t size = 1480;  // no fragment under 36 bytes (DltDump's rule, net/ipv4.hpp)
    while (data.size() % size != 0 && data.size() % size < 16) size -= 8;
    return fb::fragments(a, data, size, ip_id++, protocol);
  }
  const bool hop = rng.chance(30);
  if (data.size() <= 1400) {
    return {hop ? fb::ipv6(data, 0, fb::ipv6_option_header(protocol), a6) : fb::ipv6(data, protocol, {}, a6)};
  }
  auto frags = hop ? fb::fragments6(data, protocol, 1232, frag_id++, 0, fb::ipv6_option_header(44), a6)
                   : fb::fragments6(data, protocol, 1232, frag_id++, 44, {}, a6);
  if (rng.chance(50)) std::reverse(frags.begin(), frags.end());
  return frags;
}

// `frames` as a capture that records each frame twice (a mirror port on two VLANs) holds
// them now and then if `impair` and they are the fragments of one packet: each fragment
// followed by its copy, or the copies of all after the last.
std::vector<Frame> mirrored(Rng& rng, std::vector<Frame> frames, bool impair) {
  if (!impair || frames.size() < 2 || !rng.chance(10)) return frames;
  const std::size_t n = frames.size();
  if (rng.chance(50)) {
    frames.insert(frames.end(), frames.begin(), frames.end());
    return frames;
  }
  std::vector<Frame> out;
  for (std::size_t k = 0; k < n; ++k) {
    out.push_back(frames[k]);
    out.push_back(frames[k]);
  }
  return out;
}

// The segments that carry `d` from d.capture_from on, without its lost ranges, reordered,
// retransmitted, overlapping and with conflicting copies if `impair`.
// With `whole` (not 0), each segment ends at a message's end and holds up to `whole`
// messages (a logger that writes each message, or a few, with one send: what a cut of the
// capture finds between two messages of every stream).
std::vector<TcpSeg> tcp_segments(Rng& rng, const TcpDirection& d, bool impair, std::size_t whole = 0) {
  std::vector<TcpSeg> cut;
  for (std::size_t pos = d.capture_from; pos < d.bytes.size();) {
    std::size_t end;
    if (whole) {
      // The messages starting after pos: the segment ends where the take-th of them starts.
      const auto next = std::upper_bound(d.starts.begin(), d.starts.end(), pos);
      const std::size_t k =
          static_cast<std::size_t>(next - d.starts.begin()) + rng.below(static_cast<std::uint32_t>(whole));
      end = k < d.starts.size() ? d.starts[k] : d.bytes.size();
    } else {
      end = std::min(pos + 1 + rng.below(rng.chance(5) ? 4000 : 1460), d.bytes.size());
    }
    std::size_t at = pos;
    for (const auto& [p, q] : d.lost) {  // the parts outside every lost range
      if (q <= at || p >= end) continue;
      if (p > at) cut.push_back({at, p});
      at = std::max(at, q);
    }
    if (at < end) cut.push_back({at, end});
    pos = end;
  }
  if (!impair) return cut;
  for (std::size_t k = 1; k + 1 < cut.size(); ++k)  // never the first: a stream starts there
    if (rng.chance(5)) std::swap(cut[k], cut[k + 1]);
  std::vector<TcpSeg> out;
  for (std::size_t k = 0; k < cut.size(); ++k) {
    out.push_back(cut[k]);
    if (rng.chance(4)) out.push_back(cut[k - rng.below(static_cast<std::uint32_t>(std::min<std::size_t>(k, 4) + 1))]);
    if (rng.chance(2)) out.push_back({cut[k].begin, cut[k].end, 0, true});
    if (k + 1 < cut.size() && cut[k].end == cut[k + 1].begin && rng.chance(4))
      out.push_back({(cut[k].begin + cut[k].end) / 2, (cut[k + 1].begin + cut[k + 1].end) / 2});
  }
  return out;
}

// Chooses what the capture misses of `d`: now and then the bytes from inside a message (where
// the part before them holds no packet the framer could take) up to a later message's start,
// and, if `mid`, the start of the stream up to a place inside its first or second message
// (followed only by bytes no header starts with).
void choose_losses(Rng& rng, TcpDirection& d, bool impair, bool mid) {
  const std::size_t n = d.starts.size();
  if (mid && n > 2) {
    const std::size_t k = rng.below(2);
    std::size_t c = d.end_of(k);
    while (c > d.starts[k] + 1 && (d.bytes[c - 1] & 0xE0) != 0x20) --c;
    d.capture_from = c;
    d.syn = false;
  }
  if (!impair) return;
  for (std::size_t k = 1; k + 2 < n; ++k) {
    if (d.starts[k] < d.capture_from || !rng.chance(2)) continue;
    std::size_t p = d.starts[k] + rng.below(static_cast<std::uint32_t>(d.end_of(k) - d.starts[k]));
    if (p > d.starts[k] + 1 && may_frame(d.bytes, d.starts[k] + 1, p)) p = d.starts[k] + 1;
    const std::size_t last = std::min(n - 1, k + 1 + rng.below(3));  // up to 3 messages
    d.lost.push_back({p, d.starts[last]});
    k = last;
  }
}

void build_tcp_frames(Rng& rng, TcpConnection& c, bool impair, std::size_t whole) {
  auto send = [&](TcpDirection& d, std::uint32_t seq, std::uint8_t flags, const Frame& payload) {
    const Frame seg = fb::tcp(d.a, seq, flags, payload, rng.chance(50));
    for (const Frame& ip : mirrored(rng, ip_packets(rng, c.v6, d.a, d.a6, c.ip_id, c.frag_id, seg, 6), impair))
      c.frames.push_back(wrap_ip(c.link, c.v6, ip));
  };
  if (c.down.syn) {
    send(c.up, c.up.isn, 0x02, {});      // SYN
    send(c.down, c.down.isn, 0x02, {});  // SYN/ACK
  }
  auto segs_down = tcp_segments(rng, c.down, impair, whole), segs_up = tcp_segments(rng, c.up, false, whole);
  std::size_t i = 0, j = 0;
  while (i < segs_down.size() || j < segs_up.size()) {
    const bool up = j < segs_up.size() && (i == segs_down.size() || rng.chance(10));
    TcpDirection& d = up ? c.up : c.down;
    const TcpSeg& s = up ? segs_up[j++] : segs_down[i++];
    Frame payload(d.bytes.begin() + static_cast<long>(s.begin), d.bytes.begin() + static_cast<long>(s.end));
    if (s.conflict)
      for (auto& b : payload) b = static_cast<std::uint8_t>(~b);
    send(d, d.seq_of(s.begin), s.flags, payload);
  }
  if (c.end == TcpConnection::End::open) return;
  const std::uint8_t flag = c.end == TcpConnection::End::fin ? 0x01 : 0x04;
  send(c.down, c.down.seq_of(c.down.bytes.size()), flag, {});
  if (c.end == TcpConnection::End::fin) send(c.up, c.up.seq_of(c.up.bytes.size()), 0x01, {});
}

// DLT over TCP (--tcp): the messages of the stream spread over --flows connections from
// port 3490 (a tenth of each connection's messages the other way, to port 3490), IPv4 and
// IPv6 alternating, and one IPv6 UDP flow; --truth lists the messages a decoder must find.
int tcp_capture(const Config& c, int fd) {
  Rng rng{c.seed};
  const auto messages = read_messages(c.dlt);
  const std::size_t n_conn = std::clamp<std::size_t>(c.flows, 1, 64);
  std::vector<TcpConnection> conns(n_conn);
  for (std::size_t i = 0; i < n_conn; ++i) {
    TcpConnection& k = conns[i];
    k.v6 = i % 2 == 1;
    k.link = static_cast<unsigned>((i / 2) % 4);
    k.end = i + 1 == n_conn && n_conn > 1 ? TcpConnection::End::open
            : i == 2                      ? TcpConnection::End::rst
                                          : TcpConnection::End::fin;
    const auto host = static_cast<std::uint8_t>(0x10 + i);
    const auto client_port = static_cast<std::uint16_t>(50000 + i);
    k.down.a = {0x0A000100u + host, 0x0A000001u, 3490, client_port};
    k.up.a = {0x0A000001u, 0x0A000100u + host, client_port, 3490};
    k.down.a6.source[15] = k.up.a6.destination[15] = host;
    k.down.a6.destination[15] = k.up.a6.source[15] = 1;
    k.down.isn = i == 1 ? 0xFFFFFFFFu - 700 : static_cast<std::uint32_t>(rng.next());  // connection 1 wraps
    k.up.isn = static_cast<std::uint32_t>(rng.next());
    k.down.name = "tcp" + std::to_string(i) + "-down";
    k.up.name = "tcp" + std::to_string(i) + "-up";
  }
  struct Udp6 {
    std::deque<std::size_t> messages;
    fb::Addresses a{0x0A000002u, 0x0A000001u, 40000, 3490};
    fb::Addresses6 a6;
    std::uint16_t ip_id = 1;
    std::uint32_t frag_id = 1;
  } udp;
  udp.a6.source[15] = 2;
  const std::size_t ways = n_conn + (c.udp6 ? 1 : 0);
  for (std::size_t m = 0; m < messages.size(); ++m) {
    const std::size_t to = m % ways;
    if (to == n_conn) {
      udp.messages.push_back(m);
      continue;
    }
    TcpDirection& d = rng.chance(10) ? conns[to].up : conns[to].down;
    d.starts.push_back(d.bytes.size());
    d.index.push_back(m);
    d.bytes.insert(d.bytes.end(), messages[m].begin(), messages[m].end());
  }
  for (std::size_t i = 0; i < n_conn; ++i) {
    choose_losses(rng, conns[i].down, c.impair, c.impair && i == 0);
    if (!conns[i].down.syn) conns[i].up.syn = false;
    build_tcp_frames(rng, conns[i], c.impair, c.whole ? c.max_messages : 0);
  }

  std::int64_t time = 1'709'280'000'000'000'000LL;
  const std::int64_t first = time;
  std::uint64_t frames = 0;
  dltdump::pcap::PcapngWriter w(fd, c.out, {"", "", "capgen"});
  for (auto& k : conns) k.itf = w.add_interface({tcp_link_type(k), "tcp", 0});
  const std::uint32_t udp_itf = w.add_interface({lt::kEthernet, "udp6", 0});
  auto emit = [&](std::uint32_t itf, const Frame& frame) {
    time += 1000 + rng.below(999000);
    w.write_packet(itf, time, frame);
    ++frames;
  };
  for (;;) {
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < n_conn; ++i)
      if (!conns[i].frames.empty()) ready.push_back(i);
    if (ready.empty() && udp.messages.empty()) break;
    const std::size_t pick = rng.below(static_cast<std::uint32_t>(ready.size() + (udp.messages.empty() ? 0 : 1)));
    if (pick < ready.size()) {
      TcpConnection& k = conns[ready[pick]];
      emit(k.itf, k.frames.front());
      k.frames.pop_front();
      continue;
    }
    Frame payload;
    const std::size_t take = 1 + rng.below(static_cast<std::uint32_t>(c.max_messages));
    for (std::size_t n = 0; n < take && !udp.messages.empty(); ++n) {
      const Frame& m = messages[udp.messages.front()];
      payload.insert(payload.end(), m.begin(), m.end());
      udp.messages.pop_front();
    }
    for (const Frame& ip : mirrored(
             rng, ip_packets(rng, true, udp.a, udp.a6, udp.ip_id, udp.frag_id, fb::udp(udp.a, payload), 17), c.impair))
      emit(udp_itf, fb::ethernet(ip, {}, 0x86DD));
  }
  w.close(time);

  if (!c.truth.empty()) {
    FILE* t = std::fopen(c.truth.c_str(), "w");
    if (!t) usage(("cannot create " + c.truth).c_str());
    auto list = [&](const TcpDirection& d) {
      for (std::size_t k = 0; k < d.starts.size(); ++k) {
        const std::size_t b = d.starts[k], e = d.end_of(k);
        bool whole = b >= d.capture_from;
        for (const auto& [p, q] : d.lost) whole = whole && (e <= p || b >= q);
        if (whole) std::fprintf(t, "%s %zu\n", d.name.c_str(), d.index[k]);
      }
    };
    for (const auto& k : conns) {
      list(k.down);
      list(k.up);
    }
    for (std::size_t m = n_conn; c.udp6 && m < messages.size(); m += ways) std::fprintf(t, "udp6 %zu\n", m);
    std::fclose(t);
  }
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
    else if (a == "--tcp") c.dlt = value(), c.tcp = true;
    else if (a == "--impair") c.impair = true;
    else if (a == "--whole") c.whole = true;
    else if (a == "--no-udp") c.udp6 = false;
    else if (a == "--truth") c.truth = value();
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
  // The stream is checked before the output is created, so that a mistyped one leaves no
  // empty capture behind (as a failed run leaves none: see below).
  if (!c.dlt.empty() && ::access(c.dlt.c_str(), R_OK) != 0) usage(("cannot read " + c.dlt).c_str());
  const int fd = c.out == "-" ? STDOUT_FILENO : ::open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) usage(("cannot create " + c.out).c_str());
  int rc = 0;
  try {
    rc = c.dlt.empty() ? random_packets(c, fd) : c.tcp ? tcp_capture(c, fd) : dlt_capture(c, fd);
  } catch (const dltdump::util::Error& e) {
    std::fprintf(stderr, "capgen: %s\n", e.what());
    rc = 1;
  }
  if (fd != STDOUT_FILENO) {
    ::close(fd);
    if (rc != 0) ::unlink(c.out.c_str());
  }
  return rc;
}
