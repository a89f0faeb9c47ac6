#include "output/dlt_sink.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "dlt/catalogue_payload.hpp"
#include "dlt/marker_scan.hpp"
#include "dlt/skip_message.hpp"
#include "util/byte_order.hpp"
#include "util/shrink_guard.hpp"

namespace dltdump::output {

void DltSink::begin_input(const Input& input) {
  write_run();
  path_ = input.path;
  source_ = input.framing == dlt::StreamFormat::File && writer_.takes_blocks() ? input.source : SourceFile{};
  writer_.begin_input(input.path, input.member);
}

void DltSink::write_run() {
  if (run_bytes_ == 0) return;
  // A file another program cut since these messages were checked holds only the whole ones
  // before the cut; past it the mapping reads zeros (a new user's finding: a DLT output to a
  // slow pipe got zeros in place of messages).
  if (source_.cut && source_.cut->load(std::memory_order_relaxed)) [[unlikely]]
    trim_to_file();
  if (run_bytes_ == 0) return;
  const std::uint64_t offset = run_offset_;
  const std::uint8_t* run = source_.bytes.data() + offset;
  if (run_bytes_ >= runs_.copy) {
    const std::uint64_t bytes = run_bytes_;
    run_bytes_ = 0;
    // If the copy fails part-way, the messages that arrived whole stay. A compressed copy
    // asks where its frames end: at the cuts noted as the messages joined (the same rule),
    // without a walk; any other question (none, while the target is the one asked at the
    // run's start) is walked.
    writer_.copy_block(
        source_.fd, path_, offset, bytes,
        [run](std::uint64_t from, std::uint64_t limit) { return from + whole_messages(run + from, limit - from); },
        [&](std::uint64_t from, std::uint64_t at_least) {
          const auto next = std::upper_bound(cuts_.begin(), cuts_.end(), from);
          const bool at_cut = next == cuts_.begin() ? from == 0 : *(next - 1) == from;
          const std::uint64_t noted = from == 0 ? room_ : util::FdWriter::kFlushBytes;
          if (at_cut && next != cuts_.end() && at_least - from == noted && *next >= at_least) return *next;
          const std::uint64_t end = from + whole_messages(run + from, at_least - from);
          return end == at_least ? end : end + message_bytes(run + end);
        });
    cuts_.clear();
    return;
  }
  // Each frame's end a record end of its own, where line_done ends the frame, as if the
  // messages had come one by one. A copy that faulted on a cut made meanwhile holds zeros:
  // it is not written, the run is cut back to the file, and what is left of it is copied
  // again (its bytes before the cut are intact).
  // The run is taken whatever happens: a write that throws (a stop, a full disk) must not
  // leave it to be written again by the finish after it.
  struct Taken {
    DltSink& sink;
    ~Taken() {
      sink.run_bytes_ = 0;
      sink.cuts_.clear();
    }
  } taken{*this};
  std::uint64_t from = 0, faults = util::ShrinkGuard::faults();
  std::size_t next = 0;
  while (from < run_bytes_) {
    const std::uint64_t to = next < cuts_.size() ? cuts_[next] : run_bytes_;
    util::TextBuffer& out = writer_.begin({}, 0);
    char* p = out.reserve(static_cast<std::size_t>(to - from));
    std::memcpy(p, run + from, static_cast<std::size_t>(to - from));
    if (util::ShrinkGuard::faults() != faults) [[unlikely]] {
      trim_to_file();
      faults = util::ShrinkGuard::faults();
      continue;
    }
    out.advance(static_cast<std::size_t>(to - from));
    writer_.end();
    from = to;
    ++next;
  }
}

void DltSink::trim_to_file() {
  struct stat st {};
  if (::fstat(source_.fd, &st) == 0) input_cut(static_cast<std::uint64_t>(st.st_size));
}

std::uint64_t DltSink::message_bytes(const std::uint8_t* at) {
  if (std::memcmp(at, dlt::kFileMarker, 4) != 0) return 0;
  const unsigned len = util::load_be16(at + dlt::kStorageHeaderBytes + 2);
  return len < 4 ? 0 : dlt::kStorageHeaderBytes + len;
}

std::uint64_t DltSink::whole_messages(const std::uint8_t* run, std::uint64_t limit) {
  // Walks the storage headers (all valid when the framer delivered them) up to `limit`. A
  // file cut by another program since reads as zeros past the cut (util/shrink_guard.hpp):
  // the walk stops at the first header that is no longer one.
  std::uint64_t end = 0;
  while (end + dlt::kStorageHeaderBytes + 4 <= limit) {
    const std::uint64_t n = message_bytes(run + end);
    if (n == 0 || end + n > limit) break;
    end += n;
  }
  return end;
}

void DltSink::input_cut(std::uint64_t size) {
  if (run_bytes_ == 0 || run_offset_ + run_bytes_ <= size) return;
  run_bytes_ = run_offset_ >= size ? 0 : whole_messages(source_.bytes.data() + run_offset_, size - run_offset_);
  while (!cuts_.empty() && cuts_.back() > run_bytes_) cuts_.pop_back();
  frame_ = cuts_.empty() ? util::FdWriter::kFlushBytes - room_ + run_bytes_ : run_bytes_ - cuts_.back();
}

bool DltSink::write_verbose(const dlt::Message& m) {
  const std::uint64_t faults = util::ShrinkGuard::faults();
  if (verbose_.empty()) verbose_.resize(dlt::kMaxPacketBytes);
  const std::size_t n = dlt::write_verbose_packet(m, verbose_.data());
  if (n == 0) return false;
  write_run();  // what came before goes first
  util::TextBuffer& out = writer_.begin(m.time, m.lifecycle);
  auto* p = reinterpret_cast<std::uint8_t*>(out.reserve(dlt::kStorageHeaderBytes + n));
  if (m.raw.size() == m.packet.size() + dlt::kStorageHeaderBytes)
    std::memcpy(p, m.raw.data(), dlt::kStorageHeaderBytes);
  else  // the ECU id the line shows: the catalogue's when the header has none
    dlt::write_storage_header(p, m.time, reinterpret_cast<const std::uint8_t*>(m.shown_ecu().chars));
  std::memcpy(p + dlt::kStorageHeaderBytes, verbose_.data(), n);
  if (util::ShrinkGuard::faults() != faults) return true;  // read across a cut: not written
  out.advance(dlt::kStorageHeaderBytes + n);
  writer_.end();
  counters_.written(m.counter);
  ++lines_;
  return true;
}

void DltSink::on_message(const dlt::Message& m) {
  if (nv_verbose_ && m.frame_decodes && m.frame) [[unlikely]]
    if (write_verbose(m)) return;
  // Part of a run of source bytes only if the message's bytes are those of the current
  // input's mapping at its position: a held context line (a copy, maybe of an earlier
  // input) or a packet the framer carried across windows is written from its own bytes.
  if (source_.fd >= 0 && m.position <= source_.bytes.size() && m.raw.data() == source_.bytes.data() + m.position) {
    if (run_bytes_ > 0 && m.position != run_offset_ + run_bytes_) write_run();
    if (run_bytes_ == 0) {
      writer_.prepare(m.time, m.lifecycle);  // the file is created at the first message, as in begin()
      run_offset_ = m.position;
      room_ = writer_.frame_room();
      frame_ = util::FdWriter::kFlushBytes - room_;
    }
    run_bytes_ += m.raw.size();
    frame_ += m.raw.size();
    if (util::FdWriter::frame_full(frame_)) {  // the frame ends here, as line_done would end it
      cuts_.push_back(run_bytes_);
      frame_ = 0;
    }
    if (run_bytes_ >= runs_.most) write_run();
    counters_.written(m.counter);
    ++lines_;
    return;
  }
  write_run();  // what came before goes first
  const std::uint64_t faults = util::ShrinkGuard::faults();
  util::TextBuffer& out = writer_.begin(m.time, m.lifecycle);
  auto* p = reinterpret_cast<std::uint8_t*>(out.reserve(dlt::kStorageHeaderBytes + m.packet.size()));
  // Whether it has a storage header is the message's own property (what its input's
  // framing put before the packet), not the current input's.
  if (m.raw.size() == m.packet.size() + dlt::kStorageHeaderBytes) {
    std::memcpy(p, m.raw.data(), m.raw.size());
  } else {
    dlt::write_storage_header(p, m.time, m.has_ecu ? m.packet.data() + 4 : nullptr);
    std::memcpy(p + dlt::kStorageHeaderBytes, m.packet.data(), m.packet.size());
  }
  // A read that faulted on a cut made by another program meanwhile copied zeros: the
  // message is not written (util/shrink_guard.hpp; the framer stops at its next check).
  if (util::ShrinkGuard::faults() != faults) return;
  out.advance(dlt::kStorageHeaderBytes + m.packet.size());
  writer_.end();
  counters_.written(m.counter);
  ++lines_;
}

void DltSink::on_skip(const dlt::SkipRecord& s) {
  write_run();
  util::TextBuffer& out = writer_.begin(s.time, 0);
  auto* p = reinterpret_cast<std::uint8_t*>(out.reserve(dlt::kStorageHeaderBytes + dlt::kMaxSkipPacketBytes));
  dlt::write_storage_header(p, s.time, nullptr);
  const std::size_t n = dlt::write_skip_packet(s, counters_.next(), p + dlt::kStorageHeaderBytes);
  out.advance(dlt::kStorageHeaderBytes + n);
  writer_.end();
  ++lines_;
}

}  // namespace dltdump::output
