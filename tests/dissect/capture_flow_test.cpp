// A capture flow gives each event the file offset and capture time of the piece (datagram
// or segment) that holds its first byte, however the pieces cut the stream: the events of
// one framer over the whole stream, placed piece by piece.
#include "dissect/capture_flow.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "dlt/packet_builder.hpp"
#include "output/buffer_sink.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

struct Piece {
  std::uint64_t stream_start;  // where it begins in the stream
  std::size_t size;
  std::uint64_t file_offset;
  std::int64_t time_ns;
};

util::Timestamp time_of(const Piece& p) { return {p.time_ns / 1000, true}; }

// Moves each event from its stream offset to the file offset and time of the piece holding
// its first byte (the reference: found by search, per event), then on to `out`.
class Place final : public dlt::FramerSink {
 public:
  Place(const std::vector<Piece>& pieces, dlt::FramerSink& out) : pieces_(pieces), out_(out) {}
  void on_message(const dlt::Message& m) override {
    dlt::Message placed = m;
    place(placed.position, placed.time);
    out_.on_message(placed);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    dlt::SkipRecord placed = s;
    place(placed.position, placed.time);
    out_.on_skip(placed);
  }

 private:
  void place(std::uint64_t& position, util::Timestamp& time) const {
    const auto after = std::upper_bound(pieces_.begin(), pieces_.end(), position,
                                        [](std::uint64_t p, const Piece& piece) { return p < piece.stream_start; });
    const Piece& piece = *std::prev(after);
    position = piece.file_offset + (position - piece.stream_start);
    time = time_of(piece);
  }
  const std::vector<Piece>& pieces_;
  dlt::FramerSink& out_;
};

// A network stream of messages with damage: payloads that do not read (an argument short),
// flipped bits, stray bytes, a run of garbage, and now and then a packet near the largest.
Bytes damaged_stream(std::mt19937& rng) {
  Bytes in;
  for (int i = 0; i < 2500; ++i) {
    PacketSpec s;
    s.counter = static_cast<std::uint8_t>(i);
    s.noar = rng() % 9 == 0 ? 2 : 1;
    const std::size_t length = i % 400 == 7 ? 60000 : rng() % 120;
    Bytes m = packet(s, arg_string("m" + std::to_string(i) + std::string(length, 'x'), false));
    if (rng() % 11 == 0) m[rng() % m.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    in.insert(in.end(), m.begin(), m.end());
    if (rng() % 13 == 0) in.push_back(static_cast<std::uint8_t>(rng()));
    if (i % 500 == 250)
      for (int g = 0; g < 3000; ++g) in.push_back(static_cast<std::uint8_t>(rng()));
  }
  return in;
}

// The stream cut into pieces of 1 to `most` bytes, spread over the file with gaps (the
// headers of the packets around them), a microsecond apart or more.
std::vector<Piece> cut(std::size_t size, std::size_t most, std::mt19937& rng) {
  std::vector<Piece> pieces;
  std::uint64_t file = 24;
  std::int64_t time_ns = 1'700'000'000'000'000'000;
  for (std::uint64_t at = 0; at < size;) {
    const std::size_t n = std::min<std::size_t>(size - at, 1 + rng() % most);
    file += 16 + rng() % 80;
    time_ns += 1000 + static_cast<std::int64_t>(rng() % 5000) * 1000;
    pieces.push_back({at, n, file, time_ns});
    at += n;
    file += n;
  }
  return pieces;
}

// The lines (with positions) of one framer over the whole stream, fed piece by piece and
// placed by search; with payload text (written in place where the sink can) or without.
std::string reference_lines(const Bytes& in, const std::vector<Piece>& pieces, bool text) {
  util::TextBuffer lines;
  output::BufferSink out({true}, lines);
  Place place(pieces, out);
  dlt::Framer framer(dlt::StreamFormat::Network);
  framer.set_units(true);  // as the flow: each piece is a unit of the sender
  framer.set_payload_text(text);
  for (const Piece& p : pieces) framer.feed({in.data() + p.stream_start, p.size}, place);
  framer.finish(place);
  return std::string(lines.view());
}

std::string flow_lines(const Bytes& in, const std::vector<Piece>& pieces, bool text) {
  util::TextBuffer lines, payload_text(util::TextBuffer::kLineBytes);
  output::BufferSink out({true}, lines);
  dissect::CaptureFlow flow({}, out, text ? &payload_text : nullptr);
  for (const Piece& p : pieces) flow.feed({in.data() + p.stream_start, p.size}, p.file_offset, p.time_ns);
  flow.finish();
  return std::string(lines.view());
}

}  // namespace

// Pieces that mostly end inside a message: the flow's framer is rarely idle at a piece's
// start, so the messages carried over are placed by the pieces they began in and the rest
// of each piece goes on from its own offset (dlt::Framer::feed_piece); through damage, skip
// records stay open across pieces. Small pieces, segment-sized ones, and large ones.
TEST(CaptureFlow, EventsArePlacedByThePieceHoldingTheirFirstByte) {
  std::mt19937 rng(25);
  const Bytes in = damaged_stream(rng);
  for (const std::size_t most : {7u, 300u, 1460u, 70000u}) {
    const std::vector<Piece> pieces = cut(in.size(), most, rng);
    for (const bool text : {true, false}) {
      const std::string reference = reference_lines(in, pieces, text);
      ASSERT_NE(reference.find("Skipped"), std::string::npos) << "the stream must keep skip records open";
      ASSERT_NE(reference.find("Invalid packet"), std::string::npos) << "the stream must take lines back";
      EXPECT_EQ(flow_lines(in, pieces, text), reference) << "pieces of up to " << most << " bytes, text " << text;
    }
  }
}
