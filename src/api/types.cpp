#include "dltdump/types.hpp"
#include "dlt/message.hpp"  // type_text
#include "dltdump/version.hpp"
#include "util/version.hpp"  // kVersion

namespace dltdump {

std::string_view name(Level level) noexcept {
  constexpr std::string_view kNames[] = {"", "fatal", "error", "warn", "info", "debug", "verbose"};
  const auto i = static_cast<std::size_t>(level);
  return i < std::size(kNames) ? kNames[i] : "";
}

std::string_view name(MessageType type) noexcept {
  constexpr std::string_view kNames[] = {"log", "app_trace", "nw_trace", "control"};
  const auto i = static_cast<std::size_t>(type);
  return i < std::size(kNames) ? kNames[i] : "";
}

std::string_view name(Format format) noexcept {
  constexpr std::string_view kNames[] = {"automatic", "file", "serial", "network", "capture"};
  const auto i = static_cast<std::size_t>(format);
  return i < std::size(kNames) ? kNames[i] : "";
}

std::string_view type_text(MessageType type, std::uint8_t info) noexcept {
  std::string_view text = dlt::type_text(static_cast<unsigned>(type), info);  // "nw_trace " without a name
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::string_view version() noexcept { return kVersion; }

}  // namespace dltdump
