// How a run sets up the capture decoder for a PCAP or PCAP-NG input: shared by the walk of
// one datagram, the parallel capture decoders and the sorted merge (app/sort/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/dump_app.hpp"
#include "dissect/capture_decoder.hpp"
#include "output/line_output.hpp"
#include "pcap/capture_reader.hpp"

namespace dltdump::app {

// The capture decoder's options for `reader`, an open capture named `name`, in the run
// `config` says: its UDP ports and catalogue, and the snapshot length of a classic PCAP's
// one interface (a PCAP-NG file's interfaces come with its blocks). Payload text and gate
// are left unset (the caller's pipeline decides them). Throws util::input_error naming
// `name` for a link type that is not decoded.
dissect::CaptureDecoder::Options capture_decoder_options(const pcap::CaptureReader& reader, const DumpConfig& config,
                                                         const std::string& name);
// The same for a reader outside a run (the library's dltdump::Reader): UDP and TCP ports
// and catalogue (null: none) given.
dissect::CaptureDecoder::Options capture_decoder_options(const pcap::CaptureReader& reader,
                                                         std::vector<std::uint16_t> udp_ports,
                                                         std::vector<std::uint16_t> tcp_ports,
                                                         const dlt::Catalogue* catalogue, const std::string& name);

// The TCP flows of `losses` that lost or repeated bytes, told to `sink` (--stats lists them)
// as of capture `input` (as the command line names it; empty: the sink's current input).
void tell_capture_losses(const dissect::CaptureLosses& losses, output::LineOutput& sink, std::string_view input = {});

}  // namespace dltdump::app
