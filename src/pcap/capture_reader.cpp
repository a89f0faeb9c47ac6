#include "pcap/capture_reader.hpp"

#include <cstdio>

#include "pcap/pcap_reader.hpp"
#include "pcap/pcapng_reader.hpp"
#include "util/error.hpp"

namespace dltdump::pcap {

std::unique_ptr<CaptureReader> CaptureReader::open(util::InputFile& file) {
  // Peek the magic through a throwaway view: both readers start at offset 0.
  util::ContiguousInput probe(file);
  const auto head = probe.peek(4);
  if (!head || head->size() < 4) return nullptr;  // nothing to read
  const std::uint8_t* m = head->data();
  if (PcapngReader::is_magic(m)) return std::make_unique<PcapngReader>(std::move(probe));
  if (PcapReader::is_magic(m)) return std::make_unique<PcapReader>(std::move(probe));
  char hex[16];
  std::snprintf(hex, sizeof hex, "%02X %02X %02X %02X", m[0], m[1], m[2], m[3]);
  throw util::input_error(file.name(), file.name() + ": not a PCAP or PCAP-NG file (starts with " + hex + ")");
}

void CaptureReader::malformed(std::uint64_t offset, const std::string& what) const {
  throw util::input_error(in_.name(),
                          in_.name() + ": " + format_name() + " " + what + " at offset " + std::to_string(offset));
}

bool to_nanoseconds_general(std::uint64_t units, const Interface& itf, std::int64_t& ns) noexcept {
  using i128 = __int128;
  i128 t;
  if (itf.units_per_second == 1000000000u) t = units;
  else if (itf.units_per_second == 1000000u) t = static_cast<i128>(units) * 1000;
  else t = static_cast<i128>(static_cast<unsigned __int128>(units) * 1000000000u / itf.units_per_second);
  t += static_cast<i128>(itf.offset_seconds) * 1000000000;
  if (t > INT64_MAX || t < INT64_MIN + 1) return false;  // INT64_MIN is kNoTime
  ns = static_cast<std::int64_t>(t);
  return true;
}

}  // namespace dltdump::pcap
