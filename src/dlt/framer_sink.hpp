// The sink protocol: how a Framer (dlt/framer.hpp) hands its events on. Every stage after
// a framer speaks it — a capture flow (dissect/capture_flow.hpp), the filter
// (filter/filter_sink.hpp), the outputs (output/line_output.hpp) — and this header is
// where it is written down; the others say only what they add.
//
// The events of one framer, in stream order:
//
//   on_skip(s)                       a region of bytes that is no valid packet
//   on_message(m)                    a valid packet, or, when the sink takes lines in
//   begin_line(m) → the framer       place (InPlaceLines), the same message in three steps:
//     appends the payload text →     the sink writes its line up to the payload text, the
//   end_line() | cancel_line()       framer appends that text, and the sink ends the line,
//                                    or takes it back (revokes it) when the payload proves
//                                    invalid or the input was cut while it was read
//
// * Every input byte ends up in exactly one event: in the `raw` span of a message (whether
//   it came by on_message or by begin_line … end_line) or inside a skip record. A line
//   revoked by cancel_line is no event: its bytes go to a skip record delivered later
//   (or, on a cut input, nowhere), or the same message is begun again at once (a message
//   with a catalogue frame whose line was written as if the frame read its payload, when
//   it did not: then its byte dump). Each message reaches the sink once, by one path.
// * A skip record is delivered just before the next message (on_message or begin_line),
//   or when the framer finishes; begin_line is never called while one is pending, so a
//   sink never has a skip to deliver in the middle of a line.
// * The calls come from the thread that calls the framer, one at a time. The framer keeps
//   no reference to the sink beyond the feed/finish call it was passed to.
// * Whatever a call throws (an output error) the framer passes on at once; the framer is
//   then in no state to go on and is not fed again. cancel_line alone must not throw.
//
// What a message's payload is needed for is asked before it is touched, of the framer's
// PayloadGate (dlt/packet.hpp); a message the gate wants text for comes with its payload
// text, or through begin_line when the sink takes lines in place.
#pragma once

#include "dlt/message.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::dlt {

// The three steps of one message written in place: a sink that prints each message as one
// text line, the payload text last but for the line end, lets the framer format the
// payload straight into the line rather than into a buffer of its own that the sink then
// copies.
class InPlaceLines {
 public:
  virtual ~InPlaceLines() = default;

  // Begins the line of message `m`, in place of on_message(m). Called only when the
  // framer makes payload text (Framer::set_payload_text), the gate (if any) wants text for
  // `m`, and no skip record is pending. Assumes: `m`'s headers are decoded (its payload is
  // not yet validated: has_payload_text and payload_text are not to be read). `m` is the
  // framer's scratch message, lent until end_line or cancel_line: the sink may rewrite its
  // position and time (a sink that passes lines on locates them first instead of copying
  // the message), nothing else, and keeps no reference after that. Writes the line up to
  // where the payload text goes and returns the buffer it is in, owned by the sink: it
  // must stay valid, and nothing but the framer may write to it, until end_line or
  // cancel_line. Throws what the output throws (opening a file); no line is then begun.
  virtual util::TextBuffer& begin_line(Message& m) = 0;
  // The framer appended the payload text (and nothing else) to the buffer begin_line
  // returned; the message is valid. Ends the line (its line end) and delivers it: from
  // here on it is the message's event. Throws what the output throws (writing a full
  // buffer out).
  virtual void end_line() = 0;
  // The payload proved invalid (the framer may have appended part of its text first), or
  // the input was cut while it was read. Removes everything written to the buffer since
  // begin_line, so that no trace of the line is left: as if begin_line had not been
  // called. Never throws. Hence only a sink whose destination lets a begun record be taken
  // back offers InPlaceLines (on the output side: output::RecordTarget::records_revocable).
  virtual void cancel_line() = 0;
};

// Receives the framer's events (see above).
class FramerSink {
 public:
  virtual ~FramerSink() = default;

  // A valid packet. Assumes: headers decoded, payload validated; m.has_payload_text tells
  // whether m.payload_text holds the payload's text (made when the framer makes text and
  // the gate wanted it); without, it can be made from m with format_payload_text
  // (dlt/line_formatter.hpp). `m` and every span and view in it (raw, packet, payload,
  // payload_text) are the framer's (its input chunk, carry buffer or text buffer) and
  // valid during the call only: a sink that keeps a message copies it. Throws what the
  // output throws.
  virtual void on_message(const Message& m) = 0;
  // A skipped region. `s` is lent for the call; s.reason is one of the kReason* texts
  // (static: it may be kept). Throws what the output throws.
  virtual void on_skip(const SkipRecord& s) = 0;
  // Non-null if messages whose text is wanted may go through InPlaceLines instead of
  // on_message; the object is the sink's and lives as long as it. Asked when a feed,
  // finish or decode call starts, not per message, and only by a framer that makes
  // payload text; the answer must not change while a framer delivers to this sink. Null
  // (the default): every message comes by on_message. Never throws.
  virtual InPlaceLines* in_place_lines() { return nullptr; }
};

}  // namespace dltdump::dlt
