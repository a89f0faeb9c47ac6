// One decoded DLT message, as a Reader hands it out: a view, no copy.
//
// Lifetime: a Message and every span, view and Argument it gives are valid until its
// Reader's next step (the next batch: Reader::next_batch, or the iterator stepping past
// the last message of a batch), or until the Reader is destroyed or moved from. Copy what
// must live longer (text(), the ids and numbers are values).
// Thread-safety: the accessors only read; text() and args() make their result on the
// calling thread. Several threads may read the messages of one batch at once, provided
// none steps the Reader meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dltdump/argument.hpp"
#include "dltdump/export.hpp"
#include "dltdump/types.hpp"

namespace dltdump {

// Microseconds since 1970-01-01T00:00:00Z.
using Time = std::chrono::sys_time<std::chrono::microseconds>;

// A default-constructed Message (none a Reader gave) reads as an empty verbose message: no
// time, zero ids and numbers, an empty payload, text "" and no arguments.
class DLTDUMP_API Message {
 public:
  // The storage header's time (DLT files), the capture time (captures), the PC clock when
  // its bytes arrived (a live TCP or serial input; UDP: the kernel's receive time stamp);
  // has_time() false for network and serial recordings before any time source (time() is
  // then the epoch).
  Time time() const noexcept;
  bool has_time() const noexcept;
  // The device time (TMSP: uptime in 0.1 ms units); has_device_time() false without one.
  std::uint32_t device_time() const noexcept;
  bool has_device_time() const noexcept;
  std::uint8_t counter() const noexcept;  // MCNT
  // The ECU id a line shows: the standard header's, else a catalogue frame's, else the
  // storage header's.
  Id ecu() const noexcept;
  // Application and context ids (a catalogue frame's for a non-verbose message it
  // describes); empty without an extended header.
  Id app() const noexcept;
  Id ctx() const noexcept;
  bool has_extended_header() const noexcept;
  std::uint32_t session() const noexcept;
  bool has_session() const noexcept;
  // MSTP (log without an extended header; a value above 3 as it came) and MTIN; a
  // catalogue frame's for a non-verbose message it describes (as app() and ctx()).
  MessageType type() const noexcept;
  std::uint8_t type_info() const noexcept;  // MTIN
  // The level of a log message with an extended header or a catalogue frame (the type
  // above); Level::none otherwise.
  Level level() const noexcept;
  // "log warn", "control request", … as the TYPE column of a line shows it ("" for none).
  std::string_view type_text() const noexcept;
  PayloadKind kind() const noexcept;
  bool big_endian() const noexcept;  // the payload's byte order (MSBF)
  // The message id of a non-verbose or control message (its payload's first four bytes; 0
  // if it has fewer).
  std::uint32_t message_id() const noexcept;
  // The argument count a line shows: NOAR of a verbose message (0 for an empty payload);
  // for a non-verbose message its catalogue frame's when the frame decodes it, else 1;
  // 0 for a control message.
  std::uint8_t argument_count() const noexcept;

  // Stream offset of the message's first byte in its input (for a capture, the file
  // offset of that byte in its packet).
  std::uint64_t position() const noexcept;
  // The message's bytes: as they were in the input (storage header or serial marker
  // included), the packet (from the standard header), and the payload.
  std::span<const std::uint8_t> raw() const noexcept;
  std::span<const std::uint8_t> packet() const noexcept;
  std::span<const std::uint8_t> payload() const noexcept;

  // The payload's text, made now, exactly as the command line shows it at the end of a
  // line (what -s and -r search): argument texts, "[<id>] …" for non-verbose, the service
  // text for control messages.
  std::string text() const;
  // The same text appended to `out`: no string of its own per message (a caller that
  // gathers the texts of many messages, as read_dataframe does, keeps one buffer).
  void append_text(std::string& out) const;
  // The arguments of a verbose message, typed, decoded now (struct members follow their
  // struct, one level deeper); of a non-verbose message that the Reader's catalogue
  // decodes, its frame's arguments typed as verbose ones of the same values (HEX and BIN
  // signals as unsigned integers with hex()/binary(), static texts as strings, RAW and
  // unknown types as raw; each signal's name and unit from the catalogue); empty for other
  // messages (control, non-verbose without a frame that reads the payload).
  std::vector<Argument> args() const;

 private:
  friend struct detail::Access;
  const void* record_ = nullptr;  // the library's decoded message
};

}  // namespace dltdump
