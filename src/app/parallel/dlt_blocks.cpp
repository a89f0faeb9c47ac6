#include "app/parallel/dlt_blocks.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "dlt/framer.hpp"
#include "dlt/cut_points.hpp"
#include "util/text_buffer.hpp"

namespace dltdump::app {

namespace {

struct Block {
  std::uint64_t start = 0, stop = 0;
  std::unique_ptr<dlt::Framer> framer;  // kept for a serial continuation
  util::TextBuffer text{1 << 16};
  std::uint64_t lines = 0;
  std::uint64_t end = 0;  // offset the framer reached
  bool ready = false;
};

}  // namespace

void decode_file_parallel(std::span<const std::uint8_t> file, const LineSpec& spec,
                          const ParallelOptions& options,
                          const std::function<void(std::string_view, std::uint64_t, std::uint64_t)>& emit) {
  dlt::CutPoints points(file, options.block_bytes);
  const unsigned threads = options.threads ? options.threads : 1;
  const std::size_t window = 2 * static_cast<std::size_t>(threads);  // blocks in flight

  std::vector<Block> slots(window);
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next = 0;     // next block to hand to a worker
  std::size_t written = 0;  // blocks the writer has finished with
  bool stop = false;

  auto decode_block = [&](Block& b) {
    b.text.clear();
    b.framer = std::make_unique<dlt::Framer>(dlt::StreamFormat::File, b.start);
    LineChain chain(spec, b.text);
    chain.attach(*b.framer);
    b.end = b.framer->decode_until(file.subspan(b.start), b.stop, chain.head());
    if (b.end == b.stop) b.framer->flush_pending(chain.head());
    b.lines = chain.lines();
    b.framer->set_payload_gate(nullptr);  // the chain ends here; a continuation attaches its own
  };

  auto worker = [&] {
    for (;;) {
      Block* b;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stop || !points.exists(next) || next < written + window; });
        if (stop || !points.exists(next)) return;
        const std::size_t k = next++;
        b = &slots[k % window];
        b->start = points.at(k);
        b->stop = points.at(k + 1);
      }
      decode_block(*b);
      {
        std::lock_guard lock(mu);
        b->ready = true;
      }
      cv.notify_all();
    }
  };
  auto block_exists = [&](std::size_t k) {
    std::lock_guard lock(mu);
    return points.exists(k);
  };
  auto point = [&](std::size_t k) {
    std::lock_guard lock(mu);
    return points.at(k);
  };

  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  auto shutdown = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& t : pool) t.join();
  };

  auto wait_ready = [&](Block& b) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return b.ready; });
  };
  auto release = [&](Block& b) {
    {
      std::lock_guard lock(mu);
      b.ready = false;
      ++written;
    }
    cv.notify_all();
  };

  try {
    util::TextBuffer serial_text(1 << 16);
    std::size_t k = 0;
    while (block_exists(k)) {
      Block& b = slots[k % window];
      wait_ready(b);
      emit(b.text.view(), b.lines, b.end);
      // Take the framer out before the slot is released: it may have to go on.
      std::unique_ptr<dlt::Framer> framer = std::move(b.framer);
      std::uint64_t end = b.end;
      release(b);
      ++k;
      // A packet straddled the cut: block k's result is dropped and this framer decodes
      // on, serially, to the next start (and further while it keeps straddling).
      while (block_exists(k) && end > point(k)) {
        Block& superseded = slots[k % window];
        wait_ready(superseded);
        release(superseded);
        serial_text.clear();
        LineChain chain(spec, serial_text);
        chain.attach(*framer);
        const std::uint64_t target = point(k + 1);
        end = framer->decode_until(file.subspan(end), target, chain.head());
        if (end == target) framer->flush_pending(chain.head());
        framer->set_payload_gate(nullptr);
        emit(serial_text.view(), chain.lines(), end);
        ++k;
      }
    }
  } catch (...) {
    shutdown();
    throw;
  }
  shutdown();
}

}  // namespace dltdump::app
