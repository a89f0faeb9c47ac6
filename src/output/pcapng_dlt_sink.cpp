#include "output/pcapng_dlt_sink.hpp"

#include <algorithm>
#include <cstring>

#include "dlt/skip_message.hpp"
#include "net/udp_frame.hpp"
#include "util/byte_order.hpp"
#include "util/error.hpp"
#include "util/shrink_guard.hpp"

namespace dltdump::output {

PcapngDltSink::PcapngDltSink(FileSeriesOptions options)
    : series_(std::move(options)), section_(pcap::this_machine_section_info()),
      by_lifecycle_(series_.name_template().has_lifecycle()), frame_(new std::uint8_t[net::kMaxUdpFrameBytes]),
      packet_(new std::uint8_t[kMaxPacketBytes]) {}

PcapngDltSink::~PcapngDltSink() {
  // finish() writes the statistics; here only the descriptor is released (no writes: a
  // destructor cannot report a failure).
  series_.close();
}

void PcapngDltSink::begin_input(const Input& input) {
  if (series_.name_template().has_file()) {
    if (by_lifecycle_) files_.close_all(end_section);
    close_file(false);
  }
  series_.begin_input(input.path, input.member);
}

void PcapngDltSink::closing_all_on_failure(const std::function<void()>& write) {
  try {
    write();
  } catch (const util::Error& e) {
    if (!by_lifecycle_ || e.exit_code() != util::ExitCode::OutputError) throw;
    files_.close_all(end_section, &e);
  }
}

void PcapngDltSink::flush() {
  if (by_lifecycle_) closing_all_on_failure([&] { files_.for_each([](File& f) { f.writer->flush(); }); });
  else if (file_.writer) file_.writer->flush();
}

void PcapngDltSink::finish() {
  if (by_lifecycle_) files_.close_all(end_section);
  close_file(false);
}

void PcapngDltSink::start_section(File& f, std::uint64_t size, int fd) {
  f.base_size = size;
  f.writer.emplace(fd, series_.name(), section_);
  f.interfaces.clear();
  f.last_ns = 0;
}

void PcapngDltSink::end_section(File& f) {
  if (!f.writer) return;
  f.writer->close(f.last_ns);
  f.writer.reset();
}

PcapngDltSink::File& PcapngDltSink::file_for(util::Timestamp time, std::uint64_t lifecycle) {
  if (by_lifecycle_) [[unlikely]] {
    if (!files_.switches(lifecycle)) return *files_.current();
    return files_.select(
        lifecycle,
        [&] {
          const std::uint64_t size = series_.open(time, lifecycle);
          auto f = std::make_unique<File>();
          f->owned = series_.release();
          start_section(*f, size, f->owned.get());
          return f;
        },
        end_section);  // the descriptor closes with the File
  }
  if (!file_.writer) {
    const std::uint64_t size = series_.open(time, lifecycle);
    start_section(file_, size, series_.fd());
  }
  return file_;
}

const PcapngDltSink::Interface& PcapngDltSink::interface_for(File& f, const dlt::Id& ecu) {
  const std::uint32_t word = ecu.word();
  for (const Interface& i : f.interfaces)
    if (i.ecu_word == word) return i;
  const std::uint32_t index = f.writer->add_interface({aio::link_type::kEthernet, std::string(ecu.view()), 0});
  auto seen = std::find(ecu_order_.begin(), ecu_order_.end(), word);
  if (seen == ecu_order_.end()) seen = ecu_order_.insert(ecu_order_.end(), word);
  f.interfaces.push_back({word, index, static_cast<std::uint32_t>(seen - ecu_order_.begin())});
  return f.interfaces.back();
}

void PcapngDltSink::write(const dlt::Id& ecu, util::Timestamp time, std::uint64_t lifecycle,
                          std::span<const std::uint8_t> packet) {
  if (by_lifecycle_) [[unlikely]]
    return closing_all_on_failure([&] { write_packet(ecu, time, lifecycle, packet); });
  write_packet(ecu, time, lifecycle, packet);
}

void PcapngDltSink::write_packet(const dlt::Id& ecu, util::Timestamp time, std::uint64_t lifecycle,
                                 std::span<const std::uint8_t> packet) {
  File& f = file_for(time, lifecycle);
  const Interface& itf = interface_for(f, ecu);
  net::UdpEndpoints endpoints;
  endpoints.source_ip += itf.ordinal;  // stable across the run's files
  endpoints.source_mac[4] = static_cast<std::uint8_t>(endpoints.source_ip >> 8);
  endpoints.source_mac[5] = static_cast<std::uint8_t>(endpoints.source_ip);

  const std::int64_t ns = time.valid ? time.us * 1000 : aio::Packet::kNoTime;
  if (time.valid) f.last_ns = std::max(f.last_ns, ns);
  do {
    const std::size_t n = std::min(packet.size(), net::kMaxUdpPayloadBytes);
    const std::size_t frame = net::write_udp_frame(frame_.get(), endpoints, packet.first(n), ip_id_++);
    f.writer->write_packet(itf.index, ns, {frame_.get(), frame});
    packet = packet.subspan(n);
  } while (!packet.empty());
  if (series_.full(f.base_size + f.writer->offset())) close_file(true);
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
  write(ecu, m.time, m.lifecycle, packet);
  counters_.written(m.counter);
  ++lines_;
}

void PcapngDltSink::on_skip(const dlt::SkipRecord& s) {
  std::uint8_t packet[dlt::kMaxSkipPacketBytes];
  const std::size_t n = dlt::write_skip_packet(s, counters_.next(), packet);
  write(dlt::Id{}, s.time, 0, {packet, n});
  ++lines_;
}

void PcapngDltSink::close_file(bool full) {
  if (!file_.writer) return;
  end_section(file_);
  series_.close(full);
}

}  // namespace dltdump::output
