// Fuzz target: input argument interpretation (tcp://, udp://, ser:, file://, paths).
//
// Any text either parses or throws InputSpecError with a one-line message (it quotes the
// argument, so a line break in the argument is its own); a parsed live
// endpoint satisfies the documented rules (ports not 0, bindto only with a multicast
// address and never a multicast address itself, serial fields in range).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "input/input_spec.hpp"
#include "input/serial_port.hpp"
#include "util/error.hpp"

using namespace dltdump::input;
namespace util = dltdump::util;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* const kPrefixes[] = {"tcp://", "udp://", "ser:", "file://", ""};
  if (size == 0) return 0;
  const std::string arg =
      std::string(kPrefixes[data[0] % 5]) + std::string(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const InputSpec spec = parse_input_argument(arg);
    switch (spec.kind) {
      case InputKind::Tcp:
        if (spec.tcp.port == 0 || spec.tcp.host.empty()) std::abort();
        break;
      case InputKind::Udp:
        if (spec.udp.port == 0) std::abort();
        if (spec.udp.bind_to != 0 && (!spec.udp.multicast() || (spec.udp.bind_to >> 28) == 0xE)) std::abort();
        break;
      case InputKind::Serial:
        if (spec.serial.port.empty() || !is_standard_baud(spec.serial.baud) || spec.serial.data_bits < 5 ||
            spec.serial.data_bits > 8 || spec.serial.handshake > 7)
          std::abort();
        break;
      default: break;
    }
  } catch (const util::Error& e) {
    // One line, unless the argument itself holds a line break (messages quote it); exit 2.
    const std::string message = e.what();
    if (e.exit_code() != util::ExitCode::InputUriError || message.empty() ||
        (message.find('\n') != std::string::npos && arg.find('\n') == std::string::npos))
      std::abort();
  }
  return 0;
}
