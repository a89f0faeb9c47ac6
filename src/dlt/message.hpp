// The decoded view of one DLT packet, and the record of one skipped region.
//
// A Message never owns bytes: its spans point into the framer's input (a mapped file
// window or the framer's carry buffer) and are valid only while the framer's callback
// runs. Header fields are decoded eagerly (they are cheap); the payload is only validated,
// and its text is made later and only if something needs it (dlt/line_formatter.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "dlt/catalogue_frame.hpp"
#include "dlt/id.hpp"
#include "util/timestamp.hpp"

namespace dltdump::dlt {

// Message type (MSTP) values of the extended header.
enum class MessageType : std::uint8_t { Log = 0, AppTrace = 1, NwTrace = 2, Control = 3 };

// How the payload is interpreted.
enum class PayloadKind : std::uint8_t { Verbose, NonVerbose, Control };

// Sizes of the framing (spec §4).
inline constexpr std::size_t kStorageHeaderBytes = 16;  // "DLT\1", seconds, microseconds, ECU
inline constexpr std::size_t kSerialMarkerBytes = 4;    // "DLS\1"
inline constexpr std::size_t kMaxPacketBytes = 65535;   // LEN is 16 bits

// Standard header HTYP bits.
namespace htyp {
inline constexpr std::uint8_t kUseExtendedHeader = 0x01;
inline constexpr std::uint8_t kMsbFirst = 0x02;
inline constexpr std::uint8_t kWithEcuId = 0x04;
inline constexpr std::uint8_t kWithSessionId = 0x08;
inline constexpr std::uint8_t kWithTimestamp = 0x10;
inline constexpr std::uint8_t kVersionMask = 0xE0;
inline constexpr std::uint8_t kVersion1 = 0x20;
}  // namespace htyp

struct Message {
  std::uint64_t position = 0;             // stream offset of the first byte of `raw`
  util::Timestamp time;                   // storage header, capture or PC time
  std::span<const std::uint8_t> raw;      // as it was in the input (storage header/marker included)
  std::span<const std::uint8_t> packet;   // from the standard header to LEN
  std::span<const std::uint8_t> payload;  // after the headers

  std::uint8_t htyp = 0;
  std::uint8_t counter = 0;  // MCNT
  bool big_endian = false;   // payload byte order (MSBF)
  bool has_ecu = false, has_session = false, has_device_time = false, has_extended = false;
  Id ecu;          // standard header ECU (WEID)
  Id storage_ecu;  // storage header ECU (DLT files only)
  std::uint32_t session = 0;
  std::uint32_t device_time = 0;  // 0.1 ms units
  std::uint8_t msin = 0, noar = 0;
  Id app, ctx;
  PayloadKind kind = PayloadKind::NonVerbose;
  // A non-verbose message's catalogue frame, if a catalogue describes it (dlt/catalogue.hpp:
  // Catalogue::describe); then `app` and `ctx` are the frame's. `frame_decodes` (set by
  // check_payload): the frame's arguments take the payload exactly, so the line shows them
  // (else the byte dump).
  const CatalogueFrame* frame = nullptr;
  bool frame_decodes = false;
  // The payload's text when the framer made it while validating (see parse_packet).
  bool has_payload_text = false;
  std::string_view payload_text;
  // A verbose payload's typed arguments as a JSON record writes them (the elements of its
  // "args", without the brackets), when the framer made them in the walk that made the
  // text (Framer::set_payload_args). Wherever payload_text is dropped, so are these.
  bool has_payload_args = false;
  std::string_view payload_args;
  // With payload_args: the payload text is printable ASCII without `"` and `\`, which a JSON
  // string takes as it is (no escaping scan).
  bool payload_text_plain = false;
  // In a run over time (app/sort/sorted_run.hpp) whose output names files by lifecycle
  // (%LC%): the number of the message's lifecycle in the run (1, 2, …); else 0. Not
  // the framer's: the run sets it.
  std::uint64_t lifecycle = 0;
  // In a sorted run (app/sort/sorted_run.hpp), where the line shows it: the input the
  // message came from, as the command line names it (`position` is then its offset in that
  // input). Empty: the input the output was told of (LineOutput::begin_input).
  std::string_view input;

  MessageType type() const { return static_cast<MessageType>((msin >> 1) & 7); }
  std::uint8_t type_info() const { return static_cast<std::uint8_t>(msin >> 4); }  // MTIN
  // The ECU id a line shows: standard header, else the catalogue frame's, else storage header.
  Id shown_ecu() const {
    if (frame && !has_ecu && !frame->ecu.empty()) [[unlikely]]
      return frame->ecu;
    return select_id(has_ecu, ecu, storage_ecu);
  }
};

// A region of input that is not a valid packet. Consecutive skipped bytes form one record;
// its reason is that of the first skipped chunk.
struct SkipRecord {
  std::uint64_t position = 0;  // stream offset of the first skipped byte
  std::uint64_t length = 0;
  std::string_view reason;  // one of the kReason* texts
  util::Timestamp time;     // time current when the first byte was skipped
  std::string_view input;   // as Message::input
};

inline constexpr std::string_view kReasonSearching = "Searching for next packet";
inline constexpr std::string_view kReasonInvalidHeader = "Invalid packet standard header";
inline constexpr std::string_view kReasonInvalidPacket = "Invalid packet";
inline constexpr std::string_view kReasonFlushing = "Flushing packets at end of stream";
inline constexpr std::string_view kReasonEndOfStream = "End of stream";
// Captures: bytes of a TCP stream that the capture does not hold (dissect/capture_flow.hpp).
inline constexpr std::string_view kReasonTcpGap = "Bytes missing from the TCP stream";

// The argument count a line shows for a non-verbose message: its frame's when the frame
// decodes the payload, else 1 (the byte dump). The records and the API give the same.
inline unsigned nonverbose_argument_count(const Message& m) {
  return m.frame_decodes && m.frame ? m.frame->arg_count : 1u;
}

// The TYPE column of a line (`log info`, `control request`, `nw_trace user1`, …): a
// catalogue frame's type; else empty for non-verbose messages without extended header
// (deviation Q16: with an extended header, the type its MSIN carries) and for MSTP values
// above 3.
// The view's characters are followed by padding: kTypeTextReadable bytes from data() may
// be read, so callers can copy a fixed size.
std::string_view type_text(const Message& m);
// The TYPE column for message type `mstp` (0-3) and type info `mtin` (0-15).
std::string_view type_text(unsigned mstp, unsigned mtin);
inline constexpr std::size_t kTypeTextReadable = 24;

}  // namespace dltdump::dlt
