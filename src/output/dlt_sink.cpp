#include "output/dlt_sink.hpp"

#include <cstring>

#include "dlt/skip_message.hpp"

namespace dltdump::output {

void DltSink::on_message(const dlt::Message& m) {
  util::TextBuffer& out = writer_.begin(m.time);
  if (framing_ == dlt::StreamFormat::File) {
    out.append(reinterpret_cast<const char*>(m.raw.data()), m.raw.size());
  } else {
    auto* p = reinterpret_cast<std::uint8_t*>(out.reserve(dlt::kStorageHeaderBytes + m.packet.size()));
    dlt::write_storage_header(p, m.time, m.has_ecu ? m.packet.data() + 4 : nullptr);
    std::memcpy(p + dlt::kStorageHeaderBytes, m.packet.data(), m.packet.size());
    out.advance(dlt::kStorageHeaderBytes + m.packet.size());
  }
  writer_.end();
  counters_.written(m.counter);
  ++lines_;
}

void DltSink::on_skip(const dlt::SkipRecord& s) {
  util::TextBuffer& out = writer_.begin(s.time);
  auto* p = reinterpret_cast<std::uint8_t*>(out.reserve(dlt::kStorageHeaderBytes + dlt::kMaxSkipPacketBytes));
  dlt::write_storage_header(p, s.time, nullptr);
  const std::size_t n = dlt::write_skip_packet(s, counters_.next(), p + dlt::kStorageHeaderBytes);
  out.advance(dlt::kStorageHeaderBytes + n);
  writer_.end();
  ++lines_;
}

}  // namespace dltdump::output
