#include "input/live_uri.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string_view>
#include <vector>

#include "input/input_spec.hpp"
#include "input/serial_port.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"

namespace dltdump::input {

namespace {

using util::ascii_lower;

// Unsigned decimal digits only, at most `max`; false otherwise.
bool parse_decimal(std::string_view text, std::uint64_t max, std::uint64_t& out) {
  if (text.empty() || text.size() > 19) return false;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n > max) return false;
  out = n;
  return true;
}

[[noreturn]] void invalid(const std::string& arg, const std::string& why) {
  throw util::input_uri_error(arg, "Invalid input " + arg + " (" + why + ")");
}
[[noreturn]] void unsupported_fields(const std::string& arg) {
  throw util::input_uri_error(arg, "Invalid URI " + arg + ", unsupported fields.");
}

// `scheme://authority[path][?query][#fragment]`, split (RFC 3986 §3), with the authority's
// host and port.
struct NetworkUri {
  std::string host;
  std::uint16_t port = kDefaultDltPort;
  std::string path, query;
  bool has_query = false, has_fragment = false;
};

NetworkUri split_network_uri(const std::string& arg, std::size_t scheme_len) {
  const std::string scheme = arg.substr(0, scheme_len);
  std::string_view rest = std::string_view(arg).substr(scheme_len + 1);
  if (rest.substr(0, 2) != "//") invalid(arg, "expected " + scheme + "://host[:port]");
  rest.remove_prefix(2);
  NetworkUri uri;
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  rest.remove_prefix(authority_end);
  if (const std::size_t hash = rest.find('#'); hash != std::string_view::npos) {
    uri.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (const std::size_t q = rest.find('?'); q != std::string_view::npos) {
    uri.has_query = true;
    uri.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  uri.path = rest;
  if (authority.find('@') != std::string_view::npos) unsupported_fields(arg);
  if (!authority.empty() && authority.front() == '[')
    throw util::input_uri_error(arg, "Invalid host name: " + std::string(authority.substr(0, authority.find(']') + 1)));
  if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    std::uint64_t n = 0;
    if (!port.empty() && (!parse_decimal(port, std::numeric_limits<std::uint16_t>::max(), n) || n == 0))
      invalid(arg, "invalid port '" + std::string(port) + "'");
    if (!port.empty()) uri.port = static_cast<std::uint16_t>(n);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) invalid(arg, "no host name");
  uri.host = authority;
  return uri;
}

bool valid_dns_name(std::string_view host) {
  return std::all_of(host.begin(), host.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '.' || c == '_'; });
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

constexpr const char* kSerialSpecifier = "Invalid URI specifier for ser:port,baud,data,parity,stop[,hshake]";

Parity parse_parity(const std::string& field) {
  const std::string v = ascii_lower(field);
  if (v == "n" || v == "none" || v == "0") return Parity::None;
  if (v == "o" || v == "odd" || v == "1") return Parity::Odd;
  if (v == "e" || v == "even" || v == "2") return Parity::Even;
  if (v == "m" || v == "mark" || v == "3") return Parity::Mark;
  if (v == "s" || v == "space" || v == "4") return Parity::Space;
  throw util::input_uri_error(field, "Invalid parity specified for ser:");
}

StopBits parse_stop_bits(const std::string& field) {
  if (field == "1") return StopBits::One;
  if (field == "1.5") return StopBits::OnePointFive;
  if (field == "2") return StopBits::Two;
  throw util::input_uri_error(field, "Invalid parameter for stop bits for ser:");
}

unsigned parse_handshake(const std::string& field) {
  using namespace handshake;
  static constexpr std::pair<std::string_view, unsigned> kNames[] = {{"none", kNone},
                                                                     {"xon", kXOnXOff},
                                                                     {"rts", kRts},
                                                                     {"dtr", kDtr},
                                                                     {"rtsxon", kRts | kXOnXOff},
                                                                     {"dtrxon", kDtr | kXOnXOff},
                                                                     {"dtrrts", kDtr | kRts},
                                                                     {"dtrrtsxon", kDtr | kRts | kXOnXOff}};
  const std::string v = ascii_lower(field);
  for (const auto& [name, flags] : kNames)
    if (v == name) return flags;
  std::uint64_t n = 0;
  if (parse_decimal(v, kDtr | kRts | kXOnXOff, n)) return static_cast<unsigned>(n);
  throw util::input_uri_error(field, "Invalid handshake specified for ser:");
}

}  // namespace

bool parse_ipv4(const std::string& text, std::uint32_t& out) {
  const auto parts = split(text, '.');
  if (parts.size() != 4) return false;
  std::uint32_t address = 0;
  for (const auto& part : parts) {
    std::uint64_t n = 0;
    if (part.size() > 3 || !parse_decimal(part, 255, n)) return false;
    address = address << 8 | static_cast<std::uint32_t>(n);
  }
  out = address;
  return true;
}

std::string ipv4_text(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string(a >> 16 & 0xFF) + "." + std::to_string(a >> 8 & 0xFF) + "." +
         std::to_string(a & 0xFF);
}

std::string UdpEndpoint::name() const { return "udp://" + ipv4_text(address) + ":" + std::to_string(port); }

TcpEndpoint parse_tcp_uri(const std::string& arg) {
  const NetworkUri uri = split_network_uri(arg, 3);
  if (uri.has_query || uri.has_fragment || (!uri.path.empty() && uri.path != "/")) unsupported_fields(arg);
  if (!valid_dns_name(uri.host)) throw util::input_uri_error(arg, "Invalid host name: " + uri.host);
  return TcpEndpoint{uri.host, uri.port};
}

UdpEndpoint parse_udp_uri(const std::string& arg) {
  const NetworkUri uri = split_network_uri(arg, 3);
  if (uri.has_fragment || (!uri.path.empty() && uri.path != "/")) unsupported_fields(arg);
  UdpEndpoint endpoint;
  endpoint.port = uri.port;
  if (!parse_ipv4(uri.host, endpoint.address)) throw util::input_uri_error(arg, "Invalid host name: " + uri.host);
  if (!uri.has_query) return endpoint;
  for (const auto& parameter : split(uri.query, '&')) {
    const std::size_t eq = parameter.find('=');
    if (eq == std::string::npos || ascii_lower(parameter.substr(0, eq)) != "bindto") unsupported_fields(arg);
    const std::string value = parameter.substr(eq + 1);
    // Deviation Q5: DltDump crashes on each of these.
    if (!parse_ipv4(value, endpoint.bind_to)) invalid(arg, "bindto '" + value + "' is not an IPv4 address");
    if (!endpoint.multicast()) invalid(arg, "bindto is only allowed with a multicast address");
    if ((endpoint.bind_to >> 28) == 0xE)
      invalid(arg, "bindto " + value + " is a multicast address, not an interface address");
  }
  return endpoint;
}

SerialSettings parse_serial_uri(const std::string& arg) {
  const std::string_view rest = std::string_view(arg).substr(4);
  if (rest.substr(0, 2) == "//") throw util::input_uri_error(arg, "Cannot connect to a remote host with ser:");
  if (rest.find_first_of("?#") != std::string_view::npos) throw util::input_uri_error(arg, kSerialSpecifier);
  const auto fields = split(rest, ',');  // a 7th and further field is ignored (spec §1.5)
  if (fields.size() < 5 || fields[0].empty()) throw util::input_uri_error(arg, kSerialSpecifier);
  SerialSettings s;
  s.port = fields[0];
  std::uint64_t n = 0;
  // Deviation Q14: DltDump crashes on a baud rate or data bits that are not numbers.
  if (!parse_decimal(fields[1], 4000000, n) || !is_standard_baud(static_cast<std::uint32_t>(n)))
    throw util::input_uri_error(
        arg, "Invalid baud rate '" + fields[1] + "' for ser: (not a standard rate from 50 to 4000000)");
  s.baud = static_cast<std::uint32_t>(n);
  if (!parse_decimal(fields[2], 8, n) || n < 5)
    throw util::input_uri_error(arg, "Invalid data bits '" + fields[2] + "' for ser: (5, 6, 7 or 8)");
  s.data_bits = static_cast<unsigned>(n);
  s.parity = parse_parity(fields[3]);
  s.stop_bits = parse_stop_bits(fields[4]);
  if (fields.size() > 5) s.handshake = parse_handshake(fields[5]);
  return s;
}

}  // namespace dltdump::input
