#include "compress/decompressing_source.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "compress/decompressor.hpp"
#include "util/error.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::compress {

struct DecompressingSource::Shared {
  Shared(util::InputFile file, Codec c, std::string n, Limits l)
      : raw(std::move(file)), codec(c), name(std::move(n)), limits(l) {}

  util::InputFile raw;
  const Codec codec;
  const std::string name;
  const Limits limits;

  mutable std::mutex mutex;
  std::condition_variable changed;               // a chunk queued or taken, the end, a cancel
  std::deque<std::vector<std::uint8_t>> full;    // decompressed chunks in stream order
  std::deque<std::uint64_t> full_ends;           // the compressed bytes consumed when each was made
  std::vector<std::vector<std::uint8_t>> spare;  // taken chunks, for reuse
  bool ended = false;                            // no chunk follows those queued
  std::atomic<bool> cancelled{false};            // the reader is gone
  bool finished = false;                         // the thread is done
  std::exception_ptr fault;                      // thrown after the last chunk

  std::atomic<std::uint64_t> consumed{0};  // compressed bytes used
  std::uint64_t produced = 0;              // decompressed bytes made (the thread only)

  // The reading side's current chunk.
  std::vector<std::uint8_t> current;
  std::size_t current_pos = 0;
  std::atomic<std::uint64_t> current_end{0};  // the compressed bytes consumed when it was made

  // Compressed bytes of the file used so far: of this layer's input, or of the outermost
  // layer's when this one decompresses another's output (Limits::file).
  std::uint64_t file_bytes() const {
    return limits.file ? limits.file->input_progress() : consumed.load(std::memory_order_relaxed);
  }
  // The same for a fault's message: for an inner layer, where the outer layers had got to
  // in the file when they made the bytes this layer has read (they may read far ahead).
  std::uint64_t fault_file_bytes() const {
    return limits.file ? limits.file->input_of_read() : consumed.load(std::memory_order_relaxed);
  }
  void run() noexcept;
  void decompress();
  // Queues `chunk` (waits for room); false if cancelled.
  bool push(std::vector<std::uint8_t>& chunk);
  std::vector<std::uint8_t> take_spare();
  // Throws the input's error: `what` happened at the current offsets, for `reason`. `bomb`:
  // the offset named is the one the ratio was measured against (file_bytes), not where the
  // bytes read came from.
  [[noreturn]] void fail(const std::string& what, const std::string& reason, bool bomb = false) const;
  // `advice` (a data not read's, naming FILE in a command) with the input's name for FILE
  // when it is a file the command line names (a new user's finding: the advice said FILE
  // of a file it knew); FILE stays for standard input, an archive's member and an inner
  // layer, which are no file to name.
  std::string with_file_named(std::string advice) const;
};

std::string DecompressingSource::Shared::with_file_named(std::string advice) const {
  static constexpr std::string_view kFile = "FILE";
  const std::size_t at = advice.find(kFile);
  if (at == std::string::npos || !raw.is_mapped() || name == "-" || name.empty()) return advice;
  return advice.replace(at, kFile.size(), util::shell_word(name));
}

void DecompressingSource::Shared::fail(const std::string& what, const std::string& reason, bool bomb) const {
  throw util::input_error(name, "Input " + name + ": " + what + " at compressed byte " +
                                    std::to_string(bomb ? file_bytes() : fault_file_bytes()) + " (decompressed byte " +
                                    std::to_string(produced) + "): " + reason + "; decoding stopped there");
}

std::vector<std::uint8_t> DecompressingSource::Shared::take_spare() {
  std::lock_guard lock(mutex);
  if (spare.empty()) return std::vector<std::uint8_t>(kChunkBytes);
  std::vector<std::uint8_t> chunk = std::move(spare.back());
  spare.pop_back();
  chunk.resize(kChunkBytes);
  return chunk;
}

bool DecompressingSource::Shared::push(std::vector<std::uint8_t>& chunk) {
  std::unique_lock lock(mutex);
  changed.wait(lock, [&] { return cancelled.load(std::memory_order_relaxed) || full.size() < kQueuedChunks; });
  if (cancelled.load(std::memory_order_relaxed)) return false;
  full.push_back(std::move(chunk));
  full_ends.push_back(consumed.load(std::memory_order_relaxed));
  changed.notify_all();
  return true;
}

void DecompressingSource::Shared::decompress() {
  const std::unique_ptr<Decompressor> d = make_decompressor(codec);
  const std::string format = codec_name(codec);
  std::span<const std::uint8_t> in;
  bool input_ended = false;
  std::uint64_t used = 0;  // compressed bytes consumed
  std::vector<std::uint8_t> chunk = take_spare();
  std::size_t filled = 0;
  // Queues the bytes in `chunk` (if any) and starts another; false if cancelled.
  auto hand_over = [&] {
    if (filled == 0) return true;
    chunk.resize(filled);
    if (!push(chunk)) return false;
    chunk = take_spare();
    filled = 0;
    return true;
  };
  // Before a fault: the bytes decompressed so far are read first.
  auto fail_after_chunk = [&](const std::string& what, const std::string& reason, bool bomb = false) {
    if (hand_over()) fail(what, reason, bomb);
  };
  for (;;) {
    if (in.empty() && !input_ended) {
      if (!raw.ready()) {
        // A pipe that makes us wait: what is decompressed is read now (a slow producer's
        // lines show as they come), and a stop or the reader's end is seen while waiting.
        if (!hand_over()) return;
        while (!raw.wait_ready(100)) {
          if (cancelled.load(std::memory_order_relaxed)) return;
          util::throw_if_stopped();
        }
      }
      raw.release_before(used);
      try {
        in = raw.next_window();
      } catch (const util::Error&) {
        // The compressed input's own fault (an archive cut inside this member): the bytes
        // decompressed before it are read first, as before a fault of the data.
        if (hand_over()) throw;
        return;
      }
      input_ended = in.empty();
    }
    // Small steps: the offsets of a fault are those of the step that found it.
    const std::span<const std::uint8_t> piece = in.first(std::min(in.size(), kStepBytes));
    const bool last = input_ended;  // then `in` is empty
    Decompressor::Step step;
    try {
      step = d->run(piece, std::span(chunk).subspan(filled), last);
    } catch (const CorruptData& e) {
      raw.check_not_shrunk();  // the zeros of a file cut meanwhile are not the data's fault
      filled += e.produced();  // what the step made before the fault is good: read first
      produced += e.produced();
      consumed.store(used + e.consumed(), std::memory_order_relaxed);  // where the decoder found it
      fail_after_chunk(format + (e.unsupported() ? " data not read" : " data corrupt"),
                       e.unsupported() ? with_file_named(e.what()) : std::string(e.what()));
      return;
    }
    in = in.subspan(step.consumed);
    used += step.consumed;
    consumed.store(used, std::memory_order_relaxed);
    filled += step.produced;
    produced += step.produced;
    if (limits.max_ratio != 0 && produced > Limits::kRatioFloor && produced / limits.max_ratio > file_bytes()) {
      fail_after_chunk("decompressed stream over " + std::to_string(limits.max_ratio) + " times the compressed size",
                       "a likely decompression bomb (see --max-ratio)", true);
      return;
    }
    if ((filled == chunk.size() || step.done) && !hand_over()) return;
    if (step.done) return;
    if (last && step.consumed == 0 && step.produced == 0) {
      raw.check_not_shrunk();
      fail_after_chunk(format + " stream ends early", "the file is cut short");
      return;
    }
  }
}

void DecompressingSource::Shared::run() noexcept {
  std::exception_ptr error;
  try {
    decompress();
  } catch (...) {
    error = std::current_exception();  // an Error, Stopped or bad_alloc: the reader throws it
  }
  std::lock_guard lock(mutex);
  fault = error;
  ended = true;
  finished = true;
  changed.notify_all();
}

DecompressingSource::DecompressingSource(util::InputFile raw, Codec codec, std::string name, Limits limits)
    : shared_(std::make_shared<Shared>(std::move(raw), codec, std::move(name), limits)),
      thread_([shared = shared_] { shared->run(); }) {}

DecompressingSource::~DecompressingSource() {
  std::unique_lock lock(shared_->mutex);
  shared_->cancelled.store(true, std::memory_order_relaxed);
  shared_->changed.notify_all();
  // A thread in a decompression step ends within it; one waiting on a silent pipe does not,
  // and keeps the shared state alive until the process ends.
  const bool finished = shared_->changed.wait_for(lock, std::chrono::seconds(1), [&] { return shared_->finished; });
  lock.unlock();
  if (finished) thread_.join();
  else thread_.detach();
}

std::size_t DecompressingSource::read(std::uint8_t* into, std::size_t n) {
  Shared& s = *shared_;
  while (s.current_pos == s.current.size()) {
    std::unique_lock lock(s.mutex);
    if (!s.current.empty()) {
      s.spare.push_back(std::move(s.current));
      s.current.clear();
    }
    s.current_pos = 0;
    // Waits in steps, so that a stop requested meanwhile is seen.
    while (s.full.empty() && !s.ended) {
      s.changed.wait_for(lock, std::chrono::milliseconds(100));
      if (s.full.empty() && !s.ended) util::throw_if_stopped();
    }
    if (s.full.empty()) {
      if (s.fault) std::rethrow_exception(s.fault);
      return 0;
    }
    s.current = std::move(s.full.front());
    s.full.pop_front();
    s.current_end.store(s.full_ends.front(), std::memory_order_relaxed);
    s.full_ends.pop_front();
    s.changed.notify_all();
  }
  const std::size_t k = std::min(n, s.current.size() - s.current_pos);
  std::memcpy(into, s.current.data() + s.current_pos, k);
  s.current_pos += k;
  return k;
}

bool DecompressingSource::ready() const noexcept {
  const Shared& s = *shared_;
  if (s.current_pos < s.current.size()) return true;
  std::lock_guard lock(s.mutex);
  return !s.full.empty() || s.ended;
}

std::uint64_t DecompressingSource::input_progress() const noexcept {
  return shared_->consumed.load(std::memory_order_relaxed);
}

std::uint64_t DecompressingSource::input_of_read() const noexcept {
  return shared_->current_end.load(std::memory_order_relaxed);
}

}  // namespace dltdump::compress
