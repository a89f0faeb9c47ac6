// IPv4 and IPv6 fragment reassembly (dltdump-spec §5.4), with bounded memory: one
// reassembler for both versions (an IpFragment is either's fragment).
//
// Fragments are collected per key (interface, source, destination, IP id — 16 bits in
// IPv4, 32 in IPv6 —, upper protocol, IP version), in any order:
//   * a fragment more than 15 s (absolute difference) after the set's previously
//     accepted fragment discards the set and starts a new one;
//   * an exact duplicate (same offset, length and IPv4 header checksum, or same offset and
//     bytes: a copy routed once more has another TTL) is ignored;
//   * a second, different last fragment, a fragment beyond the last one, or an overlap
//     discards the set, and the fragment is retried once as the start of a new set;
//   * when the last fragment is present and the fragments cover 0..end without a gap, the
//     datagram is complete and returned as its pieces in offset order;
//   * a completed datagram's fragments are remembered (their places, lengths and a sample
//     of their bytes) until the input has gone `finished_window` bytes past
//     the fragment that completed it: an exact duplicate of one of them, captured within
//     `finished_timeout_ns` of that fragment, is ignored too (a
//     capture that holds every frame twice, as a mirror port on two VLANs records it),
//     where a reassembler that forgets them starts a new set that never completes. Any
//     other fragment of that key forgets them and starts a new set (the id used again).
// Limits: at most `max_sets` open sets and `max_bytes` of fragment data held; beyond them
// the oldest sets are dropped. Every discarded or dropped set is counted (stats()), and so
// are the sets still incomplete when the input ends (finish()).
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <span>
#include <string>
#include <string_view>
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
    // How far past a completed datagram (bytes of input, and capture time: copies of a
    // frame come within milliseconds) its duplicates are still known, and how many are
    // known at most (more than the window can hold: a datagram's first fragment has 36
    // bytes or more, its last at least 21, each behind a capture record's header).
    std::uint64_t finished_window = 256u << 10;
    std::int64_t finished_timeout_ns = 1'000'000'000;
    std::size_t max_finished = 4096;
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
    std::uint64_t duplicates = 0;  // in open sets and of completed datagrams
  };

  IpReassembly() : IpReassembly(Limits{}) {}
  explicit IpReassembly(const Limits& limits) : limits_(limits) {}

  // Adds one fragment (of a packet whose is_fragment() is true); `offset` is the source
  // offset of its payload[0], never below that of the fragment added before. Returns the
  // completed datagram, valid until the next call, or null.
  const Datagram* add(std::uint32_t interface, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns);
  const Datagram* add(std::uint32_t interface, const Ipv4Packet& ip, std::uint64_t offset, std::int64_t time_ns) {
    return add(interface, IpFragment::of(ip), offset, time_ns);
  }
  const Datagram* add(std::uint32_t interface, const Ipv6Packet& ip, std::uint64_t offset, std::int64_t time_ns) {
    return add(interface, IpFragment::of(ip), offset, time_ns);
  }
  // The input has reached source offset `offset` (called for every packet, fragment or
  // not, with offsets that never decrease): completed datagrams more than finished_window
  // bytes back are forgotten. Cheap when nothing is due; never throws.
  void pass(std::uint64_t offset) noexcept {
    passed_ = offset;
    if (!finished_.empty() && finished_.front().first <= offset) forget_finished(offset);
  }
  // Ends the input: incomplete sets are dropped and counted; completed ones forgotten.
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
  // The completed datagrams remembered (see above), oldest first, as texts like
  // set_states(): two reassemblies of one capture with equal set_states() and
  // finished_states() go on alike. Never throws but std::bad_alloc.
  std::vector<std::string> finished_states() const;
  // For a capture decoded in pieces. This reassembly decoded what follows the place where
  // `before` (a reassembly of the capture up to there) ended — from that place, or from
  // where it last called note_from_here() there, then remembering no completed datagram
  // that `before` does not remember alike (finished_states()). continues() says whether it
  // took every fragment since as `before` would have: none that opened a set within
  // finished_window bytes of the first is a duplicate `before` would have ignored (of a
  // datagram it remembered and this one did not), and neither reassembly had to forget a
  // completed datagram for the limit on sets (this one never did, and those `before`
  // remembered and those completed here within finished_window bytes of the first fragment
  // stayed within it together). Then take_finished() adds to what this one
  // remembers what `before` remembered and still would: the two went on alike.
  bool continues(const IpReassembly& before) const;
  void note_from_here() noexcept;
  void take_finished(const IpReassembly& before);
  std::size_t bytes_held() const noexcept { return bytes_; }
  std::size_t open_sets() const noexcept { return age_.size(); }

 private:
  using Key = std::tuple<std::uint32_t, IpAddress, IpAddress, std::uint32_t, std::uint8_t, std::uint8_t>;
  // What a completed datagram's fragment is known by: its place, length and checksum.
  // The sample is a hash of the fragment's first and last 64 bytes: a sender that uses an
  // id again (an embedded stack counts from 0 at each boot, or never counts) sends other
  // bytes there — message counters and time stamps — at the same places. The header
  // checksum is not part of it: a copy routed once more has another TTL.
  struct Signature {
    std::uint32_t ip_offset = 0, size = 0;
    std::uint64_t sample = 0;
    bool operator==(const Signature&) const = default;
    static Signature of(std::uint32_t ip_offset, std::span<const std::uint8_t> payload) noexcept;
    static Signature of(const IpFragment& ip) noexcept { return of(ip.fragment_offset, ip.payload); }
  };
  // A key's place in age_ or finished_: its set's `until` (completed ones) and key.
  using Aged = std::list<std::pair<std::uint64_t, Key>>;
  // An open set, or, once `completed`, a completed datagram remembered: the same node, so
  // that a fragment's key is looked up once and completing allocates little.
  struct Set {
    std::vector<Piece> pieces;       // sorted by ip_offset (open)
    std::int64_t first_time_ns = 0;  // of the fragment at offset 0, once seen
    std::int64_t last_accepted_ns = 0;
    bool has_last = false;
    bool completed = false;
    std::uint32_t end = 0;  // datagram payload length, once the last is seen
    std::size_t bytes = 0;
    Aged::iterator age;  // position in age_ (open) or finished_ (completed), oldest first
    // Completed: its fragments (the first kInline in place, the rest in `more`).
    static constexpr std::size_t kInline = 4;
    std::array<Signature, kInline> signatures{};
    std::vector<Signature> more;
    std::uint32_t fragments = 0;
    bool has(const Signature& sig) const noexcept;
  };
  enum class Outcome { Accepted, Duplicate, Conflict };
  struct Opened {  // a fragment that opened a set with nothing remembered of its key
    Key key;
    Signature signature;
    std::uint64_t offset;
    std::int64_t time_ns;
  };
  // Whether a fragment at `time_ns` with `sig` copies one of the completed datagram `s`.
  bool copies(const Set& s, const Signature& sig, std::int64_t time_ns) const noexcept;

  Outcome insert(Set& s, const IpFragment& ip, std::uint64_t offset, std::int64_t time_ns);
  std::map<Key, Set>::iterator open(const Key& key);  // the key's set, opened if new
  void erase(std::map<Key, Set>::iterator it);
  void enforce_limits();
  // Turns the open set `it` whose datagram `done_` now holds into a completed one,
  // remembered until the input reaches `offset` + finished_window.
  void remember(std::map<Key, Set>::iterator it, std::uint64_t offset);
  void forget_finished(std::uint64_t offset) noexcept;
  static void append_key(std::string& out, const Key& key);  // for the state texts

  Limits limits_;
  std::map<Key, Set> sets_;  // open and completed
  Aged age_;                 // the open sets' keys
  Aged finished_;            // the completed ones', by `until`
  std::size_t bytes_ = 0;
  Datagram done_;
  Stats stats_;
  // The fragments that opened a set within finished_window bytes of the first one added
  // since the start or note_from_here() (for continues()); `first_` is that first
  // fragment's offset.
  std::vector<Opened> opened_;
  std::uint64_t first_ = 0;
  bool any_added_ = false;
  std::uint64_t passed_ = 0;  // the offset pass() was last given
  // Since then too (for continues()): whether a completed datagram was forgotten for the
  // limit, and the most remembered (counting the one just added) within finished_window
  // bytes of the first fragment (0: none added there).
  bool crowded_out_ = false;
  std::size_t most_early_ = 0;
};

}  // namespace dltdump::net
