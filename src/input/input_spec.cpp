#include "input/input_spec.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "input/format_sniff.hpp"
#include "util/error.hpp"

namespace dltdump::input {

namespace {

// Length of a URI scheme followed by ':' at the start of s (RFC 3986 §3.1), else 0.
std::size_t scheme_length(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
  std::size_t i = 1;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
    ++i;
  return (i < s.size() && s[i] == ':') ? i : 0;
}

InputSpec make_spec(InputKind kind, const std::string& arg, std::string path) {
  InputSpec spec;
  spec.kind = kind;
  spec.argument = arg;
  spec.path = std::move(path);
  return spec;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Percent-decoding of a URI path; false on a malformed escape.
bool percent_decode(const std::string& in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

std::string absolute(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

InputSpec file_uri(const std::string& arg, std::size_t scheme_len) {
  std::string rest = arg.substr(scheme_len + 1);
  if (rest.rfind("//", 0) == 0) {
    std::size_t slash = rest.find('/', 2);
    std::string host = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    if (!host.empty() && host != "localhost")
      throw util::input_uri_error(arg, "Invalid input " + arg + " (remote hosts are not supported in file URIs)");
    rest = slash == std::string::npos ? std::string() : rest.substr(slash);
  }
  if (rest.empty() || rest[0] != '/')
    throw util::input_uri_error(arg, "Invalid input " + arg + " (a file URI needs an absolute path)");
  if (rest.find_first_of("?#") != std::string::npos)
    throw util::input_uri_error(arg, "Invalid URI " + arg + ", unsupported fields.");
  std::string path;
  if (!percent_decode(rest, path))
    throw util::input_uri_error(arg, "Invalid input " + arg + " (malformed percent escape)");
  // The system would read a name only up to a NUL: another file than the one named.
  if (path.find('\0') != std::string::npos)
    throw util::input_uri_error(arg, "Invalid input " + arg + " (%00: a file name holds no NUL byte)");
  return make_spec(InputKind::File, arg, absolute(path));
}

}  // namespace

InputSpec parse_input_argument(const std::string& arg) {
  if (arg == "-") return make_spec(InputKind::Stdin, arg, {});
  if (std::size_t n = scheme_length(arg); n > 0) {
    std::string scheme = arg.substr(0, n);
    if (scheme == "file") return file_uri(arg, n);
    if (scheme == "tcp") {
      InputSpec spec = make_spec(InputKind::Tcp, arg, {});
      spec.tcp = parse_tcp_uri(arg);
      return spec;
    }
    if (scheme == "udp") {
      InputSpec spec = make_spec(InputKind::Udp, arg, {});
      spec.udp = parse_udp_uri(arg);
      return spec;
    }
    if (scheme == "ser") {
      InputSpec spec = make_spec(InputKind::Serial, arg, {});
      spec.serial = parse_serial_uri(arg);
      return spec;
    }
    throw util::input_uri_error(arg, "Don't know how to interpret " + arg + ".");
  }
  return make_spec(InputKind::File, arg, absolute(arg));
}

void check_live_inputs(const std::vector<InputSpec>& inputs) {
  if (inputs.size() > 1 && std::any_of(inputs.begin(), inputs.end(), [](const InputSpec& s) { return s.is_live(); }))
    throw util::input_uri_error("", "Only one input argument allowed for live streams.");
}

InputFormat resolve_format(const InputSpec& spec, InputFormat requested, Content sniffed) {
  if (requested != InputFormat::Automatic) return requested;
  if (spec.kind == InputKind::File || spec.kind == InputKind::Stdin) return format_of(sniffed);
  if (spec.kind == InputKind::Serial) return InputFormat::Serial;
  return InputFormat::Network;
}

}  // namespace dltdump::input
