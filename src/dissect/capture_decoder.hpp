// DLT from captured packets (dltdump-spec §5.3-5.5, deviations Q10-Q12): the aio::Consumer
// at the end of a packet path that takes the packets of a capture (replayed from
// PCAP/PCAP-NG, or polled from the live ring) and delivers the DLT messages and skip records
// inside them to a FramerSink. What the sink throws (the output failed) passes through.
//
// Per packet: link layer (Ethernet with up to two VLAN tags, Linux SLL/SLL2, raw IPv4 or
// IPv6) → IPv4 or IPv6 (extension headers stepped over; fragments of both reassembled by
// one bounded reassembler) → UDP to one of the configured UDP ports, or TCP to or from one
// of the configured TCP ports, or TECMP log-stream entries holding such frames. A UDP
// payload is fed to the network-format framer of its flow; a TCP segment goes to the
// stream reassembler of its connection and direction (net/tcp_stream.hpp), which feeds the
// flow's framer the stream in order. A flow is (interface, source and destination address
// and port, protocol); each flow is a byte stream, so DLT messages may be split across
// datagrams or segments, several may share one, and corruption is resynchronised per flow.
// Bytes a TCP stream lost become a skip record (kReasonTcpGap) and the flow's framer starts
// afresh after them; FIN, RST and a new SYN end the flow's stream (as at the end of input).
//
// Every event carries the capture time of the datagram or segment holding its first byte
// (for a reassembled datagram, that of the fragment at offset 0) and, as its position, the
// file offset of that first byte. Traffic that is not DLT over UDP or TCP on our ports,
// truncated frames (captured < original length) and unsupported link types are skipped and
// counted. finish() ends the input: held TCP segments are delivered (their gaps given up),
// then every flow is flushed in order of first appearance (Q12).
#pragma once

#include <bitset>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aio/consumer.hpp"
#include "dissect/capture_flow.hpp"
#include "dissect/flow_table.hpp"
#include "dlt/framer.hpp"
#include "net/ip_reassembly.hpp"
#include "net/ipv4.hpp"
#include "net/tcp_stream.hpp"

namespace dltdump::dissect {

// One contiguous piece of a datagram's UDP payload and where it came from.
struct DatagramPiece {
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset;
};

// What a capture's bounds and rules lost (CaptureDecoder::losses): counts, made into words
// only when printed. The input still counts as processed.
struct CaptureLosses {
  std::uint64_t fragment_sets_dropped = 0;     // IP fragment sets dropped at the memory limit
  std::uint64_t fragment_sets_discarded = 0;   // time-out, overlap or conflicting last fragment
  std::uint64_t fragment_sets_incomplete = 0;  // still open at the end of the input
  std::uint64_t tecmp_bad_version = 0;         // TECMP frames of a version other than 3
  std::uint64_t flows_ended_early = 0;         // flushed at the flow limit
  std::uint64_t beyond_snapshot = 0;           // records captured longer than the snapshot length
  std::uint32_t snapshot_length = 0;           // that length
  net::TcpStreamStats tcp;                     // what the TCP streams lost, all streams together
  // The TCP streams (directions of connections) that lost or repeated bytes, the most
  // missing bytes first (then the most retransmitted), at most kMaxFlowsListed of them.
  struct Flow {
    std::string name;  // flow_name()
    net::TcpStreamStats stats;
  };
  static constexpr std::size_t kMaxFlowsListed = 100;
  std::vector<Flow> flows;
  std::uint64_t flows_not_listed = 0;  // beyond kMaxFlowsListed
  bool any() const noexcept;
  // One line for the user: `3 IP fragment sets dropped at the memory limit, 2 TECMP
  // frames of a version other than 3, 1200 bytes missing from TCP streams (3 gaps; 1000
  // bytes from TCP 10.0.0.100:3490 > 10.0.0.11:50000)`, the non-zero counts in the order
  // above (the flow named is the one that lost the most); empty when nothing was lost.
  std::string text() const;
};

// What is said about a capture after decoding it (CaptureDecoder::report).
struct CaptureReport {
  CaptureLosses losses;       // losses(): a warning, the input still counts as processed
  std::string nothing_found;  // nothing_found(): the input fails with this line (empty: it does not)
};

class DatagramSink;  // dissect/capture_decoder_split.hpp

class CaptureDecoder final : public aio::Consumer {
 public:
  struct Options {
    std::vector<std::uint16_t> udp_ports{3490};      // UDP: datagrams to these ports
    std::vector<std::uint16_t> tcp_ports{3490};      // TCP: segments to or from these ports
    bool payload_text = true;                        // messages carry their payload text (for text sinks)
    const dlt::PayloadGate* payload_gate = nullptr;  // asked per message whether text is made
    const dlt::Catalogue* catalogue = nullptr;       // describes non-verbose messages (null: none)
    net::IpReassembly::Limits reassembly;
    net::TcpLimits tcp;  // what TCP streams may hold while waiting for missing segments
    // Flows held at once; beyond it the least recently fed flow is flushed (its partial
    // message becomes a skip record) and starts afresh if it sends again.
    std::size_t max_flows = 4096;
    // The packets given to send() stay valid until the end of the input (a mapped file):
    // datagrams that are not reassembled reach a DatagramSink as stable views.
    bool stable_packets = false;
    // A classic PCAP's snapshot length (0: none, or not a classic PCAP): packets captured
    // longer are decoded, and counted as out of spec (Stats::beyond_snapshot).
    std::uint32_t snapshot_length = 0;
    // Each flow begins by looking for a place where packets begin (CaptureFlow::sync_on_chain):
    // for the lead-in of a capture piece decoded apart (CaptureDecoderSplit::cut_here).
    bool sync_on_chains = false;
  };
  struct Stats {
    std::uint64_t packets = 0;
    std::uint64_t datagrams = 0;  // UDP datagrams to our ports fed to a flow
    std::uint64_t segments = 0;   // TCP segments to or from our ports given to a stream
    std::uint64_t ignored = 0;    // not UDP or TCP on our ports, or too short
    std::uint64_t truncated = 0;  // captured length below the original length
    std::uint64_t unsupported_link = 0;
    std::uint64_t tecmp_bad_version = 0;    // refused and counted (Q11)
    std::uint64_t reassembled_dropped = 0;  // complete datagrams refused (port, UDP length)
    std::uint64_t flows_evicted = 0;        // flushed early by max_flows
    std::uint64_t beyond_snapshot = 0;      // captured longer than Options::snapshot_length
    Stats& operator+=(const Stats& o) noexcept;
  };

  CaptureDecoder(const Options& options, dlt::FramerSink& sink);
  ~CaptureDecoder() override;

  // Decodes every packet (aio/consumer.hpp). Throws what the sink or the DatagramSink
  // throws (the output failed, a stop was requested), at once: the packets after the one
  // being decoded are not.
  void take(std::span<const aio::Packet> batch) override;
  // Ends the input: flushes every flow (first appearance first) and drops incomplete
  // fragment sets. Throws what the sink throws.
  void finish();

  // What the bounds and rules lost, after finish(): fragment sets dropped by the limits,
  // discarded (time-out, conflict) or incomplete at the end, TECMP frames of another
  // version, flows ended early, records captured beyond the snapshot length.
  CaptureLosses losses() const;
  // When packets came but not one datagram or segment on our ports (nothing decoded): one
  // line saying what was found instead, e.g. `no UDP datagrams to port 3490; found UDP
  // ports 3491 (120 datagrams), 5000 (3)` (and `…, no TCP segments to or from port 3490;
  // found TCP port 80 (7 segments)` when there is TCP) or `no UDP datagrams or TCP
  // segments in 12 packets (12 of link types not decoded)` (IPv4 or IPv6: the fragments of
  // a datagram never completed, or headers beyond the limits, decode to none). Empty
  // otherwise (a datagram or segment was decoded, or no packet came at all).
  std::string nothing_found() const;
  // Both, for the report after a capture.
  CaptureReport report() const { return {losses(), nothing_found()}; }

  // Decoding one capture in pieces, or dissecting it apart from its flows (the parallel
  // strategies): dissect/capture_decoder_split.hpp.
  friend struct CaptureDecoderSplit;

  const Stats& stats() const noexcept { return stats_; }
  const net::IpReassembly::Stats& reassembly_stats() const noexcept { return reassembly_.stats(); }
  std::size_t flow_count() const noexcept { return flows_.size(); }

 private:
  using Piece = DatagramPiece;

  CaptureDecoder(const Options& options, DatagramSink& datagrams);
  CaptureDecoder(const Options& options, dlt::FramerSink* sink, DatagramSink* datagrams);

  // CaptureDecoderSplit's (it says what each does).
  struct FlowHistory {
    FlowKey key;
    std::uint64_t last_used;
    bool mid_stream = false;  // CaptureFlow::mid_stream of the flow where it is held
  };
  bool idle() const noexcept;
  bool tcp_continued_by(const CaptureDecoder& next) const noexcept;
  struct CutState {
    bool clean = false;                           // nothing evicted, every TCP stream settled
    std::uint64_t flow_clock = 0;                 // the flows' clock at the cut (CaptureFlow::last_used)
    std::vector<std::string> fragment_sets;       // net::IpReassembly::set_states
    std::vector<std::string> finished_fragments;  // net::IpReassembly::finished_states
    struct Tcp {
      FlowKey key;
      bool started;
      std::uint32_t next_sequence;
    };
    std::vector<Tcp> tcp;
    struct Flow {
      FlowKey key;
      bool idle, mid_stream;
      std::string state;  // CaptureFlow::append_state
    };
    std::vector<Flow> flows;
  };
  CutState cut_here(dlt::FramerSink& sink, const dlt::PayloadGate* gate, bool payload_text);
  bool continues_at(const CutState& cut, std::span<const FlowHistory> history, const CaptureDecoder& next) const;
  void drop_finished_fragments(const CutState& cut, const CaptureDecoder& before);
  void adopt(std::span<const FlowHistory> history);
  void redirect(dlt::FramerSink& sink, const dlt::PayloadGate* gate);
  std::vector<std::unique_ptr<CaptureFlow>> hand_over(DatagramSink& datagrams, bool stable_packets);
  void absorb(CaptureDecoder&& before);

  struct TcpConnection {  // one direction of one connection
    FlowKey key;
    net::TcpStream stream;
    std::uint64_t last_used = 0;
  };
  class TcpDelivery;

  void decode(const aio::Packet& p);
  void decode_network(std::uint16_t ether_type, std::span<const std::uint8_t> ip, const aio::Packet& p,
                      std::uint64_t ip_offset);
  void decode_ip(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset);
  void decode_ip6(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset);
  // The transport of an unfragmented packet: `payload` at file offset `offset`.
  void decode_transport(std::uint8_t protocol, const net::IpAddress& source, const net::IpAddress& destination,
                        std::span<const std::uint8_t> payload, std::uint64_t offset, const aio::Packet& p);
  // A reassembled datagram: `skip` bytes of extension headers (IPv6) before the transport.
  void decode_reassembled(std::uint8_t protocol, const net::IpAddress& source, const net::IpAddress& destination,
                          const net::IpReassembly::Datagram& d, std::size_t skip, const aio::Packet& p);
  // The TCP segment at the start of `b` if it is to or from one of our ports; else nullopt,
  // its destination port counted (for nothing_found) and `refused` incremented.
  std::optional<net::TcpSegment> our_tcp(std::span<const std::uint8_t> b, std::uint64_t& refused);
  void tcp_segment(const FlowKey& key, const net::TcpSegment& s, std::uint64_t payload_offset, std::int64_t time_ns,
                   bool stable);
  void deliver(const FlowKey& key, std::span<const Piece> pieces, std::int64_t time_ns, bool stable);
  void break_flow(const FlowKey& key, std::uint64_t missing, std::uint64_t offset, std::int64_t time_ns);
  CaptureFlow* flow_for(const FlowKey& key);
  bool wanted_port(std::uint16_t port) const noexcept;
  bool wanted_tcp_port(std::uint16_t port) const noexcept { return wanted_tcp_ports_.test(port); }
  void flush_tcp(TcpConnection& c);
  void end_tcp(const TcpConnection& c);
  void evict_least_recent_tcp();
  net::TcpStreamStats tcp_stats() const noexcept;

  void evict_least_recent();
  std::unique_ptr<CaptureFlow> make_flow(const FlowKey& key);

  Options options_;
  std::bitset<65536> wanted_ports_;                  // options_.udp_ports, one test per datagram
  std::bitset<65536> wanted_tcp_ports_;              // options_.tcp_ports
  dlt::FramerSink* sink_ = nullptr;                  // events (own flows), or
  DatagramSink* datagrams_ = nullptr;                // datagrams (flows kept elsewhere)
  std::vector<std::unique_ptr<CaptureFlow>> flows_;  // in order of first appearance
  FlowTable<CaptureFlow*> flow_index_;
  net::IpReassembly reassembly_;
  std::vector<std::unique_ptr<TcpConnection>> tcp_;  // in order of first appearance
  FlowTable<TcpConnection*> tcp_index_;
  net::TcpBudget tcp_budget_;
  net::TcpStreamStats tcp_ended_;                                          // of connections no longer held
  std::vector<std::pair<FlowKey, net::TcpStreamStats>> tcp_ended_losses_;  // those of them with losses
  std::uint64_t tcp_clock_ = 0;         // counts segments, for least-recently-used eviction
  std::uint64_t tcp_evicted_ = 0;       // connections ended early by the flow limit
  std::uint64_t tcp_clock_at_cut_ = 0;  // tcp_clock_ where a lead-in ended (cut_here), for absorb
  util::TextBuffer payload_text_{util::TextBuffer::kLineBytes};  // shared by all flow framers
  std::uint64_t clock_ = 0;                                      // counts datagrams, for least-recently-fed eviction
  Stats stats_;
  // UDP datagrams to other ports, by destination port (for nothing_found); filled on the
  // path of ignored traffic only.
  std::unordered_map<std::uint16_t, std::uint64_t> other_ports_;
  std::unordered_map<std::uint16_t, std::uint64_t> other_tcp_ports_;  // TCP segments, by either port
  void count_other_port(std::uint16_t port) { ++other_ports_[port]; }
};

}  // namespace dltdump::dissect
