// DLT from captured packets (dltdump-spec §5.3-5.5, deviations Q10-Q12): the aio::Consumer
// at the end of a packet path that takes the packets of a capture (replayed from
// PCAP/PCAP-NG, or polled from the live ring) and delivers the DLT messages and skip records
// inside them to a FramerSink. What the sink throws (the output failed) passes through.
//
// Per packet: link layer (Ethernet with up to two VLAN tags, Linux SLL/SLL2, raw IPv4) →
// IPv4 (fragments reassembled, bounded) → UDP to one of the configured ports, or TECMP
// log-stream entries holding such frames → the UDP payload is fed to the network-format
// framer of its flow. A flow is (interface, source and destination address and port);
// each flow is a byte stream, so DLT messages may be split across datagrams, several may
// share one, and corruption is resynchronised per flow.
//
// Every event carries the capture time of the datagram holding its first byte (for a
// reassembled datagram, that of the fragment at offset 0) and, as its position, the file
// offset of that first byte. Traffic that is not DLT over UDP to our ports, truncated
// frames (captured < original length) and unsupported link types are skipped and counted.
// finish() ends the input: every flow is flushed in order of first appearance (Q12).
#pragma once

#include <bitset>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "aio/consumer.hpp"
#include "dissect/capture_flow.hpp"
#include "dissect/flow_table.hpp"
#include "dlt/framer.hpp"
#include "net/ip_reassembly.hpp"
#include "net/ipv4.hpp"

namespace dltdump::dissect {

// One contiguous piece of a datagram's UDP payload and where it came from.
struct DatagramPiece {
  std::span<const std::uint8_t> bytes;
  std::uint64_t offset;
};

// What a capture's bounds and rules lost (CaptureDecoder::losses): counts, made into words
// only when printed. The input still counts as processed.
struct CaptureLosses {
  std::uint64_t fragment_sets_dropped = 0;     // IPv4 fragment sets dropped at the memory limit
  std::uint64_t fragment_sets_discarded = 0;   // time-out, overlap or conflicting last fragment
  std::uint64_t fragment_sets_incomplete = 0;  // still open at the end of the input
  std::uint64_t tecmp_bad_version = 0;         // TECMP frames of a version other than 3
  std::uint64_t flows_ended_early = 0;         // flushed at the flow limit
  std::uint64_t beyond_snapshot = 0;           // records captured longer than the snapshot length
  std::uint32_t snapshot_length = 0;           // that length
  bool any() const noexcept;
  // One line for the user: `3 IPv4 fragment sets dropped at the memory limit, 2 TECMP
  // frames of a version other than 3`, the non-zero counts in the order above; empty when
  // nothing was lost.
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
    std::vector<std::uint16_t> udp_ports{3490};
    bool payload_text = true;                        // messages carry their payload text (for text sinks)
    const dlt::PayloadGate* payload_gate = nullptr;  // asked per message whether text is made
    const dlt::Catalogue* catalogue = nullptr;       // describes non-verbose messages (null: none)
    net::IpReassembly::Limits reassembly;
    // Flows held at once; beyond it the least recently fed flow is flushed (its partial
    // message becomes a skip record) and starts afresh if it sends again.
    std::size_t max_flows = 4096;
    // The packets given to send() stay valid until the end of the input (a mapped file):
    // datagrams that are not reassembled reach a DatagramSink as stable views.
    bool stable_packets = false;
    // DltDump ignores captured IPv4 packets under 36 bytes (net/ipv4.hpp); live UDP turns
    // this off, so that a datagram of fewer than 8 bytes still reaches its sender's framer.
    bool capture_minimum = true;
    // A classic PCAP's snapshot length (0: none, or not a classic PCAP): packets captured
    // longer are decoded, and counted as out of spec (Stats::beyond_snapshot).
    std::uint32_t snapshot_length = 0;
  };
  struct Stats {
    std::uint64_t packets = 0;
    std::uint64_t datagrams = 0;  // UDP datagrams to our ports fed to a flow
    std::uint64_t ignored = 0;    // not IPv4/UDP to our ports, or too short
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
  CaptureLosses losses() const noexcept;
  // When packets came but not one datagram to our ports (nothing decoded): one line saying
  // what was found instead, e.g. `no UDP datagrams to port 3490; found UDP ports 3491 (120
  // datagrams), 5000 (3)` or `no UDP/IPv4 datagrams in 12 packets (12 of link types not
  // decoded)`. Empty otherwise (a datagram was decoded, or no packet came at all).
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
  };
  bool idle() const noexcept;
  void adopt(std::span<const FlowHistory> history);
  void redirect(dlt::FramerSink& sink, const dlt::PayloadGate* gate);
  std::vector<std::unique_ptr<CaptureFlow>> hand_over(DatagramSink& datagrams, bool stable_packets);
  void absorb_stats(const CaptureDecoder& other);

  void decode(const aio::Packet& p);
  void decode_ip(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset);
  void deliver(const FlowKey& key, std::span<const Piece> pieces, std::int64_t time_ns, bool stable);
  bool wanted_port(std::uint16_t port) const noexcept;

  void evict_least_recent();
  std::unique_ptr<CaptureFlow> make_flow(const FlowKey& key);

  Options options_;
  std::bitset<65536> wanted_ports_;                  // options_.udp_ports, one test per datagram
  dlt::FramerSink* sink_ = nullptr;                  // events (own flows), or
  DatagramSink* datagrams_ = nullptr;                // datagrams (flows kept elsewhere)
  std::vector<std::unique_ptr<CaptureFlow>> flows_;  // in order of first appearance
  FlowTable<CaptureFlow*> flow_index_;
  net::IpReassembly reassembly_;
  util::TextBuffer payload_text_{util::TextBuffer::kLineBytes};  // shared by all flow framers
  std::uint64_t clock_ = 0;                                      // counts datagrams, for least-recently-fed eviction
  Stats stats_;
  // UDP datagrams to other ports, by destination port (for nothing_found); filled on the
  // path of ignored traffic only.
  std::unordered_map<std::uint16_t, std::uint64_t> other_ports_;
  void count_other_port(std::uint16_t port) { ++other_ports_[port]; }
};

}  // namespace dltdump::dissect
