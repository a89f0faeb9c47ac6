#include "dissect/capture_decoder.hpp"

#include <algorithm>
#include <utility>

#include "aio/packet.hpp"
#include "dissect/capture_decoder_split.hpp"
#include "net/link.hpp"
#include "net/tecmp.hpp"

namespace dltdump::dissect {

CaptureDecoder::CaptureDecoder(const Options& options, dlt::FramerSink& sink)
    : CaptureDecoder(options, &sink, nullptr) {}

CaptureDecoder::CaptureDecoder(const Options& options, DatagramSink& datagrams)
    : CaptureDecoder(options, nullptr, &datagrams) {}

CaptureDecoder::CaptureDecoder(const Options& options, dlt::FramerSink* sink, DatagramSink* datagrams)
    : options_(options), sink_(sink), datagrams_(datagrams), reassembly_(options.reassembly) {
  for (const std::uint16_t port : options_.udp_ports) wanted_ports_.set(port);
}

CaptureDecoder::~CaptureDecoder() = default;

bool CaptureDecoder::wanted_port(std::uint16_t port) const noexcept { return wanted_ports_.test(port); }

void CaptureDecoder::take(std::span<const aio::Packet> batch) {
  for (const aio::Packet& p : batch) decode(p);
}

void CaptureDecoder::decode(const aio::Packet& p) {
  ++stats_.packets;
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
  if (link->ether_type == net::kEtherTypeIpv4) {
    decode_ip(link->payload, p, offset_of(link->payload));
  } else if (link->ether_type == net::kEtherTypeTecmp || link->ether_type == net::kEtherTypeTecmpOld) {
    const auto status = net::for_each_tecmp_entry(link->payload, [&](std::span<const std::uint8_t> inner) {
      const auto l = net::strip_ethernet(inner);
      if (l && l->ether_type == net::kEtherTypeIpv4) decode_ip(l->payload, p, offset_of(l->payload));
      else ++stats_.ignored;
    });
    if (status == net::TecmpStatus::BadVersion) ++stats_.tecmp_bad_version;
    else if (status != net::TecmpStatus::Decoded) ++stats_.ignored;
  } else {
    ++stats_.ignored;
  }
}

void CaptureDecoder::decode_ip(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset) {
  const auto packet = net::parse_ipv4_udp(ip, options_.capture_minimum ? net::kMinCapturedIpv4Udp : 28);
  if (!packet) {
    ++stats_.ignored;
    return;
  }
  const std::uint64_t payload_offset = ip_offset + static_cast<std::uint64_t>(packet->payload.data() - ip.data());
  if (packet->is_fragment()) {
    // Every fragment is kept, whatever its ports: the UDP header is only in the first.
    const auto* d = reassembly_.add(p.interface, *packet, payload_offset, p.time_ns);
    if (!d) return;
    std::size_t total = 0;
    for (const auto& piece : d->pieces) total += piece.bytes.size();
    const auto udp = net::parse_udp_header(d->pieces.front().bytes);
    if (!udp || !wanted_port(udp->destination_port) || udp->length < 8 || udp->length > total) {
      if (udp && !wanted_port(udp->destination_port)) count_other_port(udp->destination_port);
      ++stats_.reassembled_dropped;
      return;
    }
    // All fragment data goes to the flow (not cut to the UDP length), as §5.4 says.
    std::vector<Piece> pieces;
    pieces.reserve(d->pieces.size());
    for (const auto& piece : d->pieces) pieces.push_back({piece.bytes, piece.offset});
    pieces.front().bytes = pieces.front().bytes.subspan(std::min<std::size_t>(8, pieces.front().bytes.size()));
    pieces.front().offset += 8;
    deliver({p.interface, packet->source, packet->destination, udp->source_port, udp->destination_port}, pieces,
            d->time_ns, false);
    return;
  }
  const auto udp = net::parse_udp_header(packet->payload);
  if (!udp || !wanted_port(udp->destination_port) || udp->length < 8 || udp->length > packet->payload.size()) {
    if (udp && !wanted_port(udp->destination_port)) count_other_port(udp->destination_port);
    ++stats_.ignored;
    return;
  }
  const Piece piece{packet->payload.subspan(8, udp->length - 8u), payload_offset + 8};
  deliver({p.interface, packet->source, packet->destination, udp->source_port, udp->destination_port}, {&piece, 1},
          p.time_ns, options_.stable_packets);
}

void CaptureDecoder::deliver(const FlowKey& key, std::span<const Piece> pieces, std::int64_t time_ns, bool stable) {
  ++stats_.datagrams;
  if (datagrams_) {
    datagrams_->on_datagram(key, pieces, time_ns, stable);
    return;
  }
  CaptureFlow* const* found = flow_index_.find(key);
  CaptureFlow* flow;
  if (found) {
    flow = *found;
  } else {
    if (flows_.size() >= options_.max_flows) evict_least_recent();
    flows_.push_back(make_flow(key));
    flow = flows_.back().get();
    flow_index_.insert(key, flow);
  }
  flow->last_used = ++clock_;
  for (const Piece& piece : pieces) flow->feed(piece.bytes, piece.offset, time_ns);
}

std::unique_ptr<CaptureFlow> CaptureDecoder::make_flow(const FlowKey& key) {
  return std::make_unique<CaptureFlow>(key, *sink_, options_.payload_text ? &payload_text_ : nullptr,
                                       options_.payload_gate, options_.catalogue);
}

bool CaptureDecoder::idle() const noexcept {
  return reassembly_.open_sets() == 0 &&
         std::all_of(flows_.begin(), flows_.end(), [](const auto& flow) { return flow->idle(); });
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
  ignored += o.ignored;
  truncated += o.truncated;
  unsupported_link += o.unsupported_link;
  tecmp_bad_version += o.tecmp_bad_version;
  reassembled_dropped += o.reassembled_dropped;
  flows_evicted += o.flows_evicted;
  beyond_snapshot += o.beyond_snapshot;
  return *this;
}

void CaptureDecoder::absorb_stats(const CaptureDecoder& other) {
  stats_ += other.stats_;
  reassembly_.add_stats(other.reassembly_.stats());
  for (const auto& [port, n] : other.other_ports_) other_ports_[port] += n;
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
         flows_ended_early || beyond_snapshot;
}

std::string CaptureLosses::text() const {
  std::string out;
  auto add = [&](std::uint64_t n, const std::string& what) {
    if (n == 0) return;
    out += out.empty() ? "" : ", ";
    out += std::to_string(n) + " " + what;
  };
  add(fragment_sets_dropped, "IPv4 fragment sets dropped at the memory limit");
  add(fragment_sets_discarded, "IPv4 fragment sets discarded (15 s gap, overlap or conflicting last fragment)");
  add(fragment_sets_incomplete, "IPv4 fragment sets incomplete at the end");
  add(tecmp_bad_version, "TECMP frames of a version other than 3");
  add(flows_ended_early, "flows ended early at the flow limit");
  if (beyond_snapshot)
    add(beyond_snapshot,
        "records captured longer than the snapshot length " + std::to_string(snapshot_length) + " (read whole)");
  return out;
}

CaptureLosses CaptureDecoder::losses() const noexcept {
  const auto& r = reassembly_.stats();
  CaptureLosses l;
  l.fragment_sets_dropped = r.dropped_sets;
  l.fragment_sets_discarded = r.discarded_sets;
  l.fragment_sets_incomplete = r.incomplete_at_end;
  l.tecmp_bad_version = stats_.tecmp_bad_version;
  l.flows_ended_early = stats_.flows_evicted;
  l.beyond_snapshot = stats_.beyond_snapshot;
  l.snapshot_length = options_.snapshot_length;
  return l;
}

std::string CaptureDecoder::nothing_found() const {
  if (stats_.datagrams > 0 || stats_.packets == 0) return {};
  if (!other_ports_.empty()) {
    std::vector<std::pair<std::uint16_t, std::uint64_t>> ports(other_ports_.begin(), other_ports_.end());
    std::sort(ports.begin(), ports.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::vector<std::uint16_t> wanted = options_.udp_ports;
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    std::string out = wanted.size() == 1 ? "no UDP datagrams to port " : "no UDP datagrams to ports ";
    for (std::size_t i = 0; i < wanted.size(); ++i) out += (i ? ", " : "") + std::to_string(wanted[i]);
    out += ports.size() == 1 ? "; found UDP port " : "; found UDP ports ";
    constexpr std::size_t kShown = 5;
    for (std::size_t i = 0; i < std::min(ports.size(), kShown); ++i)
      out += (i ? ", " : "") + std::to_string(ports[i].first) + " (" + std::to_string(ports[i].second) +
             (ports[i].second == 1 ? " datagram)" : " datagrams)");
    if (ports.size() > kShown) out += " and " + std::to_string(ports.size() - kShown) + " other ports";
    return out;
  }
  std::string out =
      "no UDP/IPv4 datagrams in " + std::to_string(stats_.packets) + (stats_.packets == 1 ? " packet" : " packets");
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
  reassembly_.finish();
  for (auto& flow : flows_) flow->finish();
  flows_.clear();
  flow_index_.clear();
}

}  // namespace dltdump::dissect
