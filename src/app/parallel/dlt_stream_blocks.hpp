// Decoding a DLT stream that is read, not mapped — a compressed file's decompressed stream
// (compress/decompressing_source.hpp) — on several cores, output identical to one framer
// fed the stream.
//
// The way of app/parallel/dlt_blocks.hpp (blocks cut at verified packet starts, decoded by
// workers as if the stream began there, checked in order on the calling thread, a block
// whose framer ran past the next cut decoded on serially), over pieces of the stream held
// in buffers of their own instead of a mapping. A piece holds its block's bytes and at
// least kLookahead bytes past its cut (or the stream's end): a packet that starts before
// the cut ends within them, so a framer stopping at the cut makes the decisions one framer
// over the whole stream makes. A cut is taken only once the bytes that decide it have been
// read (dlt::next_verified_packet reads a packet and the marker after it). A stretch of a
// whole block past the nominal cut with no verified packet start (garbage) is cut anyway,
// where no guess is trusted: the piece after it is always decoded on by the framer before.
//
// The stream is read by the worker that claims the next piece (under the window's lock,
// app/parallel/speculative_window.hpp), so decoding overlaps the decompressing thread and
// the reads stay in order; the calling thread writes.
//
// Memory: at most 2 × threads pieces in flight and one being read, each at most
// 2 × block_bytes + 256 KiB (block_bytes + 200 KiB unless a stretch of garbage was cut).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "app/line_chain.hpp"
#include "app/parallel/dlt_blocks.hpp"
#include "util/input_file.hpp"

namespace dltdump::app {

// Bytes a piece holds past its cut: a storage header and the longest packet.
inline constexpr std::uint64_t kLookahead = 16 + 65535;

// Decodes the DLT stream (storage-header format) of `stream`, read from its current
// position (head() bytes included) with InputFile::read, into lines made and filtered as
// `lines` says. `emit(text, lines, end)` receives the lines in stream order, with their
// number and the stream offset up to which all bytes are decoded; an exception it throws
// stops the workers and propagates. The stream offsets in lines (--position) are those of
// the stream from its first byte.
//
// A read that throws (util::Error: a corrupt or cut compressed stream; util::Stopped: a
// stop while waiting for bytes) ends the stream there: every byte before it is decoded as
// one framer fed the stream up to it decodes them — for a util::Error with the end of
// the input's rules (the packet the fault cut and the skip record open there are skip
// lines, as at a file's end), for a stop or a cut (util::Error::cut) without — and then
// that exception is rethrown,
// as the serial walk (the framer fed window by window, app/dump_app.cpp) does.
// An interrupt stops as decode_dlt_blocks says (the lines emitted are those of the
// stream's bytes before one packet, then util::Stopped). Returns the skipped regions that
// began like another format than a DLT file (app/skip_tally.hpp), as one SkipTally over the
// stream finds them; a fault rethrown loses them (the input failed: its error is told).
std::optional<SkipTally::Foreign> decode_dlt_stream_blocks(
    util::InputFile& stream, const LineSpec& lines, const ParallelOptions& options,
    const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit);

}  // namespace dltdump::app
