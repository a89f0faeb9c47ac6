// IPv4 and IPv6 fragment reassembly (dltdump-spec §5.4), with bounded memory: one
// reassembler for both versions (an IpFragment is either's fragment).
//
// Fragments are collected per key (interface, source, destination, IP id — 16 bits in
// IPv4, 32 in IPv6 —, upper protocol, IP version), in any order:
//   * a fragment more than 15 s (absolute difference) after the set's previously
//     accepted fragment discards the set and starts a new one;
//   * an exact duplicate (same offset, length and IPv4 header checksum) is ignored;
//   * a second, different last fragment, a fragment beyond the last one, or an overlap
//     discards the set, and the fragment is retried once as the start of a new set;
//   * when the last fragment is present and the fragments cover 0..end without a gap, the
//     datagram is complete and returned as its pieces in offset order.
// Limits: at most `max_sets` open sets and `max_bytes` of fragment data held; beyond them
// the oldest sets are dropped. Every discarded or dropped set is counted (stats()), and so
// are the sets still incomplete when the input ends (finish()).
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ipv4.hpp"
#include "net/ipv6.hpp"

namespace dltdump::net {

// One fragment of an IPv4 or IPv6 packet.
struct IpFragment {
  IpAddress source, destination;
  std::uint32_t id = 0;
  std::uint8_t protocol = 0;
  std::uint8_t version = 4;
  std::uint16_t checksum = 0;  // IPv4's header checksum (duplicate detection); 0 for IPv6
  bool more_fragments = false;
  std::uint32_t fragment_offset = 0;  // in bytes
  std::span<const std::uint8_t> payload;

  static IpFragment of(const Ipv4Packet& p) noexcept {
    return {IpAddress::v4(p.source),
            IpAddress::v4(p.destination),
            p.id,
            p.protocol,
            4,
            p.checksum,
            p.more_fragments,
            p.fragment_offset,
            p.payload};
  }
  static IpFragment of(const Ipv6Packet& p) noexcept {
    return {p.source, p.destination, p.id, p.protocol, 6, 0, p.more_fragments, p.fragment_offset, p.payload};
  }
};

class IpReassembly {
 public:
  struct Limits {
    std::size_t max_sets = 1024;
    std::size_t max_bytes = 32u << 20;
    std::int64_t timeout_ns = 15'000'000'000;
  };
  struct Piece {
    std::vector<std::uint8_t> bytes;  // the fragment's IP payload
    std::uint64_t offset = 0;         // source offset of bytes[0]
    std::uint32_t ip_offset = 0;      // fragment offset in the datagram
    std::uint16_t checksum = 0;
  };
  struct Datagram {
    std::vector<Piece> pieces;  // in offset order, contiguous from 0
    std::int64_t time_ns = 0;   // time of the fragment at offset 0
  };
  struct Stats {
    std::uint64_t completed = 0;
    std::uint64_t discarded_sets = 0;  // timeout, conflicting last fragment, overlap
    std::uint64_t dropped_sets = 0;    // evicted by the limits
    std::uint64_t incomplete_at_end = 0;
    std::uint64_t duplicates = 0;
  };

  IpReassembly() : IpReassembly(Limits{}) {}
  explicit IpReassembly(const Limits& limits) : limits_(limits) {}

  // Adds one fragment (of a packet whose is_fragment() is true); `offset` is the source
  // offset of its payload[0]. Returns the completed datagram, valid until the next call,
  // or null.
  const Datagram* add(std::uint32_t interface, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns);
  const Datagram* add(std::uint32_t interface, const Ipv4Packet& ip, std::uint64_t offset, std::int64_t time_ns) {
    return add(interface, IpFragment::of(ip), offset, time_ns);
  }
  const Datagram* add(std::uint32_t interface, const Ipv6Packet& ip, std::uint64_t offset, std::int64_t time_ns) {
    return add(interface, IpFragment::of(ip), offset, time_ns);
  }
  // Ends the input: incomplete sets are dropped and counted.
  void finish();

  const Stats& stats() const noexcept { return stats_; }
  // Adds another reassembly's counts (pieces of one capture reassembled separately).
  void add_stats(const Stats& o) noexcept {
    stats_.completed += o.completed;
    stats_.discarded_sets += o.discarded_sets;
    stats_.dropped_sets += o.dropped_sets;
    stats_.incomplete_at_end += o.incomplete_at_end;
    stats_.duplicates += o.duplicates;
  }
  // Counts from zero again (a piece of a capture whose lead-in another reassembly counted).
  void clear_stats() noexcept { stats_ = {}; }
  // What decides how the fragments added next are reassembled, for a capture decoded in
  // pieces: one text per open set, oldest first, with its key, the file offsets and places
  // of the fragments it holds and its times. Two reassemblies of one capture whose texts
  // are equal go on alike. Never throws but std::bad_alloc.
  std::vector<std::string> set_states() const;
  // Drops, uncounted, the open sets whose set_states() text is one of `states` (sets that
  // another reassembly of the same capture finished already).
  void drop_sets(std::span<const std::string> states);
  std::size_t bytes_held() const noexcept { return bytes_; }
  std::size_t open_sets() const noexcept { return sets_.size(); }

 private:
  using Key = std::tuple<std::uint32_t, IpAddress, IpAddress, std::uint32_t, std::uint8_t, std::uint8_t>;
  struct Set {
    std::vector<Piece> pieces;       // sorted by ip_offset
    std::int64_t first_time_ns = 0;  // of the fragment at offset 0, once seen
    std::int64_t last_accepted_ns = 0;
    bool has_last = false;
    std::uint32_t end = 0;  // datagram payload length, once the last is seen
    std::size_t bytes = 0;
    std::list<Key>::iterator age;  // position in age_ (oldest first)
  };
  enum class Outcome { Accepted, Duplicate, Conflict };

  Outcome insert(Set& s, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns);
  Set& open(const Key& key);
  void erase(std::map<Key, Set>::iterator it);
  void enforce_limits();

  Limits limits_;
  std::map<Key, Set> sets_;
  std::list<Key> age_;
  std::size_t bytes_ = 0;
  Datagram done_;
  Stats stats_;
};

}  // namespace dltdump::net
