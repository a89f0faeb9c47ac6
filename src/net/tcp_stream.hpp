// TCP stream reassembly: one direction of one connection, from captured segments back to
// the byte stream the receiver read, with bounded memory.
//
// Positions: 32-bit sequence numbers are unwrapped into 64-bit stream positions relative
// to the next byte expected (a segment up to 2 GiB behind or ahead of it), so the stream
// goes on across the 2^32 wrap.
// Start: a SYN starts the stream at its sequence number + 1; without one (a connection
// already running when the capture started) it starts at the first segment seen — the
// framer that reads the stream resynchronises on the next message.
// Order: a segment at the next position is delivered at once, in place (zero-copy); one
// ahead of it is held (copied) until the bytes before it come; one behind it is a
// retransmission and counted. Overlaps keep the first copy of every byte: held bytes seen
// again are counted as retransmitted, and those that differ as conflicts.
// Gaps: bytes that never come are given up when the stream holds more than
// Limits::max_stream_bytes (a held segment counts its bytes plus kSegmentCost, its
// bookkeeping, so that many tiny segments are bounded too), when all streams sharing a TcpBudget hold more than
// Limits::max_total_bytes, when the oldest held segment waited Limits::timeout_ns of
// capture time, and by flush() (the end of the input, an evicted stream). The sink then
// gets on_break with the missing byte count, and delivery resumes at the next held byte.
// At a limit, gaps are given up one at a time, the first first, only until the held bytes
// are within it again: the later ones are mostly segments reordered on the way, still to
// come (a new user lost whole messages that came 4 segments late). The timeout gives up
// the first gap, then each next one only if it too waited that long (since the held
// segment after it came); flush() gives up every gap.
// Window: a segment (or FIN) further than Limits::window_bytes ahead of or behind the next
// byte expected cannot belong to the stream as it goes (no receive window is that large):
// a corrupt or forged sequence number. It is not held or delivered but counted
// (`out_of_window`) and remembered as a candidate. Only a second segment that continues the
// candidate (starts within the window of it) shows that the stream really jumped — the
// capture missed more than a window, or started on a segment that was not the stream's:
// then every gap is given up, the jump is a break (`missing` the bytes skipped forward, 0
// backward; a `resync`), and the stream goes on from the candidate. So one bad segment
// costs only its own bytes, never a gap the size of its sequence distance.
// Ends: FIN, once every byte before it was delivered (or given up: a gap before a FIN counts
// as held bytes do), RST, a SYN with another sequence number, and data from before the SYN
// seen (a new connection on the same addresses and ports, its SYN missed) end the stream:
// on_break with 0 missing bytes; so does a SYN after the stream's FIN (a new connection
// with the same ISN), unless within a second of the FIN (a copy). After RST the next
// segment starts afresh — but for copies of the ended connection's segments (SYN, data,
// FIN, RST) within a second of its end (a capture that holds each frame twice): data
// counted as retransmitted, the others ignored. An RST behind the next byte or beyond the
// window is ignored, as the receiver ignores it (RFC 5961); one ahead of the next byte
// within the window (captured before the last segments, or after lost ones) ends the
// stream as a FIN there does, once the bytes before it came or were given up. A SYN at or
// before the first segment of a stream begun without one, less than kLateSynBytes behind
// the next byte and within a second of that segment, before any FIN, is that stream's,
// captured late: it goes on.
// Time is compared only between segments that carry one (aio::Packet::kNoTime is none).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "net/tcp.hpp"

namespace dltdump::net {

// Where a stream's bytes go, in stream order.
class TcpStreamSink {
 public:
  virtual ~TcpStreamSink() = default;
  // The next bytes of the stream, from file offset `file_offset`, of a segment captured at
  // `time_ns`. `in_packet`: they lie in the segment being added (not in a held copy).
  virtual void on_bytes(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns,
                        bool in_packet) = 0;
  // The stream breaks here: `missing` bytes were lost (a gap given up), or none (0: the
  // stream ended). What follows starts at file offset `file_offset`, captured at `time_ns`.
  virtual void on_break(std::uint64_t missing, std::uint64_t file_offset, std::int64_t time_ns) = 0;
};

struct TcpLimits {
  std::size_t max_stream_bytes = 4u << 20;   // held per stream
  std::size_t max_total_bytes = 64u << 20;   // held by all streams sharing a TcpBudget
  std::int64_t timeout_ns = 10'000'000'000;  // the longest a held segment waits
  // How far from the next byte expected a segment may lie. Linux's largest default receive
  // window is 6 MiB; a stream that truly jumps further is followed after two segments.
  std::uint64_t window_bytes = 64u << 20;
};

// What the streams of one reassembly hold together.
struct TcpBudget {
  TcpLimits limits;
  std::size_t held = 0;
};

struct TcpStreamStats {
  std::uint64_t bytes = 0;          // delivered
  std::uint64_t retransmitted = 0;  // bytes seen again (the first copy kept)
  std::uint64_t conflicts = 0;      // of those, held bytes that differed from the first copy
  std::uint64_t missing = 0;        // bytes given up in gaps
  std::uint64_t gaps = 0;           // gaps given up
  std::uint64_t forced = 0;         // give-ups forced by the memory limits (each of one gap or more)
  std::uint64_t out_of_window = 0;  // bytes of segments outside the window, not delivered
  std::uint64_t resyncs = 0;        // jumps followed (the stream went on outside the window)
  TcpStreamStats& operator+=(const TcpStreamStats& o) noexcept {
    bytes += o.bytes;
    retransmitted += o.retransmitted;
    conflicts += o.conflicts;
    missing += o.missing;
    gaps += o.gaps;
    forced += o.forced;
    out_of_window += o.out_of_window;
    resyncs += o.resyncs;
    return *this;
  }
  bool any_loss() const noexcept { return retransmitted || conflicts || missing || forced || out_of_window || resyncs; }
};

class TcpStream {
 public:
  static constexpr std::size_t kSegmentCost = 64;  // held per segment beyond its bytes (map node, vector)
  // The most stream bytes a SYN may come after and still be the stream's own.
  static constexpr std::uint64_t kLateSynBytes = 64u << 10;

  TcpStream() = default;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;
  ~TcpStream() = default;  // held bytes must have been given back: flush() or release()

  // Adds one segment; `payload_offset` is the file offset of s.payload[0]. Throws what
  // `sink` throws (the stream is then not to be used again).
  void add(const TcpSegment& s, std::uint64_t payload_offset, std::int64_t time_ns, TcpBudget& budget,
           TcpStreamSink& sink);
  // The other direction's SYN-ACK began a new connection (its stream's syn_starts() grew)
  // acknowledging this direction's SYN at `syn_seq`. If this stream holds a connection that
  // SYN began and that already carried data or ended (or that ended just before), the SYN
  // seen again was a new connection's, not a copy (a client that restarted without random
  // initial sequence numbers, its peer with them): the stream ends (a break at
  // `file_offset`, `time_ns`) and starts afresh after that SYN. Otherwise nothing. Throws
  // what `sink` throws.
  void peer_began_anew(std::uint32_t syn_seq, std::uint64_t file_offset, std::int64_t time_ns, TcpBudget& budget,
                       TcpStreamSink& sink);
  // How many times a SYN began a connection in this stream.
  std::uint64_t syn_starts() const noexcept { return syn_starts_; }
  // Gives up every gap: the held bytes are delivered, with a break before each gap.
  void flush(TcpBudget& budget, TcpStreamSink& sink);
  // Drops the held bytes without delivering them (the decoder is abandoned).
  void release(TcpBudget& budget) noexcept;

  bool started() const noexcept { return started_; }
  // Nothing held, no candidate, no FIN waiting for bytes before it: what comes next is
  // added exactly as to a stream that starts at the next byte expected (given the SYN it
  // knows, see carry_on_from).
  bool settled() const noexcept { return held_.empty() && !candidate_ && !fin_at_; }
  // The sequence number of the next byte expected (meaningful once started).
  std::uint32_t next_sequence() const noexcept { return static_cast<std::uint32_t>(next_); }
  // Where this stream began if that says it continues another one: its first segment had
  // no SYN, RST or FIN (it started the stream at its sequence number, which is returned)
  // and no SYN came since; nullopt otherwise.
  std::optional<std::uint32_t> began_plainly_at() const noexcept {
    return began_plainly_ && !saw_syn_ ? std::optional<std::uint32_t>(first_seq_) : std::nullopt;
  }
  // Whether `next`, the same direction of the same connection decoded on its own from this
  // stream's next byte (a piece of a capture, perhaps after a lead-in: begin_here), took
  // every segment as this stream would have: none came within a second of the end of the
  // connection that ended here last (this stream would have taken copies of its segments
  // as such); and, if this stream is started, the SYN `next` knows, if any, is this
  // stream's, as far behind, else no segment with data began before the SYN this stream
  // knows (this stream would have ended there: a new connection).
  bool continued_by(const TcpStream& next) const noexcept;
  // Makes this stream the continuation of `before`, the same direction of the same
  // connection up to where this one began (for a capture decoded in pieces): its counts are
  // added, and the SYN it knew (if any) is known here at the same distance, in place of one
  // this stream knew from a lead-in (begin_here). Assumes, if `before` was started, that it
  // was settled and this stream began plainly at its next sequence number.
  void carry_on_from(const TcpStream& before) noexcept;
  // For a piece of a capture decoded after a lead-in (the stream's state at the piece's
  // start then checked against the decoder of what came before): from here on the stream
  // counts as one that began here — its counts start from zero and, if it is started and
  // settled, it began plainly at its next sequence number (began_plainly_at; the SYN it
  // knows stays known until carry_on_from gives it the one the decoder before knows);
  // otherwise it never began plainly. A SYN seen later undoes that, as it does for a stream
  // that began plainly.
  void begin_here() noexcept;
  // What the held segments (and a candidate's kept bytes) count against the limits: their
  // bytes, kSegmentCost each.
  std::size_t held_bytes() const noexcept { return held_bytes_; }
  const TcpStreamStats& stats() const noexcept { return stats_; }

 private:
  struct Held {
    std::vector<std::uint8_t> bytes;
    std::uint64_t file_offset;
    std::int64_t time_ns;
  };
  // A segment outside the window, kept (its bytes only if the limits allow) until a second
  // one confirms the jump.
  struct Candidate {
    std::uint64_t begin, end;
    Held held;  // bytes empty when not kept
  };
  std::uint64_t unwrap(std::uint32_t seq) const noexcept;
  bool outside_window(std::uint64_t begin, std::uint64_t end, const TcpBudget& budget) const noexcept;
  // A segment [begin, end) outside the window: confirms the candidate (and the stream jumps
  // to it: true, the segment is then added as usual) or becomes the candidate (false).
  bool follow_jump(std::uint64_t begin, std::span<const std::uint8_t> b, std::uint64_t file_offset,
                   std::int64_t time_ns, TcpBudget& budget, TcpStreamSink& sink);
  void drop_candidate(TcpBudget& budget) noexcept;
  void start(std::uint32_t seq, std::int64_t time_ns) noexcept;
  void end_connection(std::int64_t time_ns) noexcept;  // remembers the connection ending here at `time_ns`
  // The stream ends here (a new connection, a reset): what it holds is given up, the sink
  // gets the end (what follows starts at file offset `file_offset`), the connection is
  // remembered. Throws what `sink` throws.
  void end_stream(std::uint64_t file_offset, std::int64_t time_ns, TcpBudget& budget, TcpStreamSink& sink);
  // The stream ends at stream position `at` once every byte before it came or was given up
  // (a FIN there, or an RST ahead of bytes still to come), a segment at `file_offset`,
  // `time_ns` said so.
  void end_at(std::uint64_t at, std::uint64_t file_offset, std::int64_t time_ns) noexcept;
  // Whether `s` (data; or a SYN, FIN or RST without data: _control) is a copy of a segment
  // of the connection that ended last, within a second of its end.
  bool copies_ended(const TcpSegment& s, std::int64_t time_ns) const noexcept;
  bool copies_ended_control(const TcpSegment& s, std::int64_t time_ns) const noexcept;
  void hold(std::uint64_t begin, std::span<const std::uint8_t> b, std::uint64_t file_offset, std::int64_t time_ns,
            TcpBudget& budget);
  void keep(std::uint64_t at, std::span<const std::uint8_t> b, std::uint64_t file_offset, std::int64_t time_ns,
            TcpBudget& budget);
  void drain(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns);
  // Gives up the gap before the first held segment (held_ not empty) and delivers what
  // follows on; `time_ns` is when a gap that stays opens (waiting_since_ns_).
  void give_up_first_gap(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns);
  // Gives up, at `time_ns`, the gaps that waited Limits::timeout_ns of capture time.
  void give_up_expired(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns);
  // Gives up the first gap, then the next, while the held bytes are beyond a limit.
  void give_up_over_limits(TcpBudget& budget, TcpStreamSink& sink, std::int64_t time_ns);
  bool over_limits(const TcpBudget& budget) const noexcept {
    return held_bytes_ > budget.limits.max_stream_bytes || budget.held > budget.limits.max_total_bytes;
  }
  void check_fin(TcpStreamSink& sink);
  bool waiting() const noexcept { return !held_.empty() || (fin_at_ && *fin_at_ > next_); }

  bool started_ = false;
  std::uint64_t next_ = 0;  // stream position of the next byte to deliver; its low 32 bits are its sequence number
  std::optional<std::uint64_t> syn_end_;  // stream position after the SYN, once seen
  // The SYN's acknowledgment number, if it acknowledged (a server's SYN-ACK: the client's
  // initial sequence number + 1). The same SYN answering another client SYN is a new
  // connection (a server whose initial sequence numbers repeat: an ECU restarted).
  std::optional<std::uint32_t> syn_ack_;
  std::uint64_t syn_starts_ = 0;         // see syn_starts
  std::optional<std::uint64_t> fin_at_;  // stream position of the FIN, once seen
  std::uint64_t fin_offset_ = 0;         // file offset and time of the segment that carried it
  std::int64_t fin_time_ns_ = 0;
  std::map<std::uint64_t, Held> held_;  // by stream position, not overlapping
  std::size_t held_bytes_ = 0;
  std::int64_t waiting_since_ns_ = 0;  // when the current gap opened
  std::optional<Candidate> candidate_;
  TcpStreamStats stats_;
  // How the stream began (began_plainly_at): set by the first segment added.
  bool any_segment_ = false, began_plainly_ = false, saw_syn_ = false;
  std::uint32_t first_seq_ = 0;
  std::uint64_t first_position_ = 0;  // the stream position of first_seq_
  std::uint64_t began_at_ = 0;        // where start() began the stream (no SYN seen: its first segment)
  std::int64_t began_time_ns_ = 0;    // and when
  bool fin_done_ = false;             // a FIN ended it (check_fin)
  // The connection that ended last on these ports (a RST, a new connection): its first
  // sequence number, its length, when it ended; copies of its segments that come within a
  // second after are not a new stream's (copies_ended). ended_: whether one did (a
  // connection that carried no data has length 0; its SYN, FIN and RST are copied too).
  bool ended_ = false;
  std::uint32_t ended_first_ = 0, ended_length_ = 0;
  std::int64_t ended_time_ns_ = 0;
  // The last kRecent data segments of the connection as they came (sequence number, length
  // and end bytes, for copies after its end: a copy is the same frame), and those of the
  // connection that ended last. recent_count_ counts since start(), in a ring.
  static constexpr std::size_t kRecent = 64;
  struct Seen {
    std::uint32_t seq = 0, size = 0;
    std::uint64_t head = 0, tail = 0;  // its first and last 8 bytes (fewer: zeros after)
    bool operator==(const Seen&) const = default;
    static Seen of(std::uint32_t seq, std::span<const std::uint8_t> payload) noexcept;
  };
  std::array<Seen, kRecent> recent_{}, ended_recent_{};
  std::uint32_t recent_count_ = 0, ended_recent_count_ = 0;
  // Data segments recorded since the start or begin_here when a connection first ended
  // since (for continued_by; UINT32_MAX: none ended), and all of them.
  std::uint32_t recorded_at_end_ = UINT32_MAX, recorded_ = 0;
  // The earliest time of a segment added since the start or begin_here (for continued_by).
  static constexpr std::int64_t kNoEarliest = INT64_MAX;
  std::int64_t earliest_ns_ = kNoEarliest;
  // How far before first_position_ a segment with data began (since begin_here): for
  // continued_by.
  std::uint64_t reached_back_ = 0;
};

}  // namespace dltdump::net
