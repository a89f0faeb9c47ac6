#include "input/capture_decoder.hpp"

#include <algorithm>

#include "aio/packet.hpp"
#include "net/link.hpp"
#include "net/tecmp.hpp"

namespace dltdump::input {

namespace {

// Bytes of a flow's stream a future event may still start in: one carried packet (the
// largest is 65535 + its prefix) plus one datagram, with room to spare.
constexpr std::uint64_t kLiveWindow = 256u << 10;

util::Timestamp to_timestamp(std::int64_t ns) {
  if (ns == aio::Packet::kNoTime) return {};
  const std::int64_t us = ns >= 0 ? ns / 1000 : -((-ns + 999) / 1000);
  return {us, true};
}

}  // namespace

// A flow: its framer, and which stream bytes came from which file offset at what time.
struct CaptureDecoder::Flow final : dlt::FramerSink {
  struct Segment {
    std::uint64_t stream_start;
    std::uint64_t file_offset;
    std::int64_t time_ns;
  };

  Flow(const FlowKey& k, dlt::FramerSink& out, util::TextBuffer* text) : key(k), out_(out) {
    if (text) framer.set_payload_text(text);
  }

  void feed(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns) {
    if (bytes.empty()) return;
    segments_.push_back({framer.fed(), file_offset, time_ns});
    if (first_ > 64 && first_ * 2 > segments_.size()) {  // drop what events have passed
      segments_.erase(segments_.begin(), segments_.begin() + static_cast<long>(first_));
      first_ = 0;
    }
    // Garbage without end keeps a skip record open: keep its first segment and the recent
    // ones, drop the middle, so memory stays bounded.
    if (segments_.size() - first_ > 512) {
      const std::uint64_t keep_from = framer.fed() > kLiveWindow ? framer.fed() - kLiveWindow : 0;
      auto begin = segments_.begin() + static_cast<long>(first_) + 1;
      auto first_live = std::find_if(begin, segments_.end(), [&](const Segment& s) { return s.stream_start >= keep_from; });
      if (first_live != begin) first_live = std::prev(first_live);
      segments_.erase(begin, first_live);
    }
    framer.feed(bytes, *this);
  }

  void on_message(const dlt::Message& m) override {
    dlt::Message located = m;
    locate(located.position, located.time);
    out_.on_message(located);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    dlt::SkipRecord located = s;
    locate(located.position, located.time);
    out_.on_skip(located);
  }

  FlowKey key;
  dlt::Framer framer{dlt::StreamFormat::Network, 0};
  std::uint64_t last_used = 0;

 private:
  // Stream offset → file offset and time of the datagram holding it. Events come in
  // stream order, so the search starts where the previous one ended.
  void locate(std::uint64_t& position, util::Timestamp& time) {
    while (first_ + 1 < segments_.size() && segments_[first_ + 1].stream_start <= position) ++first_;
    const Segment& s = segments_[first_];
    position = s.file_offset + (position - s.stream_start);
    time = to_timestamp(s.time_ns);
  }

  dlt::FramerSink& out_;
  std::vector<Segment> segments_;  // segments_[first_] holds the next event's first byte
  std::size_t first_ = 0;
};

std::size_t CaptureDecoder::FlowKeyHash::operator()(const FlowKey& k) const noexcept {
  std::uint64_t h = k.interface;
  h = h * 0x9E3779B97F4A7C15ull ^ k.source;
  h = h * 0x9E3779B97F4A7C15ull ^ k.destination;
  h = h * 0x9E3779B97F4A7C15ull ^ (static_cast<std::uint64_t>(k.source_port) << 16 | k.destination_port);
  return static_cast<std::size_t>(h ^ (h >> 29));
}

CaptureDecoder::CaptureDecoder(const Options& options, dlt::FramerSink& sink)
    : options_(options), sink_(sink), reassembly_(options.reassembly) {}

CaptureDecoder::~CaptureDecoder() = default;

bool CaptureDecoder::wanted_port(std::uint16_t port) const noexcept {
  return std::find(options_.udp_ports.begin(), options_.udp_ports.end(), port) != options_.udp_ports.end();
}

int CaptureDecoder::send(std::span<const aio::Packet> batch, std::size_t* first_unsent, bool) noexcept {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      decode(batch[i]);
    } catch (...) {
      failure_ = std::current_exception();
      if (first_unsent) *first_unsent = i;
      return aio::kErrIo;
    }
  }
  return aio::kSuccess;
}

void CaptureDecoder::decode(const aio::Packet& p) {
  ++stats_.packets;
  if (p.original_size > p.size) {
    ++stats_.truncated;
    return;
  }
  const std::span<const std::uint8_t> frame(p.data, p.size);
  const auto link = net::strip_link(p.link_type, frame);
  if (!link) {
    const bool known = p.link_type == aio::link_type::kEthernet || p.link_type == aio::link_type::kLinuxSll ||
                       p.link_type == aio::link_type::kLinuxSll2 || p.link_type == aio::link_type::kRaw ||
                       p.link_type == aio::link_type::kIpv4;
    ++(known ? stats_.ignored : stats_.unsupported_link);
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
    if (status == net::TecmpStatus::bad_version) ++stats_.tecmp_bad_version;
    else if (status != net::TecmpStatus::decoded) ++stats_.ignored;
  } else {
    ++stats_.ignored;
  }
}

void CaptureDecoder::decode_ip(std::span<const std::uint8_t> ip, const aio::Packet& p, std::uint64_t ip_offset) {
  const auto packet = net::parse_ipv4_udp(ip);
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
            d->time_ns);
    return;
  }
  const auto udp = net::parse_udp_header(packet->payload);
  if (!udp || !wanted_port(udp->destination_port) || udp->length < 8 || udp->length > packet->payload.size()) {
    ++stats_.ignored;
    return;
  }
  const Piece piece{packet->payload.subspan(8, udp->length - 8u), payload_offset + 8};
  deliver({p.interface, packet->source, packet->destination, udp->source_port, udp->destination_port}, {&piece, 1},
          p.time_ns);
}

void CaptureDecoder::deliver(const FlowKey& key, std::span<const Piece> pieces, std::int64_t time_ns) {
  ++stats_.datagrams;
  auto it = flow_index_.find(key);
  Flow* flow;
  if (it != flow_index_.end()) {
    flow = it->second;
  } else {
    if (flows_.size() >= options_.max_flows) evict_least_recent();
    flows_.push_back(std::make_unique<Flow>(key, sink_, options_.payload_text ? &payload_text_ : nullptr));
    flow = flows_.back().get();
    flow_index_.emplace(key, flow);
  }
  flow->last_used = ++clock_;
  for (const Piece& piece : pieces) flow->feed(piece.bytes, piece.offset, time_ns);
}

void CaptureDecoder::evict_least_recent() {
  auto oldest = std::min_element(flows_.begin(), flows_.end(),
                                 [](const auto& a, const auto& b) { return a->last_used < b->last_used; });
  if (oldest == flows_.end()) return;
  ++stats_.flows_evicted;
  (*oldest)->framer.finish(**oldest);
  flow_index_.erase((*oldest)->key);
  flows_.erase(oldest);
}

std::string CaptureDecoder::loss_summary() const {
  std::string out;
  auto add = [&](std::uint64_t n, const char* what) {
    if (n == 0) return;
    out += out.empty() ? "" : ", ";
    out += std::to_string(n) + " " + what;
  };
  const auto& r = reassembly_.stats();
  add(r.dropped_sets, "IPv4 fragment sets dropped at the memory limit");
  add(r.discarded_sets, "IPv4 fragment sets discarded (15 s gap, overlap or conflicting last fragment)");
  add(r.incomplete_at_end, "IPv4 fragment sets incomplete at the end");
  add(stats_.tecmp_bad_version, "TECMP frames of a version other than 3");
  add(stats_.flows_evicted, "flows ended early at the flow limit");
  return out;
}

void CaptureDecoder::finish() {
  reassembly_.finish();
  for (auto& flow : flows_) flow->framer.finish(*flow);
  flows_.clear();
  flow_index_.clear();
}

}  // namespace dltdump::input
