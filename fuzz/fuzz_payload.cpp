// Fuzz target: the verbose and control payload decoders on arbitrary payloads. The first
// byte selects byte order, decoder and NOAR / control kind. Validation and formatting
// must agree, and neither may read outside the payload.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

#include "dlt/control_payload.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/verbose_payload.hpp"

using namespace dltdump;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool be = data[0] & 1;
  const bool control = data[0] & 2;
  const std::uint8_t arg = data[1];
  // Copy to an exactly sized heap block so that ASan sees any overread.
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[size - 2]);
  if (size > 2) std::memcpy(copy.get(), data + 2, size - 2);
  std::span<const std::uint8_t> payload(copy.get(), size - 2);
  util::TextBuffer text(16);
  if (control) {
    auto kind = static_cast<dlt::ControlKind>(1 + arg % 3);
    bool ok = dlt::validate_control(payload, be, kind);
    if (ok != dlt::format_control(payload, be, kind, text)) std::abort();
  } else {
    bool ok = dlt::validate_verbose(payload, be, arg);
    if (ok != dlt::format_verbose(payload, be, arg, text)) std::abort();
    text.clear();
    dlt::format_nonverbose(payload, be, text);
  }
  return 0;
}
