// Chunked capture decoding must print exactly what the serial capture decoder prints —
// lines, error and loss summary — whether its guesses about the chunks are right (whole
// messages per datagram), wrong about the place or reader state (several sections, PCAP
// records without markers), or wrong about the flows (messages and fragment sets that
// straddle the cuts, more flows than the limit), with and without lead-ins.
#include "app/parallel/capture_chunks.hpp"

#include <gtest/gtest.h>

#include "app/capture_traffic.hpp"
#include "output/buffer_sink.hpp"
#include "pcap/pcap_test_util.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"

namespace dltdump::app {
namespace {

using testing::Bytes;

// PCAP-NG of `frames` on one Ethernet interface; from frame `second_section` on (if
// below frames.size()) in a second section of the other byte order.
Bytes pcapng(const std::vector<testing::Frame>& frames, std::size_t second_section = SIZE_MAX) {
  testing::NgBuilder b;
  b.shb().idb(1);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (i == second_section) {
      testing::NgBuilder next{true, {}};
      next.shb().idb(1);
      b.file.insert(b.file.end(), next.file.begin(), next.file.end());
      b.big_endian = true;
    }
    b.epb(0, 1'700'000'000'000'000ull + i * 1000, frames[i]);
  }
  return b.file;
}

// Classic PCAP (µs, little endian) of `frames`, whose header says `snaplen`.
Bytes pcap(const std::vector<testing::Frame>& frames, std::uint32_t snaplen = 65535) {
  testing::ByteWriter w;
  w.u32(0xA1B2C3D4);
  w.u16(2);
  w.u16(4);
  w.u32(0);
  w.u32(0);
  w.u32(snaplen);
  w.u32(1);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    w.u32(1'700'000'000 + static_cast<std::uint32_t>(i / 1000));
    w.u32(static_cast<std::uint32_t>(i % 1000) * 1000);
    w.u32(static_cast<std::uint32_t>(frames[i].size()));
    w.u32(static_cast<std::uint32_t>(frames[i].size()));
    w.bytes(frames[i]);
  }
  return w.out;
}

std::string chunked(const Bytes& capture, const dissect::CaptureDecoder::Options& options, unsigned threads,
                    std::uint64_t chunk_bytes, ChunkedCaptureStats* stats = nullptr,
                    std::uint64_t lead_in_bytes = ChunkedCaptureOptions{}.lead_in_bytes) {
  testing::TempFile f(capture);
  auto file = util::InputFile::open(f.path);
  EXPECT_TRUE(file.is_mapped());
  auto reader = pcap::CaptureReader::open(file);
  std::string out, error;
  dissect::CaptureReport report;
  std::uint64_t lines = 0, end = 0;
  try {
    decode_capture_chunks(
        *reader, options, {true}, {threads, chunk_bytes, stats, {}, lead_in_bytes, chunk_bytes},
        [&](std::string_view text, std::uint64_t n, std::uint64_t reached) {
          out.append(text);
          lines += n;
          if (reached) {
            EXPECT_GE(reached, end);  // the decoded part only grows
            end = reached;
          }
        },
        report);
  } catch (const util::Error& e) {
    error = testing::error_text(e, f.path);
  }
  EXPECT_EQ(lines, static_cast<std::uint64_t>(std::count(out.begin(), out.end(), '\n')));
  return out + "|" + error + "|" + report.losses.text() + "|" + report.nothing_found;
}

constexpr unsigned kThreads[] = {1, 2, 3};

testing::TrafficSpec traffic_spec(unsigned flows, unsigned datagrams, bool split, bool fragments,
                                  std::uint64_t seed = 1) {
  testing::TrafficSpec spec;
  spec.flows = flows;
  spec.datagrams = datagrams;
  spec.split = split;
  spec.fragments = fragments;
  spec.seed = seed;
  return spec;
}
// Traffic whose datagrams hold whole messages (garbage before some of them).
testing::TrafficSpec whole_messages(unsigned flows, unsigned datagrams, bool fragments) {
  return traffic_spec(flows, datagrams, false, fragments);
}

TEST(ChunkedCapture, WholeMessagesPerDatagramAreDecodedChunkByChunk) {
  const testing::TrafficSpec spec = whole_messages(7, 3000, false);
  const auto frames = testing::traffic(spec);
  const Bytes capture = pcapng(frames);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_GT(std::count(want.begin(), want.end(), '\n'), 5000);
  ASSERT_NE(want.find("SKIP"), std::string::npos);  // garbage before messages
  for (unsigned threads : kThreads)
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{5000}, std::uint64_t{100000}}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(chunked(capture, options, threads, chunk, &stats), want) << threads << " threads, chunks of " << chunk;
      EXPECT_FALSE(stats.handed_over);
      const std::size_t chunks = std::min(capture.size() / chunk, frames.size());  // a chunk holds a block at least
      EXPECT_GT(stats.guessed_right, chunks / 2) << threads << " threads, chunks of " << chunk;
    }
}

// "" when `got` is `want`; else the first line where they differ, of each, and its number.
std::string first_difference(const std::string& got, const std::string& want) {
  if (got == want) return "";
  std::size_t at = 0, line = 1;
  while (at < got.size() && at < want.size() && got[at] == want[at]) line += got[at++] == '\n';
  auto line_at = [](const std::string& s, std::size_t i) {
    const std::size_t from = s.rfind('\n', i == 0 ? 0 : i - 1);
    const std::size_t begin = from == std::string::npos || i == 0 ? 0 : from + 1;
    return s.substr(begin, std::min<std::size_t>(s.find('\n', i) - begin, 300));
  };
  return "line " + std::to_string(line) + ":\n got:  " + line_at(got, at) + "\n want: " + line_at(want, at);
}

// The capture of `frames`, whose serial decoding gives `lines` lines, gives the same lines
// decoded with the default options on 1 and 2 threads, in chunks of each size from `first`
// to `last` by `step`.
void expect_serial_lines(const std::vector<testing::Frame>& frames, std::ptrdiff_t lines, std::uint64_t first,
                         std::uint64_t last, std::uint64_t step) {
  const Bytes capture = pcapng(frames);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_EQ(std::count(want.begin(), want.end(), '\n'), lines) << want.substr(0, 3000);
  for (unsigned threads : {1u, 2u})
    for (std::uint64_t chunk = first; chunk <= last; chunk += step) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &stats), want), "")
          << threads << " threads, chunks of " << chunk;
    }
}

// A PCAP-NG of testing::tcp_traffic: `connections` streams, `segments` segments.
Bytes tcp_capture(unsigned connections, unsigned segments, bool messy, bool straddling, std::uint64_t seed = 1) {
  testing::TcpTrafficSpec spec;
  spec.connections = connections;
  spec.segments = segments;
  spec.messy = messy;
  spec.straddling = straddling;
  spec.seed = seed;
  return pcapng(testing::tcp_traffic(spec));
}

// TCP streams of whole messages per segment: a cut between segments finds every stream
// settled and the next chunk's streams beginning where they stopped, so the chunks join
// (the streams' state, counts and SYNs carried on) and the lines are the serial decoder's.
TEST(ChunkedCapture, TcpStreamsOfWholeMessagesAreDecodedChunkByChunk) {
  testing::TcpTrafficSpec spec;
  spec.connections = 5;
  spec.segments = 3000;
  const auto frames = testing::tcp_traffic(spec);
  const Bytes capture = pcapng(frames);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_GT(std::count(want.begin(), want.end(), '\n'), 5000);
  for (unsigned threads : kThreads)
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{5000}, std::uint64_t{100000}}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &stats), want), "")
          << threads << " threads, chunks of " << chunk;
      EXPECT_FALSE(stats.handed_over) << threads << " threads, chunks of " << chunk;
      const std::size_t chunks = std::min(capture.size() / chunk, frames.size());
      EXPECT_GT(stats.guessed_right, chunks / 2) << threads << " threads, chunks of " << chunk;
    }
}

// Messages across segments, lost, repeated and late segments, FIN, RST, SYNs again, a small
// flow limit: whether a chunk joins, is decoded again or hands the rest over, the lines,
// the error and the loss summary (per stream) are the serial decoder's.
TEST(ChunkedCapture, MessyTcpStreamsGiveTheSerialLines) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const Bytes capture = tcp_capture(6, 2500, true, false, seed);
    for (std::size_t max_flows : {std::size_t{4096}, std::size_t{4}}) {
      dissect::CaptureDecoder::Options options;
      options.max_flows = max_flows;
      const std::string want = testing::decode_serially(capture, options);
      ASSERT_NE(want.find("SKIP"), std::string::npos);
      for (unsigned threads : kThreads)
        for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{3000}, std::uint64_t{60000}}) {
          ChunkedCaptureStats stats;
          EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &stats), want), "")
              << "seed " << seed << ", " << threads << " threads, chunks of " << chunk << ", flows " << max_flows;
        }
    }
  }
}

// A connection ends with FIN and the same ports begin again a little below its SYN, the
// new SYN not captured: the serial decoder takes that as a new connection (data from
// before the SYN it knows). A chunk that began inside the first connection does not know
// that SYN; it is decoded again rather than joined.
TEST(ChunkedCapture, ANewConnectionBelowTheSynSeenGivesTheSerialLines) {
  tools::Addresses a;
  a.source_port = 3490;
  a.destination_port = 50000;
  auto segment = [&](std::uint32_t seq, std::uint8_t flags, const testing::Frame& payload) {
    return testing::tcp_segment(a, seq, flags, payload);
  };
  std::vector<testing::Frame> frames;
  std::uint32_t seq = 100000;
  frames.push_back(segment(seq++, 0x02, {}));
  for (std::uint8_t k = 0; k < 60; ++k) {
    const testing::Frame m = testing::flow_message(0, k, 40 + k);
    frames.push_back(segment(seq, 0, m));
    seq += static_cast<std::uint32_t>(m.size());
  }
  frames.push_back(segment(seq, 0x01, {}));
  seq = 100000 - 3000;
  for (std::uint8_t k = 0; k < 60; ++k) {
    const testing::Frame m = testing::flow_message(1, k, 40 + k);
    frames.push_back(segment(seq, 0, m));
    seq += static_cast<std::uint32_t>(m.size());
  }
  expect_serial_lines(frames, 120, 3000, 12000, 3000);
}

// A mirror port records each frame twice, the copy a few frames late: copies of a
// connection's last segments come after its RST and after the next connection's SYN. The
// serial decoder counts them as retransmitted; a chunk that begins there does not know the
// connection that ended, so it is decoded again rather than joined.
TEST(ChunkedCapture, CopiesAfterAConnectionEndedGiveTheSerialLines) {
  tools::Addresses a;
  a.source_port = 3490;
  a.destination_port = 50000;
  auto segment = [&](std::uint32_t seq, std::uint8_t flags, const testing::Frame& payload) {
    return testing::tcp_segment(a, seq, flags, payload);
  };
  std::vector<testing::Frame> frames, copies;
  auto record = [&](const testing::Frame& f) {  // each frame, and the copy of the one 8 frames back
    frames.push_back(f);
    copies.push_back(f);
    if (copies.size() > 8) frames.push_back(copies[copies.size() - 9]);
  };
  for (std::uint32_t isn : {100000u, 7000000u}) {
    std::uint32_t seq = isn;
    record(segment(seq++, 0x02, {}));
    for (std::uint8_t k = 0; k < 40; ++k) {
      const testing::Frame m = testing::flow_message(isn == 100000u ? 0 : 1, k, 30 + k);
      record(segment(seq, 0, m));
      seq += static_cast<std::uint32_t>(m.size());
    }
    record(segment(seq, 0x04, {}));
  }
  expect_serial_lines(frames, 80, 1000, 8000, 700);
}

// A client whose initial sequence number repeats reconnecting to a server that picks new
// ones (CaptureDecoderTcp.AClientRepeatingItsSequenceNumberReconnectsWithItsServer): the
// server's SYN-ACK begins the client's new connection too, so a chunk that begins between
// the two decodes the client's side otherwise, and is not joined.
TEST(ChunkedCapture, AClientReconnectingWithItsLastSequenceNumberGivesTheSerialLines) {
  tools::Addresses down;
  down.source_port = 3490;
  down.destination_port = 50000;
  tools::Addresses up;
  up.source = down.destination;
  up.destination = down.source;
  up.source_port = down.destination_port;
  up.destination_port = down.source_port;
  std::vector<testing::Frame> frames;
  const std::uint32_t client = 4000;
  for (std::uint32_t server : {100000u, 300000u, 500000u}) {
    frames.push_back(testing::tcp_segment(up, client, 0x02, {}, std::nullopt));
    frames.push_back(testing::tcp_segment(down, server, 0x02, {}, client + 1));
    std::uint32_t seq = client + 1, back = server + 1;
    for (std::uint8_t k = 0; k < 20; ++k) {
      const testing::Frame request = testing::flow_message(static_cast<std::uint8_t>(server / 100000), k, 30 + k);
      frames.push_back(testing::tcp_segment(up, seq, 0, request, back));
      seq += static_cast<std::uint32_t>(request.size());
      const testing::Frame response = testing::flow_message(7, k, 40);
      frames.push_back(testing::tcp_segment(down, back, 0, response, seq));
      back += static_cast<std::uint32_t>(response.size());
    }
  }
  expect_serial_lines(frames, 120, 1000, 9000, 700);
}
// Messages cut across segments almost everywhere: a cut mostly falls inside a message of
// some stream, so the chunks after the first that did not join begin with a lead-in, which
// brings their streams to the cut as the decoder before them has them there; they join.
TEST(ChunkedCapture, TcpStreamsCutAnywhereJoinAfterALeadIn) {
  const Bytes capture = tcp_capture(5, 6000, false, true);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_GT(std::count(want.begin(), want.end(), '\n'), 10000);
  for (unsigned threads : kThreads) {
    const std::uint64_t chunk = 80000, chunks = capture.size() / chunk;
    ChunkedCaptureStats stats;
    EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &stats, 20000), want), "")
        << threads << " threads";
    EXPECT_FALSE(stats.handed_over) << threads << " threads";
    EXPECT_GT(stats.guessed_right, chunks * 3 / 4) << threads << " threads, " << stats.redone << " redone";
    // Without a lead-in the same chunks do not join: the rest goes to the pipelined decoder.
    ChunkedCaptureStats without;
    EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &without, 0), want), "")
        << threads << " threads, no lead-in";
    EXPECT_LT(without.guessed_right, chunks / 4) << threads << " threads, no lead-in";
  }
}

// A chunk whose only packet of a flow under way ends inside the flow's first message there
// joins (the flow decided nothing yet); the flow must then go on as the flow under way
// does — taking that message once complete — not as a stream start, which would hold it
// back for the packets after it and print the other flow's line first.
TEST(ChunkedCapture, AFlowWhoseChunkEndsInsideItsFirstMessageGoesOnUnderWay) {
  tools::Addresses a, b;
  a.source = b.source = 0x0A000064;
  a.destination = b.destination = 0x0A00000B;
  a.source_port = b.source_port = 3490;
  a.destination_port = 50000;
  b.destination_port = 50001;
  std::uint32_t seq_a = 1000, seq_b = 5000;
  std::vector<testing::Frame> frames;
  auto segment = [&](const tools::Addresses& to, std::uint32_t& seq, const testing::Frame& payload) {
    frames.push_back(testing::tcp_segment(to, seq, 0, payload));
    seq += static_cast<std::uint32_t>(payload.size());
  };
  auto join = [](std::initializer_list<testing::Frame> parts) {
    testing::Frame all;
    for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
  };
  const testing::Frame m = testing::flow_message(0, 3, 200), n = testing::flow_message(0, 4, 200);
  const auto half = [](const testing::Frame& f, bool second) {
    return second ? testing::Frame(f.begin() + 100, f.end()) : testing::Frame(f.begin(), f.begin() + 100);
  };
  segment(a, seq_a, join({testing::flow_message(0, 1, 50), testing::flow_message(0, 2, 50)}));
  segment(b, seq_b, testing::flow_message(1, 1, 50));
  segment(a, seq_a, half(m, false));  // the chunk of this packet ends inside m
  segment(b, seq_b, testing::flow_message(1, 2, 50));
  segment(a, seq_a, join({half(m, true), half(n, false)}));  // m complete, n begun
  segment(b, seq_b, testing::flow_message(1, 3, 50));
  segment(a, seq_a, join({half(n, true), testing::flow_message(0, 5, 50), testing::flow_message(0, 6, 50)}));
  segment(b, seq_b, testing::flow_message(1, 4, 50));
  const Bytes capture = pcapng(frames);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_EQ(std::count(want.begin(), want.end(), '\n'), 10);
  for (unsigned threads : kThreads)
    for (const std::uint64_t lead : {0, 1 << 20}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(first_difference(chunked(capture, options, threads, 1, &stats, lead), want), "")
          << threads << " threads, lead-in " << lead;
      EXPECT_GT(stats.guessed_right, 0u) << threads << " threads, lead-in " << lead;
    }
}

// Lead-ins too short to bring every stream under way (a few hundred bytes), or that end
// with segments held, or with a stream whose SYN comes again after the cut: whether a chunk
// joins or is decoded again, the lines are the serial decoder's.
TEST(ChunkedCapture, MessyTcpStreamsWithLeadInsOfAnyLengthGiveTheSerialLines) {
  const Bytes capture = tcp_capture(4, 4000, true, true);
  // At the flow limit too: which flow and connection is evicted depends on their last
  // uses, which a join after a lead-in carries over (those the lead-in used and nothing
  // since keep the decoder before's).
  for (const std::size_t max_flows : {std::size_t{4096}, std::size_t{5}, std::size_t{8}}) {
    dissect::CaptureDecoder::Options options;
    options.max_flows = max_flows;
    const std::string want = testing::decode_serially(capture, options);
    for (const std::uint64_t lead : {300, 3000, 30000})
      for (unsigned threads : {1u, 2u}) {
        ChunkedCaptureStats stats;
        EXPECT_EQ(first_difference(chunked(capture, options, threads, 20000, &stats, lead), want), "")
            << threads << " threads, lead-in " << lead << ", flows " << max_flows;
      }
  }
}

TEST(ChunkedCapture, FragmentSetsAndMessagesAcrossTheCutsGiveTheSerialLines) {
  for (const bool split : {false, true}) {
    const Bytes capture = pcapng(testing::traffic(traffic_spec(7, 1500, split, true, 3)));
    const dissect::CaptureDecoder::Options options;
    const std::string want = testing::decode_serially(capture, options);
    ASSERT_NE(want.find("SKIP"), std::string::npos);
    for (unsigned threads : kThreads)
      for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{7000}, std::uint64_t{60000}}) {
        ChunkedCaptureStats stats;
        EXPECT_EQ(chunked(capture, options, threads, chunk, &stats), want)
            << threads << " threads, chunks of " << chunk << (split ? ", split" : "");
        // Messages straddle many cuts: chunks with a lead-in long enough to see a few
        // messages of each flow join.
        if (split && chunk == 60000) {
          EXPECT_GT(stats.guessed_right, 5u) << threads << " threads";
        }
      }
  }
}

// A chunk that begins with the copies of fragments whose datagram the chunk before
// completed takes them as a new set, where the serial decoder ignores them: it is redone.
TEST(ChunkedCapture, FragmentsRecordedTwiceGiveTheSerialLines) {
  testing::TrafficSpec spec = whole_messages(5, 1500, true);
  spec.mirrored = true;
  const Bytes capture = pcapng(testing::traffic(spec));
  spec.mirrored = false;
  const Bytes once = pcapng(testing::traffic(spec));
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  // The copies change nothing but the lines' places and times (one frame a millisecond).
  auto unplaced = [](const std::string& text) {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      std::size_t from = at;
      for (int field = 0; field < 3 && from < end; ++field) from = std::min(text.find(' ', from), end) + 1;
      out.append(text, std::min(from, end), end + 1 - std::min(from, end));
      at = end + 1;
    }
    return out;
  };
  ASSERT_EQ(unplaced(want), unplaced(testing::decode_serially(once, options)));
  for (unsigned threads : kThreads)
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{2000}, std::uint64_t{7000}, std::uint64_t{60000}}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(first_difference(chunked(capture, options, threads, chunk, &stats), want), "")
          << threads << " threads, chunks of " << chunk;
      EXPECT_GT(stats.guessed_right, 0u) << threads << " threads, chunks of " << chunk;
    }
  // Lead-ins that begin inside a datagram's fragments: the chunk's decoder does not
  // remember it, where the decoder before does.
  for (const std::uint64_t lead : {300, 1000, 3000})
    for (unsigned threads : {1u, 2u}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(first_difference(chunked(capture, options, threads, 5000, &stats, lead), want), "")
          << threads << " threads, lead-in " << lead;
      EXPECT_GT(stats.guessed_right, 0u) << threads << " threads, lead-in " << lead;
    }
}

TEST(ChunkedCapture, ANewSectionIsReadSerially) {
  const testing::TrafficSpec spec = whole_messages(4, 2000, false);
  const auto frames = testing::traffic(spec);
  const Bytes capture = pcapng(frames, frames.size() / 2);
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  for (unsigned threads : kThreads) {
    ChunkedCaptureStats stats;
    EXPECT_EQ(chunked(capture, options, threads, 20000, &stats), want) << threads << " threads";
    EXPECT_FALSE(stats.handed_over);
    // Chunks read in the wrong byte order are redone (as many as were decoded ahead when
    // the new section showed; how many depends on timing); the later ones are right again.
    const std::uint64_t chunks = capture.size() / 20000;
    EXPECT_GE(stats.guessed_right + 2 * threads + 2, chunks) << threads << " threads, " << stats.redone << " redone";
  }
}

TEST(ChunkedCapture, ClassicPcapRecordsAreCutAtGuessedStarts) {
  const testing::TrafficSpec spec = whole_messages(5, 2000, true);
  const Bytes capture = pcap(testing::traffic(spec));
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  for (unsigned threads : kThreads)
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{3333}, std::uint64_t{50000}}) {
      ChunkedCaptureStats stats;
      EXPECT_EQ(chunked(capture, options, threads, chunk, &stats), want) << threads << " threads, chunks of " << chunk;
      EXPECT_GT(stats.guessed_right, 0u);
    }
}

// What is said after a capture is the same however it was cut: records beyond a classic
// PCAP's snapshot length, and what was found when no datagram went to our ports.
TEST(ChunkedCapture, TheReportIsTheSameInChunks) {
  const auto frames = testing::traffic(whole_messages(5, 2000, true));
  dissect::CaptureDecoder::Options options;
  options.snapshot_length = 200;  // many frames are longer: read, and counted
  const Bytes capture = pcap(frames, 200);
  for (const bool other_port : {false, true}) {
    options.udp_ports = {other_port ? std::uint16_t{9999} : std::uint16_t{3490}};
    const std::string want = testing::decode_serially(capture, options);
    ASSERT_NE(want.find("records captured longer than the snapshot length 200"), std::string::npos)
        << want.substr(want.size() - 300);
    if (other_port) {
      ASSERT_NE(want.find("|no UDP datagrams to port 9999; found UDP port 3490 ("), std::string::npos);
    }
    for (unsigned threads : kThreads)
      for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{3333}, std::uint64_t{50000}})
        EXPECT_EQ(chunked(capture, options, threads, chunk), want) << threads << " threads, chunks of " << chunk;
  }
}

TEST(ChunkedCapture, TheFlowLimitActsAsInOneDecoder) {
  for (const bool split : {false, true}) {
    const Bytes capture = pcapng(testing::traffic(traffic_spec(9, 1500, split, false)));
    for (const std::size_t max_flows : {3u, 8u, 9u}) {
      dissect::CaptureDecoder::Options options;
      options.max_flows = max_flows;
      const std::string want = testing::decode_serially(capture, options);
      if (split && max_flows < 9) {
        ASSERT_NE(want.find("flows ended early at the flow limit"), std::string::npos);
      }
      for (unsigned threads : kThreads)
        for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{20000}})
          EXPECT_EQ(chunked(capture, options, threads, chunk), want)
              << threads << " threads, chunks of " << chunk << ", " << max_flows << " flows"
              << (split ? ", split" : "");
    }
  }
}

TEST(ChunkedCapture, AMalformedBlockStopsAfterTheSameLines) {
  const testing::TrafficSpec spec = whole_messages(5, 2000, false);
  Bytes capture = pcapng(testing::traffic(spec));
  // Break the trailing length of the block that holds the middle of the file.
  std::size_t at = 28;  // after the SHB
  while (at < capture.size() / 2) at += capture[at + 4] | capture[at + 5] << 8 | capture[at + 6] << 16;
  const std::size_t len = capture[at + 4] | capture[at + 5] << 8 | capture[at + 6] << 16;
  capture[at + len - 4] ^= 0x40;
  const dissect::CaptureDecoder::Options options;
  const std::string want = testing::decode_serially(capture, options);
  ASSERT_NE(want.find("trailing length"), std::string::npos);
  for (unsigned threads : kThreads)
    for (std::uint64_t chunk : {std::uint64_t{1}, std::uint64_t{10000}})
      EXPECT_EQ(chunked(capture, options, threads, chunk), want) << threads << " threads, chunks of " << chunk;
}

}  // namespace
}  // namespace dltdump::app
