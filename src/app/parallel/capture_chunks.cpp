#include "app/parallel/capture_chunks.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "pcap/replay.hpp"
#include "app/parallel/capture_flows.hpp"
#include "dissect/flow_table.hpp"
#include "util/error.hpp"

namespace dltdump::app {

namespace {

using Emit = std::function<void(std::string_view, std::uint64_t, std::uint64_t)>;

// One chunk [start, stop) of the file, decoded as if the capture began at `start`.
struct Chunk {
  std::uint64_t start = 0, stop = 0;
  std::shared_ptr<const pcap::CaptureReader> assumed;  // the reader state it was read in
  std::unique_ptr<pcap::CaptureReader> reader;         // kept: they may go on serially
  std::unique_ptr<LineChain> chain;
  std::unique_ptr<dissect::CaptureDecoder> decoder;
  util::TextBuffer text{1 << 16};
  std::uint64_t lines = 0;
  std::exception_ptr error;  // what stopped the chunk early (a malformed capture)
  bool ready = false;
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

class ChunkedCaptureDecoder {
 public:
  ChunkedCaptureDecoder(const pcap::CaptureReader& fresh, std::shared_ptr<const pcap::CaptureReader> head,
                        const dissect::CaptureDecoder::Options& options, const LineSpec& spec,
                        const ChunkedCaptureOptions& chunked, const Emit& emit)
      : options_(options),
        spec_(spec),
        chunked_(chunked),
        emit_(emit),
        fresh_(fresh.fork(fresh.offset())),
        prototype_(std::move(head)),
        file_size_(fresh.mapped_size()),
        threads_(std::max(1u, chunked.threads)),
        window_(2 * threads_),
        slots_(window_),
        serial_chain_(spec, serial_text_) {
    options_.payload_text = true;  // the chains make text lines
    cuts_.push_back(fresh.offset());
    for (std::size_t t = 0; t < threads_; ++t) pool_.emplace_back([this] { work(); });
  }
  ~ChunkedCaptureDecoder() {
    shut_down();
    if (chunked_.stats) *chunked_.stats = stats_;
  }

  // Checks and passes on the chunks in order (see the header); `report` as there.
  void run(dissect::CaptureReport& report) {
    for (std::size_t k = 0; chunk_exists(k); ++k) {
      Chunk& c = wait_ready(k);
      if (k > 0 && reader_->offset() >= c.stop) {  // a straddling block took it in whole
        release(c);
        continue;
      }
      // Chunk 0 starts the capture: it is right by construction.
      const bool continues = k == 0 || (reader_->offset() == c.start && c.assumed->same_state(*reader_));
      if (k == 0) {
        take(c);
      } else if (continues && decoder_->idle() && fits(*c.decoder)) {
        ++stats_.guessed_right;
        if (!trusted_) {
          std::lock_guard lock(mu_);
          trusted_ = true;
        }
        take(c);
      } else if (continues || !decoder_->idle()) {
        // Straddled by a message or fragments, or too many flows: the rest goes to the
        // pipelined decoder, which takes over the flows as they are.
        release(c);
        hand_over(report);
        return;
      } else {
        const std::uint64_t stop = c.stop;  // a released slot is the workers' again
        release(c);
        ++stats_.redone;
        go_on(stop);  // c was read from a wrong place or state
      }
      if (error_) break;
      if (!prototype_->same_state(*reader_)) {
        std::lock_guard lock(mu_);
        prototype_ = reader_->fork(reader_->offset());  // later chunks are read in this state
      }
    }
    // The flush at the end, in the order of first appearance of the whole capture.
    decoder_->adopt(history_);
    start_serial_text();
    decoder_->finish();
    emit_serial_text();
    report = decoder_->report();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  // ---- workers ----

  void work() {
    for (;;) {
      Chunk* c;
      {
        std::unique_lock lock(mu_);
        // Until a chunk after the first proved a right guess, no more chunks than workers
        // are decoded ahead: a capture whose flows straddle the cuts wastes little.
        const std::size_t ahead = trusted_ ? window_ : threads_;
        cv_.wait(lock, [&] { return stop_ || !chunk_exists_locked(next_) || next_ < written_ + ahead; });
        if (stop_ || !chunk_exists_locked(next_)) return;
        const std::size_t k = next_++;
        c = &slots_[k % window_];
        c->start = cut_locked(k);
        c->stop = cut_locked(k + 1);
        c->assumed = k == 0 ? fresh_ : prototype_;
      }
      decode(*c);
      {
        std::lock_guard lock(mu_);
        c->ready = true;
      }
      cv_.notify_all();
    }
  }

  void decode(Chunk& c) {
    c.text.clear();
    c.chain = std::make_unique<LineChain>(spec_, c.text);
    dissect::CaptureDecoder::Options options = options_;
    options.payload_gate = c.chain->gate();
    c.reader = c.assumed->fork(c.start);
    c.reader->stop_at(c.stop);
    c.decoder = std::make_unique<dissect::CaptureDecoder>(options, c.chain->head());
    c.error = replay_caught(*c.reader, *c.decoder);
    c.lines = c.chain->lines();
  }

  // Chunk k starts at cuts_[k]; it exists while that is before the end of the file.
  std::uint64_t cut_locked(std::size_t k) {
    while (cuts_.size() <= k) {
      const std::uint64_t last = cuts_.back();
      cuts_.push_back(last >= file_size_ ? file_size_
                                         : prototype_->next_cut(std::max(cuts_.size() * chunked_.chunk_bytes, last + 1)));
    }
    return cuts_[k];
  }
  bool chunk_exists_locked(std::size_t k) { return cut_locked(k) < file_size_; }
  bool chunk_exists(std::size_t k) {
    std::lock_guard lock(mu_);
    return chunk_exists_locked(k);
  }

  Chunk& wait_ready(std::size_t k) {
    Chunk& c = slots_[k % window_];
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return c.ready; });
    return c;
  }
  void release(Chunk& c) {
    {
      std::lock_guard lock(mu_);
      c.ready = false;
      ++written_;
    }
    cv_.notify_all();
  }
  void shut_down() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : pool_) t.join();
    pool_.clear();
  }

  // ---- the decoder of everything so far ----

  // Whether the serial decoder holds all flows of the history and of `d` without evicting.
  bool fits(const dissect::CaptureDecoder& d) {
    if (d.stats().flows_evicted) return false;
    std::size_t added = 0;
    d.for_each_flow([&](const dissect::FlowKey& key, std::uint64_t) { added += history_index_.find(key) ? 0 : 1; });
    return history_.size() + added <= options_.max_flows;
  }

  // Chunk c was decoded right: its lines go out and its decoder becomes the decoder of
  // everything so far (its flows join the history, as fed after every earlier flow).
  void take(Chunk& c) {
    emit_(c.text.view(), c.lines, c.reader->offset());
    if (decoder_) c.decoder->absorb_stats(*decoder_);
    decoder_ = std::move(c.decoder);
    reader_ = std::move(c.reader);
    error_ = c.error;
    decoder_->redirect(serial_chain_.head(), serial_chain_.gate());
    std::vector<std::pair<std::uint64_t, dissect::FlowKey>> by_use;
    decoder_->for_each_flow([&](const dissect::FlowKey& key, std::uint64_t used) {
      if (!history_index_.find(key)) {
        history_index_.insert(key, history_.size());
        history_.push_back({key, 0});
      }
      by_use.push_back({used, key});
    });
    std::sort(by_use.begin(), by_use.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [used, key] : by_use) history_[*history_index_.find(key)].last_used = ++clock_;
    release(c);
  }

  // The decoder of everything so far decodes on, serially, up to `stop`.
  void go_on(std::uint64_t stop) {
    decoder_->adopt(history_);
    reader_->stop_at(stop);
    start_serial_text();
    error_ = replay_caught(*reader_, *decoder_);
    emit_serial_text();
    // It now holds exactly the flows of the serial decoder.
    history_.clear();
    history_index_.clear();
    decoder_->for_each_flow([&](const dissect::FlowKey& key, std::uint64_t used) {
      history_index_.insert(key, history_.size());
      history_.push_back({key, used});
      clock_ = std::max(clock_, used);
    });
  }

  void hand_over(dissect::CaptureReport& report) {
    stats_.handed_over = true;
    shut_down();
    decoder_->adopt(history_);
    reader_ = reader_->fork(reader_->offset(), true);  // from here on pages are released behind it
    dissect::CaptureDecoder::Options options = options_;
    options.stable_packets = true;
    resume_capture_parallel(
        *reader_, *decoder_, options, spec_, {chunked_.threads},
        [&](std::string_view text, std::uint64_t lines) { emit_(text, lines, 0); }, report);
  }

  void start_serial_text() {
    serial_text_.clear();
    serial_chain_.reset_lines();
  }
  void emit_serial_text() {
    if (serial_chain_.lines()) emit_(serial_text_.view(), serial_chain_.lines(), reader_->offset());
  }

  dissect::CaptureDecoder::Options options_;
  LineSpec spec_;
  ChunkedCaptureOptions chunked_;
  const Emit& emit_;

  // Shared with the workers (under mu_).
  std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const pcap::CaptureReader> fresh_;      // the state at the file's start
  std::shared_ptr<const pcap::CaptureReader> prototype_;  // the state later chunks are read in
  std::uint64_t file_size_;
  std::vector<std::uint64_t> cuts_;
  std::size_t threads_;            // workers
  std::size_t window_;             // chunks in flight
  std::vector<Chunk> slots_;
  std::size_t next_ = 0;           // next chunk to decode
  std::size_t written_ = 0;        // chunks the calling thread is done with
  bool stop_ = false;
  bool trusted_ = false;           // a chunk after the first was a right guess
  std::vector<std::thread> pool_;

  // The calling thread's: what decoded everything so far, and the flows the serial decoder
  // holds at that point, in order of first appearance, with their last use on one clock.
  std::unique_ptr<pcap::CaptureReader> reader_;
  std::unique_ptr<dissect::CaptureDecoder> decoder_;
  std::exception_ptr error_;
  std::vector<dissect::CaptureDecoder::FlowHistory> history_;
  dissect::FlowTable<std::size_t> history_index_;
  std::uint64_t clock_ = 0;
  ChunkedCaptureStats stats_;
  util::TextBuffer serial_text_{1 << 16};
  LineChain serial_chain_;
};

}  // namespace

void decode_capture_chunked(pcap::CaptureReader& reader, const dissect::CaptureDecoder::Options& options,
                            const LineSpec& lines, const ChunkedCaptureOptions& chunked, const Emit& emit,
                            dissect::CaptureReport& report) {
  // The state later chunks are guessed to be read in: the file's head read, up to its
  // first packet. A head that does not read is reported by the pipelined decoder.
  std::shared_ptr<pcap::CaptureReader> head = reader.fork(reader.offset());
  try {
    aio::Packet first;
    if (head->next(first) != pcap::CaptureReader::Next::packet) head.reset();
  } catch (const util::Error&) {
    head.reset();
  }
  if (!head) {
    dissect::CaptureDecoder::Options pipelined = options;
    pipelined.stable_packets = true;
    decode_capture_parallel(
        reader, pipelined, lines, {chunked.threads},
        [&](std::string_view text, std::uint64_t n) { emit(text, n, 0); }, report);
    return;
  }
  ChunkedCaptureDecoder decoder(reader, std::move(head), options, lines, chunked, emit);
  decoder.run(report);
}

}  // namespace dltdump::app
