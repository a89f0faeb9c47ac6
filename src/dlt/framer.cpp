#include "dlt/framer.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/catalogue_payload.hpp"
#include "dlt/marker_scan.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/packet.hpp"
#include "util/byte_order.hpp"
#include "util/state_text.hpp"

namespace dltdump::dlt {

namespace {

// Whether the four bytes at `p` read as an id a sender gives: 1-4 letters, digits, '_' or
// '-', then zero bytes. Bytes of a payload read as a header's ids mostly do not.
bool plausible_id(const std::uint8_t* p) {
  auto id_char = [](std::uint8_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  };
  if (!id_char(p[0])) return false;
  std::size_t n = 1;
  while (n < 4 && id_char(p[n])) ++n;
  for (; n < 4; ++n)
    if (p[n] != 0) return false;
  return true;
}

// Whether the valid packet at `p` (whole, of kind `kind`) is evidence of its own that a
// packet begins there: a verbose payload that validated, or ids that read as ids (all of
// them: the ECU id and the extended header's application and context). Any 4 bytes make a
// non-verbose payload, and any byte of 0x20-0x3F a header.
bool strong_packet(const std::uint8_t* p, PayloadKind kind) {
  if (kind == PayloadKind::Verbose) return true;
  const std::uint8_t h = p[0];
  if (!has_ids(h)) return false;
  std::size_t at = 4;
  if (h & htyp::kWithEcuId) {
    if (!plausible_id(p + at)) return false;
    at += 4;
  }
  if (h & htyp::kWithSessionId) at += 4;
  if (h & htyp::kWithTimestamp) at += 4;
  return !(h & htyp::kUseExtendedHeader) || (plausible_id(p + at + 2) && plausible_id(p + at + 6));
}

}  // namespace

unsigned Framer::prefix_length(StreamFormat f) {
  return f == StreamFormat::File     ? unsigned{kStorageHeaderBytes}
         : f == StreamFormat::Serial ? unsigned{kSerialMarkerBytes}
                                     : 0u;
}

Framer::Framer(StreamFormat format, std::uint64_t start)
    : format_(format), prefix_(prefix_length(format)), discard_step_(format == StreamFormat::Network ? 1u : 4u),
      carry_base_(start), fed_(start), unconfirmed_start_(format == StreamFormat::Network) {
  // The carry grows as the packets held back need (nothing is reserved up front): a
  // capture holds a framer per flow, thousands of them, and flows made and ended at the
  // flow limit with 260 KiB reserved each spread the heap's touched pages ever wider (a
  // new user's capture of 6000 connections grew to 1.2 GB on two threads).
}

void Framer::skip(std::uint64_t position, std::uint64_t length, std::string_view reason) {
  if (length == 0) return;
  // A skip record opened by what a framer mid-stream would skip too (the refusal of a
  // stream's first packet decided otherwise before): from here on both frame alike, but
  // where a stream start's own rules decide (start_rule_applied).
  if (start_ == Start::Open) start_ = Start::Same;
  if (pending_.length == 0) pending_ = SkipRecord{position, length, reason, last_time_, {}};
  else pending_.length += length;  // always contiguous: the cursor only moves forward
}

void Framer::append_state(std::string& out) const {
  util::append_state(out, static_cast<std::uint8_t>(format_));
  util::append_state(out, unconfirmed_start_);
  util::append_state(out, interrupted_);
  util::append_state(out, cut_at_.has_value());
  if (idle()) {  // the next feed starts from its own offset (rebase), units and chains anew
    util::append_state(out, damage_take_end_ == fed_);
    return;
  }
  // Offsets as distances from the first byte not delivered (wrapping, as unsigned: both
  // framers' distances are equal exactly when their offsets are alike).
  const std::uint64_t from = undelivered_from();
  util::append_state(out, carry_.size());
  out.append(reinterpret_cast<const char*>(carry_.data()), carry_.size());
  util::append_state(out, carry_base_ - from);
  util::append_state(out, fed_ - from);
  util::append_state(out, pending_.length);
  if (pending_.length) {
    util::append_state(out, pending_.position - from);
    util::append_state(out, pending_.reason.data());  // one of the kReason* texts
  }
  // Network and serial packets carry no time: their events take the feeder's (rebase).
  if (format_ == StreamFormat::File) {
    util::append_state(out, pending_.time.us);
    util::append_state(out, pending_.time.valid);
    util::append_state(out, last_time_.us);
    util::append_state(out, last_time_.valid);
  }
  util::append_state(out, unit_start_ == UINT64_MAX ? UINT64_MAX : unit_start_ - from);
  util::append_state(out, unit_end_ == UINT64_MAX ? UINT64_MAX : unit_end_ - from);
  util::append_state(out, no_chain_until_ > from ? no_chain_until_ - from : 0);
  util::append_state(out, no_strong_chain_until_ > from ? no_strong_chain_until_ - from : 0);
  // (It matters only for a packet held back right where one taken for damage ended.)
  util::append_state(out, pending_.length == 0 && damage_take_end_ == from);
}

void Framer::deliver_skip(FramerSink& sink) {
  if (pending_.length == 0) return;
  sink.on_skip(pending_);
  pending_ = SkipRecord{};
}

bool Framer::write_frame_line(Message& m, InPlaceLines& lines) {
  // The line's head shows the frame's argument count only if the frame reads the payload,
  // which for a frame with length-prefixed arguments only the walk that makes the text
  // finds out. So the line is written as if it did (nearly every message of a catalogue
  // does) and taken back if not; a frame whose needs rule the payload out is known before.
  m.frame_decodes = false;
  if (!frame_may_fit(*m.frame, m.payload.size() - 4)) return false;
  const std::uint64_t position = m.position;  // begin_line may relocate them
  const util::Timestamp time = m.time;
  m.frame_decodes = true;
  util::TextBuffer& line = lines.begin_line(m);
  read_frame_payload(m, &line);
  if (m.frame_decodes && !stop_->load(std::memory_order_relaxed)) {
    lines.end_line();
    return true;
  }
  lines.cancel_line();
  m.position = position;
  m.time = time;
  m.frame_decodes = false;
  return false;
}

// The stop flag stops the framer before the packet at stream offset `at` (see
// undelivered_from); returns `len`: the rest of the bytes are dropped.
std::size_t Framer::cut(std::uint64_t at, std::size_t len) noexcept {
  if (!cut_at_) cut_at_ = pending_.length > 0 ? pending_.position : at;
  return len;
}

std::size_t Framer::process(const std::uint8_t* buf, std::size_t len, std::uint64_t base, bool at_end,
                            std::size_t stop_at, FramerSink& sink) {
  const std::uint8_t* marker = format_ == StreamFormat::File     ? kFileMarker
                               : format_ == StreamFormat::Serial ? kSerialMarker
                                                                 : nullptr;
  const std::size_t h = prefix_;
  InPlaceLines* const lines = text_ ? sink.in_place_lines() : nullptr;
  ChainAfter chain_after;
  std::uint64_t no_cut_chain_until = 0;  // as no_chain_until_, for chains cut_confirms confirms
  std::size_t i = 0;
  while (i < stop_at) {
    if (stop_->load(std::memory_order_relaxed)) return cut(base + i, len);  // the input was cut: nothing more
    if (interrupt_->load(std::memory_order_relaxed)) [[unlikely]] {
      interrupted_ = true;  // a stop request: before this packet, which is not read
      return i;
    }
    const std::size_t avail = len - i;
    if (avail < h + 4) {
      if (at_end && avail > 0) {
        skip(base + i, avail, kReasonEndOfStream);
        i = len;
      }
      return i;
    }
    if (marker) {
      std::size_t at = find_marker(buf + i, avail, marker);
      if (at == avail) {
        std::size_t keep = marker_prefix_at_end(buf + i, avail, marker);
        skip(base + i, avail - keep, kReasonSearching);
        i = len - keep;
        continue;
      }
      if (at > 0) {
        skip(base + i, at, kReasonSearching);
        i += at;
        continue;
      }
    }
    const unsigned plen = standard_header_length(buf + i + h);
    if (plen == 0) {
      skip(base + i, discard_step_, kReasonInvalidHeader);
      i += discard_step_;
      continue;
    }
    if (avail < h + plen) {
      if (!at_end) return i;
      // Network framing under way (past the first packet, no skip record open) takes this
      // packet as the stream's next: cut by the end, it holds every byte left, and a search
      // inside it would only find false packets in its remains — unless the packet before
      // was taken only because damage followed it (damage_take_end_: this may be a false
      // length), or a chain of two valid packets starts in it (a false length before real
      // packets). Elsewhere the tail is searched again (spec §4).
      if (!marker && pending_.length == 0 && unconfirmed_start_) start_rule_applied();  // searched again
      const bool whole_rest = !marker && pending_.length == 0 && !unconfirmed_start_ && base + i != damage_take_end_ &&
                              !chain_after.starts_in(*this, buf, len, i + 1, base);
      const std::size_t n = whole_rest ? avail : discard_step_;
      skip(base + i, n, kReasonFlushing);
      i += n;
      continue;
    }
    if (format_ == StreamFormat::File)
      last_time_ = util::Timestamp::from_storage(util::load_le32(buf + i + 4),
                                                 static_cast<std::int32_t>(util::load_le32(buf + i + 8)));
    // A packet nobody needs is passed over unvalidated where its validity could only
    // matter through resynchronisation: if it were invalid, the search from its 5th byte
    // would find no marker before its end, so the next packet starts where it would
    // anyway, and the skip line in its place is unwanted.
    const std::span<const std::uint8_t> packet{buf + i + h, plen};
    auto pass_over = [&] {
      if (!marker || marker_may_start(buf + i + 4, h + plen - 4, marker)) return false;
      deliver_skip(sink);
      i += h + plen;
      return true;
    };
    // First from the raw headers (most of a selective filter's rejections), then from the
    // decoded ones.
    const bool dropped_unparsed = quick_gate_ && quick_gate_->drops_unparsed(packet);
    if (dropped_unparsed && pass_over()) continue;
    Message& m = message_;
    m.position = base + i;
    m.raw = {buf + i, h + plen};
    m.storage_ecu = format_ == StreamFormat::File ? parse_id(buf + i + 12) : Id{};
    m.time = last_time_;
    parse_headers(packet, m);
    if (catalogue_ && m.kind == PayloadKind::NonVerbose) catalogue_->describe(m);
    const PayloadGate::Need need = gate_ ? gate_->need(m) : PayloadGate::Need::Text;
    // (A packet dropped unparsed is here only because a marker may start in it.)
    if (need == PayloadGate::Need::Nothing && !dropped_unparsed && pass_over()) continue;
    util::TextBuffer* text = need == PayloadGate::Need::Text ? text_ : nullptr;
    if (text && lines && pending_.length == 0 && !unconfirmed_start_) {
      // The payload text goes straight into the sink's line (with a skip record pending,
      // the normal path below keeps the skip line first; the first packet of a network
      // stream is confirmed there first).
      if (m.frame) [[unlikely]] {
        if (write_frame_line(m, *lines)) {
          i += h + plen;
          continue;
        }
        if (stop_->load(std::memory_order_relaxed)) return cut(base + i, len);
        // Else its frame does not read the payload: its line is the byte dump, below.
      }
      util::TextBuffer& line = lines->begin_line(m);  // may relocate m (see InPlaceLines)
      if (!check_payload_into(m, line)) {
        lines->cancel_line();
        skip(base + i, discard_step_, kReasonInvalidPacket);
        i += discard_step_;
        continue;
      }
      if (stop_->load(std::memory_order_relaxed)) {  // cut while it was read: zeros in it
        lines->cancel_line();
        return cut(base + i, len);
      }
      lines->end_line();
      i += h + plen;
      continue;
    }
    util::TextBuffer* const args = text && make_args_ ? args_.get() : nullptr;
    auto read_payload = [&](util::TextBuffer* into) {
      if (into) into->clear();
      if (into && args) args->clear();
      return into && args ? check_payload_with_args(m, *into, *args) : check_payload(m, into);
    };
    // Resynchronising, most candidates are refused: their payload is only checked, and its
    // text made once one is taken (hostile bytes make a candidate of up to 64 KiB at nearly
    // every position, whose text would cost several times the check).
    const bool resync = !marker && (pending_.length > 0 || unconfirmed_start_);
    if (!read_payload(resync ? nullptr : text)) {
      skip(base + i, discard_step_, kReasonInvalidPacket);
      i += discard_step_;
      continue;
    }
    if (resync) [[unlikely]] {
      // Resynchronising without a marker, or at the start of a network stream (which may
      // begin inside a packet: a capture or a recording split anywhere, a connection
      // already running): taken if what follows confirms it, or if nothing does but no
      // packet inside it starts a confirmed chain either (a real packet that damage
      // follows; a false one spans real packets) — at a stream start, only with more
      // evidence (below).
      // A header without ids (no ECU id, no extended header) is any byte of 0x20-0x3F and
      // a length from the next two, so text makes them everywhere: such a candidate is
      // taken only when what follows confirms it (damage after it does not do), a unit
      // end only when the candidate is the unit's first packet (a message split across
      // datagrams ends a unit anywhere), and it is refused when a confirmed chain starts
      // inside it (one whose length happens to end where a real packet starts is
      // confirmed by the real packets after it, and would swallow those inside it).
      const bool bare = !has_ids(buf[i + h]);
      std::size_t reach = len;  // where what confirmed it ends
      ChainEnd end;             // on No: where the chain stopped
      // (Only a verbose payload, which any bytes do not make, is evidence enough for the end
      // of a unit right after a candidate that began inside it.)
      const bool weak = m.kind != PayloadKind::Verbose;
      Confirmation c = confirm(buf, len, i + plen, base, at_end, !weak || base + i == unit_start_, &reach, &end);
      const bool by_damage = c == Confirmation::No;  // taken, if at all, because damage follows
      bool damage_confirms = !bare;                  // (on No) if no chain starts inside it
      if (unconfirmed_start_ && !bare) {
        // A stream start (a TCP stream resumed after lost bytes, a connection already
        // running) may begin in the remains of a message whose head was lost: their bytes
        // make false candidates with ids, which the rest of the remains follows at once.
        // So one is let through by a valid packet after it before the damage (a recording
        // that begins with messages), or by a packet cut by the end (a real message before
        // the one that lost bytes cut) unless a chain of two valid packets starts inside
        // that one (a false length that runs past real packets: digits in text make
        // headers with ids too; a single packet that a cut one follows does not count,
        // which a real cut message's own bytes make as readily).
        damage_confirms = end.cut ? !chain_after.starts_in(*this, buf, len, end.at + 1, base) : end.whole > 0;
        // Mid-stream, with the same skip record open, the plain rule decides (alike only
        // when a valid packet came before the invalid bytes).
        if (c == Confirmation::No && (end.cut || end.whole == 0)) start_rule_applied();
      }
      if (c == Confirmation::No ? damage_confirms : c == Confirmation::Yes) {
        // A candidate that what follows confirmed is searched for chains inside it, and
        // inside the first packet that confirmed it, within the bytes that confirmed it (the
        // chain of real packets a false one would swallow reaches the same packets after
        // it): a chain that needs more bytes starts nothing there, so the message is taken
        // now rather than when up to 64 KiB more came in (which put it after other flows'
        // lines, or at the end). A false candidate whose length happens to end where a real
        // message begins is confirmed by the real ones after it, and so is a short one
        // followed by a false long packet that ends there: both would swallow the real
        // messages inside them (up to 64 KiB) once taken. Only packets whose payload any
        // bytes make valid (non-verbose and control ones, all without ids) are searched: a
        // verbose payload that validates is evidence of its own, and a long real one may
        // hold any pattern (a run of '.' is a chain of non-verbose headers with ids).
        // At a stream start, a candidate that a cut packet follows is refused by a chain
        // inside it that is whole for one packet more and then cut (the real packets it
        // spans, up to where the input ends), though not by one cut right after its first
        // packet (what a false header in a real message's text makes as readily).
        const bool within = c == Confirmation::Yes;
        const bool cut_confirms = !within && unconfirmed_start_ && end.cut;
        const std::size_t inner_len = within ? reach : len;
        // Inside the candidate (always, on damage), and inside the packet that confirmed it
        // first (not at its start: the chain that confirmed the candidate starts there).
        const std::size_t first_after = i + plen;
        const std::size_t from = !within || weak ? i + 1 : first_after + 1;
        std::size_t inner_end = first_after;
        if (within && end.whole > 0) {
          const unsigned next_len = standard_header_length(buf + first_after);
          Message next;  // valid and whole: confirm read it
          parse_headers({buf + first_after, next_len}, next);
          if (next.kind != PayloadKind::Verbose) inner_end = first_after + next_len;
        }
        // Each position is asked once per resynchronisation (no_chain_until_: the ones
        // before it start no confirmed chain), so hostile bytes cost linear time; asked
        // with cut_confirms (which confirms more), once per call (no_cut_chain_until).
        // A confirmed packet that is evidence of its own (strong_packet) is refused only by a
        // chain that is too inside it: real messages inside a false packet mostly are (their
        // ids read as ids, or their payload is verbose), while a long real one's payload of
        // one repeated byte, or its last bytes, make chains of packets that are not (a run of
        // '0' is id-less packets of 12336 bytes back to back). Such candidates keep a memo
        // of their own (no_strong_chain_until_), which also passes over the chains they let
        // through: the plain one stops at those, which refuse the others.
        const bool candidate_strong = within && strong_packet(buf + i + h, m.kind);
        const bool next_strong =
            within && inner_end > first_after && strong_packet(buf + first_after, PayloadKind::NonVerbose);
        const bool strong_scan = candidate_strong || next_strong;
        std::uint64_t& memo = cut_confirms  ? no_cut_chain_until
                              : strong_scan ? no_strong_chain_until_
                                            : no_chain_until_;
        std::uint64_t* const other = cut_confirms ? nullptr : strong_scan ? &no_chain_until_ : &no_strong_chain_until_;
        const std::size_t start = memo > base + from ? static_cast<std::size_t>(memo - base) : from;
        // The other memo moves along only while what it covers stays contiguous (positions
        // before `from` are not asked again by later candidates, which begin after this one).
        bool other_on = other && (*other <= base + from || *other >= base + start);
        c = Confirmation::Yes;
        // A candidate that is the sender's whole unit — it begins a datagram or segment and
        // ends it — is a packet the sender wrote as one, whatever its payload holds: a
        // message may carry another whole in its bytes (a fuzz run's find: such a message
        // first in its flow of dltdump's own PCAP-NG output read back as a skip and the
        // message inside). A framer under way takes it too.
        const bool whole_unit = units_ && base + i == unit_start_ && base + i + h + plen == unit_end_;
        for (std::size_t q = start; q < inner_end && c == Confirmation::Yes && !whole_unit; ++q) {
          if (q == first_after) continue;
          Confirmation inner = confirm_chain(buf, inner_len, q, base, at_end && !within, cut_confirms);
          if (within && inner == Confirmation::Wait) inner = Confirmation::No;
          const bool inside_candidate = q < first_after;
          const bool let_through = inner == Confirmation::Yes && (inside_candidate ? candidate_strong : next_strong) &&
                                   !strong_chain_within(buf, inner_len, q, inside_candidate ? first_after : inner_end);
          if (inner == Confirmation::No || let_through) {
            memo = base + q + 1;
            if (let_through) other_on = false;  // a chain the plain memo's users refuse
            if (other_on) *other = std::max(*other, base + q + 1);
          } else {
            c = inner == Confirmation::Yes ? Confirmation::No : inner;
          }
        }
      }
      // A framer mid-stream would have taken it here (no skip record is open): held back,
      // it may still go out in the same feed (see settle_start); refused, it differs.
      if (c == Confirmation::Wait) {
        if (pending_.length == 0 && start_ == Start::Open) start_ = Start::Held;
        return i;
      }
      if (c == Confirmation::No && pending_.length == 0) decide_start(false);
      if (c == Confirmation::No) {
        skip(base + i, discard_step_, kReasonInvalidHeader);
        i += discard_step_;
        continue;
      }
      decide_start(true);  // taken, as by a framer mid-stream
      if (by_damage) damage_take_end_ = base + i + h + plen;
      if (text) read_payload(text);  // valid, as checked above
    }
    if (stop_->load(std::memory_order_relaxed)) return cut(base + i, len);  // cut while it was read
    unconfirmed_start_ = false;
    deliver_skip(sink);
    sink.on_message(m);
    i += h + plen;
  }
  return i;
}

bool Framer::ChainAfter::starts_in(const Framer& framer, const std::uint8_t* buf, std::size_t len, std::size_t p,
                                   std::uint64_t base) {
  // The answer falls as p grows: the last position that starts one decides it, searched
  // for from the end down, each position once per buffer.
  if (last) return p <= *last;
  if (none_from == SIZE_MAX) none_from = len;
  for (; none_from > p; --none_from) {
    const std::size_t q = none_from - 1;
    if (framer.confirm_chain(buf, len, q, base, true, true) == Confirmation::Yes) {
      last = q;
      return true;
    }
  }
  return false;
}

bool Framer::strong_chain_within(const std::uint8_t* buf, std::size_t len, std::size_t at, std::size_t limit) {
  for (unsigned k = 0; k <= kConfirmPackets && at < limit && len - at >= 4; ++k) {
    const unsigned plen = standard_header_length(buf + at);
    if (plen == 0 || len - at < plen) return false;
    Message m;
    parse_headers({buf + at, plen}, m);
    if (strong_packet(buf + at, m.kind)) return true;
    at += plen;
  }
  return false;
}

unsigned Framer::valid_packet_at(const std::uint8_t* buf, std::size_t len, std::size_t at) {
  if (len - at < 4) return 0;
  const unsigned plen = standard_header_length(buf + at);
  if (plen == 0 || len - at < plen) return 0;
  Message m;
  parse_headers({buf + at, plen}, m);
  return check_payload(m, nullptr) ? plen : 0;
}

Framer::Confirmation Framer::confirm_chain(const std::uint8_t* buf, std::size_t len, std::size_t at, std::uint64_t base,
                                           bool at_end, bool cut_confirms) const {
  ++chains_asked_;
  if (len - at < 4) return at_end ? Confirmation::No : Confirmation::Wait;
  const unsigned head = standard_header_length(buf + at);
  if (head == 0) return Confirmation::No;
  if (len - at < head) return at_end ? Confirmation::No : Confirmation::Wait;
  const unsigned plen = valid_packet_at(buf, len, at);
  if (plen == 0) return Confirmation::No;
  ChainEnd end;
  const Confirmation c = confirm(buf, len, at + plen, base, at_end, true, nullptr, &end);
  if (!cut_confirms || c == Confirmation::Wait) return c;
  // A valid packet after the first, then the confirmation or the cut: a packet that a
  // unit's or the input's end follows at once is what a few bytes of text make.
  return end.whole > 0 && (c == Confirmation::Yes || end.cut) ? Confirmation::Yes : Confirmation::No;
}

Framer::Confirmation Framer::confirm(const std::uint8_t* buf, std::size_t len, std::size_t at, std::uint64_t base,
                                     bool at_end, bool unit_end_confirms, std::size_t* reach, ChainEnd* end) const {
  Message next;
  for (unsigned k = 0; k < kConfirmPackets; ++k) {
    if (((k > 0 || unit_end_confirms) && base + at == unit_end_) || (at == len && at_end)) {
      if (reach) *reach = at;
      if (end) *end = {k, at, false};
      return Confirmation::Yes;  // a unit or the input ends
    }
    const std::size_t avail = len - at;
    // A packet cut by the end of the input confirms nothing (a false packet's length may
    // reach anywhere); the candidate is then judged by what lies inside it.
    auto refused = [&](bool cut) {
      if (end) *end = {k, at, cut};
      return Confirmation::No;
    };
    if (avail < 4) return at_end ? refused(true) : Confirmation::Wait;
    const unsigned plen = standard_header_length(buf + at);
    if (plen == 0) return refused(false);
    if (avail < plen) return at_end ? refused(has_ids(buf[at])) : Confirmation::Wait;
    parse_headers({buf + at, plen}, next);
    if (!check_payload(next, nullptr)) return refused(false);
    at += plen;
  }
  if (reach) *reach = at;
  if (end) *end = {kConfirmPackets, at, false};
  return Confirmation::Yes;
}

void Framer::feed(std::span<const std::uint8_t> chunk, FramerSink& sink) { feed_chunk(chunk, sink, nullptr); }

bool Framer::feed_piece(std::span<const std::uint8_t> chunk, FramerSink& carried, std::uint64_t offset,
                        util::Timestamp time, FramerSink& rest) {
  const Piece piece{offset, time, &rest};
  return feed_chunk(chunk, carried, &piece);
}

bool Framer::feed_chunk(std::span<const std::uint8_t> chunk, FramerSink& sink, const Piece* piece) {
  if (interrupted_) return false;
  std::uint64_t chunk_base = fed_;  // moves if a piece rebases the rest
  fed_ += chunk.size();
  if (units_) {
    unit_start_ = chunk_base;
    unit_end_ = fed_;
  }
  std::size_t from = 0;  // first chunk byte not yet handled
  if (!carry_.empty()) {
    // Complete what started in earlier chunks with the head of this one; any packet that
    // starts in the carried bytes fits in (carried + kMaxPacketBytes + prefix + 4) bytes,
    // the packets that confirm it (kConfirmPackets) in as many more.
    std::size_t old = carry_.size();
    const std::size_t most = std::min(chunk.size(), (kConfirmPackets + 1) * (kMaxPacketBytes + prefix_ + 8));
    // With a marker (files, serial recordings), and in network framing mid-stream outside
    // a skip record, nothing waits for confirmation: the packet begun in the carried bytes
    // needs only the rest of its length, mostly a few dozen bytes, so the head is taken a
    // little at a time — copying all of `most` cost as much as framing it for a feeder in
    // small chunks (a sorted run's merge, 64 KiB a step; a capture's TCP segments, whose
    // first bytes mostly end a message begun in the segment before).
    const bool confirming = format_ == StreamFormat::Network && (unconfirmed_start_ || pending_.length > 0);
    std::size_t take = confirming ? most : std::min(most, kFirstTake);
    if (!confirming && format_ == StreamFormat::Network && old >= 4) {
      const unsigned plen = standard_header_length(carry_.data());
      if (plen > old) take = std::min<std::size_t>(take, plen - old);
    }
    carry_.insert(carry_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(take));
    std::size_t used = process(carry_.data(), carry_.size(), carry_base_, false, old, sink);
    while (!interrupted_ && used < old && take < most) {
      // Still waiting for bytes of a packet begun in the carried ones: more of the head.
      carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(used));
      carry_base_ += used;
      old -= used;
      const std::size_t more = std::min(most, take * 16);
      carry_.insert(carry_.end(), chunk.begin() + static_cast<std::ptrdiff_t>(take),
                    chunk.begin() + static_cast<std::ptrdiff_t>(more));
      take = more;
      used = process(carry_.data(), carry_.size(), carry_base_, false, old, sink);
    }
    if (interrupted_) return false;  // nothing more: the rest is not kept either
    if (used < old) {
      // Still waiting for more bytes: only possible when the whole chunk was taken.
      carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(used));
      carry_base_ += used;
      if (take < chunk.size())
        carry_.insert(carry_.end(), chunk.begin() + static_cast<std::ptrdiff_t>(take), chunk.end());
      return false;
    }
    from = used - old;
    carry_.clear();
    if (from >= chunk.size()) {
      carry_base_ = chunk_base + from;
      return false;
    }
  }
  FramerSink* out = &sink;
  const bool rebased = piece && idle() && !cut_at_;
  if (rebased) {
    // Nothing begun before chunk[from] is held or open: the stream's offsets from here on
    // are the piece's (every offset the framer keeps moves alike; the units' too).
    const std::uint64_t at = chunk_base + from, to = piece->offset + from;
    no_chain_until_ = no_chain_until_ > at ? no_chain_until_ - at + to : 0;
    no_strong_chain_until_ = no_strong_chain_until_ > at ? no_strong_chain_until_ - at + to : 0;
    damage_take_end_ =
        damage_take_end_ >= at && damage_take_end_ != UINT64_MAX ? damage_take_end_ - at + to : UINT64_MAX;
    chunk_base = piece->offset;
    fed_ = chunk_base + chunk.size();
    if (units_) {
      unit_start_ = chunk_base;
      unit_end_ = fed_;
    }
    last_time_ = piece->time;
    out = piece->rest;
  }
  const std::size_t n = chunk.size() - from;
  std::size_t used = process(chunk.data() + from, n, chunk_base + from, false, SIZE_MAX, *out);
  if (interrupted_) return rebased;
  carry_.assign(chunk.begin() + static_cast<std::ptrdiff_t>(from + used), chunk.end());
  carry_base_ = chunk_base + from + used;
  return rebased;
}

std::uint64_t Framer::decode_until(std::span<const std::uint8_t> rest, std::uint64_t stop, FramerSink& sink) {
  if (interrupted_) return fed_;
  const std::uint64_t base = fed_;
  const std::size_t stop_at =
      stop > base ? static_cast<std::size_t>(std::min<std::uint64_t>(stop - base, rest.size())) : 0;
  std::size_t used = process(rest.data(), rest.size(), base, true, stop_at == rest.size() ? SIZE_MAX : stop_at, sink);
  fed_ = base + used;
  carry_base_ = fed_;
  return fed_;
}

void Framer::finish(FramerSink& sink) {
  if (interrupted_) return;
  if (!carry_.empty()) {
    process(carry_.data(), carry_.size(), carry_base_, true, SIZE_MAX, sink);
    carry_base_ += carry_.size();
    carry_.clear();
  }
  deliver_skip(sink);
  // A new stream starts in both (what was held back went out, or was refused, above).
  if (start_ == Start::Open) start_ = Start::Same;
  first_stream_ = false;
  // What is fed after the end (a capture flow going on after a TCP gap) is a new stream,
  // which may begin inside a packet.
  unconfirmed_start_ = format_ == StreamFormat::Network;
}

}  // namespace dltdump::dlt
