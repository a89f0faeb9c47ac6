#include "app/parallel/dlt_blocks.hpp"

#include <memory>

#include "app/parallel/speculative_window.hpp"
#include "dlt/cut_points.hpp"
#include "dlt/framer.hpp"
#include "dlt/framer_split.hpp"
#include "util/stop_signal.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::app {

namespace {

// The blocks of one file, for the speculative window (app/parallel/speculative_window.hpp).
class Blocks {
 public:
  struct Piece {
    std::uint64_t start = 0, stop = 0;
    std::unique_ptr<dlt::Framer> framer;        // kept for a serial continuation
    std::unique_ptr<SkipTally> tally;           // the framer's, kept with it
    std::optional<SkipTally::Foreign> foreign;  // what the tally found in this block
    util::TextBuffer text{util::TextBuffer::kLineBytes};
    std::uint64_t lines = 0;
    std::uint64_t end = 0;     // offset the framer reached
    bool interrupted = false;  // the interrupt flag stopped the framer at `end`
  };

  Blocks(std::span<const std::uint8_t> file, const LineSpec& spec, std::uint64_t block_bytes,
         const std::atomic<bool>* interrupt)
      : file_(file), spec_(spec), interrupt_(interrupt), points_(file, block_bytes) {}

  bool exists(std::size_t k) { return points_.exists(k); }
  void assign(std::size_t k, Piece& b) {
    b.start = points_.at(k);
    b.stop = points_.at(k + 1);
  }
  // Block b as if the file began at its start: its framer stops at the next block's start.
  void decode(Piece& b) {
    b.text.clear();
    b.framer = std::make_unique<dlt::Framer>(dlt::StreamFormat::File, b.start);
    b.framer->set_interrupt_flag(interrupt_);
    b.tally = std::make_unique<SkipTally>(dlt::StreamFormat::File);
    b.lines = decode_on(*b.framer, *b.tally, b.start, b.stop, b.text, b.end);
    b.foreign = b.tally->take_foreign();
    b.interrupted = b.framer->interrupted();
  }

  // Lets `framer`, which reached offset `from`, decode on to `stop` (see
  // dlt::FramerSplit::decode_until) into lines appended to `text`, its events passing
  // through its `tally`; sets `end` to the offset it reached and returns the number of lines.
  std::uint64_t decode_on(dlt::Framer& framer, SkipTally& tally, std::uint64_t from, std::uint64_t stop,
                          util::TextBuffer& text, std::uint64_t& end) const {
    LineChain chain(spec_, text);
    chain.attach(framer);
    tally.set_next(chain.head());
    tally.window(file_, 0);  // a skipped region's first bytes are always at hand
    end = dlt::FramerSplit::decode_until(framer, file_.subspan(from), stop, tally);
    if (end == stop) dlt::FramerSplit::flush_pending(framer, tally);
    framer.set_payload_gate(nullptr);  // the chain ends here; a continuation attaches its own
    return chain.lines();
  }

 private:
  std::span<const std::uint8_t> file_;
  const LineSpec& spec_;
  const std::atomic<bool>* interrupt_;
  dlt::CutPoints points_;  // under the window's lock
};

}  // namespace

std::optional<SkipTally::Foreign> decode_dlt_blocks(
    std::span<const std::uint8_t> file, const LineSpec& spec, const ParallelOptions& options,
    const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit) {
  Blocks blocks(file, spec, options.block_bytes, options.interrupt);
  const unsigned threads = options.threads ? options.threads : 1;
  SpeculativeWindow<Blocks> window(blocks, threads, 2 * static_cast<std::size_t>(threads));

  // The framer of everything so far, and the offset it reached.
  std::unique_ptr<dlt::Framer> framer;
  std::unique_ptr<SkipTally> tally;
  std::optional<SkipTally::Foreign> foreign;
  std::uint64_t end = 0;
  util::TextBuffer serial_text(util::TextBuffer::kLineBytes);
  window.in_order([&](std::size_t k, Blocks::Piece& b) {
    if (k == 0 || end <= b.start) {
      // The framer before it stopped at its start: the block's lines are the file's.
      emit(b.text.view(), b.lines, b.end);
      SkipTally::Foreign::add(foreign, b.foreign);
      // A stop: what came before it went out; nothing after it may (not a prefix).
      if (b.interrupted) throw util::Stopped();
      // Taken out before the slot is released: it may have to go on.
      framer = std::move(b.framer);
      tally = std::move(b.tally);
      end = b.end;
      return true;
    }
    // A packet straddled the cut: the block's result is dropped and the framer before it
    // decodes on, serially, to the next start (and further while it keeps straddling).
    const std::uint64_t stop = b.stop;
    window.release(k);
    serial_text.clear();
    const std::uint64_t lines = blocks.decode_on(*framer, *tally, end, stop, serial_text, end);
    emit(serial_text.view(), lines, end);
    SkipTally::Foreign::add(foreign, tally->take_foreign());
    if (framer->interrupted()) throw util::Stopped();
    return true;
  });
  return foreign;
}

}  // namespace dltdump::app
