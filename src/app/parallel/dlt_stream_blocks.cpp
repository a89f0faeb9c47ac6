#include "app/parallel/dlt_stream_blocks.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <exception>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "app/parallel/speculative_window.hpp"
#include "dlt/cut_points.hpp"
#include "dlt/framer.hpp"
#include "dlt/framer_split.hpp"
#include "dlt/message.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::app {

namespace {

static_assert(kLookahead >= dlt::kStorageHeaderBytes + dlt::kMaxPacketBytes);
// Bytes past a candidate cut that decide it: its packet and the marker after it.
constexpr std::uint64_t kDecide = kLookahead + 4;
// Bytes read at a time while looking for a cut past the bytes that decide the first
// candidates (a stretch without a verified packet start).
constexpr std::uint64_t kScanStep = 64u << 10;

// The pieces of one stream, for the speculative window (app/parallel/speculative_window.hpp).
// exists() and assign() read the stream (under the window's lock).
class StreamPieces {
 public:
  struct Piece {
    std::uint64_t start = 0, stop = 0;
    // Whether a framer beginning at `start` frames what the one before would have (a
    // verified packet start, or the stream's), and the same for `stop` (or the stream's end).
    bool start_cut = true, stop_cut = true;
    std::vector<std::uint8_t> buffer;  // the stream's bytes from `start` in [0, size)
    std::size_t size = 0;
    std::unique_ptr<dlt::Framer> framer;        // kept for a serial continuation
    std::unique_ptr<SkipTally> tally;           // the framer's, kept with it
    std::optional<SkipTally::Foreign> foreign;  // what the tally found in this piece
    util::TextBuffer text{util::TextBuffer::kLineBytes};
    std::uint64_t lines = 0;
    std::uint64_t end = 0;     // offset the framer reached
    bool interrupted = false;  // the interrupt flag stopped the framer at `end`

    std::span<const std::uint8_t> bytes() const { return {buffer.data(), size}; }
  };

  StreamPieces(util::InputFile& stream, const LineSpec& spec, std::uint64_t block_bytes,
               const std::atomic<bool>* interrupt)
      : stream_(stream), spec_(spec), interrupt_(interrupt), block_(block_bytes ? block_bytes : 1) {}

  // Asked for k no greater than the pieces assigned (the window's contract).
  bool exists(std::size_t k) {
    if (k < formed_) return true;
    assert(k == formed_ && "asked past the piece being formed");
    return form();
  }

  void assign(std::size_t, Piece& p) {
    p.start = base_;
    p.stop = stop_;
    p.start_cut = start_cut_;
    p.stop_cut = stop_cut_;
    // The piece takes the bytes held; those from its stop on begin the next one.
    std::swap(p.buffer, held_);
    p.size = held_size_;
    const std::size_t from = static_cast<std::size_t>(stop_ - base_);
    held_size_ = p.size - from;
    reserve(held_size_);
    if (held_size_) std::memcpy(held_.data(), p.buffer.data() + from, held_size_);
    base_ = stop_;
    start_cut_ = stop_cut_;
  }

  // Piece p as if the stream began at its start: its framer stops at its stop. A piece
  // whose start is no cut is decoded on by the framer before it instead (not here).
  void decode(Piece& p) {
    p.text.clear();
    p.lines = 0;
    p.end = p.start;
    p.interrupted = false;
    p.framer.reset();
    p.tally.reset();
    p.foreign.reset();
    if (!p.start_cut) return;
    p.framer = std::make_unique<dlt::Framer>(dlt::StreamFormat::File, p.start);
    p.framer->set_interrupt_flag(interrupt_);
    p.tally = std::make_unique<SkipTally>(dlt::StreamFormat::File);
    p.lines = decode_on(*p.framer, *p.tally, p, p.start, p.text, p.end);
    p.foreign = p.tally->take_foreign();
    p.interrupted = p.framer->interrupted();
  }

  // Lets `framer`, which reached offset `from` (within p's bytes), decode on to p's stop
  // into lines appended to `text`, its events passing through its `tally`; sets `end` to
  // the offset it reached and returns the number of lines. The skip record open at the
  // stop is delivered only at a cut: past a stop that is none, the framer goes on with it
  // open (and the tally with its first bytes).
  std::uint64_t decode_on(dlt::Framer& framer, SkipTally& tally, const Piece& p, std::uint64_t from,
                          util::TextBuffer& text, std::uint64_t& end) const {
    LineChain chain(spec_, text);
    chain.attach(framer);
    tally.set_next(chain.head());
    tally.window(p.bytes(), p.start);
    end = dlt::FramerSplit::decode_until(framer, p.bytes().subspan(static_cast<std::size_t>(from - p.start)), p.stop,
                                         tally);
    if (end == p.stop && p.stop_cut) dlt::FramerSplit::flush_pending(framer, tally);
    tally.after_feed(framer);
    framer.set_payload_gate(nullptr);  // the chain ends here; a continuation attaches its own
    return chain.lines();
  }

  // Once no piece exists any more and the workers have stopped: what ended the stream
  // (null at its end), and the bytes read after the last piece's stop, from `tail_start()`.
  std::exception_ptr fault() const { return fault_; }
  // Whether that was a fault of the stream (util::Error), not a stop.
  bool fault_ends_input() const { return fault_is_error_; }
  // Whether that fault is a cut (util::Error::cut): no end of the input's rules.
  bool fault_is_cut() const { return fault_is_cut_; }
  std::uint64_t tail_start() const { return base_; }
  std::span<const std::uint8_t> tail() const { return {held_.data(), held_size_}; }

 private:
  std::uint64_t held_end() const { return base_ + held_size_; }

  void reserve(std::size_t n) {
    if (held_.size() < n) held_.resize(std::max(n, held_.size() + held_.size() / 2));
  }

  // Reads until the bytes before stream offset `target` are held; false if a read threw
  // (kept in fault_: the stream ends there). True at the stream's end.
  bool fill(std::uint64_t target) {
    if (fault_) return false;
    try {
      while (!ended_ && held_end() < target) {
        const std::size_t want = static_cast<std::size_t>(target - held_end());
        reserve(held_size_ + want);
        const std::size_t got = stream_.read(held_.data() + held_size_, want);
        if (got == 0) ended_ = true;
        held_size_ += got;
      }
    } catch (const util::Error& e) {
      fault_ = std::current_exception();  // after the pieces: see decode_dlt_stream_blocks
      fault_is_error_ = true;
      fault_is_cut_ = e.cut();
      return false;
    } catch (...) {
      fault_ = std::current_exception();  // a stop (util::Stopped), std::bad_alloc
      return false;
    }
    return true;
  }

  // Finds the stop of the piece that begins at base_ and reads its lookahead; false if
  // there is no such piece (the stream ended at base_, or a read threw first).
  bool form() {
    const std::uint64_t nominal = (base_ / block_ + 1) * block_;
    std::uint64_t scan = nominal;  // candidates before it are judged (none verified)
    std::uint64_t want = nominal + kDecide;
    std::uint64_t stop = 0;
    bool cut = true;
    for (;;) {
      if (!fill(want)) return false;
      const std::uint64_t end = held_end();
      if (end == base_) return false;  // the stream's end
      if (end <= scan) {               // the stream ends before the nominal cut
        stop = end;
        break;
      }
      // Judged as over the whole stream: a candidate with kDecide bytes after it, any at the end.
      const std::uint64_t found = base_ + dlt::next_verified_packet(tail(), scan - base_);
      if (ended_ || found + kDecide <= end) {
        stop = found;  // the end if there is none
        break;
      }
      scan = std::max(scan, end - kDecide);
      if (scan - nominal >= block_) {  // a block of garbage: bounded all the same
        stop = scan;
        cut = false;
        break;
      }
      want = end + kScanStep;
    }
    // The lookahead (held already but at the stream's end: a cut is taken, or forced, with
    // kDecide bytes after it).
    if (!fill(stop + kLookahead)) return false;
    stop_ = stop;
    stop_cut_ = cut;
    ++formed_;
    return true;
  }

  util::InputFile& stream_;
  const LineSpec& spec_;
  const std::atomic<bool>* interrupt_;
  const std::uint64_t block_;
  // Under the window's lock (the workers' exists and assign, the calling thread's exists):
  std::vector<std::uint8_t> held_;  // the stream's bytes from base_ in [0, held_size_)
  std::size_t held_size_ = 0;
  std::uint64_t base_ = 0;       // the start of the next piece to assign
  bool start_cut_ = true;        // whether base_ is a cut
  std::uint64_t stop_ = 0;       // the formed piece's stop (formed_ > assigned)
  bool stop_cut_ = true;         // whether it is a cut
  std::size_t formed_ = 0;       // pieces whose stop is known and bytes held
  bool ended_ = false;           // the stream's end was read
  std::exception_ptr fault_;     // what a read threw
  bool fault_is_error_ = false;  // it is a util::Error: the stream's fault
  bool fault_is_cut_ = false;    // that fault says the stream ends early
};

}  // namespace

std::optional<SkipTally::Foreign> decode_dlt_stream_blocks(
    util::InputFile& stream, const LineSpec& spec, const ParallelOptions& options,
    const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit) {
  StreamPieces pieces(stream, spec, options.block_bytes, options.interrupt);
  const unsigned threads = options.threads ? options.threads : 1;
  SpeculativeWindow<StreamPieces> window(pieces, threads, 2 * static_cast<std::size_t>(threads));

  // The framer of everything so far, and the offset it reached.
  std::unique_ptr<dlt::Framer> framer;
  std::unique_ptr<SkipTally> tally;
  std::optional<SkipTally::Foreign> foreign;
  std::uint64_t end = 0;
  util::TextBuffer serial_text(util::TextBuffer::kLineBytes);
  window.in_order([&](std::size_t k, StreamPieces::Piece& p) {
    if (k == 0 || (p.start_cut && end == p.start)) {
      // The framer before it stopped at its start: the piece's lines are the stream's.
      emit(p.text.view(), p.lines, p.end);
      SkipTally::Foreign::add(foreign, p.foreign);
      if (p.interrupted) throw util::Stopped();
      framer = std::move(p.framer);
      tally = std::move(p.tally);
      end = p.end;
      return true;
    }
    // A packet straddled the cut, or the start is no cut: the framer before it decodes on,
    // serially, to the piece's stop (reading the piece's bytes: released after).
    serial_text.clear();
    const std::uint64_t lines = pieces.decode_on(*framer, *tally, p, end, serial_text, end);
    emit(serial_text.view(), lines, end);
    SkipTally::Foreign::add(foreign, tally->take_foreign());
    if (framer->interrupted()) throw util::Stopped();
    return true;
  });
  window.stop();  // the reading state is this thread's now
  const std::exception_ptr fault = pieces.fault();
  if (!fault) return foreign;
  // The bytes after the last piece, up to the fault, as one framer fed them; then, for a
  // fault of the stream (not a stop, nor a cut), the end of the input's rules, as the
  // serial walk.
  const std::uint64_t tail_start = pieces.tail_start();
  const std::span<const std::uint8_t> tail = pieces.tail();
  if (!framer) {
    framer = std::make_unique<dlt::Framer>(dlt::StreamFormat::File, tail_start);
    framer->set_interrupt_flag(options.interrupt);
    end = tail_start;
  }
  // A stream that ends early keeps only its whole messages (the partial packet and the
  // skip open at the cut are dropped), as the serial walk does.
  const bool ends_input = pieces.fault_ends_input() && !pieces.fault_is_cut();
  if (end < tail_start + tail.size() || ends_input) {
    serial_text.clear();
    LineChain chain(spec, serial_text);
    chain.attach(*framer);
    if (end < tail_start + tail.size())
      framer->feed(tail.subspan(static_cast<std::size_t>(end - tail_start)), chain.head());
    if (ends_input) framer->finish(chain.head());
    framer->set_payload_gate(nullptr);
    emit(serial_text.view(), chain.lines(), tail_start + tail.size());
    if (framer->interrupted()) throw util::Stopped();
  }
  std::rethrow_exception(fault);
}

}  // namespace dltdump::app
