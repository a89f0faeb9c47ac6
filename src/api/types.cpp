#include "dltdump/types.hpp"
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

std::string_view version() noexcept { return kVersion; }

}  // namespace dltdump
