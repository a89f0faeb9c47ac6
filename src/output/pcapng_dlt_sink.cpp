#include "output/pcapng_dlt_sink.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/skip_message.hpp"
#include "net/udp_frame.hpp"
#include "util/byte_order.hpp"
#include "util/shrink_guard.hpp"

namespace dltdump::output {

PcapngDltSink::PcapngDltSink(FileSeriesOptions options)
    : series_(std::move(options)), section_(pcap::this_machine_section_info()),
      frame_(new std::uint8_t[net::kMaxUdpFrameBytes]), packet_(new std::uint8_t[kMaxPacketBytes]) {}

PcapngDltSink::~PcapngDltSink() {
  // finish() writes the statistics; here only the descriptor is released (no writes: a
  // destructor cannot report a failure).
  series_.close();
}

void PcapngDltSink::begin_input(const Input& input) {
  if (series_.name_template().has_file()) close_file(false);
  series_.begin_input(input.path);
}

const PcapngDltSink::Interface& PcapngDltSink::interface_for(const dlt::Id& ecu) {
  const std::uint32_t word = ecu.word();
  for (const Interface& i : interfaces_)
    if (i.ecu_word == word) return i;
  const std::uint32_t index = writer_->add_interface({aio::link_type::kEthernet, std::string(ecu.view()), 0});
  auto seen = std::find(ecu_order_.begin(), ecu_order_.end(), word);
  if (seen == ecu_order_.end()) seen = ecu_order_.insert(ecu_order_.end(), word);
  interfaces_.push_back({word, index, static_cast<std::uint32_t>(seen - ecu_order_.begin())});
  return interfaces_.back();
}

void PcapngDltSink::write(const dlt::Id& ecu, util::Timestamp time, std::span<const std::uint8_t> packet) {
  if (!writer_) {
    base_size_ = series_.open(time);
    writer_.emplace(series_.fd(), series_.name(), section_);
    interfaces_.clear();
    last_ns_ = 0;
  }
  const Interface& itf = interface_for(ecu);
  net::UdpEndpoints endpoints;
  endpoints.source_ip += itf.ordinal;  // stable across the run's files
  endpoints.source_mac[4] = static_cast<std::uint8_t>(endpoints.source_ip >> 8);
  endpoints.source_mac[5] = static_cast<std::uint8_t>(endpoints.source_ip);

  const std::int64_t ns = time.valid ? time.us * 1000 : aio::Packet::kNoTime;
  if (time.valid) last_ns_ = std::max(last_ns_, ns);
  do {
    const std::size_t n = std::min(packet.size(), net::kMaxUdpPayloadBytes);
    const std::size_t frame = net::write_udp_frame(frame_.get(), endpoints, packet.first(n), ip_id_++);
    writer_->write_packet(itf.index, ns, {frame_.get(), frame});
    packet = packet.subspan(n);
  } while (!packet.empty());
  if (series_.full(base_size_ + writer_->offset())) close_file(true);
}

std::span<const std::uint8_t> PcapngDltSink::with_ecu(std::span<const std::uint8_t> packet, const dlt::Id& ecu) {
  std::uint8_t* p = packet_.get();
  p[0] = static_cast<std::uint8_t>(packet[0] | dlt::htyp::kWithEcuId);
  p[1] = packet[1];                                                                        // MCNT
  util::store<std::uint16_t>(p + 2, static_cast<std::uint16_t>(packet.size() + 4), true);  // LEN
  std::memcpy(p + 4, ecu.chars, 4);  // the ECU comes first of the optional fields
  std::memcpy(p + 8, packet.data() + 4, packet.size() - 4);
  return {p, packet.size() + 4};
}

void PcapngDltSink::on_message(const dlt::Message& m) {
  const std::uint64_t faults = util::ShrinkGuard::faults();
  const dlt::Id ecu = m.shown_ecu();
  // The packet is copied out of the input first (into packet_): a read of it that faulted
  // on a cut made by another program meanwhile copied zeros, and the copy is then dropped
  // (util/shrink_guard.hpp; the framer stops at its next check).
  std::span<const std::uint8_t> packet;
  // A capture has no storage header: an ECU id only the storage header gave moves into
  // the standard header, or the capture read back would lose it.
  if (!m.has_ecu && !ecu.empty() && m.packet.size() + 4 <= kMaxPacketBytes) {
    packet = with_ecu(m.packet, ecu);
  } else {
    std::memcpy(packet_.get(), m.packet.data(), m.packet.size());
    packet = {packet_.get(), m.packet.size()};
  }
  if (util::ShrinkGuard::faults() != faults) return;
  write(ecu, m.time, packet);
  counters_.written(m.counter);
  ++lines_;
}

void PcapngDltSink::on_skip(const dlt::SkipRecord& s) {
  std::uint8_t packet[dlt::kMaxSkipPacketBytes];
  const std::size_t n = dlt::write_skip_packet(s, counters_.next(), packet);
  write(dlt::Id{}, s.time, {packet, n});
  ++lines_;
}

void PcapngDltSink::close_file(bool full) {
  if (!writer_) return;
  writer_->close(last_ns_);
  writer_.reset();
  series_.close(full);
}

}  // namespace dltdump::output
