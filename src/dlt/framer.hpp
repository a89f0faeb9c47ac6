// Cuts a DLT byte stream into packets and skip records (dltdump-spec §4).
//
// Three framings share one engine: DLT files (each packet behind a 16-byte storage header
// starting `DLT\1`), serial recordings (`DLS\1` before each packet) and network streams
// (standard headers back to back; resynchronisation slides one byte at a time).
//
// Contract (the events and what a sink may assume of them: dlt/framer_sink.hpp):
// * `feed` takes the input in chunks of any size; `finish` ends the input. The events
//   delivered do not depend on how the input was chunked.
// * Chunks are parsed in place; only a packet that crosses a chunk boundary is copied
//   (into a carry buffer of at most one packet plus a chunk head). Nothing refers to a
//   chunk after `feed` returns.
// * Memory is bounded by the largest packet (64 KiB) whatever the input.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dlt/catalogue.hpp"
#include "dlt/framer_sink.hpp"
#include "dlt/message.hpp"
#include "dlt/packet.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

enum class StreamFormat : std::uint8_t { File, Serial, Network };

class Framer {
 public:
  // `start` is the stream offset of the first byte this framer will see (non-zero when it
  // decodes one block of a larger file).
  explicit Framer(StreamFormat format, std::uint64_t start = 0);

  // Frames the next `chunk` of the input (read during the call only) and delivers the
  // events complete in it to `sink`; the bytes of a packet still incomplete are kept for
  // the next call. Throws what `sink` throws (the framer is then not to be used again).
  void feed(std::span<const std::uint8_t> chunk, FramerSink& sink);
  // The same for a feeder that knows where each piece comes from (a capture flow: a TCP
  // segment's file offset and capture time): the events of packets begun in earlier
  // pieces, or of a skip record open before, go to `carried` with the stream's offsets, for
  // the feeder to place. Once those are delivered and nothing is held back or open, the
  // rest of `chunk` is framed as if after rebase(offset + its place in chunk, time): its
  // events go to `rest` with the piece's own offsets and time, as they are (most of a
  // segment's messages: no lookup per message). Returns whether that happened (from then
  // on the stream's offsets are the piece's); if not, every event went to `carried`, as
  // feed(chunk, carried). The events are those of feed but for their offsets and times.
  // Throws what the sinks throw.
  bool feed_piece(std::span<const std::uint8_t> chunk, FramerSink& carried, std::uint64_t offset, util::Timestamp time,
                  FramerSink& rest);

  // Network framing only (no marker, so it resynchronises byte by byte and any byte of
  // 0x20-0x3F may look like a header: a space in a string is a valid minimal packet whose
  // length comes from the text after it, and would swallow the real messages behind it).
  // While a skip record is open, and for the first packet of the stream (which may begin
  // inside a packet: a recording or capture split anywhere, a connection already running;
  // again after finish), a packet found is taken only if what follows confirms it
  // (deviation Q29): the next kConfirmPackets packets are valid too, or the chain ends
  // where the input ends or where a unit of the sender ends (see set_units) — or, when
  // invalid bytes follow it, if no position inside it starts a confirmed chain (a real
  // packet that damage follows is taken; a false one spans real packets). At a stream
  // start, which may lie in the remains of a message whose head was lost (a TCP stream
  // after missing bytes), those remains make false candidates with ids that the rest of
  // them follows at once (one and a half a gap, when that was enough): there the invalid
  // bytes must come after a valid packet, or be a packet cut by the end of the input
  // (with ids, or under 4 bytes) in which no chain of two valid packets starts. Otherwise its first byte is
  // skipped. A candidate without ids (no ECU id, no extended header: any byte of
  // 0x20-0x3F in text starts one) is held to more: damage after it does not do,
  // a unit end right after it confirms only if it began the unit, and a confirmed chain
  // starting inside it refuses it. The framer waits for the bytes this needs (at most
  // kConfirmPackets more packets beyond the candidate), so the result does not depend on
  // how the input is cut into chunks.
  static constexpr unsigned kConfirmPackets = 2;
  // Each feed ends where the sender's unit ends (a UDP datagram, a TCP segment, what one
  // receive returned): a packet ending exactly there needs no packet after it to be
  // confirmed. Off (the default) for inputs read in chunks of any size (files, pipes).
  void set_units(bool on) noexcept { units_ = on; }
  // Ends the input: the remaining bytes are resolved by the end-of-stream rules and the
  // pending skip record, if any, is delivered (network framing past the stream's first
  // packet with no skip record open: a packet the end cut holds every byte left, one skip
  // record, unless a chain of two valid packets starts inside it or the packet before was
  // taken only because damage followed it; otherwise the rest is
  // searched again from its second byte). Throws what `sink` throws.
  void finish(FramerSink& sink);

  // When on, each message carries its payload text, made in the same walk that validates
  // the payload (for sinks that print or search text); a sink that takes lines in place
  // (InPlaceLines) gets the text in its line instead. Off by default.
  void set_payload_text(bool on) {
    if (on && !own_text_) own_text_ = std::make_unique<util::TextBuffer>(util::TextBuffer::kLineBytes);
    text_ = on ? own_text_.get() : nullptr;
  }
  // The same, writing the text into `shared` (≥ 64 KiB), which many framers decoding one
  // at a time may share — a capture has one framer per flow.
  void set_payload_text(util::TextBuffer* shared) { text_ = shared; }
  // When on, a verbose message that carries its payload text carries its typed arguments as
  // a JSON record writes them too (Message::payload_args), made in the same walk: for a
  // JSON Lines output, whose record then walks no payload. Needs payload text; not in a
  // sink's line (InPlaceLines: text lines only). Off by default.
  void set_payload_args(bool on) {
    if (on && !args_) args_ = std::make_unique<util::TextBuffer>(util::TextBuffer::kLineBytes);
    make_args_ = on;
  }

  // Asks `gate` (or nobody, if null: everything is wanted) per message what its payload is
  // needed for; see dlt::PayloadGate. In file and serial framing, a message the gate needs
  // for nothing is dropped — neither validated nor delivered — when that cannot change any
  // other event (the skip lines around it may then differ: the gate wants none); otherwise
  // it is validated and delivered without text. The gate's drops_unparsed is asked first,
  // so such a message is mostly passed over before its headers are decoded. The gate must
  // outlive the framer's use.
  void set_payload_gate(const PayloadGate* gate) {
    gate_ = gate;
    quick_gate_ = gate && gate->looks_unparsed() ? gate : nullptr;
  }

  // Non-verbose messages are described by `catalogue` (null: none), which must outlive
  // the framer's use: each gets its frame (dlt::Catalogue::describe) before the gate sees it.
  void set_catalogue(const Catalogue* catalogue) { catalogue_ = catalogue; }

  // A flag that, once set by anyone, makes the framer stop and drop the rest of what it is
  // fed (no event, no carry): its input was cut by another program and what follows may be
  // zeros in place of the lost bytes (util/shrink_guard.hpp). Read before each packet and
  // again after a packet is read and checked, before it is delivered (a read that faulted
  // on the cut sets it): a packet read across the cut is never delivered. It must outlive
  // the framer's use. Null: never.
  void set_stop_flag(const std::atomic<bool>* flag) { stop_ = flag ? flag : &kNeverStop; }
  // The stream offset of the first byte fed that no event delivered: where the stop flag
  // stopped the framer (the open skip record's start, or the packet it did not deliver),
  // else the open skip record's start, the partial packet held back, or fed(). A feeder
  // whose input was cut after the bytes fed so far, and who knows the bytes before the cut
  // are intact, frames them again from there with a new framer.
  std::uint64_t undelivered_from() const noexcept {
    if (cut_at_) return *cut_at_;
    if (pending_.length > 0) return pending_.position;
    return carry_.empty() ? fed_ : carry_base_;
  }
  // A flag that, once set by anyone (util::stop_flag(): SIGINT/SIGTERM), makes the framer
  // stop before its next packet — never inside one, so every event delivered is whole —
  // and deliver nothing more: interrupted() turns true, feed, decode_until and finish
  // return at once (the pending skip record, the carry and the rest of the chunk are
  // dropped; decode_until returns the offset of the packet it stopped before). Read once
  // per packet, a relaxed load: a slow filter (a regular expression at its match limit)
  // delays a stop by one message, not by a window. It must outlive the framer's use.
  // Null: never.
  void set_interrupt_flag(const std::atomic<bool>* flag) { interrupt_ = flag ? flag : &kNeverStop; }
  // Whether the interrupt flag stopped the framer (see set_interrupt_flag).
  bool interrupted() const noexcept { return interrupted_; }
  // How many positions resynchronisation asked so far whether a confirmed chain of packets
  // starts there: its cost, which stays linear in the bytes fed whatever they hold.
  std::uint64_t chains_asked() const noexcept { return chains_asked_; }

  // Stream offset just past the last byte fed.
  std::uint64_t fed() const { return fed_; }
  // Only while idle(): the stream goes on from offset `offset`, and events carry `time`
  // until a storage header gives another (network and serial packets carry none). For a
  // feeder that knows where each piece comes from (a capture flow: a datagram's file
  // offset and capture time): the events of a piece fed next need no translation.
  void rebase(std::uint64_t offset, util::Timestamp time) noexcept {
    damage_take_end_ = damage_take_end_ == fed_ ? offset : UINT64_MAX;
    carry_base_ = fed_ = offset;
    last_time_ = time;
    no_chain_until_ = no_strong_chain_until_ = 0;
  }
  // No byte is held back (a partial packet) and no skip record is open: what comes next
  // is framed as the continuation of the stream (exactly as by a new framer in serial
  // framing, and in network framing until a packet is taken — the first one is confirmed —
  // or after finish; a file framer also remembers the last storage-header time).
  bool idle() const noexcept { return carry_.empty() && pending_.length == 0; }
  // Where the skip record still open begins (its stream offset); nullopt when none is open.
  std::optional<std::uint64_t> open_skip() const noexcept {
    return pending_.length == 0 ? std::nullopt : std::optional<std::uint64_t>(pending_.position);
  }
  // Network framing: whether the stream is under way — a packet was taken since the framer
  // was made or last finished — so that the next packet is taken as it is, unconfirmed,
  // when no skip record is open (false: it is a stream start, confirmed first; see
  // kConfirmPackets). Always true in file and serial framing.
  bool mid_stream() const noexcept { return !unconfirmed_start_; }
  // What comes next continues a stream under way (mid_stream() turns true), as for a
  // framer that stands in for one that took packets before (a capture flow made again
  // where the decoder of the whole capture holds it mid-stream, or one that a piece of
  // the capture decoded apart began as new). Only while the framer is in its first stream
  // (no finish) and its start decided nothing yet (no packet taken or refused; at most the
  // head of a first packet held back, which a framer under way holds alike) or decided as
  // a framer under way would (began_as_continuation: a skip record opened that such a
  // framer opens too, which a stream start's own rules then treated alike); otherwise it
  // does nothing.
  void continue_stream() noexcept {
    if (first_stream_ && (start_ == Start::Open || start_ == Start::Same)) unconfirmed_start_ = false;
  }
  // Whether every event so far, and the state once idle, are what a framer that continued a
  // stream under way (mid_stream(), idle) would have made of the same bytes, delivered in
  // the same feed: true unless the stream-start confirmation refused the first packet, or
  // held it back for the bytes after it beyond settle_start. A piece of a capture decoded
  // apart, whose flows begin as new ones, decoded a flow exactly as the decoder of the
  // whole capture did if that one held it at a stream start, or if this says true.
  bool began_as_continuation() const noexcept { return start_ == Start::Open || start_ == Start::Same; }
  // A first packet still held back for its confirmation now counts as decided otherwise
  // (began_as_continuation turns false): for a feeder whose events go out among other
  // streams' after this point (a capture flow, after each datagram), where those of a
  // framer mid-stream would have gone out before them.
  void settle_start() noexcept {
    if (start_ == Start::Held) start_ = Start::Differs;
  }

  // Prefix length before the standard header (16, 4 or 0).
  static unsigned prefix_length(StreamFormat f);

 private:
  friend struct FramerSplit;  // decoding a file in pieces: dlt/framer_split.hpp

  std::uint64_t decode_until(std::span<const std::uint8_t> rest, std::uint64_t stop, FramerSink& sink);
  // Where feed_piece goes on after the carried bytes (null: plain feed).
  struct Piece {
    std::uint64_t offset;
    util::Timestamp time;
    FramerSink* rest;
  };
  bool feed_chunk(std::span<const std::uint8_t> chunk, FramerSink& sink, const Piece* piece);
  void append_state(std::string& out) const;
  // Writes the line of `m`, a message with a catalogue frame, in place as its frame reads
  // the payload and returns true; returns false with nothing written and m.frame_decodes
  // false if the frame does not read it (or the input was cut meanwhile: stop_ is set).
  bool write_frame_line(Message& m, InPlaceLines& lines);
  std::size_t process(const std::uint8_t* buf, std::size_t len, std::uint64_t base, bool at_end, std::size_t stop_at,
                      FramerSink& sink);
  std::size_t cut(std::uint64_t at, std::size_t len) noexcept;
  void skip(std::uint64_t position, std::uint64_t length, std::string_view reason);
  // Whether the bytes of buf[at, len) (stream offset base + at) confirm a packet that ends
  // at `at` (see kConfirmPackets): Yes, No, or Wait for more bytes (never when at_end).
  enum class Confirmation : std::uint8_t { Yes, No, Wait };
  // `unit_end_confirms` false: the end of a unit right at `at` does not confirm (it still
  // does after the first packet that follows). On Yes, `reach` (if not null) receives where
  // the bytes that confirmed it end (an offset in buf); `end` (if not null) receives where
  // the chain stopped (on Yes or No).
  struct ChainEnd {
    unsigned whole = 0;  // valid packets after `at` before it stopped
    std::size_t at = 0;  // where it stopped (an offset in buf)
    bool cut = false;    // No on a packet the end of the input cut, with ids or a head
                         // under 4 bytes (text makes id-less ones: a space and any two
                         // bytes); false: on invalid bytes, an id-less cut packet, or Yes
  };
  Confirmation confirm(const std::uint8_t* buf, std::size_t len, std::size_t at, std::uint64_t base, bool at_end,
                       bool unit_end_confirms = true, std::size_t* reach = nullptr, ChainEnd* end = nullptr) const;
  // Whether a valid packet starts at `at` and is confirmed (a packet cut by the end of the
  // input is not: this looks for real packets inside a candidate). `cut_confirms`: only
  // chains with a valid packet after the first, which a packet cut by the end
  // (ChainEnd::cut) may then follow, count.
  Confirmation confirm_chain(const std::uint8_t* buf, std::size_t len, std::size_t at, std::uint64_t base, bool at_end,
                             bool cut_confirms = false) const;
  // Whether one of the packets of the chain at `at` (as confirm_chain confirmed it: at most
  // kConfirmPackets + 1, whole in buf[at, len)) that begin before `limit` is evidence of
  // its own that a packet begins there (a verbose payload, or ids that read as ids).
  static bool strong_chain_within(const std::uint8_t* buf, std::size_t len, std::size_t at, std::size_t limit);
  // The length of the valid packet at `at` (whole in buf[at, len)), or 0.
  static unsigned valid_packet_at(const std::uint8_t* buf, std::size_t len, std::size_t at);
  // Whether a chain that confirm_chain with cut_confirms confirms (two valid packets, then
  // the confirmation or a cut packet) starts at or after offset p of buf (the end of the
  // input at len): remembered over the candidates of one process call, which asks each
  // position once at most.
  struct ChainAfter {
    std::size_t none_from = SIZE_MAX;  // none starts in [none_from, len) (SIZE_MAX: not asked)
    std::optional<std::size_t> last;   // the last position where one starts, once found
    bool starts_in(const Framer& framer, const std::uint8_t* buf, std::size_t len, std::size_t p, std::uint64_t base);
  };
  void deliver_skip(FramerSink& sink);

  StreamFormat format_;
  unsigned prefix_;        // H
  unsigned discard_step_;  // bytes dropped after a failed header or packet
  std::vector<std::uint8_t> carry_;
  // How much of a chunk's head is first added to the carried bytes (feed), marker framings.
  static constexpr std::size_t kFirstTake = 1024;
  std::uint64_t carry_base_ = 0;  // stream offset of carry_[0]
  std::uint64_t fed_ = 0;
  util::Timestamp last_time_;  // time of the most recently parsed storage header
  SkipRecord pending_;
  Message message_;
  util::TextBuffer* text_ = nullptr;            // where payload text goes, or null
  const PayloadGate* gate_ = nullptr;           // what each payload is needed for, or null
  const PayloadGate* quick_gate_ = nullptr;     // gate_, if its drops_unparsed may say true
  const Catalogue* catalogue_ = nullptr;        // describes non-verbose messages, or null
  std::unique_ptr<util::TextBuffer> own_text_;  // made on first set_payload_text(true)
  std::unique_ptr<util::TextBuffer> args_;      // made on first set_payload_args(true)
  bool make_args_ = false;                      // see set_payload_args
  static inline const std::atomic<bool> kNeverStop{false};
  const std::atomic<bool>* stop_ = &kNeverStop;       // see set_stop_flag
  std::optional<std::uint64_t> cut_at_;               // where the stop flag stopped it
  const std::atomic<bool>* interrupt_ = &kNeverStop;  // see set_interrupt_flag
  bool interrupted_ = false;
  bool units_ = false;                     // see set_units
  std::uint64_t unit_start_ = UINT64_MAX;  // stream offset where the last unit fed began
  std::uint64_t unit_end_ = UINT64_MAX;    // stream offset where the last unit fed ended
  std::uint64_t no_chain_until_ = 0;       // stream offsets below it start no confirmed chain
  // Stream offsets below it start no confirmed chain that would refuse a candidate that is
  // evidence of its own (see process): no chain, or one it lets through.
  std::uint64_t no_strong_chain_until_ = 0;
  mutable std::uint64_t chains_asked_ = 0;  // see chains_asked
  // Where the last packet taken because damage followed it ended (see kConfirmPackets), a
  // stream offset (UINT64_MAX: none): a packet that the end cuts right there is no proof.
  std::uint64_t damage_take_end_ = UINT64_MAX;
  bool unconfirmed_start_;  // network framing: no packet taken since the start
  // How the first decision went, compared with a framer mid-stream (began_as_continuation):
  // not made yet, the first packet held back (waiting for the bytes that confirm it), the
  // same, or not (the stream start's confirmation refused it, or held it past settle_start).
  enum class Start : std::uint8_t { Open, Held, Same, Differs };
  Start start_ = Start::Open;
  void decide_start(bool same) noexcept {
    if (start_ == Start::Open || start_ == Start::Held) start_ = same ? Start::Same : Start::Differs;
  }
  // A rule of stream starts only (the first packet unconfirmed: see kConfirmPackets) decided
  // where a framer mid-stream with the same skip record open may have decided otherwise:
  // in the framer's first stream, the start differs (began_as_continuation).
  bool first_stream_ = true;  // no finish yet
  void start_rule_applied() noexcept {
    if (first_stream_) start_ = Start::Differs;
  }
};

}  // namespace dltdump::dlt
