// Decoding a capture on several cores. The calling thread reads and dissects the capture
// (link layers, IPv4 reassembly, UDP/TECMP) into batches of datagrams; from a mapped file
// the datagrams are read in place, otherwise copied. Persistent worker threads then claim
// the flows of a batch one by one, largest first, and frame and format each flow's
// datagrams in order; a flow is never decoded by two workers at once, and a worker that is
// done early takes more flows. While the workers decode a batch, the calling thread
// dissects the next one and merges the lines of the previous one in datagram order. The
// flow limit is applied while dissecting (an evicted flow is ended at its place in the
// order) and the flows still open are flushed at the end in order of first appearance, so
// the text is exactly what the serial CaptureDecoder prints.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/line_chain.hpp"
#include "dissect/capture_decoder.hpp"
#include "pcap/capture_reader.hpp"
#include "util/input_file.hpp"

namespace dltdump::app {

struct ParallelCaptureOptions {
  unsigned threads = 2;
  // Datagram payload per batch: small enough that a batch's descriptors and lines stay in
  // the cores' caches (256 KiB measured faster than 2 MiB and than 128 KiB).
  std::size_t batch_bytes = 256u << 10;
  // The file the reader reads, if it is a pipe: before a read that would wait, what is
  // batched is decoded and emitted and `idle` called (the output flushed), so that a slow
  // capture's lines show as they come and a stop while waiting loses none.
  util::InputFile* input = nullptr;
  std::function<void()> idle = {};
  // A mapped file's size if another program has cut it since it was mapped (as
  // util::InputFile::shrunk_to says), else none; asked before each batch's lines are
  // passed on and before the flows are ended. Empty: the file is never cut.
  std::function<std::optional<std::uint64_t>()> shrunk = {};
  // If not null, receives how many flow numbers the decoder used (for tests: flows ended at
  // the flow limit give theirs back, so that this stays bounded).
  std::size_t* flow_numbers = nullptr;
};

// What the decoders throw once `shrunk` found the file cut at `size`, after emitting the
// lines of every datagram before the cut (those of datagrams that end past it may be made
// of zeros read there). As on one thread, the flows still open are not ended as if the
// capture ended at the cut.
struct CaptureCut {
  std::uint64_t size;
};

// Decodes every packet of `reader` into lines made and filtered as `lines` says; `emit(text, lines)` receives whole
// lines in order. Throws util::Error for a malformed capture after emitting what came before it (its flows flushed),
// CaptureCut for a file cut meanwhile, and what `emit` throws. `report` receives what is said after the capture (see
// CaptureDecoder::report).
void decode_capture_flows(pcap::CaptureReader& reader, const dissect::CaptureDecoder::Options& options,
                          const LineSpec& lines, const ParallelCaptureOptions& parallel,
                          const std::function<void(std::string_view, std::uint64_t)>& emit,
                          dissect::CaptureReport& report);

// The same for the rest of a capture whose start `decoded` has decoded serially, up to
// `reader`'s offset: its flows go on in the workers, its fragment sets in its own
// reassembly, and `report` includes its counts.
void resume_capture_flows(pcap::CaptureReader& reader, dissect::CaptureDecoder& decoded,
                          const dissect::CaptureDecoder::Options& options, const LineSpec& lines,
                          const ParallelCaptureOptions& parallel,
                          const std::function<void(std::string_view, std::uint64_t)>& emit,
                          dissect::CaptureReport& report);

}  // namespace dltdump::app
