// libFuzzer target: the TCP stream reassembler (net/tcp_stream.hpp) on arbitrary segment
// sequences. The input is a list of records — stream (0-2; the high 4 bits of that byte
// are the acknowledgment number, which tells a SYN-ACK answering another client SYN),
// flags, a sequence number (new, or relative to the stream's previous one), a time step,
// a payload length — each followed by its payload bytes; three streams share one budget
// with small limits (256 bytes per stream, 512 in all, 1 s, a window of 4 KiB), so forced
// gaps, time-outs and segments outside the window (candidates, followed jumps) happen.
// Invariants: every delivered piece is bytes of the input exactly where its file offset
// says (the first copy, never a mixture); pieces delivered in place lie inside the segment
// being added; the budget is the sum of what the streams hold and stays within the limits
// plus one segment; the delivered count is the streams' `bytes` statistic; after flush()
// nothing is held.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "net/tcp_stream.hpp"

namespace {

using namespace dltdump;

struct Check final : net::TcpStreamSink {
  const std::uint8_t* input = nullptr;
  std::size_t input_size = 0;
  std::span<const std::uint8_t> segment;  // the payload being added
  std::uint64_t delivered = 0;
  void on_bytes(std::span<const std::uint8_t> b, std::uint64_t offset, std::int64_t, bool in_packet) override {
    if (b.empty() || offset > input_size || b.size() > input_size - offset) std::abort();
    if (std::memcmp(b.data(), input + offset, b.size()) != 0) std::abort();  // not the bytes of its offset
    if (in_packet && (b.data() < segment.data() || b.data() + b.size() > segment.data() + segment.size())) std::abort();
    delivered += b.size();
  }
  void on_break(std::uint64_t, std::uint64_t offset, std::int64_t) override {
    if (offset > input_size) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  net::TcpBudget budget;
  budget.limits = {256, 512, 1'000'000'000, 4096};
  net::TcpStream streams[3];
  std::uint32_t last_seq[3] = {0, 0, 0};
  Check check;
  check.input = data;
  check.input_size = size;
  std::int64_t time = 0;
  std::size_t at = 0;
  while (at + 8 <= size) {
    const std::uint8_t* r = data + at;
    const unsigned s = r[0] % 3;
    net::TcpSegment seg;
    seg.flags = r[1];
    seg.ack = r[0] >> 4;
    const std::uint32_t value = static_cast<std::uint32_t>(r[2]) << 24 | static_cast<std::uint32_t>(r[3]) << 16 |
                                static_cast<std::uint32_t>(r[4]) << 8 | r[5];
    // Odd first bytes take the sequence number as it is; even ones a small step (signed).
    seg.seq = r[0] & 8 ? value : last_seq[s] + static_cast<std::uint32_t>(static_cast<std::int8_t>(r[5])) * 7;
    last_seq[s] = seg.seq;
    time += static_cast<std::int64_t>(r[6]) * 20'000'000;  // up to 5 s a step
    const std::size_t len = std::min<std::size_t>(r[7] * 2u, size - at - 8);
    seg.payload = {data + at + 8, len};
    check.segment = seg.payload;
    streams[s].add(seg, at + 8, time, budget, check);
    std::size_t held = 0;
    for (const auto& t : streams) {
      held += t.held_bytes();
      if (t.held_bytes() > budget.limits.max_stream_bytes + 512) std::abort();
    }
    if (held != budget.held || held > budget.limits.max_total_bytes + 512) std::abort();
    at += 8 + len;
  }
  std::uint64_t bytes = 0;
  for (auto& t : streams) {
    t.flush(budget, check);
    if (t.held_bytes() != 0) std::abort();
    bytes += t.stats().bytes;
  }
  if (budget.held != 0 || bytes != check.delivered) std::abort();
  return 0;
}
