#include "app/parallel_capture.hpp"

#include <algorithm>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "aio/replay.hpp"
#include "util/error.hpp"

namespace dltdump::app {

namespace {

// One batch of dissected datagrams, in capture order.
struct Batch {
  struct Datagram {
    std::uint32_t flow;
    bool end_flow;           // the flow limit ends this flow here (no bytes)
    std::uint32_t first_piece, pieces;
    std::int64_t time_ns;
  };
  struct Piece {
    std::size_t at, length;  // in bytes
    std::uint64_t offset;    // file offset
  };
  std::vector<std::uint8_t> bytes;
  std::vector<Datagram> datagrams;
  std::vector<Piece> pieces;
  void clear() {
    bytes.clear();
    datagrams.clear();
    pieces.clear();
  }
};

// A worker: the lines it made for the current batch, from the flows given to it.
struct Worker {
  explicit Worker(const LineSpec& spec) : chain(spec, text) {}
  util::TextBuffer text{1 << 20};
  LineChain chain;
  util::TextBuffer payload_text{1 << 16};  // shared by the flows this worker decodes
  struct Mark {
    std::size_t text_end;
    std::uint64_t lines_end;
  };
  std::vector<Mark> marks;  // one per datagram of this worker, in order

  // Decodes the datagrams of `batch` whose flow `owner` gives to worker `me`.
  void run(const Batch& batch, const std::vector<input::CaptureFlow*>& flows, const std::vector<unsigned>& owner,
           unsigned me) {
    text.clear();
    chain.reset_lines();
    marks.clear();
    for (const auto& d : batch.datagrams) {
      if (owner[d.flow] != me) continue;
      input::CaptureFlow& flow = *flows[d.flow];
      if (d.end_flow) {
        flow.finish();
      } else {
        for (std::uint32_t k = 0; k < d.pieces; ++k) {
          const auto& p = batch.pieces[d.first_piece + k];
          flow.feed({batch.bytes.data() + p.at, p.length}, p.offset, d.time_ns);
        }
      }
      marks.push_back({text.size(), chain.lines()});
    }
  }
};

class ParallelCaptureDecoder final : public input::DatagramSink {
 public:
  ParallelCaptureDecoder(const input::CaptureDecoder::Options& options, const LineSpec& spec,
                         const ParallelCaptureOptions& parallel,
                         const std::function<void(std::string_view, std::uint64_t)>& emit)
      : options_(options), spec_(spec), parallel_(parallel), emit_(emit) {
    for (unsigned i = 0; i < std::max(1u, parallel.threads); ++i) workers_.push_back(std::make_unique<Worker>(spec));
  }
  ~ParallelCaptureDecoder() override { wait(); }

  void on_datagram(const input::FlowKey& key, std::span<const input::DatagramPiece> pieces,
                   std::int64_t time_ns) override {
    Batch& b = filling();
    auto it = index_.find(key);
    std::uint32_t flow;
    if (it != index_.end()) {
      flow = it->second;
    } else {
      if (index_.size() >= options_.max_flows) end_least_recent(b);
      flow = static_cast<std::uint32_t>(flows_.size());
      // Created here, touched only by the worker its batch gives it to (never by two at once).
      flows_.push_back(std::make_unique<input::CaptureFlow>(key, workers_[0]->chain.head(), nullptr));
      open_.push_back(true);
      last_used_.push_back(0);
      index_.emplace(key, flow);
    }
    last_used_[flow] = ++clock_;
    const auto first = static_cast<std::uint32_t>(b.pieces.size());
    for (const auto& p : pieces) {
      b.pieces.push_back({b.bytes.size(), p.bytes.size(), p.offset});
      b.bytes.insert(b.bytes.end(), p.bytes.begin(), p.bytes.end());
    }
    b.datagrams.push_back({flow, false, first, static_cast<std::uint32_t>(pieces.size()), time_ns});
    if (b.bytes.size() >= parallel_.batch_bytes) launch();
  }

  // Decodes what is batched, then ends every open flow in order of first appearance.
  void finish() {
    launch();
    wait();
    util::TextBuffer text(1 << 16), payload_text(1 << 16);
    LineChain chain(spec_, text);
    for (std::size_t id = 0; id < flows_.size(); ++id) {
      if (!open_[id]) continue;
      flows_[id]->redirect(chain.head(), &payload_text, chain.gate());
      flows_[id]->finish();
      open_[id] = false;
    }
    if (chain.lines()) emit_(text.view(), chain.lines());
  }

  std::uint64_t flows_ended() const noexcept { return flows_ended_; }

 private:
  Batch& filling() { return batches_[filling_]; }

  void end_least_recent(Batch& b) {
    std::uint32_t oldest = 0;
    std::uint64_t oldest_use = UINT64_MAX;
    for (const auto& [key, id] : index_)
      if (last_used_[id] < oldest_use) oldest_use = last_used_[id], oldest = id;
    index_.erase(flows_[oldest]->key());
    open_[oldest] = false;  // ended by its worker, at this place in the batch
    b.datagrams.push_back({oldest, true, 0, 0, 0});
    ++flows_ended_;
  }

  // Hands the filling batch to the workers (after the previous one is merged) and goes on
  // filling the other: dissection of batch k+1 overlaps decoding of batch k.
  void launch() {
    wait();
    Batch& b = filling();
    if (b.datagrams.empty()) return;
    // Give each flow of the batch to the least loaded worker (bytes), and point it there.
    const auto n = static_cast<unsigned>(workers_.size());
    owner_.assign(flows_.size(), n);
    std::vector<std::size_t> load(n, 0), flow_bytes(flows_.size(), 0);
    for (const auto& d : b.datagrams)
      for (std::uint32_t k = 0; k < d.pieces; ++k) flow_bytes[d.flow] += b.pieces[d.first_piece + k].length + 64;
    for (const auto& d : b.datagrams) {
      if (owner_[d.flow] != n) continue;
      const auto w = static_cast<unsigned>(std::min_element(load.begin(), load.end()) - load.begin());
      owner_[d.flow] = w;
      load[w] += flow_bytes[d.flow] + 1;
      flows_[d.flow]->redirect(workers_[w]->chain.head(), &workers_[w]->payload_text, workers_[w]->chain.gate());
    }
    // Workers see a snapshot of the flow table: the dissecting thread may add flows meanwhile.
    running_flows_.resize(flows_.size());
    for (std::size_t i = 0; i < flows_.size(); ++i) running_flows_[i] = flows_[i].get();
    running_ = &b;
    for (unsigned w = 0; w < n; ++w)
      threads_.emplace_back([this, w] { workers_[w]->run(*running_, running_flows_, owner_, w); });
    filling_ ^= 1;
  }

  // Waits for the running batch and writes its lines in datagram order.
  void wait() {
    if (!running_) return;
    for (auto& t : threads_) t.join();
    threads_.clear();
    const auto n = static_cast<unsigned>(workers_.size());
    merged_.clear();
    std::uint64_t lines = 0;
    std::vector<std::size_t> next(n, 0), text_at(n, 0);
    std::vector<std::uint64_t> lines_at(n, 0);
    for (const auto& d : running_->datagrams) {
      if (d.end_flow) flows_[d.flow].reset();  // its worker has ended it
      const unsigned w = owner_[d.flow];
      const Worker::Mark& m = workers_[w]->marks[next[w]++];
      if (m.text_end > text_at[w]) {
        merged_.append(workers_[w]->text.view().substr(text_at[w], m.text_end - text_at[w]));
        lines += m.lines_end - lines_at[w];
      }
      text_at[w] = m.text_end;
      lines_at[w] = m.lines_end;
    }
    running_->clear();
    running_ = nullptr;
    if (lines) emit_(merged_.view(), lines);
  }

  input::CaptureDecoder::Options options_;
  LineSpec spec_;
  ParallelCaptureOptions parallel_;
  const std::function<void(std::string_view, std::uint64_t)>& emit_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  std::unordered_map<input::FlowKey, std::uint32_t, input::FlowKeyHash> index_;  // open flows
  std::vector<std::unique_ptr<input::CaptureFlow>> flows_;  // by number (first appearance)
  std::vector<bool> open_;                  // by flow number: not yet ended
  std::vector<std::uint64_t> last_used_;    // by flow number
  std::vector<unsigned> owner_;             // by flow number: worker of the running batch
  std::vector<input::CaptureFlow*> running_flows_;  // the flow table as the running batch sees it
  std::uint64_t clock_ = 0, flows_ended_ = 0;
  Batch batches_[2];
  unsigned filling_ = 0;
  Batch* running_ = nullptr;
  util::TextBuffer merged_{1 << 20};
};

}  // namespace

void decode_capture_parallel(pcap::CaptureReader& reader, const input::CaptureDecoder::Options& options,
                             const LineSpec& spec, const ParallelCaptureOptions& parallel,
                             const std::function<void(std::string_view, std::uint64_t)>& emit, std::string& losses) {
  ParallelCaptureDecoder decoder(options, spec, parallel, emit);
  input::CaptureDecoder dissector(options, decoder);
  auto summarise = [&] {
    losses = dissector.loss_summary();
    if (decoder.flows_ended()) {
      losses += losses.empty() ? "" : ", ";
      losses += std::to_string(decoder.flows_ended()) + " flows ended early at the flow limit";
    }
  };
  try {
    aio::replay(reader, dissector);
  } catch (const util::Error&) {
    if (dissector.failure()) std::rethrow_exception(dissector.failure());  // the output failed
    dissector.finish();
    decoder.finish();
    summarise();
    throw;
  }
  dissector.finish();
  decoder.finish();
  summarise();
}

}  // namespace dltdump::app
