// Test helper: builds DLT packets and verbose arguments byte by byte.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace dltdump::test {

using Bytes = std::vector<std::uint8_t>;

inline void put(Bytes& b, std::uint64_t v, unsigned width, bool be) {
  for (unsigned i = 0; i < width; ++i) b.push_back(static_cast<std::uint8_t>(v >> (be ? 8 * (width - 1 - i) : 8 * i)));
}
inline void put_id(Bytes& b, const std::string& id) {
  for (std::size_t i = 0; i < 4; ++i) b.push_back(i < id.size() ? static_cast<std::uint8_t>(id[i]) : 0);
}
inline void put_str(Bytes& b, const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }

struct PacketSpec {
  bool be = false;
  std::string ecu = "ECU1";  // empty: no WEID
  bool with_session = false;
  std::uint32_t session = 0;
  bool with_time = false;
  std::uint32_t device_time = 0;
  bool extended = true;
  std::uint8_t msin = 0x41;  // log info, verbose
  std::uint8_t noar = 0;
  std::string app = "APP1", ctx = "CTX1";
  std::uint8_t counter = 0;
};

// A standard header (+ extended header) packet around `payload`.
inline Bytes packet(const PacketSpec& s, const Bytes& payload) {
  Bytes b;
  std::uint8_t htyp = 0x20 | (s.extended ? 1 : 0) | (s.be ? 2 : 0) | (s.ecu.empty() ? 0 : 4) |
                      (s.with_session ? 8 : 0) | (s.with_time ? 0x10 : 0);
  b.push_back(htyp);
  b.push_back(s.counter);
  b.push_back(0);
  b.push_back(0);
  if (!s.ecu.empty()) put_id(b, s.ecu);
  if (s.with_session) put(b, s.session, 4, true);
  if (s.with_time) put(b, s.device_time, 4, true);
  if (s.extended) {
    b.push_back(s.msin);
    b.push_back(s.noar);
    put_id(b, s.app);
    put_id(b, s.ctx);
  }
  b.insert(b.end(), payload.begin(), payload.end());
  b[2] = static_cast<std::uint8_t>(b.size() >> 8);
  b[3] = static_cast<std::uint8_t>(b.size());
  return b;
}

// A storage header (DLT file) in front of a packet.
inline Bytes storage(const Bytes& pkt, std::int32_t sec = 0, std::int32_t usec = 0, const std::string& ecu = "ECU1") {
  Bytes b = {'D', 'L', 'T', 1};
  put(b, static_cast<std::uint32_t>(sec), 4, false);
  put(b, static_cast<std::uint32_t>(usec), 4, false);
  put_id(b, ecu);
  b.insert(b.end(), pkt.begin(), pkt.end());
  return b;
}

inline Bytes serial(const Bytes& pkt) {
  Bytes b = {'D', 'L', 'S', 1};
  b.insert(b.end(), pkt.begin(), pkt.end());
  return b;
}

// Verbose argument helpers (type info + data).
inline Bytes arg_uint(std::uint64_t v, unsigned width, bool be, std::uint32_t extra = 0) {
  static const unsigned tyle[] = {0, 1, 2, 0, 3, 0, 0, 0, 4};
  Bytes b;
  put(b, 0x40u | tyle[width] | extra, 4, be);
  put(b, v, width, be);
  return b;
}
inline Bytes arg_sint(std::int64_t v, unsigned width, bool be) {
  static const unsigned tyle[] = {0, 1, 2, 0, 3, 0, 0, 0, 4};
  Bytes b;
  put(b, 0x20u | tyle[width], 4, be);
  put(b, static_cast<std::uint64_t>(v), width, be);
  return b;
}
inline Bytes arg_string(const std::string& s, bool be, bool utf8 = false, bool nul = true) {
  Bytes b;
  put(b, 0x200u | (utf8 ? (1u << 15) : 0), 4, be);
  put(b, s.size() + (nul ? 1 : 0), 2, be);
  put_str(b, s);
  if (nul) b.push_back(0);
  return b;
}
// A raw (RAWD) argument holding `bytes`, little endian.
inline Bytes arg_raw(const Bytes& bytes) {
  Bytes b;
  put(b, 0x400, 4, false);
  put(b, bytes.size(), 2, false);
  b.insert(b.end(), bytes.begin(), bytes.end());
  return b;
}
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

}  // namespace dltdump::test
