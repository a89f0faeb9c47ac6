// The live input arguments of dltdump-spec §1.5: `tcp://host[:port]`,
// `udp://addr[:port][?bindto=ip]` and `ser:port,baud,data,parity,stop[,handshake]`.
//
// Each parser takes the whole argument and either returns the endpoint or throws
// util::input_uri_error with the line to print (exit code 2). Where DltDump crashes on a bad value
// (deviations Q5, Q14), the message names the bad part instead.
#pragma once

#include <cstdint>
#include <string>

namespace dltdump::input {

inline constexpr std::uint16_t kDefaultDltPort = 3490;

struct TcpEndpoint {
  std::string host;  // IPv4 literal or DNS name
  std::uint16_t port = kDefaultDltPort;
  // `tcp://<host>:<port>`, as the connection messages name it.
  std::string name() const { return "tcp://" + host + ":" + std::to_string(port); }
};

struct UdpEndpoint {
  std::uint32_t address = 0;  // IPv4, host byte order; 0 = every local address
  std::uint16_t port = kDefaultDltPort;
  std::uint32_t bind_to = 0;  // multicast only: the interface address to join on (0: any)
  bool multicast() const { return (address >> 28) == 0xE; }  // 224.0.0.0/4
  std::string name() const;                                  // `udp://<addr>:<port>`
};

enum class Parity { None, Odd, Even, Mark, Space };
enum class StopBits { One, OnePointFive, Two };
// Handshake flags; DltDump's names are their combinations (`rtsxon` = Rts | XOnXOff).
namespace handshake {
inline constexpr unsigned kNone = 0, kXOnXOff = 1, kRts = 2, kDtr = 4;
}

struct SerialSettings {
  std::string port;  // device path, e.g. /dev/ttyUSB0
  std::uint32_t baud = 115200;
  unsigned data_bits = 8;  // 5 to 8
  Parity parity = Parity::None;
  StopBits stop_bits = StopBits::One;
  unsigned handshake = handshake::kNone;
};

// `arg` starts with `tcp:`, `udp:` or `ser:` respectively. Throw util::input_uri_error.
TcpEndpoint parse_tcp_uri(const std::string& arg);
UdpEndpoint parse_udp_uri(const std::string& arg);
SerialSettings parse_serial_uri(const std::string& arg);

// Dotted-quad IPv4 text → host byte order; false if `text` is not exactly that.
bool parse_ipv4(const std::string& text, std::uint32_t& out);
std::string ipv4_text(std::uint32_t address);

}  // namespace dltdump::input
