// drivegen: a deterministic generator of multi-ECU "test drives" whose true message order is
// known, the test data for `dltdump --sort` (a time-ordered merge with ECU lifecycles).
//
// The model: one global true clock. Messages are made one at a time in true order, each at
// a true time t (a multiple of 100 µs) 1..--step-us ticks of 100 µs after the last one, by an
// ECU chosen at random among those that are up. Every message is a verbose log info message
// with ECU id (standard and storage header), device time (WTMS: the uptime of its ECU in
// 0.1 ms, (t - boot) / 100 µs) and one string argument `seq=N`, N its 0-based index in true
// order. ECUs are ECU1..ECU9, EC10..EC16 (--first-ecu K: numbered from K, at most 99, so
// drives of different ECUs can be made to overlap in time); each starts up 10..1000 s, its message counter
// counts per lifecycle.
//
// A logger receives each message after a delay d: 0 in 30 % of the messages, else 1 µs up to
// --max-delay-ms; the first message of every lifecycle has d = 0, so over a lifecycle the
// minimum of storage time - device time is its boot time exactly. Storage time s = t + d (µs);
// the logger writes in the order of s (ties: true order), and that is the files' order.
//
//   --restart-every N      after every N messages the next ECU in turn restarts: it goes down
//                          (emits nothing), boots 0.1-500 ms after the current true time and
//                          comes up 1-2 s after its boot, so lifecycles of an ECU never
//                          overlap in true time and a first message's uptime is >= 1 s. An
//                          ECU that has sent nothing in its lifecycle yet does not restart
//                          (its turn passes).
//   --lifecycles-of-one L  instead: a single ECU (ECU1) with L lifecycles, --count split evenly
//                          among them; each lifecycle's first message has uptime 1-2 s, its
//                          last one uptime >= 3 s (true time jumps forward if needed).
//   --no-device-time-every K  every Kth message in true order (N % K == K - 1) has no device
//                          time (WTMS clear), except the first message of a lifecycle, which
//                          always has one.
//   --parts P              the logger's stream is cut at P-1 random message boundaries into
//                          PREFIX_000.dlt, PREFIX_001.dlt, ... (DLT files, storage headers:
//                          seconds, microseconds and ECU id); every part has a message.
//   --pcapng-parts I,J,..  those parts are written as PREFIX_NNN.pcapng instead: PCAP-NG,
//                          Ethernet, one UDP/IPv4 datagram per message (standard header
//                          onward) from 10.0.0.(10+e):(49152+e) to 10.0.0.100:3490 for ECU
//                          number e (1-based), packet time = storage time (nanosecond
//                          resolution, exact).
//
// The truth:
//   --truth FILE       one line per message in true order: `N ECU LC TRUE_US STORAGE_US DEVICE`,
//                      LC the 1-based lifecycle number of the ECU, TRUE_US and STORAGE_US µs
//                      since the epoch, DEVICE the device time in 0.1 ms or `-` without WTMS.
//   --lifecycles FILE  one line per lifecycle with messages, in the order of boot time (ties:
//                      ECU number): `ECU LC BOOT_US FIRST_TRUE_US LAST_TRUE_US MESSAGES`.
//
// The drive starts at 2024-03-01T10:00:00Z. The same seed and options always give the same
// bytes.
//
// Usage: drivegen [--ecus E] [--first-ecu K] [--count N] [--seed S] [--step-us TICKS] [--restart-every N]
//                 [--lifecycles-of-one L] [--max-delay-ms D] [--no-device-time-every K]
//                 [--parts P] [--pcapng-parts LIST] [--truth FILE] [--lifecycles FILE] -o PREFIX
// Defaults: 3 ECUs (at most 16), 1000 messages, seed 1, step 50 ticks (up to 5 ms), delay up
// to 20 ms, one part. Numbers accept k, M, G suffixes (powers of 1024: 10k = 10240).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "frame_builder.hpp"
#include "pcap/pcapng_writer.hpp"
#include "rng.hpp"
#include "size_arg.hpp"
#include "util/error.hpp"

namespace {

using dltdump::tools::Frame;
using dltdump::tools::Rng;
namespace fb = dltdump::tools;

constexpr std::int64_t kStartUs = 1709287200000000ll;  // 2024-03-01T10:00:00Z
constexpr std::int64_t kTick = 100;                    // µs: the device time's unit
constexpr unsigned kMaxEcus = 16, kMaxParts = 1000;

[[noreturn]] void usage() {
  std::fputs(
      "usage: drivegen [--ecus E] [--first-ecu K] [--count N] [--seed S] [--step-us TICKS] [--restart-every N] "
      "[--lifecycles-of-one L] [--max-delay-ms D] [--no-device-time-every K] [--parts P] [--pcapng-parts LIST] "
      "[--truth FILE] [--lifecycles FILE] -o PREFIX\n",
      stderr);
  std::exit(2);
}

struct Options {
  unsigned ecus = 3;
  unsigned first_ecu = 1;  // --first-ecu: the number of the first ECU's name (drives of other ECUs)
  bool ecus_given = false;
  std::uint64_t count = 1000, seed = 1, step = 50, restart_every = 0, lifecycles_of_one = 0, max_delay_ms = 20,
                no_device_time_every = 0, parts = 1;
  std::vector<unsigned> pcapng_parts;
  std::string truth, lifecycles, prefix;
};

void put_uint(Frame& b, std::uint64_t v, unsigned width, bool big_endian) {
  for (unsigned i = 0; i < width; ++i)
    b.push_back(static_cast<std::uint8_t>(v >> (big_endian ? 8 * (width - 1 - i) : 8 * i)));
}

void put_id(Frame& b, const std::string& id) {
  for (std::size_t i = 0; i < 4; ++i) b.push_back(i < id.size() ? static_cast<std::uint8_t>(id[i]) : 0);
}

const char* const kApps[] = {"SYS", "NAV", "HMI", "DIAG", "MEDI", "ADAS"};
const char* const kCtxs[] = {"MAIN", "GPS", "NET", "CTX1", "DISP", "CAN"};

struct Lifecycle {
  unsigned ecu;
  std::uint64_t number;  // 1-based, per ECU
  std::int64_t boot_us;
  std::int64_t first_us = -1, last_us = -1;
  std::uint64_t messages = 0;
};

struct Ecu {
  std::string id;
  std::size_t lifecycle;  // index into Generator::lifecycles
  std::int64_t up_at;     // true time from which it may send
  std::uint8_t counter = 0;
  std::uint16_t ip_id = 1;
};

// A message on its way to the logger.
struct Pending {
  std::int64_t storage_us;
  std::uint64_t seq;
  unsigned ecu;
  Frame packet;  // standard header onward
  bool operator>(const Pending& o) const {
    return storage_us != o.storage_us ? storage_us > o.storage_us : seq > o.seq;
  }
};

// One output file of the logger's stream: a DLT file or a PCAP-NG capture.
class Part {
 public:
  Part(const std::string& path, bool pcapng) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) {
      std::perror(path.c_str());
      std::exit(1);
    }
    if (pcapng) {
      pcap_ = std::make_unique<dltdump::pcap::PcapngWriter>(fd_, path, dltdump::pcap::SectionInfo{"", "", "drivegen"});
      pcap_->add_interface({dltdump::aio::link_type::kEthernet, "eth0", 0});
    }
  }

  void write(const Pending& m, Ecu& ecu) {
    last_us_ = m.storage_us;
    if (pcap_) {
      fb::Addresses a;
      a.source = 0x0A00000A + m.ecu + 1;
      a.source_port = static_cast<std::uint16_t>(49152 + m.ecu + 1);
      const Frame frame = fb::ethernet(fb::ipv4(a, fb::udp(a, m.packet), ecu.ip_id++));
      pcap_->write_packet(0, m.storage_us * 1000, frame);
      return;
    }
    buf_.insert(buf_.end(), {'D', 'L', 'T', 1});
    put_uint(buf_, static_cast<std::uint64_t>(m.storage_us / 1000000), 4, false);
    put_uint(buf_, static_cast<std::uint64_t>(m.storage_us % 1000000), 4, false);
    put_id(buf_, ecu.id);
    buf_.insert(buf_.end(), m.packet.begin(), m.packet.end());
    if (buf_.size() >= (1u << 20)) flush();
  }

  void close() {
    if (pcap_) pcap_->close(last_us_ * 1000);
    else flush();
    if (::close(fd_) != 0) fail();
  }

 private:
  void flush() {
    std::size_t at = 0;
    while (at < buf_.size()) {
      const ssize_t n = ::write(fd_, buf_.data() + at, buf_.size() - at);
      if (n <= 0) fail();
      at += static_cast<std::size_t>(n);
    }
    buf_.clear();
  }
  [[noreturn]] void fail() {
    std::perror(path_.c_str());
    std::exit(1);
  }

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<dltdump::pcap::PcapngWriter> pcap_;
  Frame buf_;
  std::int64_t last_us_ = 0;
};

struct Generator {
  Options o;
  Rng rng{0};
  std::vector<Ecu> ecus;
  std::vector<Lifecycle> lifecycles;
  std::int64_t now_us = kStartUs;  // true time of the last message
  std::uint64_t seq = 0;           // messages made
  std::uint64_t written = 0;       // messages handed to the logger's files
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> logger;
  std::vector<std::uint64_t> cuts;  // logger indexes where a new part begins
  std::unique_ptr<Part> part;
  std::size_t part_index = 0;
  FILE* truth = nullptr;

  std::string ecu_name(unsigned e) const {
    const unsigned n = e + o.first_ecu;
    return n < 10 ? "ECU" + std::to_string(n) : "EC" + std::to_string(n);
  }

  std::string part_path(std::size_t i) const {
    const bool pcapng = std::find(o.pcapng_parts.begin(), o.pcapng_parts.end(), i) != o.pcapng_parts.end();
    char name[32];
    std::snprintf(name, sizeof name, "_%03zu.%s", i, pcapng ? "pcapng" : "dlt");
    return o.prefix + name;
  }

  void open_part(std::size_t i) {
    if (part) part->close();
    const bool pcapng = std::find(o.pcapng_parts.begin(), o.pcapng_parts.end(), i) != o.pcapng_parts.end();
    part = std::make_unique<Part>(part_path(i), pcapng);
    part_index = i;
  }

  void new_lifecycle(unsigned e, std::uint64_t number, std::int64_t boot_us, std::int64_t up_at) {
    ecus[e].lifecycle = lifecycles.size();
    ecus[e].up_at = up_at;
    ecus[e].counter = 0;
    lifecycles.push_back({e, number, boot_us});
  }

  // ECU e goes down now: it boots 0.1-500 ms later and sends again 1-2 s after its boot.
  void restart(unsigned e) {
    const std::int64_t boot = now_us + (1 + rng.below(5000)) * kTick;
    const std::int64_t up = boot + (10000 + rng.below(10001)) * kTick;
    new_lifecycle(e, lifecycles[ecus[e].lifecycle].number + 1, boot, up);
  }

  // Hands the logger's messages stored up to `until` (inclusive) to the files.
  void drain(std::int64_t until) {
    while (!logger.empty() && logger.top().storage_us <= until) {
      if (part_index + 1 < o.parts && written == cuts[part_index]) open_part(part_index + 1);
      part->write(logger.top(), ecus[logger.top().ecu]);
      logger.pop();
      ++written;
    }
  }

  void message(unsigned e, std::int64_t t) {
    Ecu& ecu = ecus[e];
    Lifecycle& lc = lifecycles[ecu.lifecycle];
    const bool first = lc.messages == 0;
    if (first) lc.first_us = t;
    lc.last_us = t;
    ++lc.messages;
    const bool has_time =
        first || !o.no_device_time_every || seq % o.no_device_time_every != o.no_device_time_every - 1;
    const std::uint32_t device = static_cast<std::uint32_t>((t - lc.boot_us) / kTick);
    std::int64_t delay = 0;
    if (!rng.chance(30) && o.max_delay_ms) delay = 1 + rng.below(static_cast<std::uint32_t>(o.max_delay_ms * 1000));
    if (first) delay = 0;

    Frame p;
    p.push_back(static_cast<std::uint8_t>(0x20 | 0x01 | 0x04 | (has_time ? 0x10 : 0)));  // v1, UEH, WEID, WTMS
    p.push_back(ecu.counter++);
    p.push_back(0);
    p.push_back(0);
    put_id(p, ecu.id);
    if (has_time) put_uint(p, device, 4, true);
    p.push_back(0x41);  // verbose log info
    p.push_back(1);     // one argument
    const std::uint32_t pick = rng.below(4);
    put_id(p, kApps[(e + pick / 2) % 6]);
    put_id(p, kCtxs[(e + pick) % 6]);
    const std::string text = "seq=" + std::to_string(seq);
    put_uint(p, 0x200 | (1u << 15), 4, false);  // string, UTF-8; little-endian payload
    put_uint(p, text.size() + 1, 2, false);
    p.insert(p.end(), text.begin(), text.end());
    p.push_back(0);
    p[2] = static_cast<std::uint8_t>(p.size() >> 8);
    p[3] = static_cast<std::uint8_t>(p.size());

    if (truth) {
      std::fprintf(truth, "%" PRIu64 " %s %" PRIu64 " %" PRId64 " %" PRId64 " ", seq, ecu.id.c_str(), lc.number, t,
                   t + delay);
      if (has_time) std::fprintf(truth, "%u\n", device);
      else std::fputs("-\n", truth);
    }
    logger.push({t + delay, seq, e, std::move(p)});
    ++seq;
    now_us = t;
  }

  // The next true time: a step after the last message, later if no ECU is up by then.
  std::int64_t next_time() {
    std::int64_t t = now_us + (1 + rng.below(static_cast<std::uint32_t>(o.step))) * kTick;
    std::int64_t earliest = ecus[0].up_at;
    for (const Ecu& ecu : ecus) earliest = std::min(earliest, ecu.up_at);
    return std::max(t, earliest);
  }

  unsigned pick_ecu(std::int64_t t) {
    std::vector<unsigned> up;
    for (unsigned e = 0; e < ecus.size(); ++e)
      if (ecus[e].up_at <= t) up.push_back(e);
    return up[rng.below(static_cast<std::uint32_t>(up.size()))];
  }

  void run() {
    for (unsigned e = 0; e < o.ecus; ++e) {
      ecus.push_back({ecu_name(e), 0, 0});
      const std::int64_t uptime = (100000 + rng.below(9900001)) * kTick;  // 10..1000 s
      new_lifecycle(e, 1, kStartUs - uptime, kStartUs);
    }
    // The parts' first logger indexes after part 0, from a generator of their own: the
    // drive is the same however it is cut.
    Rng cut_rng{o.seed * 7919 + 17};
    std::set<std::uint64_t> cut_set;
    while (cut_set.size() + 1 < o.parts) cut_set.insert(1 + cut_rng.next() % (o.count - 1));
    cuts.assign(cut_set.begin(), cut_set.end());
    open_part(0);

    std::uint64_t restarts = 0;
    if (o.lifecycles_of_one) {
      for (std::uint64_t l = 0; l < o.lifecycles_of_one; ++l) {
        const std::uint64_t n = o.count / o.lifecycles_of_one + (l < o.count % o.lifecycles_of_one ? 1 : 0);
        if (l) restart(0);
        for (std::uint64_t i = 0; i < n; ++i) {
          std::int64_t t = next_time();
          // The last message of a lifecycle has 3 s of uptime or more.
          if (i + 1 == n) t = std::max(t, lifecycles[ecus[0].lifecycle].boot_us + 30000 * kTick);
          message(0, t);
          drain(now_us);
        }
      }
    } else {
      for (std::uint64_t i = 0; i < o.count; ++i) {
        if (o.restart_every && i && i % o.restart_every == 0) {
          const unsigned e = static_cast<unsigned>(restarts++ % ecus.size());
          if (lifecycles[ecus[e].lifecycle].messages) restart(e);
        }
        const std::int64_t t = next_time();
        message(pick_ecu(t), t);
        drain(now_us);
      }
    }
    drain(INT64_MAX);
    part->close();
  }

  void write_lifecycles(FILE* f) const {
    std::vector<const Lifecycle*> order;
    for (const Lifecycle& lc : lifecycles)
      if (lc.messages) order.push_back(&lc);
    std::stable_sort(order.begin(), order.end(), [](const Lifecycle* a, const Lifecycle* b) {
      return a->boot_us != b->boot_us ? a->boot_us < b->boot_us : a->ecu < b->ecu;
    });
    for (const Lifecycle* lc : order)
      std::fprintf(f, "%s %" PRIu64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRIu64 "\n", ecus[lc->ecu].id.c_str(),
                   lc->number, lc->boot_us, lc->first_us, lc->last_us, lc->messages);
  }
};

std::uint64_t number(const char* s) { return dltdump::tools::size_or_usage(s, usage); }

std::vector<unsigned> index_list(const std::string& s) {
  std::vector<unsigned> v;
  std::size_t at = 0;
  for (;;) {
    const std::size_t comma = s.find(',', at);
    const std::string item = s.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 6) usage();
    v.push_back(static_cast<unsigned>(std::strtoul(item.c_str(), nullptr, 10)));
    if (comma == std::string::npos) return v;
    at = comma + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&]() -> const char* {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--first-ecu") {
      const std::uint64_t n = number(val());
      if (n < 1 || n > 99) usage();
      o.first_ecu = static_cast<unsigned>(n);
    } else if (a == "--ecus") {
      const std::uint64_t n = number(val());
      if (n < 1 || n > kMaxEcus) usage();
      o.ecus = static_cast<unsigned>(n);
      o.ecus_given = true;
    } else if (a == "--count") o.count = number(val());
    else if (a == "--seed") o.seed = number(val());
    else if (a == "--step-us") o.step = number(val());
    else if (a == "--restart-every") o.restart_every = number(val());
    else if (a == "--lifecycles-of-one") o.lifecycles_of_one = number(val());
    else if (a == "--max-delay-ms") o.max_delay_ms = number(val());
    else if (a == "--no-device-time-every") o.no_device_time_every = number(val());
    else if (a == "--parts") o.parts = number(val());
    else if (a == "--pcapng-parts") o.pcapng_parts = index_list(val());
    else if (a == "--truth") o.truth = val();
    else if (a == "--lifecycles") o.lifecycles = val();
    else if (a == "-o") o.prefix = val();
    else usage();
  }
  if (o.prefix.empty() || o.count == 0 || o.step == 0 || o.step > 100000 || o.max_delay_ms > 60000 || o.parts == 0 ||
      o.parts > kMaxParts || o.parts > o.count)
    usage();
  for (unsigned p : o.pcapng_parts)
    if (p >= o.parts) usage();
  if (o.lifecycles_of_one) {
    // One ECU only, restarting by itself.
    if ((o.ecus_given && o.ecus != 1) || o.restart_every || o.lifecycles_of_one > o.count) usage();
    o.ecus = 1;
  }
  if (o.first_ecu + o.ecus - 1 > 99) usage();  // names of 4 characters

  Generator g;
  g.o = o;
  g.rng = Rng{o.seed};
  if (!o.truth.empty() && !(g.truth = std::fopen(o.truth.c_str(), "w"))) {
    std::perror(o.truth.c_str());
    return 1;
  }
  try {
    g.run();
  } catch (const dltdump::util::Error& e) {
    std::fprintf(stderr, "drivegen: %s\n", e.what());
    return 1;
  }
  if (g.truth && std::fclose(g.truth) != 0) {
    std::perror(o.truth.c_str());
    return 1;
  }
  if (!o.lifecycles.empty()) {
    FILE* f = std::fopen(o.lifecycles.c_str(), "w");
    if (!f) {
      std::perror(o.lifecycles.c_str());
      return 1;
    }
    g.write_lifecycles(f);
    if (std::fclose(f) != 0) {
      std::perror(o.lifecycles.c_str());
      return 1;
    }
  }
  return 0;
}
