// One UDP or TCP flow of a capture: a network-format framer over the flow's byte stream, and the
// record of which stream bytes came from which file offset at what time, so that every
// event leaves with the capture time and file offset of its first byte.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dlt/framer.hpp"
#include "net/ip_address.hpp"

namespace dltdump::dissect {

// (interface, source and destination address and port, protocol): one byte stream — a
// UDP flow, or one direction of a TCP connection. IPv4 addresses as IPv4-mapped ones.
struct FlowKey {
  std::uint32_t interface;
  net::IpAddress source, destination;
  std::uint16_t source_port, destination_port;
  std::uint8_t protocol = 17;  // 17 UDP, 6 TCP
  bool operator==(const FlowKey&) const = default;
};

// `TCP 10.0.0.100:3490 > 10.0.0.11:50000`, `UDP [fd00::2]:40000 > [fd00::1]:3490`.
std::string flow_name(const FlowKey& key);

class CaptureFlow final : public dlt::FramerSink, private dlt::InPlaceLines {
 public:
  // Events go to `out`; payload text (if `text` is not null) into that shared buffer, for
  // the messages `gate` wants (all if null). The gate sees a message that starts in a
  // datagram completing an earlier one with that earlier datagram's time (it may refuse
  // text a time filter would want; the text is then made later).
  // `catalogue` (null: none) describes the flow's non-verbose messages and must outlive it.
  CaptureFlow(const FlowKey& key, dlt::FramerSink& out, util::TextBuffer* text, const dlt::PayloadGate* gate = nullptr,
              const dlt::Catalogue* catalogue = nullptr);

  // From now on, and until it finds one, the flow looks for a place where packets begin
  // (kSyncPackets valid ones back to back, dlt::find_packet_chain) before its framer sees
  // any byte: the bytes before it are dropped, and the framer goes on from there as a
  // stream under way. For the lead-in of a capture piece decoded apart, which needs its
  // flows at true packet boundaries soon rather than confirmed as a stream start is; what
  // the flow then holds is compared with the decoder before it (append_state). Only on a
  // flow not fed yet.
  void sync_on_chain();
  // Whether the flow is still looking for that place (sync_on_chain).
  bool syncing() const noexcept { return sync_ != nullptr; }
  static constexpr unsigned kSyncPackets = 3;
  // Appends one piece of the flow's stream: `bytes` from file offset `file_offset`, of a
  // datagram captured at `time_ns`.
  void feed(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns);
  // Ends the stream (the §4 end-of-stream rules; deviation Q12).
  void finish() { framer_.finish(*this); }
  // The stream breaks (a TCP stream ended, or lost bytes): it is ended as by finish(), and
  // if `missing` is not 0 a skip record says so (kReasonTcpGap, `missing` bytes, at the file
  // offset `file_offset` and time `time_ns` of the byte where the stream goes on). Later
  // feeds start afresh.
  void break_stream(std::uint64_t missing, std::uint64_t file_offset, std::int64_t time_ns);
  // Events of later feeds go to `out` instead, payload text into `text` (if not null) as
  // `gate` wants.
  void redirect(dlt::FramerSink& out, util::TextBuffer* text = nullptr, const dlt::PayloadGate* gate = nullptr) {
    out_ = &out;
    lines_ = out.in_place_lines();
    if (text) framer_.set_payload_text(text);
    framer_.set_payload_gate(gate);
  }

  const FlowKey& key() const noexcept { return key_; }
  // Nothing of the stream is pending: the flow would go on exactly as a new one.
  bool idle() const noexcept { return framer_.idle(); }
  // Whether the stream is under way (a packet taken since it began or last broke): its
  // next packet is then taken unconfirmed (dlt::Framer::mid_stream).
  bool mid_stream() const noexcept { return framer_.mid_stream(); }
  // The flow goes on as one whose stream is under way (it stands in for such a flow of
  // another decoder), if its stream start decided nothing yet (dlt::Framer::continue_stream).
  void continue_stream() noexcept { framer_.continue_stream(); }
  // Whether the flow decoded what it was fed as a flow under way would have
  // (dlt::Framer::began_as_continuation).
  bool began_as_continuation() const noexcept { return framer_.began_as_continuation(); }
  // For a capture decoded in pieces with lead-ins (CaptureDecoderSplit::cut_here): appends
  // to `out` what decides the events of what the flow is fed next — its framer's state
  // (dlt::FramerSplit::append_state) and, for the bytes it holds back, the file offsets
  // and capture times they came from. Two flows of one capture whose texts are equal go on
  // alike.
  void append_state(std::string& out) const;
  // began_as_continuation() says true from now on (see dlt::FramerSplit::forget_start).
  void forget_start() noexcept;
  // The datagram (or TCP delivery) fed in pieces ends here: other flows' events may follow
  // (dlt::Framer::settle_start).
  void end_datagram() noexcept { framer_.settle_start(); }
  std::uint64_t last_used = 0;  // for least-recently-fed eviction

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;
  // Lines in place when `out` takes them: each message located first.
  dlt::InPlaceLines* in_place_lines() override { return lines_ ? this : nullptr; }

 private:
  util::TextBuffer& begin_line(dlt::Message& m) override;
  void end_line() override { lines_->end_line(); }
  void cancel_line() override { lines_->cancel_line(); }

  struct Segment {
    std::uint64_t stream_start;
    std::uint64_t file_offset;
    std::int64_t time_ns;
  };
  void locate(std::uint64_t& position, util::Timestamp& time);
  // The framer counts the stream from `file_offset` on: one segment maps it (to the piece
  // at that offset, captured at `time_ns`).
  void start_segments(std::uint64_t file_offset, std::int64_t time_ns);
  void feed_syncing(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns);

  // The stream so far while syncing: its bytes from the first position not yet tried, and
  // where each piece of them came from (stream_start counted from bytes[0]).
  struct Sync {
    std::vector<std::uint8_t> bytes;
    std::vector<Segment> pieces;
  };
  std::unique_ptr<Sync> sync_;

  FlowKey key_;
  dlt::FramerSink* out_;
  dlt::InPlaceLines* lines_;  // out_'s, if it takes lines in place
  dlt::Framer framer_{dlt::StreamFormat::Network, 0};
  std::vector<Segment> segments_;  // segments_[first_] holds the next event's first byte
  std::size_t first_ = 0;
};

}  // namespace dltdump::dissect
