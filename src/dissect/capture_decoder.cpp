#include "dissect/capture_decoder.hpp"

#include <algorithm>
#include <utility>

#include "aio/packet.hpp"
#include "dissect/capture_decoder_split.hpp"
#include "net/ipv6.hpp"
#include "net/link.hpp"
#include "net/tcp.hpp"
#include "net/tecmp.hpp"

namespace dltdump::dissect {

CaptureDecoder::CaptureDecoder(const Options& options, dlt::FramerSink& sink)
    : CaptureDecoder(options, &sink, nullptr) {}

CaptureDecoder::CaptureDecoder(const Options& options, DatagramSink& datagrams)
    : CaptureDecoder(options, nullptr, &datagrams) {}

CaptureDecoder::CaptureDecoder(const Options& options, dlt::FramerSink* sink, DatagramSink* datagrams)
    : options_(options), sink_(sink), datagrams_(datagrams), reassembly_(options.reassembly) {
  for (const std::uint16_t port : options_.udp_ports) wanted_ports_.set(port);
  for (const std::uint16_t port : options_.tcp_ports) wanted_tcp_ports_.set(port);
  tcp_budget_.limits = options_.tcp;
}

CaptureDecoder::~CaptureDecoder() {
  for (auto& c : tcp_) c->stream.release(tcp_budget_);
}

// Where a TCP stream's bytes and breaks go: the flow of its connection and direction.
class CaptureDecoder::TcpDelivery final : public net::TcpStreamSink {
 public:
  TcpDelivery(CaptureDecoder& d, const FlowKey& key, bool stable) : d_(d), key_(key), stable_(stable) {}
  void on_bytes(std::span<const std::uint8_t> bytes, std::uint64_t offset, std::int64_t time_ns,
                bool in_packet) override {
    const Piece piece{bytes, offset};
    d_.deliver(key_, {&piece, 1}, time_ns, stable_ && in_packet);
  }
  void on_break(std::uint64_t missing, std::uint64_t offset, std::int64_t time_ns) override {
    d_.break_flow(key_, missing, offset, time_ns);
  }

 private:
  CaptureDecoder& d_;
  const FlowKey& key_;
  bool stable_;
};

bool CaptureDecoder::wanted_port(std::uint16_t port) const noexcept { return wanted_ports_.test(port); }

void CaptureDecoder::take(std::span<const aio::Packet> batch) {
  for (const aio::Packet& p : batch) decode(p);
}

void CaptureDecoder::decode(const aio::Packet& p) {
  ++stats_.packets;
  reassembly_.pass(p.offset);
  stats_.beyond_snapshot += options_.snapshot_length != 0 && p.size > options_.snapshot_length;
  if (p.original_size > p.size) {
    ++stats_.truncated;
    return;
  }
  const std::span<const std::uint8_t> frame(p.data, p.size);
  const auto link = net::strip_link(p.link_type, frame);
  if (!link) {
    ++(net::decodes_link_type(p.link_type) ? stats_.ignored : stats_.unsupported_link);
    return;
  }
  auto offset_of = [&](std::span<const std::uint8_t> inner) {
    return p.offset + static_cast<std::uint64_t>(inner.data() - p.data);
  };
  if (link->ether_type == net::kEtherTypeTecmp || link->ether_type == net::kEtherTypeTecmpOld) {
    const auto status = net::for_each_tecmp_entry(link->payload, [&](std::span<const std::uint8_t> inner) {
      const auto l = net::strip_ethernet(inner);
      if (l) decode_network(l->ether_type, l->payload, p, offset_of(l->payload));
      else ++stats_.ignored;
    });
    if (status == net::TecmpStatus::BadVersion) ++stats_.tecmp_bad_version;
    else if (status != net::TecmpStatus::Decoded) ++stats_.ignored;
  } else {
    decode_network(link->ether_type, link->payload, p, offset_of(link->payload));
  }
}

void CaptureDecoder::decode_network(std::uint16_t ether_type, std::span<const std::uint8_t> ip, const aio::Packet& p,
                                    std::uint64_t ip_offset) {
  if (ether_type == net::kEtherTypeIpv4) decode_ip(ip, p, ip_offset);
  else if (ether_type == net::kEtherTypeIpv6) decode_ip6(ip, p, ip_offset);
  else ++stats_.ignored;
}

void CaptureDecoder::decode_ip(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset) {
  const auto packet = net::parse_ipv4(ip);
  if (!packet || (packet->protocol != net::kIpProtocolUdp && packet->protocol != net::kIpProtocolTcp)) {
    ++stats_.ignored;
    return;
  }
  const std::uint64_t payload_offset = ip_offset + static_cast<std::uint64_t>(packet->payload.data() - ip.data());
  const auto source = net::IpAddress::v4(packet->source), destination = net::IpAddress::v4(packet->destination);
  if (packet->is_fragment()) {
    // Every fragment is kept, whatever its ports: the UDP or TCP header is only in the first.
    const auto* d = reassembly_.add(p.interface, *packet, payload_offset, p.time_ns);
    if (d) decode_reassembled(packet->protocol, source, destination, *d, 0, p);
    return;
  }
  decode_transport(packet->protocol, source, destination, packet->payload, payload_offset, p);
}

void CaptureDecoder::decode_ip6(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset) {
  const auto packet = net::parse_ipv6(ip);
  if (!packet || (packet->protocol != net::kIpProtocolUdp && packet->protocol != net::kIpProtocolTcp &&
                  !(packet->is_fragment() && net::is_ipv6_option_header(packet->protocol)))) {
    ++stats_.ignored;
    return;
  }
  const std::uint64_t payload_offset = ip_offset + static_cast<std::uint64_t>(packet->payload.data() - ip.data());
  if (packet->is_fragment()) {
    const auto* d = reassembly_.add(p.interface, *packet, payload_offset, p.time_ns);
    if (!d) return;
    // Extension headers after the fragment header are part of the reassembled data.
    const auto upper = net::upper_protocol(packet->protocol, d->pieces.front().bytes);
    if (!upper) {
      ++stats_.reassembled_dropped;
      return;
    }
    decode_reassembled(upper->protocol, packet->source, packet->destination, *d, upper->offset, p);
    return;
  }
  decode_transport(packet->protocol, packet->source, packet->destination, packet->payload, payload_offset, p);
}

std::optional<net::TcpSegment> CaptureDecoder::our_tcp(std::span<const std::uint8_t> b, std::uint64_t& refused) {
  auto tcp = net::parse_tcp(b);
  if (tcp && (wanted_tcp_port(tcp->destination_port) || wanted_tcp_port(tcp->source_port))) return tcp;
  if (tcp) {  // by either end, as --tcp-port matches them: a server's port is on every segment
    ++other_tcp_ports_[tcp->destination_port];
    if (tcp->source_port != tcp->destination_port) ++other_tcp_ports_[tcp->source_port];
  }
  ++refused;
  return std::nullopt;
}

void CaptureDecoder::decode_transport(std::uint8_t protocol, const net::IpAddress& source,
                                      const net::IpAddress& destination, std::span<const std::uint8_t> payload,
                                      std::uint64_t offset, const aio::Packet& p) {
  if (protocol == net::kIpProtocolTcp) {
    const auto tcp = our_tcp(payload, stats_.ignored);
    if (!tcp) return;
    const FlowKey key{p.interface, source, destination, tcp->source_port, tcp->destination_port, net::kIpProtocolTcp};
    tcp_segment(key, *tcp, offset + static_cast<std::uint64_t>(tcp->payload.data() - payload.data()), p.time_ns,
                options_.stable_packets);
    return;
  }
  const auto udp = net::parse_udp_header(payload);
  if (!udp || !wanted_port(udp->destination_port) || udp->length < 8 || udp->length > payload.size()) {
    if (udp && !wanted_port(udp->destination_port)) count_other_port(udp->destination_port);
    ++stats_.ignored;
    return;
  }
  const Piece piece{payload.subspan(8, udp->length - 8u), offset + 8};
  ++stats_.datagrams;
  deliver({p.interface, source, destination, udp->source_port, udp->destination_port, net::kIpProtocolUdp}, {&piece, 1},
          p.time_ns, options_.stable_packets);
}

void CaptureDecoder::decode_reassembled(std::uint8_t protocol, const net::IpAddress& source,
                                        const net::IpAddress& destination, const net::IpReassembly::Datagram& d,
                                        std::size_t skip, const aio::Packet& p) {
  std::size_t total = 0;
  for (const auto& piece : d.pieces) total += piece.bytes.size();
  const std::span<const std::uint8_t> first = std::span<const std::uint8_t>(d.pieces.front().bytes).subspan(skip);
  total -= skip;
  if (protocol == net::kIpProtocolTcp) {
    // The header must lie in the first fragment; each fragment's data then goes to the
    // stream as a segment of its own (exact file offsets), SYN and RST with the first,
    // FIN with the last.
    const auto tcp = our_tcp(first, stats_.reassembled_dropped);
    if (!tcp) return;
    const FlowKey key{p.interface, source, destination, tcp->source_port, tcp->destination_port, net::kIpProtocolTcp};
    net::TcpSegment part = *tcp;
    std::uint32_t seq = tcp->seq + (tcp->syn() ? 1u : 0u);
    for (std::size_t i = 0; i < d.pieces.size(); ++i) {
      const bool last = i + 1 == d.pieces.size();
      if (i > 0) {
        part.payload = d.pieces[i].bytes;
        part.seq = seq;
        part.flags = 0;
      }
      if (!last) part.flags = static_cast<std::uint8_t>(part.flags & ~net::TcpSegment::kFin);
      else part.flags = static_cast<std::uint8_t>(part.flags | (tcp->flags & net::TcpSegment::kFin));
      const std::uint64_t offset =
          d.pieces[i].offset + static_cast<std::uint64_t>(part.payload.data() - d.pieces[i].bytes.data());
      tcp_segment(key, part, offset, d.time_ns, false);
      if (tcp->rst()) break;
      seq += static_cast<std::uint32_t>(part.payload.size());
    }
    return;
  }
  const auto udp = protocol == net::kIpProtocolUdp ? net::parse_udp_header(first) : std::nullopt;
  if (!udp || !wanted_port(udp->destination_port) || udp->length < 8 || udp->length > total) {
    if (udp && !wanted_port(udp->destination_port)) count_other_port(udp->destination_port);
    ++stats_.reassembled_dropped;
    return;
  }
  // All fragment data goes to the flow (not cut to the UDP length), as §5.4 says.
  std::vector<Piece> pieces;
  pieces.reserve(d.pieces.size());
  for (const auto& piece : d.pieces) pieces.push_back({piece.bytes, piece.offset});
  const std::size_t header = std::min<std::size_t>(skip + 8, pieces.front().bytes.size());
  pieces.front().bytes = pieces.front().bytes.subspan(header);
  pieces.front().offset += header;
  ++stats_.datagrams;
  deliver({p.interface, source, destination, udp->source_port, udp->destination_port, net::kIpProtocolUdp}, pieces,
          d.time_ns, false);
}

void CaptureDecoder::tcp_segment(const FlowKey& key, const net::TcpSegment& s, std::uint64_t payload_offset,
                                 std::int64_t time_ns, bool stable) {
  ++stats_.segments;
  TcpConnection* const* found = tcp_index_.find(key);
  TcpConnection* c;
  if (found) {
    c = *found;
  } else {
    if (tcp_.size() >= options_.max_flows) evict_least_recent_tcp();
    tcp_.push_back(std::make_unique<TcpConnection>());
    c = tcp_.back().get();
    c->key = key;
    tcp_index_.insert(key, c);
  }
  c->last_used = ++tcp_clock_;
  TcpDelivery out(*this, c->key, stable);
  const std::uint64_t syn_starts = c->stream.syn_starts();
  c->stream.add(s, payload_offset, time_ns, tcp_budget_, out);
  if (s.syn() && s.acks() && c->stream.syn_starts() != syn_starts) {
    // A new connection's SYN-ACK: the SYN it answers began one in the other direction too,
    // even where that SYN repeated the last connection's (which alone reads as a copy).
    const FlowKey back{key.interface, key.destination, key.source, key.destination_port, key.source_port, key.protocol};
    if (TcpConnection* const* r = tcp_index_.find(back)) {
      TcpDelivery back_out(*this, (*r)->key, false);
      (*r)->stream.peer_began_anew(s.ack - 1, payload_offset, time_ns, tcp_budget_, back_out);
    }
  }
}

void CaptureDecoder::flush_tcp(TcpConnection& c) {
  TcpDelivery out(*this, c.key, false);
  c.stream.flush(tcp_budget_, out);
}

void CaptureDecoder::evict_least_recent_tcp() {
  auto oldest = std::min_element(tcp_.begin(), tcp_.end(),
                                 [](const auto& a, const auto& b) { return a->last_used < b->last_used; });
  if (oldest == tcp_.end()) return;
  ++tcp_evicted_;
  flush_tcp(**oldest);
  end_tcp(**oldest);
  tcp_index_.erase((*oldest)->key);
  tcp_.erase(oldest);
}

void CaptureDecoder::end_tcp(const TcpConnection& c) {
  tcp_ended_ += c.stream.stats();
  if (c.stream.stats().any_loss()) tcp_ended_losses_.emplace_back(c.key, c.stream.stats());
}

net::TcpStreamStats CaptureDecoder::tcp_stats() const noexcept {
  net::TcpStreamStats total = tcp_ended_;
  for (const auto& c : tcp_) total += c->stream.stats();
  return total;
}

CaptureFlow* CaptureDecoder::flow_for(const FlowKey& key) {
  if (CaptureFlow* const* found = flow_index_.find(key)) return *found;
  if (flows_.size() >= options_.max_flows) evict_least_recent();
  flows_.push_back(make_flow(key));
  flow_index_.insert(key, flows_.back().get());
  return flows_.back().get();
}

void CaptureDecoder::break_flow(const FlowKey& key, std::uint64_t missing, std::uint64_t offset, std::int64_t time_ns) {
  if (datagrams_) {
    datagrams_->on_break(key, missing, offset, time_ns);
    return;
  }
  CaptureFlow* flow = missing ? flow_for(key) : nullptr;
  if (!flow) {
    CaptureFlow* const* found = flow_index_.find(key);
    if (!found) return;
    flow = *found;
  }
  // The end of a stream is no use of its flow (for eviction): a decoder that began after
  // the flow's last bytes — a piece of a capture decoded apart — holds no flow to end, and
  // must evict as the decoder of the whole capture does.
  if (missing) flow->last_used = ++clock_;
  flow->break_stream(missing, offset, time_ns);
}

void CaptureDecoder::deliver(const FlowKey& key, std::span<const Piece> pieces, std::int64_t time_ns, bool stable) {
  if (datagrams_) {
    datagrams_->on_datagram(key, pieces, time_ns, stable);
    return;
  }
  CaptureFlow* flow = flow_for(key);
  flow->last_used = ++clock_;
  for (const Piece& piece : pieces) flow->feed(piece.bytes, piece.offset, time_ns);
  flow->end_datagram();
}

std::unique_ptr<CaptureFlow> CaptureDecoder::make_flow(const FlowKey& key) {
  auto flow = std::make_unique<CaptureFlow>(key, *sink_, options_.payload_text ? &payload_text_ : nullptr,
                                            options_.payload_gate, options_.catalogue);
  if (options_.sync_on_chains) flow->sync_on_chain();
  return flow;
}

bool CaptureDecoder::idle() const noexcept {
  return reassembly_.open_sets() == 0 &&
         std::all_of(flows_.begin(), flows_.end(), [](const auto& flow) { return flow->idle(); });
}

bool CaptureDecoder::tcp_continued_by(const CaptureDecoder& next) const noexcept {
  if (next.tcp_evicted_) return false;
  if (!std::all_of(tcp_.begin(), tcp_.end(), [](const auto& c) { return c->stream.settled(); })) return false;
  std::size_t added = 0;
  for (const auto& c : next.tcp_) {
    TcpConnection* const* mine = tcp_index_.find(c->key);
    if (!mine) {
      ++added;  // new in both: next made it as this decoder would have
      continue;
    }
    const net::TcpStream& before = (*mine)->stream;
    if (!before.continued_by(c->stream)) return false;
    if (!before.started()) continue;  // ended by a RST: it starts afresh in both
    const std::optional<std::uint32_t> at = c->stream.began_plainly_at();
    if (!at || *at != before.next_sequence()) return false;
  }
  return tcp_.size() + added <= options_.max_flows;
}

CaptureDecoder::CutState CaptureDecoder::cut_here(dlt::FramerSink& sink, const dlt::PayloadGate* gate,
                                                  bool payload_text) {
  // A flow that found no place where packets begin is as if the lead-in had not seen it.
  std::erase_if(flows_, [&](const std::unique_ptr<CaptureFlow>& flow) {
    if (!flow->syncing()) return false;
    flow_index_.erase(flow->key());
    return true;
  });
  options_.sync_on_chains = false;
  CutState cut;
  cut.flow_clock = clock_;
  tcp_clock_at_cut_ = tcp_clock_;
  cut.fragment_sets = reassembly_.set_states();
  cut.finished_fragments = reassembly_.finished_states();
  cut.clean = !stats_.flows_evicted && !tcp_evicted_ &&
              std::all_of(tcp_.begin(), tcp_.end(), [](const auto& c) { return c->stream.settled(); });
  for (const auto& c : tcp_) cut.tcp.push_back({c->key, c->stream.started(), c->stream.next_sequence()});
  for (const auto& flow : flows_) {
    cut.flows.push_back({flow->key(), flow->idle(), flow->mid_stream(), {}});
    flow->append_state(cut.flows.back().state);
  }
  // What the lead-in counted, the decoder before counted too.
  stats_ = {};
  reassembly_.clear_stats();
  reassembly_.note_from_here();
  tcp_ended_ = {};
  tcp_ended_losses_.clear();
  tcp_evicted_ = 0;
  other_ports_.clear();
  other_tcp_ports_.clear();
  for (auto& c : tcp_) c->stream.begin_here();
  for (auto& flow : flows_) flow->forget_start();
  options_.payload_text = payload_text;
  redirect(sink, gate);
  return cut;
}

namespace {

// The fragment sets open at a cut in a piece's decoder (`at_cut`) that the decoder before
// it (whose sets are `before`) does not hold: it finished them with fragments from before
// the piece's lead-in.
std::vector<std::string> finished_before(std::span<const std::string> at_cut, std::span<const std::string> before) {
  std::vector<std::string> finished;
  for (const std::string& set : at_cut)
    if (std::find(before.begin(), before.end(), set) == before.end()) finished.push_back(set);
  return finished;
}

}  // namespace

bool CaptureDecoder::continues_at(const CutState& cut, std::span<const FlowHistory> history,
                                  const CaptureDecoder& next) const {
  if (!cut.clean) return false;
  // The sets held here are open in `next` at the cut as here, in the same order; those it
  // holds besides were finished here, and `next` did not touch them after the cut (it
  // drops them when it takes over: drop_finished_fragments).
  const std::vector<std::string> sets = reassembly_.set_states();
  std::vector<std::string> shared;
  for (const std::string& set : cut.fragment_sets)
    if (std::find(sets.begin(), sets.end(), set) != sets.end()) shared.push_back(set);
  if (shared != sets) return false;
  // The completed datagrams `next` remembered at the cut are remembered here too; what it
  // took after the cut it took as this decoder would have.
  std::vector<std::string> remembered = reassembly_.finished_states(), held = cut.finished_fragments;
  std::sort(remembered.begin(), remembered.end());
  std::sort(held.begin(), held.end());
  if (!std::includes(remembered.begin(), remembered.end(), held.begin(), held.end())) return false;
  if (!next.reassembly_.continues(reassembly_)) return false;
  const std::vector<std::string> finished = finished_before(cut.fragment_sets, sets);
  if (!finished.empty()) {
    // Nor did they count against its limits: it dropped no set.
    if (next.reassembly_.stats().dropped_sets) return false;
    const std::vector<std::string> now = next.reassembly_.set_states();
    for (const std::string& set : finished)
      if (std::find(now.begin(), now.end(), set) == now.end()) return false;
  }
  for (const CutState::Tcp& t : cut.tcp) {
    TcpConnection* const* mine = tcp_index_.find(t.key);
    if (!mine || (*mine)->stream.started() != t.started ||
        (t.started && (*mine)->stream.next_sequence() != t.next_sequence))
      return false;
    TcpConnection* const* theirs = next.tcp_index_.find(t.key);
    if (theirs && !(*mine)->stream.continued_by((*theirs)->stream)) return false;
  }
  FlowTable<std::size_t> at_cut;  // key -> index in cut.flows
  for (std::size_t i = 0; i < cut.flows.size(); ++i) at_cut.insert(cut.flows[i].key, i);
  std::string state;
  std::size_t matched = 0;
  for (const auto& flow : flows_) {
    const std::size_t* i = at_cut.find(flow->key());
    if (!i) {
      if (!flow->idle()) return false;  // the lead-in did not reach back to where it began
      continue;
    }
    state.clear();
    flow->append_state(state);
    if (state != cut.flows[*i].state) return false;
    ++matched;
  }
  if (matched == cut.flows.size()) return true;
  // The other flows the lead-in saw were idle here, and held only in `history` (the same
  // packets came by): the lead-in's flow must be idle too, as far under way.
  FlowTable<std::size_t> in_history;
  for (std::size_t i = 0; i < history.size(); ++i)
    if (!in_history.find(history[i].key)) in_history.insert(history[i].key, i);
  return std::all_of(cut.flows.begin(), cut.flows.end(), [&](const CutState::Flow& f) {
    if (flow_index_.find(f.key)) return true;
    const std::size_t* h = in_history.find(f.key);
    return h && f.idle && f.mid_stream == history[*h].mid_stream;
  });
}

void CaptureDecoder::drop_finished_fragments(const CutState& cut, const CaptureDecoder& before) {
  reassembly_.drop_sets(finished_before(cut.fragment_sets, before.reassembly_.set_states()));
}

void CaptureDecoder::adopt(std::span<const FlowHistory> history) {
  FlowTable<std::size_t> held;  // key -> index in flows_ of the flows not yet placed
  for (std::size_t i = 0; i < flows_.size(); ++i) held.insert(flows_[i]->key(), i);
  std::vector<std::unique_ptr<CaptureFlow>> ordered;
  ordered.reserve(history.size() + flows_.size());
  flow_index_.clear();
  for (const FlowHistory& h : history) {
    if (flow_index_.find(h.key)) continue;  // named twice: the first place counts
    std::unique_ptr<CaptureFlow> flow;
    if (const std::size_t* at = held.find(h.key)) {
      flow = std::move(flows_[*at]);
      held.erase(h.key);
    } else {
      flow = make_flow(h.key);
      if (h.mid_stream) flow->continue_stream();
    }
    flow->last_used = h.last_used;
    clock_ = std::max(clock_, h.last_used);
    flow_index_.insert(h.key, flow.get());
    ordered.push_back(std::move(flow));
  }
  for (auto& flow : flows_) {
    if (!flow) continue;
    flow_index_.insert(flow->key(), flow.get());
    ordered.push_back(std::move(flow));
  }
  flows_ = std::move(ordered);
}

void CaptureDecoder::redirect(dlt::FramerSink& sink, const dlt::PayloadGate* gate) {
  sink_ = &sink;
  options_.payload_gate = gate;
  for (auto& flow : flows_) flow->redirect(sink, options_.payload_text ? &payload_text_ : nullptr, gate);
}

std::vector<std::unique_ptr<CaptureFlow>> CaptureDecoder::hand_over(DatagramSink& datagrams, bool stable_packets) {
  datagrams_ = &datagrams;
  options_.stable_packets = stable_packets;
  flow_index_.clear();
  return std::exchange(flows_, {});
}

CaptureDecoder::Stats& CaptureDecoder::Stats::operator+=(const Stats& o) noexcept {
  packets += o.packets;
  datagrams += o.datagrams;
  segments += o.segments;
  ignored += o.ignored;
  truncated += o.truncated;
  unsupported_link += o.unsupported_link;
  tecmp_bad_version += o.tecmp_bad_version;
  reassembled_dropped += o.reassembled_dropped;
  flows_evicted += o.flows_evicted;
  beyond_snapshot += o.beyond_snapshot;
  return *this;
}

void CaptureDecoder::absorb(CaptureDecoder&& before) {
  stats_ += before.stats_;
  reassembly_.add_stats(before.reassembly_.stats());
  reassembly_.take_finished(before.reassembly_);
  tcp_ended_ += before.tcp_ended_;
  tcp_ended_losses_.insert(tcp_ended_losses_.begin(), before.tcp_ended_losses_.begin(), before.tcp_ended_losses_.end());
  for (const auto& [port, n] : before.other_tcp_ports_) other_tcp_ports_[port] += n;
  for (const auto& [port, n] : before.other_ports_) other_ports_[port] += n;
  // The connections: `before`'s first, in their order, each continued by this decoder's
  // stream of it if there is one; then this decoder's new ones. Those it did not use since
  // its lead-in (if any) ended keep their last use in `before`; those it did come after
  // every one of `before`'s.
  std::vector<std::unique_ptr<TcpConnection>> ordered;
  ordered.reserve(before.tcp_.size() + tcp_.size());
  FlowTable<std::size_t> place;  // key -> index in tcp_
  const std::uint64_t cut = std::exchange(tcp_clock_at_cut_, 0);
  std::vector<bool> used_since_cut(tcp_.size());
  for (std::size_t i = 0; i < tcp_.size(); ++i) {
    place.insert(tcp_[i]->key, i);
    used_since_cut[i] = tcp_[i]->last_used > cut;
    if (used_since_cut[i]) tcp_[i]->last_used = tcp_[i]->last_used - cut + before.tcp_clock_;
  }
  tcp_clock_ = tcp_clock_ - cut + before.tcp_clock_;
  for (auto& b : before.tcp_) {
    const std::size_t* at = place.find(b->key);
    if (!at) {
      ordered.push_back(std::move(b));
      continue;
    }
    if (!used_since_cut[*at]) tcp_[*at]->last_used = b->last_used;
    tcp_[*at]->stream.carry_on_from(b->stream);
    ordered.push_back(std::move(tcp_[*at]));
  }
  before.tcp_.clear();  // what was not moved held nothing (settled)
  before.tcp_index_.clear();
  for (auto& c : tcp_)
    if (c) ordered.push_back(std::move(c));
  tcp_ = std::move(ordered);
  tcp_index_.clear();
  for (const auto& c : tcp_) tcp_index_.insert(c->key, c.get());
}

void CaptureDecoder::evict_least_recent() {
  auto oldest = std::min_element(flows_.begin(), flows_.end(),
                                 [](const auto& a, const auto& b) { return a->last_used < b->last_used; });
  if (oldest == flows_.end()) return;
  ++stats_.flows_evicted;
  (*oldest)->finish();
  flow_index_.erase((*oldest)->key());
  flows_.erase(oldest);
}

bool CaptureLosses::any() const noexcept {
  return fragment_sets_dropped || fragment_sets_discarded || fragment_sets_incomplete || tecmp_bad_version ||
         flows_ended_early || beyond_snapshot || tcp.any_loss();
}

std::string CaptureLosses::text() const {
  std::string out;
  // `n noun(s) rest`: the noun takes an s unless there is one (a new user read "1 IP
  // fragment sets").
  auto add = [&](std::uint64_t n, const char* noun, const std::string& rest) {
    if (n == 0) return;
    out += out.empty() ? "" : ", ";
    out += std::to_string(n) + " " + noun + (n == 1 ? "" : "s") + rest;
  };
  add(fragment_sets_dropped, "IP fragment set", " dropped at the memory limit");
  add(fragment_sets_discarded, "IP fragment set", " discarded (15 s gap, overlap or conflicting last fragment)");
  add(fragment_sets_incomplete, "IP fragment set", " incomplete at the end");
  add(tecmp_bad_version, "TECMP frame", " of a version other than 3");
  add(flows_ended_early, "flow", " ended early at the flow limit");
  if (beyond_snapshot)
    add(beyond_snapshot, "record",
        " captured longer than the snapshot length " + std::to_string(snapshot_length) + " (read whole)");
  if (tcp.missing) {
    std::string why = std::to_string(tcp.gaps) + (tcp.gaps == 1 ? " gap" : " gaps");
    if (tcp.forced) why += ", " + std::to_string(tcp.forced) + " given up at the memory limit";
    if (flows.size() + flows_not_listed > 1 && !flows.empty() && flows.front().stats.missing)
      why += "; " + std::to_string(flows.front().stats.missing) + " bytes from " + flows.front().name;
    else if (!flows.empty() && flows.front().stats.missing) why += " in " + flows.front().name;
    add(tcp.missing, "byte", " missing from TCP streams (" + why + ")");
  }
  add(tcp.retransmitted, "TCP byte", " retransmitted");
  add(tcp.conflicts, "TCP byte", " overlapping differently (the first copy kept)");
  add(tcp.out_of_window, "TCP byte", " outside the stream's window (ignored)");
  add(tcp.resyncs, "TCP stream jump", " followed");
  return out;
}

CaptureLosses CaptureDecoder::losses() const {
  const auto& r = reassembly_.stats();
  CaptureLosses l;
  l.fragment_sets_dropped = r.dropped_sets;
  l.fragment_sets_discarded = r.discarded_sets;
  l.fragment_sets_incomplete = r.incomplete_at_end;
  l.tecmp_bad_version = stats_.tecmp_bad_version;
  l.flows_ended_early = stats_.flows_evicted;
  l.beyond_snapshot = stats_.beyond_snapshot;
  l.snapshot_length = options_.snapshot_length;
  l.tcp = tcp_stats();
  std::vector<std::pair<FlowKey, net::TcpStreamStats>> lossy = tcp_ended_losses_;
  for (const auto& c : tcp_)
    if (c->stream.stats().any_loss()) lossy.emplace_back(c->key, c->stream.stats());
  std::stable_sort(lossy.begin(), lossy.end(), [](const auto& a, const auto& b) {
    return a.second.missing != b.second.missing ? a.second.missing > b.second.missing
                                                : a.second.retransmitted > b.second.retransmitted;
  });
  for (const auto& [key, stats] : lossy) {
    if (l.flows.size() == CaptureLosses::kMaxFlowsListed) {
      ++l.flows_not_listed;
      continue;
    }
    l.flows.push_back({flow_name(key), stats});
  }
  return l;
}

namespace {

// `no UDP datagrams to port 3490; found UDP ports 3491 (120 datagrams), 5000 (3)`: the
// ports wanted, then the busiest five found (none: only the first part).
std::string ports_found(std::vector<std::uint16_t> wanted,
                        const std::unordered_map<std::uint16_t, std::uint64_t>& found, const char* protocol,
                        const char* what, const char* direction) {
  std::vector<std::pair<std::uint16_t, std::uint64_t>> ports(found.begin(), found.end());
  std::sort(ports.begin(), ports.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::string out =
      std::string("no ") + protocol + " " + what + "s " + direction + (wanted.size() == 1 ? " port " : " ports ");
  for (std::size_t i = 0; i < wanted.size(); ++i) out += (i ? ", " : "") + std::to_string(wanted[i]);
  if (ports.empty()) return out;
  out += std::string("; found ") + protocol + (ports.size() == 1 ? " port " : " ports ");
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < std::min(ports.size(), kShown); ++i)
    out += (i ? ", " : "") + std::to_string(ports[i].first) + " (" + std::to_string(ports[i].second) + " " + what +
           (ports[i].second == 1 ? ")" : "s)");
  if (ports.size() > kShown)
    out +=
        " and " + std::to_string(ports.size() - kShown) + (ports.size() - kShown == 1 ? " other port" : " other ports");
  return out;
}

}  // namespace

std::string CaptureDecoder::nothing_found() const {
  if (stats_.datagrams > 0 || stats_.segments > 0 || stats_.packets == 0) return {};
  if (!other_ports_.empty() || !other_tcp_ports_.empty()) {
    std::string out = ports_found(options_.udp_ports, other_ports_, "UDP", "datagram", "to");
    if (!other_tcp_ports_.empty())
      out += "; " + ports_found(options_.tcp_ports, other_tcp_ports_, "TCP", "segment", "to or from");
    return out;
  }
  std::string out = "no UDP datagrams or TCP segments in " + std::to_string(stats_.packets) +
                    (stats_.packets == 1 ? " packet" : " packets");
  std::string why;
  auto add = [&](std::uint64_t n, const char* what) {
    if (n == 0) return;
    why += why.empty() ? " (" : ", ";
    why += std::to_string(n) + " " + what;
  };
  add(stats_.unsupported_link, "of link types not decoded");
  add(stats_.truncated, "captured shorter than on the wire");
  return out + why + (why.empty() ? "" : ")");
}

void CaptureDecoder::finish() {
  for (auto& c : tcp_) flush_tcp(*c);  // what waited for missing segments, after their gaps
  for (auto& c : tcp_) end_tcp(*c);
  tcp_.clear();
  tcp_index_.clear();
  reassembly_.finish();
  for (auto& flow : flows_) flow->finish();
  flows_.clear();
  flow_index_.clear();
}

}  // namespace dltdump::dissect
