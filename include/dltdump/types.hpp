// The small value types of the dltdump API: ids, levels, message types, payload kinds and
// input formats. Plain values, safe to copy and share between threads.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "dltdump/export.hpp"

namespace dltdump {

// A DLT identifier (ECU, application, context): up to four characters, kept as the four
// bytes of the wire with every byte after the id's end zero. value() packs them into one
// number (byte k in bits 8k..8k+7), so a column of ids is a column of 32-bit integers and
// equal ids have equal values.
struct Id {
  std::array<char, 4> chars{};

  // The id of the first four characters of `text` (characters after a zero are dropped).
  static constexpr Id of(std::string_view text) noexcept {
    Id id;
    for (std::size_t k = 0; k < 4 && k < text.size() && text[k] != '\0'; ++k) id.chars[k] = text[k];
    return id;
  }
  // The id whose value() is `value`.
  static constexpr Id from_value(std::uint32_t value) noexcept {
    Id id;
    for (std::size_t k = 0; k < 4; ++k) id.chars[k] = static_cast<char>((value >> (8 * k)) & 0xFF);
    return id;
  }
  constexpr std::uint32_t value() const noexcept {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k)
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(chars[k])) << (8 * k);
    return v;
  }
  constexpr std::size_t size() const noexcept {
    std::size_t n = 0;
    while (n < 4 && chars[n] != '\0') ++n;
    return n;
  }
  constexpr bool empty() const noexcept { return chars[0] == '\0'; }
  // The characters, as they came (control characters included). Valid as long as the Id.
  constexpr std::string_view view() const noexcept { return {chars.data(), size()}; }
  std::string str() const { return std::string(view()); }
  friend constexpr bool operator==(const Id& a, const Id& b) noexcept { return a.value() == b.value(); }
};

// The log level of a log message (MTIN of message type log), most severe first; none for
// a message that has none.
enum class Level : std::uint8_t { none = 0, fatal = 1, error = 2, warn = 3, info = 4, debug = 5, verbose = 6 };

// The message type (MSTP) of the extended header.
enum class MessageType : std::uint8_t { log = 0, app_trace = 1, nw_trace = 2, control = 3 };

// How a message's payload is read.
enum class PayloadKind : std::uint8_t { verbose, non_verbose, control };

// The format of an input, as --format names them: automatic tells it by content (a DLT
// file, a serial or network recording, a PCAP or PCAP-NG capture).
enum class Format : std::uint8_t { automatic, file, serial, network, capture };

// "fatal", "error", … ; "log", "app_trace", … ; "file", "serial", …
DLTDUMP_API std::string_view name(Level level) noexcept;
DLTDUMP_API std::string_view name(MessageType type) noexcept;
DLTDUMP_API std::string_view name(Format format) noexcept;
// The TYPE column a line shows for message type `type` with type info `info` (0-15): "log
// error", "control request", "nw_trace user1"; the type alone ("app_trace") for a type info
// without a name. Message::type_text() of such a message; what bindings turn --type names into.
DLTDUMP_API std::string_view type_text(MessageType type, std::uint8_t info) noexcept;
}  // namespace dltdump
