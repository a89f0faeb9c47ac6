// Decoding one whole in-memory DLT file on several cores, output identical to one framer.
//
// The file is cut at verified packet starts (dlt::next_verified_packet), found as the
// decoding reaches them. Worker threads decode the blocks into their own text buffers;
// the calling thread hands the texts out in file order (the speculative window of
// app/parallel/speculative_window.hpp). Block k's framer runs until its cursor reaches
// block k+1's start; if it ran past it (a valid packet straddled the cut), block k+1's
// result is dropped and block k's framer continues serially to the next start, so the
// text is always what a single framer over the whole file produces. At most 2 * threads
// blocks are decoded ahead of the writer, so memory stays bounded by the block size.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "app/line_chain.hpp"
#include "app/skip_tally.hpp"

namespace dltdump::app {

struct ParallelOptions {
  unsigned threads = 2;
  std::uint64_t block_bytes = 4u << 20;
  // Once set (util::stop_flag(): SIGINT/SIGTERM), the framers stop before their next
  // packet (dlt::Framer::set_interrupt_flag). Null: never.
  const std::atomic<bool>* interrupt = nullptr;
};

// Decodes `file` (DLT storage-header format) into lines made and filtered as `lines` says.
// `emit(text, lines, end)` receives each block's lines in file order, with the number of lines and the file offset up
// to which all bytes are decoded. An exception thrown by `emit` stops the workers and propagates.
// When the interrupt flag stops the decoding, the lines emitted are exactly those of the
// file's bytes before one packet — what one framer interrupted there would have made: the
// blocks decoded whole before the first one a framer stopped in, then that block's lines up
// to where it stopped (later blocks, decoded or not, are dropped) — and util::Stopped is
// thrown. A stop that interrupted no framer (every block was decoded whole) returns
// normally. Returns the skipped regions that began like another format than a DLT file
// (app/skip_tally.hpp), as one SkipTally over the whole file finds them.
std::optional<SkipTally::Foreign> decode_dlt_blocks(
    std::span<const std::uint8_t> file, const LineSpec& lines, const ParallelOptions& options,
    const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit);

}  // namespace dltdump::app
