// DLT traffic for the capture decoding tests: flows of verbose messages with text, in
// Ethernet frames, made from a seed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dissect/capture_decoder.hpp"
#include "dlt/packet_builder.hpp"
#include "frame_builder.hpp"
#include "output/buffer_sink.hpp"
#include "pcap/pcap_test_util.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"

namespace dltdump::testing {

using tools::Frame;

// A message of application "F<flow>" with counter `n` and `text` letters of payload.
inline Frame flow_message(std::uint8_t flow, std::uint8_t n, std::size_t text) {
  test::PacketSpec spec;
  spec.app = "F" + std::to_string(flow);
  spec.counter = n;
  spec.noar = 1;
  Frame payload = {
      0x00, 0x02, 0x00, 0x00, static_cast<std::uint8_t>((text + 1) & 0xFF), static_cast<std::uint8_t>((text + 1) >> 8)};
  for (std::size_t i = 0; i < text; ++i) payload.push_back(static_cast<std::uint8_t>('a' + (i + n) % 26));
  payload.push_back(0);
  return test::packet(spec, payload);
}

// A TCP segment of `a`'s ports with `seq`, `flags` (FIN 0x01, SYN 0x02, RST 0x04),
// `payload` and acknowledging `ack` (nullopt: nothing), in IPv4 and Ethernet.
inline Frame tcp_segment(const tools::Addresses& a, std::uint32_t seq, std::uint8_t flags, const Frame& payload,
                         std::optional<std::uint32_t> ack = 1) {
  return tools::ethernet(tools::ipv4(a, tools::tcp(a, seq, flags, payload, false, ack), 1, 0, false, 6));
}

struct TrafficSpec {
  unsigned flows = 5;
  unsigned datagrams = 500;
  std::uint64_t seed = 1;
  // Messages cut at random places across the datagrams of a flow, partial messages left at
  // the end; otherwise each datagram holds 1-3 whole messages (as most loggers send them).
  bool split = true;
  // Datagrams of more than 1000 bytes are fragmented (in a shuffled order when split).
  bool fragments = true;
  // Every fragment is recorded twice (a mirror port on two VLANs): each followed by its
  // copy, or, for every other datagram, the copies of all after the next datagram.
  bool mirrored = false;
};

// The Ethernet frames of `spec`'s traffic, in capture order. One datagram in ten carries
// 30 bytes of garbage (a skip line): at its end when split, before its messages otherwise.
inline std::vector<Frame> traffic(const TrafficSpec& spec) {
  std::vector<Frame> frames;
  std::vector<Frame> pending(spec.flows);
  std::vector<Frame> late;  // copies that come after the next datagram (mirrored)
  std::uint64_t s = spec.seed;
  auto rnd = [&](std::uint64_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (s >> 33) % n;
  };
  for (unsigned i = 0; i < spec.datagrams; ++i) {
    const unsigned flow = static_cast<unsigned>(rnd(spec.flows));
    tools::Addresses a;
    a.source_port = static_cast<std::uint16_t>(40000 + flow);
    Frame& bytes = pending[flow];
    Frame payload;
    if (spec.split) {
      for (int k = 0; k < 3; ++k) {
        const Frame m = flow_message(static_cast<std::uint8_t>(flow), static_cast<std::uint8_t>(i + k), rnd(400));
        bytes.insert(bytes.end(), m.begin(), m.end());
      }
      if (rnd(10) == 0) bytes.insert(bytes.end(), 30, 0xEE);
      const std::size_t cut = std::max<std::size_t>(8, bytes.size() - rnd(bytes.size() / 2));
      payload.assign(bytes.begin(), bytes.begin() + static_cast<long>(cut));
      bytes.erase(bytes.begin(), bytes.begin() + static_cast<long>(cut));
    } else {
      if (rnd(10) == 0) payload.insert(payload.end(), 30, 0xEE);
      const unsigned n = 1 + static_cast<unsigned>(rnd(3));
      for (unsigned k = 0; k < n; ++k) {
        const Frame m = flow_message(static_cast<std::uint8_t>(flow), static_cast<std::uint8_t>(i + k), rnd(400));
        payload.insert(payload.end(), m.begin(), m.end());
      }
    }
    const Frame udp = tools::udp(a, payload);
    const auto id = static_cast<std::uint16_t>(i);
    if (spec.fragments && udp.size() > 1000 && udp.size() % 800 >= 16) {
      auto frags = tools::fragments(a, udp, 800, id);
      if (spec.split) std::swap(frags.front(), frags.back());
      for (const auto& fr : frags) {
        frames.push_back(tools::ethernet(fr));
        if (spec.mirrored && i % 2 == 0) frames.push_back(tools::ethernet(fr));
      }
      frames.insert(frames.end(), late.begin(), late.end());
      late.clear();
      if (spec.mirrored && i % 2 == 1)
        for (const auto& fr : frags) late.push_back(tools::ethernet(fr));
    } else {
      frames.push_back(tools::ethernet(tools::ipv4(a, udp, id)));
      frames.insert(frames.end(), late.begin(), late.end());
      late.clear();
    }
  }
  frames.insert(frames.end(), late.begin(), late.end());
  return frames;
}

struct TcpTrafficSpec {
  unsigned connections = 4;
  unsigned segments = 2000;
  std::uint64_t seed = 1;
  // Besides segments of 1-3 whole messages: messages cut across segments, segments lost,
  // sent twice or late, connections ended by FIN or RST and begun again (with or without a
  // SYN; without one a little below the SYN before, now and then), SYNs sent again or
  // captured after the first data.
  bool messy = false;
  // Most segments' last bytes go with the next one (a stream written in pieces of any
  // size): a message straddles most places where a capture could be cut.
  bool straddling = false;
};

// The Ethernet frames of `spec`'s TCP traffic, in capture order: ECU-to-viewer streams from
// 10.0.0.100:3490 to 10.0.0.11:<50000 + connection>, some begun by a SYN and some already
// running, one with sequence numbers that wrap, and the viewer's pure ACKs the other way.
inline std::vector<Frame> tcp_traffic(const TcpTrafficSpec& spec) {
  struct Connection {
    tools::Addresses down, up;
    bool open = false, by_syn = false;
    std::uint32_t isn = 0, seq = 0, ack_seq = 0;
    Frame pending;  // the rest of a message cut across segments
    Frame late;     // a segment held back, sent after the next one
  };
  std::uint64_t s = spec.seed;
  auto rnd = [&](std::uint64_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (s >> 33) % n;
  };
  auto chance = [&](unsigned one_in) { return spec.messy && rnd(one_in) == 0; };
  std::vector<Connection> cs(spec.connections);
  for (unsigned i = 0; i < spec.connections; ++i) {
    Connection& c = cs[i];
    c.down.source = 0x0A000064;
    c.down.destination = 0x0A00000B;
    c.down.source_port = 3490;
    c.down.destination_port = static_cast<std::uint16_t>(50000 + i);
    c.up = c.down;
    std::swap(c.up.source, c.up.destination);
    std::swap(c.up.source_port, c.up.destination_port);
    c.ack_seq = static_cast<std::uint32_t>(rnd(1u << 31));
  }
  std::vector<Frame> frames;
  constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04;
  for (unsigned i = 0; i < spec.segments; ++i) {
    const unsigned n = static_cast<unsigned>(rnd(spec.connections));
    Connection& c = cs[n];
    if (!c.open) {
      c.open = true;
      const bool again_below = c.by_syn && chance(3);  // its SYN missed, a little below the last one's
      c.isn = again_below ? c.isn - 1000 - static_cast<std::uint32_t>(rnd(4000))
              : n == 0    ? 0xFFFFF000u
                          : static_cast<std::uint32_t>(rnd(1ull << 32));
      c.by_syn = !again_below && rnd(2) == 0;
      c.seq = c.isn + (c.by_syn ? 1 : 0);
      c.pending.clear();
      if (c.by_syn && chance(5)) c.late = tcp_segment(c.down, c.isn, kSyn, {});  // captured after the first data
      else if (c.by_syn) frames.push_back(tcp_segment(c.down, c.isn, kSyn, {}));
    }
    if (rnd(5) == 0) frames.push_back(tcp_segment(c.up, c.ack_seq, 0, {}));               // the viewer's ACK
    if (c.by_syn && chance(100)) frames.push_back(tcp_segment(c.down, c.isn, kSyn, {}));  // sent again
    if (chance(150)) {  // the end of the connection; a new one later on the same ports
      frames.push_back(tcp_segment(c.down, c.seq, rnd(2) ? kFin : kRst, {}));
      c.open = false;
      continue;
    }
    Frame payload = std::move(c.pending);
    c.pending.clear();
    const unsigned messages = 1 + static_cast<unsigned>(rnd(3));
    for (unsigned k = 0; k < messages; ++k) {
      const Frame m = flow_message(static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(i + k), rnd(400));
      payload.insert(payload.end(), m.begin(), m.end());
    }
    if (chance(4) || (spec.straddling && rnd(8) != 0)) {  // the last bytes go with the next segment
      const std::size_t cut = 1 + rnd(payload.size() - 1);
      c.pending.assign(payload.begin() + static_cast<long>(cut), payload.end());
      payload.resize(cut);
    }
    const Frame f = tcp_segment(c.down, c.seq, 0, payload);
    c.seq += static_cast<std::uint32_t>(payload.size());
    if (chance(40)) continue;  // lost
    if (chance(30)) {          // late: after this connection's next segment
      c.late = f;
      continue;
    }
    frames.push_back(f);
    if (chance(30)) frames.push_back(f);  // sent twice
    if (!c.late.empty()) frames.push_back(std::exchange(c.late, {}));
  }
  return frames;
}

// An error message without the temporary file's name.
inline std::string error_text(const util::Error& e, const std::string& path) {
  std::string what = e.what();
  if (what.starts_with(path)) what.replace(0, path.size(), "FILE");
  return what;
}

// The serial capture decoder's text (positions shown), then "|" and the error (if any), "|" and the loss summary.
inline std::string decode_serially(const Bytes& capture, const dissect::CaptureDecoder::Options& options) {
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  util::TextBuffer text(util::TextBuffer::kLineBytes);
  output::BufferSink sink({true}, text);
  dissect::CaptureDecoder d(options, sink);
  const pcap::ReplayOutcome replayed = pcap::replay(*reader, d);
  const std::string error = replayed.fault ? error_text(*replayed.fault, f.path) : "";
  d.finish();
  return std::string(text.view()) + "|" + error + "|" + d.losses().text() + "|" + d.nothing_found();
}

}  // namespace dltdump::testing
