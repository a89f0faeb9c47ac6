#include "dissect/capture_flow.hpp"

#include <algorithm>

#include "aio/packet.hpp"
#include "dlt/framer_split.hpp"
#include "dlt/packet_chain.hpp"
#include "util/state_text.hpp"

namespace dltdump::dissect {

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

std::string flow_name(const FlowKey& key) {
  auto end = [](const net::IpAddress& a, std::uint16_t port) {
    return (a.is_v4() ? net::to_string(a) : "[" + net::to_string(a) + "]") + ":" + std::to_string(port);
  };
  return std::string(key.protocol == 6 ? "TCP " : "UDP ") + end(key.source, key.source_port) + " > " +
         end(key.destination, key.destination_port);
}

CaptureFlow::CaptureFlow(const FlowKey& key, dlt::FramerSink& out, util::TextBuffer* text, const dlt::PayloadGate* gate,
                         const dlt::Catalogue* catalogue)
    : key_(key), out_(&out), lines_(out.in_place_lines()) {
  if (text) framer_.set_payload_text(text);
  framer_.set_payload_gate(gate);
  framer_.set_catalogue(catalogue);
  // Each piece fed is a datagram, a TCP segment or a piece of a reassembled datagram:
  // where the sender's unit ends, a packet found while resynchronising is confirmed.
  framer_.set_units(true);
}

void CaptureFlow::sync_on_chain() { sync_ = std::make_unique<Sync>(); }

void CaptureFlow::feed_syncing(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns) {
  Sync& sync = *sync_;
  sync.pieces.push_back({sync.bytes.size(), file_offset, time_ns});
  sync.bytes.insert(sync.bytes.end(), bytes.begin(), bytes.end());
  // Three packets of a few hundred bytes each fit in the reach: a position is tried once
  // that many bytes follow it.
  constexpr std::size_t kReach = 1024;
  const dlt::ChainSearch search = dlt::find_packet_chain(sync.bytes, 0, kSyncPackets, kReach);
  if (!search.found) {
    // The positions tried are dropped (memory stays within the reach and one piece).
    std::size_t keep = 0;
    while (keep + 1 < sync.pieces.size() && sync.pieces[keep + 1].stream_start <= search.next) ++keep;
    sync.pieces.erase(sync.pieces.begin(), sync.pieces.begin() + static_cast<long>(keep));
    for (Segment& piece : sync.pieces) {
      if (piece.stream_start < search.next) {
        piece.file_offset += search.next - piece.stream_start;
        piece.stream_start = 0;
      } else {
        piece.stream_start -= search.next;
      }
    }
    sync.bytes.erase(sync.bytes.begin(), sync.bytes.begin() + static_cast<long>(search.next));
    return;
  }
  // Found: the framer goes on from there, under way, each piece fed as it came.
  const std::unique_ptr<Sync> held = std::move(sync_);
  framer_.continue_stream();
  const std::size_t from = *search.found;
  for (std::size_t i = 0; i < held->pieces.size(); ++i) {
    const Segment& piece = held->pieces[i];
    const std::size_t end = i + 1 < held->pieces.size() ? held->pieces[i + 1].stream_start : held->bytes.size();
    if (end <= from) continue;
    const std::size_t begin = std::max<std::size_t>(piece.stream_start, from);
    feed(std::span<const std::uint8_t>(held->bytes).subspan(begin, end - begin),
         piece.file_offset + (begin - piece.stream_start), piece.time_ns);
  }
}

void CaptureFlow::feed(std::span<const std::uint8_t> bytes, std::uint64_t file_offset, std::int64_t time_ns) {
  if (bytes.empty()) return;
  if (sync_) {
    feed_syncing(bytes, file_offset, time_ns);
    return;
  }
  if (framer_.idle()) {
    // Nothing pending: every event of this piece starts in it, and no later event in an
    // earlier one. The framer counts the stream from the piece's file offset, with its
    // time, so its events go out as they are; the one segment maps what a later piece
    // completes.
    framer_.rebase(file_offset, to_timestamp(time_ns));
    start_segments(file_offset, time_ns);
    framer_.feed(bytes, *out_);
    return;
  }
  segments_.push_back({framer_.fed(), file_offset, time_ns});
  if (first_ > 64 && first_ * 2 > segments_.size()) {  // drop what events have passed
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<long>(first_));
    first_ = 0;
  }
  // Garbage without end keeps a skip record open: keep its first segment and the recent
  // ones, drop the middle, so memory stays bounded.
  if (segments_.size() - first_ > 512) {
    const std::uint64_t keep_from = framer_.fed() > kLiveWindow ? framer_.fed() - kLiveWindow : 0;
    auto begin = segments_.begin() + static_cast<long>(first_) + 1;
    auto first_live =
        std::find_if(begin, segments_.end(), [&](const Segment& s) { return s.stream_start >= keep_from; });
    if (first_live != begin) first_live = std::prev(first_live);
    segments_.erase(begin, first_live);
  }
  // The events of what was held go through locate; once those are out, the framer goes on
  // from this segment's offset and time, as on the idle path above.
  if (framer_.feed_piece(bytes, *this, file_offset, to_timestamp(time_ns), *out_)) start_segments(file_offset, time_ns);
}

void CaptureFlow::start_segments(std::uint64_t file_offset, std::int64_t time_ns) {
  segments_.resize(1);  // keeps the storage
  segments_[0] = {file_offset, file_offset, time_ns};
  first_ = 0;
}

void CaptureFlow::break_stream(std::uint64_t missing, std::uint64_t file_offset, std::int64_t time_ns) {
  if (sync_) {  // what was held is dropped: the search begins again after the break
    sync_->bytes.clear();
    sync_->pieces.clear();
  } else {
    framer_.finish(*this);
  }
  if (missing) out_->on_skip(dlt::SkipRecord{file_offset, missing, dlt::kReasonTcpGap, to_timestamp(time_ns), {}});
}

void CaptureFlow::append_state(std::string& out) const {
  dlt::FramerSplit::append_state(framer_, out);
  if (framer_.idle()) return;
  // Where the bytes held back came from: the segment holding the first, then each later
  // one's distance from that byte, file offset and time.
  const std::uint64_t from = framer_.undelivered_from();
  std::size_t i = first_;
  while (i + 1 < segments_.size() && segments_[i + 1].stream_start <= from) ++i;
  for (std::size_t k = i; k < segments_.size(); ++k) {
    const Segment& s = segments_[k];
    util::append_state(out, k == i ? 0 : s.stream_start - from);
    util::append_state(out, k == i ? s.file_offset + (from - s.stream_start) : s.file_offset);
    util::append_state(out, s.time_ns);
  }
}

void CaptureFlow::forget_start() noexcept { dlt::FramerSplit::forget_start(framer_); }

void CaptureFlow::on_message(const dlt::Message& m) {
  dlt::Message located = m;
  locate(located.position, located.time);
  out_->on_message(located);
}

util::TextBuffer& CaptureFlow::begin_line(dlt::Message& m) {
  locate(m.position, m.time);
  return lines_->begin_line(m);
}

void CaptureFlow::on_skip(const dlt::SkipRecord& s) {
  dlt::SkipRecord located = s;
  locate(located.position, located.time);
  out_->on_skip(located);
}

// Stream offset → file offset and time of the datagram holding it. Events come in stream
// order, so the search starts where the previous one ended.
void CaptureFlow::locate(std::uint64_t& position, util::Timestamp& time) {
  while (first_ + 1 < segments_.size() && segments_[first_ + 1].stream_start <= position) ++first_;
  const Segment& s = segments_[first_];
  position = s.file_offset + (position - s.stream_start);
  time = to_timestamp(s.time_ns);
}

}  // namespace dltdump::dissect
