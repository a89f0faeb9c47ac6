#include "app/capture_setup.hpp"

#include <utility>
#include <vector>

#include "net/link.hpp"
#include "util/error.hpp"

namespace dltdump::app {

dissect::CaptureDecoder::Options capture_decoder_options(const pcap::CaptureReader& reader, const DumpConfig& config,
                                                         const std::string& name) {
  return capture_decoder_options(reader, config.udp_ports, config.tcp_ports, config.catalogue, name);
}

dissect::CaptureDecoder::Options capture_decoder_options(const pcap::CaptureReader& reader,
                                                         std::vector<std::uint16_t> udp_ports,
                                                         std::vector<std::uint16_t> tcp_ports,
                                                         const dlt::Catalogue* catalogue, const std::string& name) {
  dissect::CaptureDecoder::Options options;
  options.udp_ports = std::move(udp_ports);
  options.tcp_ports = std::move(tcp_ports);
  options.catalogue = catalogue;
  for (const pcap::Interface& itf : reader.interfaces()) {
    if (!net::decodes_link_type(itf.link_type))
      throw util::input_error(name, name + ": " + reader.format_name() + " of link type " +
                                        std::to_string(itf.link_type) +
                                        ", which is not decoded (Ethernet 1, raw IP 101, raw IPv4 228, raw IPv6 229, "
                                        "Linux SLL 113 and SLL2 276)");
    options.snapshot_length = itf.snaplen;
  }
  return options;
}

void tell_capture_losses(const dissect::CaptureLosses& losses, output::LineOutput& sink, std::string_view input) {
  if (losses.flows.empty()) return;
  std::vector<output::LineOutput::FlowLoss> flows;
  for (const auto& f : losses.flows)
    flows.push_back({f.name, std::string(input), f.stats.missing, f.stats.gaps, f.stats.retransmitted,
                     f.stats.conflicts, f.stats.out_of_window, f.stats.resyncs});
  sink.capture_losses(flows, losses.flows_not_listed);
}

}  // namespace dltdump::app
