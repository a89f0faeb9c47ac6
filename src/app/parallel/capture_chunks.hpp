// Decoding a mapped capture file on several cores, piece by piece, with exactly the text of
// the serial capture decoder.
//
// The file is cut into chunks at likely record starts (pcap::CaptureReaderSplit::next_cut).
// Each worker decodes a whole chunk on its own, as if the capture began there: its own
// reader (a fork, in the reader state of the file's head), its own CaptureDecoder with
// flows of its own, its own lines. That guess is right when the decoder of everything
// before the chunk ends exactly at the chunk's start, in the reader state the chunk
// assumed, with every flow idle and no fragment set open (CaptureDecoderSplit::idle) —
// nor a copy of a fragment it completed a datagram with lately taken as a new set's by the
// chunk (CaptureDecoderSplit::fragments_continued_by) —, and
// when the flows of all chunks so far fit in the flow limit (then the serial decoder
// evicts nothing, and idle flows decode what follows as new ones would). For TCP, whose
// streams carry state (the next sequence number, the SYN seen), the guess is right when
// every stream of the decoder before is settled (nothing held or waiting) and each stream
// the chunk continues began with a plain segment at the sequence number expected next
// (CaptureDecoderSplit::tcp_continued_by): then the chunk's decoder takes over the
// streams, their counts and SYNs (CaptureDecoderSplit::absorb). A flow whose stream is
// under way takes its next packet as it is, where the chunk's new flow confirms it first
// (a stream may begin inside a message): the guess is right when that confirmation took
// the packet at once (CaptureFlow::began_as_continuation); the history keeps which flows
// are under way. Loggers that send whole messages in each datagram or segment make every
// chunk a right guess.
//
// The calling thread checks each chunk in file order and passes its lines on (the
// speculative window of app/parallel/speculative_window.hpp). When a chunk's guess was
// wrong (a cut that was no record start, a new reader state, a message, segment or
// fragmented datagram straddling the cut, a TCP stream not settled, a flow's first packet,
// too many flows), the decoder of what came before goes on serially over the chunk instead.
// From the first such chunk on, the chunks begin with a lead-in (ChunkedCaptureOptions::
// lead_in_bytes): their workers decode the stretch before their start too, silently, so
// that the streams stand at the start as the decoder before has them
// (CaptureDecoderSplit::cut_here, continues_at). After kMisses chunks with lead-ins redone
// in a row (a capture whose streams the lead-ins do not reach), the rest of the capture
// goes to the pipelined parallel decoder (app/parallel/capture_flows), which takes over the
// flows as they are. The flows' order of first appearance, their last use and whether each
// is under way are kept across chunks, so the flow limit and the flush at the end act as
// in one decoder.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/line_chain.hpp"
#include "app/parallel/capture_flows.hpp"
#include "dissect/capture_decoder.hpp"
#include "pcap/capture_reader.hpp"

namespace dltdump::app {

// How the chunks went (for tests and measurements).
struct ChunkedCaptureStats {
  std::uint64_t guessed_right = 0;  // chunks after the first whose lines were taken as made
  std::uint64_t redone = 0;         // chunks decoded again, serially
  bool handed_over = false;         // the rest went to the pipelined decoder
};

struct ChunkedCaptureOptions {
  unsigned threads = 2;
  std::uint64_t chunk_bytes = 2u << 20;
  ChunkedCaptureStats* stats = nullptr;  // filled if not null
  // The file's size if another program has cut it since it was mapped (as
  // util::InputFile::shrunk_to says), else none; asked before each chunk's lines are taken
  // and after each stretch decoded serially. Empty: the file is never cut.
  std::function<std::optional<std::uint64_t>()> shrunk = {};
  // Once a chunk did not join the decoder before it (a message or IP datagram straddling
  // its start, TCP streams under way), the chunks after it begin with a lead-in of up to
  // this many bytes before their start (no more than a chunk is long, nor reaching before
  // the first packet): decoded again, silently, so that their streams stand at the start
  // as those of the decoder before do — and, so that the lead-ins cost little, the chunks
  // cut from then on are lead_in_chunk_bytes long (if that is more than chunk_bytes).
  std::uint64_t lead_in_bytes = 512u << 10;
  std::uint64_t lead_in_chunk_bytes = 8u << 20;
};

// Decodes every packet of `reader` (just opened, over a mapped file) into lines made and
// filtered as `lines` says. `emit(text, lines, end)` receives whole lines in order, with
// the file offset before which every byte is decoded (pages before it may be released) —
// or 0 for the lines of the pipelined decoder after a hand-over (capture_flows), whose
// place in the file is not known: release nothing for those.
// Throws util::Error for a malformed capture after emitting what came before it (its flows
// flushed), CaptureCut (app/parallel/capture_flows.hpp) for a file cut meanwhile, after
// the lines of every packet before the cut — the chunks that end before it as made, the
// rest decoded serially by the decoder of what came before (workers may have read zeros
// past the cut) — and what `emit` throws. `report` receives what is said after the capture
// (see CaptureDecoder::report).
void decode_capture_chunks(pcap::CaptureReader& reader, const dissect::CaptureDecoder::Options& options,
                           const LineSpec& lines, const ChunkedCaptureOptions& chunked,
                           const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit,
                           dissect::CaptureReport& report);

}  // namespace dltdump::app
