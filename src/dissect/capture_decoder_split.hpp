// What the parallel strategies need of a CaptureDecoder (dissect/capture_decoder.hpp),
// beyond what every user of it needs (send, finish, the report):
// * app/parallel/capture_chunks decodes one capture in pieces, a decoder per piece, and
//   checks and joins them where the pieces meet: idle, for_each_flow, adopt, redirect,
//   absorb_stats.
// * app/parallel/capture_flows dissects on one thread and frames the flows on others: a
//   decoder that only dissects (dissect_only, or hand_over from one that decoded the start)
//   and hands each datagram to a DatagramSink.
// Kept off CaptureDecoder's public surface so that its ordinary interface is the aio stage.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dissect/capture_decoder.hpp"
#include "dissect/capture_flow.hpp"

namespace dltdump::dissect {

// Where dissected datagrams go instead of the decoder's own flows.
class DatagramSink {
 public:
  virtual ~DatagramSink() = default;
  // The UDP payload of one datagram of flow `key`, in pieces (several for a reassembled
  // one), captured at `time_ns`. The spans are valid during the call only, unless
  // `stable`: then they stay valid until the end of the input (they lie in a mapped
  // capture file). What it throws, CaptureDecoder::send keeps as its failure().
  virtual void on_datagram(const FlowKey& key, std::span<const DatagramPiece> pieces, std::int64_t time_ns,
                           bool stable) = 0;
  // The stream of flow `key` breaks here (CaptureFlow::break_stream): a TCP stream ended
  // (`missing` 0) or lost `missing` bytes; it goes on at file offset `offset`, time
  // `time_ns`. A flow not yet held is made for it only if `missing` is not 0.
  virtual void on_break(const FlowKey& key, std::uint64_t missing, std::uint64_t offset, std::int64_t time_ns) = 0;
};

struct CaptureDecoderSplit {
  // A flow as the decoder of the whole capture holds it: its key and when it was last fed.
  using FlowHistory = CaptureDecoder::FlowHistory;

  // A decoder that dissects only: datagrams go to `datagrams` (which must outlive it); the
  // flows, the flow limit and the flush at the end are then its business.
  static CaptureDecoder dissect_only(const CaptureDecoder::Options& options, DatagramSink& datagrams) {
    return CaptureDecoder(options, datagrams);
  }

  // No flow of `d` holds pending bytes and no fragment set is open: what follows is
  // decoded exactly as a new decoder would decode it — but for TCP streams, whose next
  // sequence number is state (tcp_continued_by), and for the flows whose stream is under
  // way (CaptureFlow::mid_stream: a new flow confirms its first packet, one under way takes
  // it; the new decoder's flow says whether that made a difference,
  // CaptureFlow::began_as_continuation), and for the duplicates of datagrams `d`
  // completed lately (fragments_continued_by).
  static bool idle(const CaptureDecoder& d) noexcept { return d.idle(); }
  // Whether `next`, a new decoder that decoded what follows `d`'s end, took every IP
  // fragment as `d` would have: none it took as a new set's is a duplicate of a datagram
  // `d` completed lately (net::IpReassembly::continues).
  static bool fragments_continued_by(const CaptureDecoder& d, const CaptureDecoder& next) {
    return next.reassembly_.continues(d.reassembly_);
  }
  // Whether `next`, a new decoder that decoded what follows `d`'s end (d idle), decoded
  // every TCP segment as `d` would have: every stream of `d` is settled (nothing held or
  // waiting), and each stream of `next` that `d` has running began with a plain segment
  // (no SYN, RST or FIN, and no SYN later) at the sequence number `d` expects next; no
  // connection of `next` was ended early by the flow limit, and `d`'s and `next`'s new
  // ones together stay within it. Then absorb joins them.
  static bool tcp_continued_by(const CaptureDecoder& d, const CaptureDecoder& next) noexcept {
    return d.tcp_continued_by(next);
  }
  // A piece may begin with a lead-in: packets before its start that the decoder of what
  // came before decoded too, decoded again by the piece's decoder so that it reaches the
  // piece's start with the streams under way as they are there (a message straddling the
  // start, TCP streams past their first segments). cut_here ends the lead-in of `d`: it
  // returns what decides how `d` goes on (CutState), counts from zero again (what the
  // lead-in counted, the decoder before counted too), takes its TCP streams as beginning
  // here (net::TcpStream::begin_here) and its flows' starts as checked
  // (CaptureFlow::forget_start), and sends the events of what follows to `sink`, payloads
  // asked of `gate`, with payload text if `payload_text` (both must outlive that use).
  using CutState = CaptureDecoder::CutState;
  static CutState cut_here(CaptureDecoder& d, dlt::FramerSink& sink, const dlt::PayloadGate* gate, bool payload_text) {
    return d.cut_here(sink, gate, payload_text);
  }
  // Whether `d`, the decoder of everything up to a piece's start (its flows not held named
  // in `history`, as for adopt), stands there as `next`, the piece's decoder, stood at
  // `cut`: nothing evicted in the lead-in and every TCP stream settled; the fragment sets
  // `d` holds open in `next` at the cut alike, and those `next` held besides (`d` finished
  // them before the lead-in began) not touched by `next` since; every TCP stream `cut`
  // holds held by `d` with the same next sequence number; every flow `cut` holds in the
  // same state in `d` (or idle there, as far under way); and every flow `d` holds that
  // `cut` does not idle. Then, once drop_finished_fragments dropped those sets and absorb
  // gave `next` the SYNs `d` knows and the last uses of what `next` used only in its
  // lead-in (the calling thread keeps the flows' own, CutState::flow_clock), what `d`
  // holds that `cut` holds goes on in `next` exactly as in `d` (the completed datagrams
  // `next` remembered at the cut `d` remembers too, and `next` took no fragment as new that
  // `d` would have ignored: fragments_continued_by); for the other streams and
  // flows, tcp_continued_by and CaptureFlow::began_as_continuation decide as for a piece
  // without a lead-in (which cut_here made them apply to its streams and flows too).
  static bool continues_at(const CaptureDecoder& d, const CutState& cut, std::span<const FlowHistory> history,
                           const CaptureDecoder& next) {
    return d.continues_at(cut, history, next);
  }
  // `next`, whose lead-in ended at `cut` and which continues_at found to continue
  // `before`, drops the fragment sets `before` had finished.
  static void drop_finished_fragments(CaptureDecoder& next, const CutState& cut, const CaptureDecoder& before) {
    next.drop_finished_fragments(cut, before);
  }
  // Every flow of `d` for which `under_way(key)` says true goes on as one whose stream is
  // under way (CaptureFlow::continue_stream), if its start decided nothing yet: for a
  // piece's decoder joined to a decoder that holds those flows under way, whose flows
  // began as new and took their first packets as a flow under way would
  // (CaptureFlow::began_as_continuation) — or have yet to take the first, whose head they
  // hold alike.
  template <typename F>
  static void continue_under_way(CaptureDecoder& d, F under_way) {
    for (auto& flow : d.flows_)
      if (under_way(flow->key())) flow->continue_stream();
  }
  // Calls f(flow) (a const CaptureFlow&) for every flow of `d`, in order of first appearance.
  template <typename F>
  static void for_each_flow(const CaptureDecoder& d, F f) {
    for (const auto& flow : d.flows_) f(*flow);
  }
  // Makes `d`'s flow table `history` (in order of first appearance; read during the call
  // only): flows held in `d` keep their state, the others are made afresh (under way if
  // the history says so: FlowHistory::mid_stream), each with its last_used (the clock
  // goes on from the largest); flows not in `history` stay after them. If the flows that
  // only `history` names are idle in the decoder it comes from, `d` then goes on exactly
  // as that one would: the same flows evicted, the same order at the final flush.
  static void adopt(CaptureDecoder& d, std::span<const FlowHistory> history) { d.adopt(history); }
  // `d`'s events go to `sink`, payloads asked of `gate` (null: everything wanted), from
  // now on; both must outlive that use.
  static void redirect(CaptureDecoder& d, dlt::FramerSink& sink, const dlt::PayloadGate* gate) {
    d.redirect(sink, gate);
  }
  // `d` gives up its flows (returned in order of first appearance, to the caller): from
  // now on it dissects only, and datagrams go to `datagrams` (which must outlive it), in
  // place if `stable_packets` (see CaptureDecoder::Options).
  static std::vector<std::unique_ptr<CaptureFlow>> hand_over(CaptureDecoder& d, DatagramSink& datagrams,
                                                             bool stable_packets) {
    return d.hand_over(datagrams, stable_packets);
  }
  // `d` decoded what follows `before`'s end (idle and tcp_continued_by said so): `d`
  // takes `before`'s counts (packets, losses) and its TCP connections — those `d` did not
  // see as they were, in their order and before `d`'s new ones, those it did continued by
  // its streams (TcpStream::carry_on_from; last used as in `before` if `d` used them only
  // in its lead-in) — and the completed datagrams whose duplicates `before` would still
  // ignore (net::IpReassembly::take_finished) — so that it goes on as the decoder of both
  // pieces would. `before` is
  // left without connections, to be destroyed.
  static void absorb(CaptureDecoder& d, CaptureDecoder&& before) { d.absorb(std::move(before)); }
  // Counts in `d` `n` flows that the DatagramSink holding them ended early at its flow limit.
  static void count_flows_ended(CaptureDecoder& d, std::uint64_t n) noexcept { d.stats_.flows_evicted += n; }
};

}  // namespace dltdump::dissect
