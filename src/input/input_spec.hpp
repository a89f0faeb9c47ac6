// Interpretation of one input argument (dltdump-spec §1.5).
//
// An argument is standard input (`-`), a `scheme:` URI, or a path relative to the current
// directory. URIs with the `file` scheme name a local file; `tcp`, `udp` and `ser` name
// live inputs (input/live_uri); any other scheme is an error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "input/live_uri.hpp"

namespace dltdump::input {

enum class InputKind { File, Stdin, Tcp, Udp, Serial };

// The data format of an input (the --format option).
enum class InputFormat { Automatic, File, Serial, Network, Pcap };

struct InputSpec {
  InputKind kind = InputKind::File;
  std::string argument;   // as given on the command line
  std::string path;       // absolute path (File), empty otherwise
  TcpEndpoint tcp;        // kind Tcp
  UdpEndpoint udp;        // kind Udp
  SerialSettings serial;  // kind Serial

  bool is_live() const { return kind == InputKind::Tcp || kind == InputKind::Udp || kind == InputKind::Serial; }
};

// Parses `arg`. Throws util::input_uri_error (exit 2).
InputSpec parse_input_argument(const std::string& arg);

// Throws util::input_uri_error (exit 2) (`Only one input argument allowed for live streams.`) when a live
// input is not the only input.
void check_live_inputs(const std::vector<InputSpec>& inputs);

// The format to decode `spec` with when the user asked for `requested`: that one, unless
// Automatic; then for a file or standard input what its content says (`sniffed`, the
// input/format_sniff verdict: content, never the name, decides), for a live input its
// kind's framing (TCP and UDP network, serial serial).
// Live inputs need no `sniffed` (Content{} is Unknown).
enum class Content : std::uint8_t;
InputFormat resolve_format(const InputSpec& spec, InputFormat requested, Content sniffed = Content{});

}  // namespace dltdump::input
