#include "app/parallel/capture_flows.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <semaphore>
#include <thread>
#include <utility>
#include <vector>

#include "dissect/capture_decoder_split.hpp"
#include "dissect/flow_table.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::app {

namespace {

// The largest datagram a batch may have to copy (a reassembled one), so that the copy
// buffer reserved up front is never reallocated under the views into it.
constexpr std::size_t kMaxDatagram = 64u << 10;

// One batch of dissected datagrams, in capture order.
struct Batch {
  struct Datagram {
    std::uint32_t flow;
    bool end_flow;  // the flow limit ends this flow here (no bytes)
    std::uint32_t first_piece, pieces;
    std::int64_t time_ns;
    bool stream_break = false;  // the flow's stream breaks here (no bytes): CaptureFlow::break_stream
    std::uint64_t missing = 0, break_offset = 0;
  };
  struct Piece {
    const std::uint8_t* data;  // in the mapped capture, or in `bytes`
    std::size_t length;
    std::uint64_t offset;  // file offset
  };
  // Where a datagram's lines are: text [begin, end) of a worker's output slot.
  struct Mark {
    unsigned worker;
    std::size_t begin, end;
    std::uint64_t lines;
  };
  std::vector<std::uint8_t> bytes;  // copies of datagrams that are not stable
  std::vector<Datagram> datagrams;
  std::vector<Piece> pieces;
  std::size_t payload = 0;  // datagram bytes, stable or copied
  // Set at launch: the batch's flows, largest first, each with its datagrams (indices into
  // `datagrams`, in order: flow_datagrams[flow_first[k], flow_first[k + 1])); workers claim
  // them one by one (`next_flow`), so a worker that is done early takes more.
  std::vector<std::uint32_t> flow_order, flow_first, flow_datagrams;
  std::atomic<std::size_t> next_flow{0};
  std::vector<dissect::CaptureFlow*> flows;  // the flow table as the batch sees it
  // By place in flow_datagrams (so that each worker writes a range of its own), set by the
  // workers; place[i] is datagram i's place.
  std::vector<Mark> marks;
  std::vector<std::uint32_t> place;
  unsigned slot = 0;  // which output slot of the workers holds its lines

  void clear() {
    bytes.clear();
    datagrams.clear();
    pieces.clear();
    payload = 0;
  }
};

// A worker thread: it decodes the flows it claims from a batch into one of two output
// slots, so that the lines of one batch can be merged while the next is decoded.
class Worker {
 public:
  Worker(const LineSpec& spec, unsigned me)
      : me_(me), slots_{Slot(spec), Slot(spec)}, payload_text_ptr_(spec.payload_text() ? &payload_text_ : nullptr) {
    thread_ = std::thread([this] { loop(); });
  }
  ~Worker() {
    stop_ = true;
    go_.release();
    thread_.join();
  }

  struct Slot {
    explicit Slot(const LineSpec& spec) : chain(spec, text) {}
    util::TextBuffer text{util::TextBuffer::kBlockBytes};
    LineChain chain;
  };
  const Slot& slot(unsigned s) const { return slots_[s]; }
  dlt::FramerSink& placeholder_sink() { return slots_[0].chain.head(); }

  // Starts decoding flows of `batch` until none is left to claim.
  void start(Batch& batch) {
    batch_ = &batch;
    go_.release();
  }
  // Waits until the worker is done with the batch; rethrows what decoding threw.
  void wait() {
    done_.acquire();
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
  }

 private:
  void loop() {
    for (;;) {
      go_.acquire();
      if (stop_) return;
      try {
        run(*batch_);
      } catch (...) {
        failure_ = std::current_exception();
        batch_->next_flow = batch_->flow_order.size();  // the others stop too
      }
      done_.release();
    }
  }

  void run(Batch& batch) {
    Slot& out = slots_[batch.slot];
    out.text.clear();
    for (;;) {
      const std::size_t k = batch.next_flow.fetch_add(1, std::memory_order_relaxed);
      if (k >= batch.flow_order.size()) return;
      dissect::CaptureFlow& flow = *batch.flows[batch.flow_order[k]];
      flow.redirect(out.chain.head(), payload_text_ptr_, out.chain.gate());
      for (std::uint32_t i = batch.flow_first[k]; i < batch.flow_first[k + 1]; ++i) {
        const std::uint32_t at = batch.flow_datagrams[i];
        const Batch::Datagram& d = batch.datagrams[at];
        const std::size_t begin = out.text.size();
        const std::uint64_t lines = out.chain.lines();
        if (d.end_flow) {
          flow.finish();
        } else if (d.stream_break) {
          flow.break_stream(d.missing, d.break_offset, d.time_ns);
        } else {
          for (std::uint32_t j = 0; j < d.pieces; ++j) {
            const auto& p = batch.pieces[d.first_piece + j];
            flow.feed({p.data, p.length}, p.offset, d.time_ns);
          }
        }
        batch.marks[i] = {me_, begin, out.text.size(), out.chain.lines() - lines};
      }
    }
  }

  unsigned me_;
  Slot slots_[2];
  util::TextBuffer payload_text_{util::TextBuffer::kLineBytes};  // shared by the flows this worker decodes
  util::TextBuffer* payload_text_ptr_;                           // null: the lines need no payload text
  Batch* batch_ = nullptr;
  bool stop_ = false;
  std::exception_ptr failure_;
  std::binary_semaphore go_{0}, done_{0};
  std::thread thread_;
};

class ParallelCaptureDecoder final : public dissect::DatagramSink {
 public:
  ParallelCaptureDecoder(const dissect::CaptureDecoder::Options& options, const LineSpec& spec,
                         const ParallelCaptureOptions& parallel,
                         const std::function<void(std::string_view, std::uint64_t)>& emit)
      : options_(options), spec_(spec), parallel_(parallel), emit_(emit) {
    for (unsigned i = 0; i < std::max(1u, parallel.threads); ++i) workers_.push_back(std::make_unique<Worker>(spec, i));
    for (Batch& b : batches_) b.bytes.reserve(parallel.batch_bytes + kMaxDatagram);
  }
  ~ParallelCaptureDecoder() override {
    if (parallel_.flow_numbers) *parallel_.flow_numbers = flows_.size();
    if (running_) {
      try {
        join();
      } catch (...) {  // already failing: the first error is the one reported
      }
    }
  }

  void on_datagram(const dissect::FlowKey& key, std::span<const dissect::DatagramPiece> pieces, std::int64_t time_ns,
                   bool stable) override {
    std::size_t size = 0;
    for (const auto& p : pieces) size += p.bytes.size();
    if (!stable && filling().bytes.size() + size > filling().bytes.capacity()) launch();
    Batch& b = filling();
    const std::uint32_t flow = flow_of(key, b);
    last_used_[flow] = ++clock_;
    const auto first = static_cast<std::uint32_t>(b.pieces.size());
    for (const auto& p : pieces) {
      const std::uint8_t* data = p.bytes.data();
      if (!stable) {
        data = b.bytes.data() + b.bytes.size();
        b.bytes.insert(b.bytes.end(), p.bytes.begin(), p.bytes.end());
      }
      // Filled in place: a temporary would be stored in small pieces and copied with wide
      // loads, which wait for those stores.
      Batch::Piece& piece = b.pieces.emplace_back();
      piece.data = data;
      piece.length = p.bytes.size();
      piece.offset = p.offset;
    }
    b.payload += size;
    Batch::Datagram& d = b.datagrams.emplace_back();
    d.flow = flow;
    d.end_flow = false;
    d.first_piece = first;
    d.pieces = static_cast<std::uint32_t>(pieces.size());
    d.time_ns = time_ns;
    if (b.payload >= parallel_.batch_bytes) launch();
  }

  void on_break(const dissect::FlowKey& key, std::uint64_t missing, std::uint64_t offset,
                std::int64_t time_ns) override {
    Batch& b = filling();
    if (!missing && !index_.find(key)) return;
    const std::uint32_t flow = flow_of(key, b);
    if (missing) last_used_[flow] = ++clock_;  // an end of stream is no use (as CaptureDecoder::break_flow)
    Batch::Datagram& d = b.datagrams.emplace_back();
    d.flow = flow;
    d.end_flow = false;
    d.first_piece = d.pieces = 0;
    d.time_ns = time_ns;
    d.stream_break = true;
    d.missing = missing;
    d.break_offset = offset;
  }

  // Decodes what is batched, then ends every open flow in order of first appearance.
  void finish() {
    launch();
    if (running_) merge(join());
    stop_if_cut();
    util::TextBuffer text(util::TextBuffer::kLineBytes), payload_text(util::TextBuffer::kLineBytes);
    LineChain chain(spec_, text);
    std::vector<std::uint32_t> open;
    for (std::uint32_t id = 0; id < flows_.size(); ++id)
      if (open_[id]) open.push_back(id);
    std::sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) { return appeared_[a] < appeared_[b]; });
    for (const std::uint32_t id : open) {
      flows_[id]->redirect(chain.head(), &payload_text, chain.gate());
      flows_[id]->finish();
      open_[id] = false;
    }
    if (chain.lines()) emit_(text.view(), chain.lines());
  }

  // In a file cut meanwhile: passes on the lines of what is batched before the cut, then
  // throws CaptureCut. A cut capture ends there, as on one thread: no reassembly or flow is
  // ended as if the capture ended at the cut.
  void stop_if_cut() {
    const std::optional<std::uint64_t> cut = shrunk();
    if (!cut) return;
    launch();
    if (running_) merge(join());
    throw CaptureCut{*cut};
  }

  std::uint64_t flows_ended() const noexcept { return flows_ended_; }

  // Waits for the batch the workers decode, if any, and passes its lines on (a stop:
  // nothing more is batched, no flow is ended).
  void drain() {
    if (running_) merge(join());
  }

  // The input would wait: what is batched is decoded and passed on now (a smaller batch;
  // the lines are the same).
  void idle() {
    launch();
    drain();
  }

  // Takes over flows another decoder held (in order of first appearance, with last_used
  // on the same clock as its datagrams): they go on as if they had been fed here.
  void adopt(std::vector<std::unique_ptr<dissect::CaptureFlow>> flows) {
    for (auto& flow : flows) {
      const std::uint64_t used = flow->last_used;
      const std::uint32_t id = add_flow(std::move(flow));
      last_used_[id] = used;
      clock_ = std::max(clock_, used);
    }
  }

 private:
  Batch& filling() { return batches_[filling_]; }

  // The number of the flow of `key`, made (batch `b` may end the least recent one) if new.
  std::uint32_t flow_of(const dissect::FlowKey& key, Batch& b) {
    if (const std::uint32_t* found = index_.find(key)) return *found;
    if (index_.size() >= options_.max_flows) end_least_recent(b);
    // Created here; decoded only by the worker that claims it in a batch (never by two at once).
    return add_flow(std::make_unique<dissect::CaptureFlow>(key, workers_[0]->placeholder_sink(), nullptr, nullptr,
                                                           options_.catalogue));
  }

  // Opens `flow` under a free number (one its ended flow's batch gave back) or a new one:
  // the numbers stay within the flow limit and the flows ended but not yet freed, however
  // many flows a capture makes and ends (a new user's capture of 6000 connections, one
  // made and one ended per segment, grew every per-number table and each batch's work).
  std::uint32_t add_flow(std::unique_ptr<dissect::CaptureFlow> flow) {
    std::uint32_t id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(flows_.size());
      flows_.emplace_back();
      open_.push_back(false);
      last_used_.push_back(0);
      appeared_.push_back(0);
    }
    index_.insert(flow->key(), id);
    flows_[id] = std::move(flow);
    open_[id] = true;
    last_used_[id] = 0;
    appeared_[id] = ++appearances_;
    return id;
  }

  void end_least_recent(Batch& b) {
    std::uint32_t oldest = 0;
    std::uint64_t oldest_use = UINT64_MAX;
    index_.for_each([&](const dissect::FlowKey&, std::uint32_t id) {
      if (last_used_[id] < oldest_use) oldest_use = last_used_[id], oldest = id;
    });
    index_.erase(flows_[oldest]->key());
    open_[oldest] = false;  // ended by its worker, at this place in the batch
    b.datagrams.push_back({oldest, true, 0, 0, 0, false, 0, 0});
    ++flows_ended_;
  }

  // Hands the filling batch to the workers as soon as they are done with the running one,
  // then merges the lines of that one while they work: dissecting the next batch and
  // merging the previous one both overlap decoding.
  void launch() {
    Batch* previous = running_ ? &join() : nullptr;
    Batch& b = filling();
    if (!b.datagrams.empty()) {
      b.slot = previous ? previous->slot ^ 1u : 0u;
      group_by_flow(b);
      b.flows.resize(flows_.size());
      for (std::size_t i = 0; i < flows_.size(); ++i) b.flows[i] = flows_[i].get();
      b.marks.resize(b.datagrams.size());
      for (auto& w : workers_) w->start(b);
      running_ = &b;
      filling_ = (filling_ + 1) % kBatches;
    }
    if (previous) merge(*previous);
  }

  // Lists the flows of `b`, largest first (bytes; that is what decoding costs; ties in
  // flow number: which worker takes which changes no line), each with its datagrams in order.
  void group_by_flow(Batch& b) {
    group_of_.assign(flows_.size(), UINT32_MAX);  // flow number -> index in groups_
    groups_.clear();
    for (const auto& d : b.datagrams) {
      std::uint32_t& g = group_of_[d.flow];
      if (g == UINT32_MAX) {
        g = static_cast<std::uint32_t>(groups_.size());
        groups_.push_back({d.flow, 0, 0});
      }
      groups_[g].datagrams += 1;
      groups_[g].bytes += 64;
      for (std::uint32_t j = 0; j < d.pieces; ++j) groups_[g].bytes += b.pieces[d.first_piece + j].length;
    }
    std::stable_sort(groups_.begin(), groups_.end(), [](const Group& x, const Group& y) { return x.bytes > y.bytes; });
    b.flow_order.resize(groups_.size());
    b.flow_first.resize(groups_.size() + 1);
    b.flow_first[0] = 0;
    for (std::uint32_t k = 0; k < groups_.size(); ++k) {
      b.flow_order[k] = groups_[k].flow;
      b.flow_first[k + 1] = b.flow_first[k] + groups_[k].datagrams;
      group_of_[groups_[k].flow] = k;
      groups_[k].datagrams = b.flow_first[k];  // from here on: the next free place
    }
    b.flow_datagrams.resize(b.datagrams.size());
    b.place.resize(b.datagrams.size());
    for (std::uint32_t i = 0; i < b.datagrams.size(); ++i) {
      const std::uint32_t at = groups_[group_of_[b.datagrams[i].flow]].datagrams++;
      b.flow_datagrams[at] = i;
      b.place[i] = at;
    }
    b.next_flow.store(0, std::memory_order_relaxed);
  }

  // Waits for the running batch; returns it (its lines are still to be merged).
  Batch& join() {
    Batch& b = *running_;
    running_ = nullptr;
    std::exception_ptr failure;
    for (auto& w : workers_) {
      try {
        w->wait();
      } catch (...) {
        if (!failure) failure = std::current_exception();
      }
    }
    if (failure) std::rethrow_exception(failure);
    return b;
  }

  std::optional<std::uint64_t> shrunk() const { return parallel_.shrunk ? parallel_.shrunk() : std::nullopt; }

  // Writes the lines of a decoded batch in datagram order; in a file cut meanwhile, those
  // of the datagrams before the first that does not end before the cut, then throws
  // CaptureCut (its bytes, and all that follows, may be zeros read past the cut).
  void merge(Batch& b) {
    merged_.clear();
    std::uint64_t lines = 0;
    const std::optional<std::uint64_t> cut = shrunk();
    for (std::size_t i = 0; i < b.datagrams.size(); ++i) {
      const Batch::Datagram& d = b.datagrams[i];
      if (cut && ends_past(b, d, *cut)) {
        b.clear();
        if (lines) emit_(merged_.view(), lines);
        throw CaptureCut{*cut};
      }
      if (d.end_flow) {  // its worker has ended it: the number is free for a later batch
        flows_[d.flow].reset();
        free_.push_back(d.flow);
      }
      const Batch::Mark& m = b.marks[b.place[i]];
      if (m.end > m.begin) {
        merged_.append(workers_[m.worker]->slot(b.slot).text.view().substr(m.begin, m.end - m.begin));
        lines += m.lines;
      }
    }
    b.clear();
    if (lines) emit_(merged_.view(), lines);
  }

  // Whether a byte of datagram `d` of `b` lies at or past file offset `cut`.
  static bool ends_past(const Batch& b, const Batch::Datagram& d, std::uint64_t cut) {
    for (std::uint32_t j = 0; j < d.pieces; ++j) {
      const Batch::Piece& p = b.pieces[d.first_piece + j];
      if (p.offset + p.length > cut) return true;
    }
    return false;
  }

  dissect::CaptureDecoder::Options options_;
  LineSpec spec_;
  ParallelCaptureOptions parallel_;
  const std::function<void(std::string_view, std::uint64_t)>& emit_;
  std::vector<std::unique_ptr<Worker>> workers_;
  dissect::FlowTable<std::uint32_t> index_;                   // open flows
  std::vector<std::unique_ptr<dissect::CaptureFlow>> flows_;  // by number (add_flow)
  std::vector<bool> open_;                                    // by flow number: not yet ended
  std::vector<std::uint64_t> last_used_;                      // by flow number
  std::vector<std::uint64_t> appeared_;                       // by flow number: its place in order of first appearance
  std::uint64_t appearances_ = 0;
  std::vector<std::uint32_t> free_;  // numbers of flows ended and freed
  std::uint64_t clock_ = 0, flows_ended_ = 0;
  // Filled in turn. Two would do (one filling, one decoding); more let the lines the workers
  // read leave their caches before the dissecting thread writes them again (measured faster).
  static constexpr unsigned kBatches = 4;
  Batch batches_[kBatches];
  unsigned filling_ = 0;
  Batch* running_ = nullptr;
  util::TextBuffer merged_{util::TextBuffer::kBlockBytes};
  // Scratch of group_by_flow().
  struct Group {
    std::uint32_t flow, datagrams;
    std::size_t bytes;
  };
  std::vector<Group> groups_;
  std::vector<std::uint32_t> group_of_;
};

}  // namespace

namespace {

// Replays the rest of `reader` through `dissector` into `decoder`; `report` as described
// in the header.
void run(pcap::CaptureReader& reader, dissect::CaptureDecoder& dissector, ParallelCaptureDecoder& decoder,
         dissect::CaptureReport& report) {
  pcap::ReplayOutcome replayed;
  try {
    replayed = pcap::replay(reader, dissector);  // what `emit` throws goes up
  } catch (const util::Stopped&) {
    // SIGINT/SIGTERM between two batches of packets: the batch the workers decode holds the
    // datagrams before the ones being batched, so its lines go out (a prefix of the
    // capture's); the batch being filled is dropped, and no flow is ended.
    decoder.drain();
    throw;
  }
  decoder.stop_if_cut();  // the zeros past a cut ended the replay (a fault): not the capture's end
  dissector.finish();
  decoder.finish();
  dissect::CaptureDecoderSplit::count_flows_ended(dissector, decoder.flows_ended());
  report = dissector.report();
  if (replayed.fault) throw *replayed.fault;  // a malformed capture, after what came before it
}

// Sets ParallelCaptureOptions::input's before-wait hook to `decoder`'s idle() for its
// lifetime (the hook refers to the decoder).
class IdleHook {
 public:
  IdleHook(const ParallelCaptureOptions& parallel, ParallelCaptureDecoder& decoder) : input_(parallel.input) {
    if (!input_) return;
    input_->set_before_wait([&decoder, idle = parallel.idle] {
      decoder.idle();
      if (idle) idle();
    });
  }
  ~IdleHook() {
    if (input_) input_->set_before_wait({});
  }
  IdleHook(const IdleHook&) = delete;
  IdleHook& operator=(const IdleHook&) = delete;

 private:
  util::InputFile* input_;
};

}  // namespace

void decode_capture_flows(pcap::CaptureReader& reader, const dissect::CaptureDecoder::Options& options,
                          const LineSpec& spec, const ParallelCaptureOptions& parallel,
                          const std::function<void(std::string_view, std::uint64_t)>& emit,
                          dissect::CaptureReport& report) {
  ParallelCaptureDecoder decoder(options, spec, parallel, emit);
  dissect::CaptureDecoder dissector = dissect::CaptureDecoderSplit::dissect_only(options, decoder);
  const IdleHook hook(parallel, decoder);
  run(reader, dissector, decoder, report);
}

void resume_capture_flows(pcap::CaptureReader& reader, dissect::CaptureDecoder& decoded,
                          const dissect::CaptureDecoder::Options& options, const LineSpec& spec,
                          const ParallelCaptureOptions& parallel,
                          const std::function<void(std::string_view, std::uint64_t)>& emit,
                          dissect::CaptureReport& report) {
  ParallelCaptureDecoder decoder(options, spec, parallel, emit);
  decoder.adopt(dissect::CaptureDecoderSplit::hand_over(decoded, decoder, options.stable_packets));
  const IdleHook hook(parallel, decoder);
  run(reader, decoded, decoder, report);
}

}  // namespace dltdump::app
