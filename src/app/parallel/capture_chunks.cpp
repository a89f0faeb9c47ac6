#include "app/parallel/capture_chunks.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "app/parallel/capture_flows.hpp"
#include "app/parallel/speculative_window.hpp"
#include "dissect/capture_decoder_split.hpp"
#include "dissect/flow_table.hpp"
#include "pcap/capture_reader_split.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::app {

namespace {

using Emit = std::function<void(std::string_view, std::uint64_t, std::uint64_t)>;
using ReaderSplit = pcap::CaptureReaderSplit;
using DecoderSplit = dissect::CaptureDecoderSplit;

// One chunk [start, stop) of the file, decoded as if the capture began at `start`.
struct Chunk {
  std::uint64_t start = 0, stop = 0;
  bool lead_in = false;    // assigned with lead-ins on
  std::uint64_t lead = 0;  // where its lead-in begins (start: none, or none found)
  // The decoder's state at `start` when a lead-in took it there (else none: the chunk was
  // decoded as if the capture began at `start`).
  std::optional<DecoderSplit::CutState> cut_state;
  std::shared_ptr<const pcap::CaptureReader> assumed;  // the reader state it was read in
  std::unique_ptr<pcap::CaptureReader> reader;         // kept: they may go on serially
  std::unique_ptr<LineChain> chain;
  std::unique_ptr<dissect::CaptureDecoder> decoder;
  util::TextBuffer text{util::TextBuffer::kLineBytes};
  std::uint64_t lines = 0;
  std::exception_ptr error;  // what stopped the chunk early (a malformed capture)
};

// What a lead-in decodes goes nowhere: the decoder before the chunk delivered it.
class DiscardEvents final : public dlt::FramerSink {
 public:
  void on_message(const dlt::Message&) override {}
  void on_skip(const dlt::SkipRecord&) override {}
};

// Replays `reader` into `decoder` up to the reader's stop; returns what stopped it early
// (the capture's fault, or what decoding threw), for the calling thread to throw when it
// takes the chunk.
std::exception_ptr replay_caught(pcap::CaptureReader& reader, dissect::CaptureDecoder& decoder) {
  try {
    const pcap::ReplayOutcome replayed = pcap::replay(reader, decoder);
    return replayed.fault ? std::make_exception_ptr(*replayed.fault) : nullptr;
  } catch (...) {
    return std::current_exception();  // handed over to the calling thread
  }
}

// Whether `e` is a stop request (util::Stopped, thrown by the replay between batches).
bool is_stop(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const util::Stopped&) {
    return true;
  } catch (...) {
    return false;
  }
}

class ChunkedCaptureDecoder {
 public:
  ChunkedCaptureDecoder(const pcap::CaptureReader& fresh, std::shared_ptr<const pcap::CaptureReader> head,
                        const dissect::CaptureDecoder::Options& options, const LineSpec& spec,
                        const ChunkedCaptureOptions& chunked, const Emit& emit)
      : options_(options), spec_(spec), chunked_(chunked), emit_(emit),
        fresh_(ReaderSplit::fork(fresh, ReaderSplit::offset(fresh))), prototype_(std::move(head)),
        file_size_(ReaderSplit::mapped_size(fresh)), serial_chain_(spec, serial_text_) {
    options_.payload_text = spec.payload_text();  // as the chains need it
    cuts_.push_back(ReaderSplit::offset(fresh));
  }
  ~ChunkedCaptureDecoder() {
    if (chunked_.stats) *chunked_.stats = stats_;
  }

  // Checks and passes on the chunks in order (see the header); `report` as there.
  void run(dissect::CaptureReport& report) {
    const unsigned threads = std::max(1u, chunked_.threads);
    // Until a chunk after the first proved a right guess, no more chunks than workers are
    // decoded ahead: a capture whose flows straddle the cuts wastes little.
    SpeculativeWindow<ChunkedCaptureDecoder> window(*this, threads, threads);
    bool handed_over = false;
    window.in_order([&](std::size_t k, Chunk& c) {
      if (k > 0 && ReaderSplit::offset(*reader_) >= c.stop) return true;  // a straddling block took it in whole
      // A chunk that does not end before a cut may hold lines of zeros read past it: what
      // lies before the cut is decoded serially instead (stop_at_cut).
      if ((cut_ = shrunk()) && c.stop > *cut_) return false;
      // Chunk 0 starts the capture: it is right by construction.
      const bool continues =
          k == 0 || (ReaderSplit::offset(*reader_) == c.start && ReaderSplit::same_state(*c.assumed, *reader_));
      const bool idle = k > 0 && DecoderSplit::idle(*decoder_);
      // Where the decoder before stands at the chunk's start: idle, or as the lead-in left
      // the chunk's decoder there.
      const bool stands = c.cut_state ? DecoderSplit::continues_at(*decoder_, *c.cut_state, history_, *c.decoder)
                                      : idle && DecoderSplit::fragments_continued_by(*decoder_, *c.decoder);
      const bool tcp_joins = stands && DecoderSplit::tcp_continued_by(*decoder_, *c.decoder);
      const bool flows_join = stands && flows_continued_by(*c.decoder);
      if (k == 0) {
        take(c, window, k);
      } else if (continues && tcp_joins && flows_join && fits(*c.decoder)) {
        ++stats_.guessed_right;
        misses_ = 0;
        if (!trusted_) {
          trusted_ = true;
          window.widen();
        }
        take(c, window, k);
      } else if (continues && (!lead_in_ || !c.lead_in || misses_ < kMisses)) {
        // A message or segment straddles the cut, or a TCP stream held segments there, or
        // a flow under way at the cut began the chunk with a packet its confirmation held
        // back (a message cut at the segment's end after it) or refused: this chunk is
        // decoded again on, and the chunks from now on begin with a lead-in, which mostly
        // reaches their start as the decoder before does. A chunk whose lead-in did not
        // (fragments open at the cut, a segment held) is decoded again too; kMisses of
        // them in a row, and the rest goes to the pipelined decoder.
        if (!lead_in_) window.locked([&] { lead_in_ = true; });
        else if (c.lead_in) ++misses_;
        const std::uint64_t stop = c.stop;
        window.release(k);
        ++stats_.redone;
        go_on(stop);
      } else if (continues || !idle) {
        // Lead-ins that did not reach the decoder before kMisses times in a row, or a chunk
        // read from a wrong place while a message straddles its start: the rest goes to
        // the pipelined decoder, which takes over the flows as they are.
        window.release(k);
        window.stop();  // its workers need the cores
        hand_over(report);
        handed_over = true;
        return false;
      } else {
        const std::uint64_t stop = c.stop;  // a released slot is the workers' again
        window.release(k);
        ++stats_.redone;
        go_on(stop);  // c was read from a wrong place or state
      }
      if (error_) return false;
      // A stretch decoded serially (go_on) that read past a cut made meanwhile ended there
      // as on one thread (its lines went out): no chunk is taken after it.
      if ((cut_ = shrunk()) && ReaderSplit::offset(*reader_) > *cut_) return false;
      if (!ReaderSplit::same_state(*prototype_, *reader_)) {
        // Later chunks are read in this state.
        window.locked([&] { prototype_ = ReaderSplit::fork(*reader_, ReaderSplit::offset(*reader_)); });
      }
      return true;
    });
    if (handed_over) return;
    // A stop: the lines of the chunks before it, and of the chunk it stopped up to the
    // batch it stopped before, went out; the open flows are not ended (no end-of-stream
    // skips), as on one thread.
    if (error_ && is_stop(error_)) std::rethrow_exception(error_);
    // A cut found now (also after the last chunk: the serial decoder checks before its
    // flush too) ends the capture there, its flows not flushed.
    if (cut_ || (cut_ = shrunk())) {
      window.stop();  // the chunks decoded ahead are not needed
      stop_at_cut(*cut_);
    }
    // The flush at the end, in the order of first appearance of the whole capture.
    DecoderSplit::adopt(*decoder_, history_);
    start_serial_text();
    decoder_->finish();
    emit_serial_text();
    report = decoder_->report();
    if (error_) std::rethrow_exception(error_);
  }

  // ---- the chunks, for the window's workers (app/parallel/speculative_window.hpp) ----

  using Piece = Chunk;
  // Chunk k starts at cuts_[k]; it exists while that is before the end of the file.
  bool exists(std::size_t k) { return cut(k) < file_size_; }
  void assign(std::size_t k, Chunk& c) {
    c.start = cut(k);
    c.stop = cut(k + 1);
    c.assumed = k == 0 ? fresh_ : prototype_;
    c.lead = c.start;
    c.lead_in = k > 0 && lead_in_;
    if (c.lead_in) {
      const std::uint64_t lead = std::min(chunked_.lead_in_bytes, chunk_bytes());
      const std::uint64_t from = c.start - std::min(lead, c.start - cuts_[0]);
      if (from < c.start) c.lead = std::min(c.start, ReaderSplit::next_cut(*prototype_, from));
    }
  }
  void decode(Chunk& c) {
    c.text.clear();
    c.chain = std::make_unique<LineChain>(spec_, c.text);
    c.cut_state.reset();
    if (c.lead < c.start) decode_lead_in(c);
    if (!c.cut_state) {
      dissect::CaptureDecoder::Options options = options_;
      options.payload_gate = c.chain->gate();
      c.reader = ReaderSplit::fork(*c.assumed, c.start);
      c.decoder = std::make_unique<dissect::CaptureDecoder>(options, c.chain->head());
    }
    ReaderSplit::stop_at(*c.reader, c.stop);
    c.error = replay_caught(*c.reader, *c.decoder);
    c.lines = c.chain->lines();
  }

 private:
  // How far apart the cuts are made from now on (read under the window's lock).
  std::uint64_t chunk_bytes() const {
    return lead_in_ ? std::max(chunked_.chunk_bytes, chunked_.lead_in_chunk_bytes) : chunked_.chunk_bytes;
  }
  std::uint64_t cut(std::size_t k) {
    while (cuts_.size() <= k) {
      const std::uint64_t last = cuts_.back();
      cuts_.push_back(last >= file_size_ ? file_size_ : ReaderSplit::next_cut(*prototype_, last + chunk_bytes()));
    }
    return cuts_[k];
  }

  // Decodes c's lead-in (without payload text, its events discarded) and, if it reached
  // the chunk's start in the state the chunk is assumed to be read in, leaves the reader
  // and the decoder there (c.cut_state); otherwise nothing is kept.
  void decode_lead_in(Chunk& c) {
    dissect::CaptureDecoder::Options options = options_;
    options.payload_text = false;
    options.payload_gate = nullptr;
    options.sync_on_chains = true;
    c.reader = ReaderSplit::fork(*c.assumed, c.lead);
    ReaderSplit::stop_at(*c.reader, c.start);
    c.decoder = std::make_unique<dissect::CaptureDecoder>(options, discard_);
    if (replay_caught(*c.reader, *c.decoder) || ReaderSplit::offset(*c.reader) != c.start ||
        !ReaderSplit::same_state(*c.assumed, *c.reader))
      return;
    c.cut_state = DecoderSplit::cut_here(*c.decoder, c.chain->head(), c.chain->gate(), options_.payload_text);
  }

  // ---- the decoder of everything so far ----

  // The file's size if it was cut (ChunkedCaptureOptions::shrunk).
  std::optional<std::uint64_t> shrunk() const { return chunked_.shrunk ? chunked_.shrunk() : std::nullopt; }

  // The file was cut at `size` (the window stopped): the decoder of everything taken so far
  // (a new one at the capture's start if no chunk was) decodes serially the packets that
  // begin before the cut, unless it already stopped (a fault: the zeros past the cut), and
  // CaptureCut is thrown — as the serial decoder stops, without flushing the flows.
  [[noreturn]] void stop_at_cut(std::uint64_t size) {
    if (!decoder_) {
      reader_ = ReaderSplit::fork(*fresh_, ReaderSplit::offset(*fresh_));
      dissect::CaptureDecoder::Options options = options_;
      options.payload_gate = serial_chain_.gate();
      decoder_ = std::make_unique<dissect::CaptureDecoder>(options, serial_chain_.head());
    }
    if (!error_ && ReaderSplit::offset(*reader_) < size) go_on(size);
    if (error_ && is_stop(error_)) std::rethrow_exception(error_);
    throw CaptureCut{size};
  }

  // Whether the serial decoder holds all flows of the history and of `d` without evicting.
  bool fits(const dissect::CaptureDecoder& d) {
    if (d.stats().flows_evicted) return false;
    std::size_t added = 0;
    DecoderSplit::for_each_flow(
        d, [&](const dissect::CaptureFlow& flow) { added += history_index_.find(flow.key()) ? 0 : 1; });
    return history_.size() + added <= options_.max_flows;
  }

  // Whether every flow of `d` (a chunk's decoder, whose flows began as new ones: at a
  // stream start, their first packet confirmed) decoded as the serial decoder's flow does,
  // which the history may hold under way (its first packet taken as it is): it does unless
  // that confirmation decided otherwise (CaptureFlow::began_as_continuation). With the
  // decoder so far idle, a flow that is not under way there goes on as a new one.
  bool flows_continued_by(const dissect::CaptureDecoder& d) {
    bool same = true;
    DecoderSplit::for_each_flow(d, [&](const dissect::CaptureFlow& flow) {
      const std::size_t* at = history_index_.find(flow.key());
      if (at && history_[*at].mid_stream && !flow.began_as_continuation()) same = false;
    });
    return same;
  }

  // Chunk k (c) was decoded right: its lines go out and its decoder becomes the decoder of
  // everything so far (its flows join the history, as fed after every earlier flow).
  void take(Chunk& c, SpeculativeWindow<ChunkedCaptureDecoder>& window, std::size_t k) {
    emit_(c.text.view(), c.lines, ReaderSplit::offset(*c.reader));
    if (decoder_ && c.cut_state) DecoderSplit::drop_finished_fragments(*c.decoder, *c.cut_state, *decoder_);
    if (decoder_) DecoderSplit::absorb(*c.decoder, std::move(*decoder_));
    decoder_ = std::move(c.decoder);
    reader_ = std::move(c.reader);
    error_ = c.error;
    DecoderSplit::redirect(*decoder_, serial_chain_.head(), serial_chain_.gate());
    // A flow under way before the chunk whose first packet in it is not complete yet has
    // decided nothing: it goes on as the flow under way.
    DecoderSplit::continue_under_way(*decoder_, [&](const dissect::FlowKey& key) {
      const std::size_t* at = history_index_.find(key);
      return at && history_[*at].mid_stream;
    });
    // Flows used since the chunk's start come after every earlier use, in their order; one
    // its lead-in used and nothing since keeps its last use in the history (the lead-in
    // saw what the decoder before saw, perhaps not all of it).
    const std::uint64_t since = c.cut_state ? c.cut_state->flow_clock : 0;
    std::vector<std::pair<std::uint64_t, dissect::FlowKey>> by_use;
    DecoderSplit::for_each_flow(*decoder_, [&](const dissect::CaptureFlow& flow) {
      const dissect::FlowKey& key = flow.key();
      const std::size_t* at = history_index_.find(key);
      if (!at) {
        history_index_.insert(key, history_.size());
        history_.push_back({key, 0});
        at = history_index_.find(key);
      }
      history_[*at].mid_stream = flow.mid_stream();
      if (flow.last_used > since) by_use.push_back({flow.last_used, key});
    });
    std::sort(by_use.begin(), by_use.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [used, key] : by_use) history_[*history_index_.find(key)].last_used = ++clock_;
    window.release(k);
  }

  // The decoder of everything so far decodes on, serially, up to `stop`.
  void go_on(std::uint64_t stop) {
    DecoderSplit::adopt(*decoder_, history_);
    ReaderSplit::stop_at(*reader_, stop);
    start_serial_text();
    error_ = replay_caught(*reader_, *decoder_);
    emit_serial_text();
    // It now holds exactly the flows of the serial decoder.
    history_.clear();
    history_index_.clear();
    DecoderSplit::for_each_flow(*decoder_, [&](const dissect::CaptureFlow& flow) {
      history_index_.insert(flow.key(), history_.size());
      history_.push_back({flow.key(), flow.last_used, flow.mid_stream()});
      clock_ = std::max(clock_, flow.last_used);
    });
  }

  // Only once the window's workers are stopped.
  void hand_over(dissect::CaptureReport& report) {
    stats_.handed_over = true;
    DecoderSplit::adopt(*decoder_, history_);
    // From here on pages are released behind it.
    reader_ = ReaderSplit::fork(*reader_, ReaderSplit::offset(*reader_), true);
    dissect::CaptureDecoder::Options options = options_;
    options.stable_packets = true;
    ParallelCaptureOptions parallel{chunked_.threads};
    parallel.shrunk = chunked_.shrunk;
    resume_capture_flows(
        *reader_, *decoder_, options, spec_, parallel,
        [&](std::string_view text, std::uint64_t lines) { emit_(text, lines, 0); }, report);
  }

  void start_serial_text() {
    serial_text_.clear();
    serial_chain_.reset_lines();
  }
  void emit_serial_text() {
    if (serial_chain_.lines()) emit_(serial_text_.view(), serial_chain_.lines(), ReaderSplit::offset(*reader_));
  }

  dissect::CaptureDecoder::Options options_;
  LineSpec spec_;
  ChunkedCaptureOptions chunked_;
  const Emit& emit_;

  // Read by the workers, under the window's lock.
  std::shared_ptr<const pcap::CaptureReader> fresh_;      // the state at the file's start
  std::shared_ptr<const pcap::CaptureReader> prototype_;  // the state later chunks are read in
  std::uint64_t file_size_;
  std::vector<std::uint64_t> cuts_;
  bool lead_in_ = false;  // chunks after the first begin with a lead-in
  DiscardEvents discard_;

  // The calling thread's: what decoded everything so far, and the flows the serial decoder
  // holds at that point, in order of first appearance, with their last use on one clock.
  std::unique_ptr<pcap::CaptureReader> reader_;
  std::unique_ptr<dissect::CaptureDecoder> decoder_;
  std::exception_ptr error_;
  std::vector<DecoderSplit::FlowHistory> history_;
  dissect::FlowTable<std::size_t> history_index_;
  std::uint64_t clock_ = 0;
  bool trusted_ = false;              // a chunk after the first was a right guess
  std::optional<std::uint64_t> cut_;  // the file's size once it was found cut
  // Chunks with a lead-in redone in a row: after kMisses the rest goes to the pipelined
  // decoder.
  static constexpr unsigned kMisses = 3;
  unsigned misses_ = 0;
  ChunkedCaptureStats stats_;
  util::TextBuffer serial_text_{util::TextBuffer::kLineBytes};
  LineChain serial_chain_;
};

}  // namespace

void decode_capture_chunks(pcap::CaptureReader& reader, const dissect::CaptureDecoder::Options& options,
                           const LineSpec& lines, const ChunkedCaptureOptions& chunked, const Emit& emit,
                           dissect::CaptureReport& report) {
  // The state later chunks are guessed to be read in: the file's head read, up to its
  // first packet. A head that does not read is reported by the pipelined decoder.
  std::shared_ptr<pcap::CaptureReader> head = ReaderSplit::fork(reader, ReaderSplit::offset(reader));
  try {
    aio::Packet first;
    if (head->next(first) != pcap::CaptureReader::Next::Packet) head.reset();
  } catch (const util::Error&) {
    head.reset();
  }
  if (!head) {
    dissect::CaptureDecoder::Options pipelined = options;
    pipelined.stable_packets = true;
    ParallelCaptureOptions parallel{chunked.threads};
    parallel.shrunk = chunked.shrunk;
    decode_capture_flows(
        reader, pipelined, lines, parallel, [&](std::string_view text, std::uint64_t n) { emit(text, n, 0); }, report);
    return;
  }
  ChunkedCaptureDecoder decoder(reader, std::move(head), options, lines, chunked, emit);
  decoder.run(report);
}

}  // namespace dltdump::app
