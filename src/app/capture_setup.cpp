#include "app/capture_setup.hpp"

#include "net/link.hpp"
#include "util/error.hpp"

namespace dltdump::app {

dissect::CaptureDecoder::Options capture_decoder_options(const pcap::CaptureReader& reader, const DumpConfig& config,
                                                         const std::string& name) {
  dissect::CaptureDecoder::Options options;
  options.udp_ports = config.udp_ports;
  options.tcp_ports = config.tcp_ports;
  options.catalogue = config.catalogue;
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

}  // namespace dltdump::app
