#include "compress/decompressing_source.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
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

namespace {
// Workers at most, whatever Limits::workers says: the zstd frames in flight stay within
// 2 × 8 × kFrameBytes (128 MiB).
constexpr unsigned kMostWorkers = 8;
}  // namespace

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
  std::size_t full_bytes = 0;                    // the bytes in `full` (a zstd frame may be a larger chunk)
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
  // in the file when they made the bytes this layer has read (they may read far ahead);
  // for an archive member's layers, in the member (Limits::offsets).
  std::uint64_t fault_file_bytes() const {
    return limits.offsets ? limits.offsets->input_of_read() : consumed.load(std::memory_order_relaxed);
  }
  void run() noexcept;
  // The one-thread decoder of the stream, from its start; the first `skip` bytes it makes
  // are not queued (a way that runs side by side queued them). True. With `trial` (a
  // decoder of the same codec), the stream's first reading by it instead: false, with
  // `produced` the bytes queued, at a fault, past the ratio limit or past `most` bytes, for
  // one thread's way to go on.
  bool decompress(std::uint64_t skip = 0, std::unique_ptr<Decompressor> trial = nullptr,
                  std::uint64_t most = UINT64_MAX);
  // A mapped xz file of several blocks on liblzma's multi-threaded decoder, as a trial.
  bool decompress_xz_blocks();
  // The frames' way (decompressing_source.hpp): true when it queued the whole stream or was
  // cancelled, false when decompress(produced) must go on.
  bool decompress_frames();
  // Queues `chunk` (waits for room); false if cancelled.
  bool push(std::vector<std::uint8_t>& chunk);
  std::vector<std::uint8_t> take_spare();
  // A taken chunk as it is (empty if none): a frame's bytes, resized by its decoder.
  std::vector<std::uint8_t> reuse_spare();
  // Throws the input's error: `what` happened at the current offsets, for `reason`. `bomb`:
  // the offset named is the one the ratio was measured against (file_bytes), not where the
  // bytes read came from.
  // `cut`: the stream ends early (util::Error::cut).
  [[noreturn]] void fail(const std::string& what, const std::string& reason, bool bomb = false, bool cut = false) const;
  // A bomb's: the compressed bytes its ratio was measured against (decompress()).
  std::uint64_t ratio_against = 0;
  // Before bytes decompressed from the file's first `used` compressed bytes are queued:
  // throws the file's shrink error if another program cut it below `used` meanwhile (or
  // cut it and let it grow back). Those bytes may then come from the zeros the cut left in
  // the mapping (util/shrink_guard.hpp), which a decompressor need not refuse: zeros inside
  // a deflate block decode to copies of earlier output, lines the file never held (a new
  // user's finding). Bytes read before a check that finds the file still as long are real.
  void check_read_before_cut(std::uint64_t used) const {
    if (const auto now = raw.shrunk_to(); now && *now < used) raw.throw_shrunk(*now);
  }
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

void DecompressingSource::Shared::fail(const std::string& what, const std::string& reason, bool bomb, bool cut) const {
  util::Error e =
      util::input_error(name, "Input " + name + ": " + what + " at compressed byte " +
                                  std::to_string(bomb ? ratio_against : fault_file_bytes()) + " (decompressed byte " +
                                  std::to_string(produced) + "): " + reason + "; decoding stopped there");
  if (cut) e.mark_cut();
  throw e;
}

std::vector<std::uint8_t> DecompressingSource::Shared::reuse_spare() {
  std::lock_guard lock(mutex);
  if (spare.empty()) return {};
  std::vector<std::uint8_t> chunk = std::move(spare.back());
  spare.pop_back();
  return chunk;
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
  changed.wait(lock, [&] {
    return cancelled.load(std::memory_order_relaxed) ||
           (full.size() < kQueuedChunks && (full.empty() || full_bytes < kQueuedChunks * kChunkBytes));
  });
  if (cancelled.load(std::memory_order_relaxed)) return false;
  full_bytes += chunk.size();
  full.push_back(std::move(chunk));
  full_ends.push_back(consumed.load(std::memory_order_relaxed));
  changed.notify_all();
  return true;
}

bool DecompressingSource::Shared::decompress(std::uint64_t skip, std::unique_ptr<Decompressor> trial,
                                             std::uint64_t most) {
  const bool trying = trial != nullptr;
  const std::unique_ptr<Decompressor> d = trying ? std::move(trial) : make_decompressor(codec);
  const std::string format = codec_name(codec);
  // A mapped file in windows of its own (from its start: head() took nothing), so that a
  // second reading starts where the first did.
  const std::span<const std::uint8_t> mapped = raw.whole();
  std::size_t mapped_at = 0;
  auto next_window = [&] {
    if (mapped.empty()) return raw.next_window();
    const std::span<const std::uint8_t> w =
        mapped.subspan(mapped_at, std::min(util::InputFile::kWindowBytes, mapped.size() - mapped_at));
    mapped_at += w.size();
    return w;
  };
  std::span<const std::uint8_t> in;
  bool input_ended = false;
  std::uint64_t used = 0;  // compressed bytes consumed
  produced = 0;
  std::vector<std::uint8_t> chunk = take_spare();
  std::size_t filled = 0;
  // Queues the bytes in `chunk` (if any) and starts another; false if cancelled.
  auto hand_over = [&] {
    if (filled == 0) return true;
    if (const std::uint64_t start = produced - filled; start < skip) {  // queued already
      const auto drop = static_cast<std::size_t>(std::min<std::uint64_t>(skip - start, filled));
      std::memmove(chunk.data(), chunk.data() + drop, filled - drop);
      filled -= drop;
      if (filled == 0) return true;
    }
    check_read_before_cut(used);
    chunk.resize(filled);
    if (!push(chunk)) return false;
    chunk = take_spare();
    filled = 0;
    return true;
  };
  // A trial stops at its first fault: what it queued is good, one thread's way says the rest.
  auto give_up = [&] {
    produced -= filled;
    return false;
  };
  // Before a fault: the bytes decompressed so far are read first.
  auto fail_after_chunk = [&](const std::string& what, const std::string& reason, bool bomb = false, bool cut = false) {
    if (hand_over()) fail(what, reason, bomb, cut);
  };
  for (;;) {
    if (in.empty() && !input_ended) {
      if (!raw.ready()) {
        // A pipe that makes us wait: what is decompressed is read now (a slow producer's
        // lines show as they come), and a stop or the reader's end is seen while waiting.
        if (!hand_over()) return true;
        while (!raw.wait_ready(100)) {
          if (cancelled.load(std::memory_order_relaxed)) return true;
          util::throw_if_stopped();
        }
      }
      raw.release_before(used);
      try {
        in = next_window();
      } catch (const util::Error&) {
        // The compressed input's own fault (an archive cut inside this member): the bytes
        // decompressed before it are read first, as before a fault of the data.
        if (hand_over()) throw;
        return true;
      }
      input_ended = in.empty();
    }
    // Small steps: the offsets of a fault are those of the step that found it. Each ends by
    // a multiple of kStepBytes of the stream, however the reads fell (the ratio's bound).
    const std::span<const std::uint8_t> piece = in.first(std::min(in.size(), kStepBytes - used % kStepBytes));
    const bool last = input_ended;  // then `in` is empty
    Decompressor::Step step;
    try {
      step = d->run(piece, std::span(chunk).subspan(filled), last);
    } catch (const CorruptData& e) {
      if (trying) return give_up();
      raw.check_not_shrunk();  // the zeros of a file cut meanwhile are not the data's fault
      filled += e.produced();  // what the step made before the fault is good: read first
      produced += e.produced();
      consumed.store(used + e.consumed(), std::memory_order_relaxed);  // where the decoder found it
      fail_after_chunk(format + (e.unsupported() ? " data not read" : " data corrupt"),
                       e.unsupported() ? with_file_named(e.what()) : std::string(e.what()));
      return true;
    }
    in = in.subspan(step.consumed);
    used += step.consumed;
    consumed.store(used, std::memory_order_relaxed);
    filled += step.produced;
    produced += step.produced;
    if (limits.max_ratio != 0) {
      // What the stream may have grown to by now. This layer's own bytes count in whole
      // steps (the one in progress too): a step's bound is the same however the reads fell,
      // and the stream is cut at the bound exactly, so a bomb stops at the same byte from a
      // file and a pipe (a new user's finding: 68157440 bytes from the file, 67518344 from
      // a pipe). An inner layer's count the file's bytes read so far (Limits::file).
      const std::uint64_t against = limits.file ? file_bytes() : (used + kStepBytes - 1) / kStepBytes * kStepBytes;
      const std::uint64_t bound = std::max(
          Limits::kRatioFloor, against > UINT64_MAX / limits.max_ratio ? UINT64_MAX : against * limits.max_ratio);
      if (produced > bound) {
        if (trying) return give_up();
        // The bytes past the bound are this step's (the last check passed, and bounds only
        // grow): in this chunk.
        const auto excess = static_cast<std::size_t>(std::min<std::uint64_t>(produced - bound, filled));
        filled -= excess;
        produced -= excess;
        // (This layer's own: no byte past a mapped file's end, for a stream ending in this
        // step. Not the window's end: a pipe's reads end anywhere, a new user's finding.)
        ratio_against = limits.file || mapped.empty() ? against : std::min<std::uint64_t>(against, mapped.size());
        fail_after_chunk("decompressed stream over " + std::to_string(limits.max_ratio) + " times the compressed size",
                         "a likely decompression bomb (see --max-ratio)", true);
        return true;
      }
    }
    if (trying && produced > most) return give_up();
    if ((filled == chunk.size() || step.done) && !hand_over()) return true;
    if (step.done) return true;
    if (last && step.consumed == 0 && step.produced == 0) {
      if (trying) return give_up();
      raw.check_not_shrunk();
      fail_after_chunk(format + " stream ends early", "the file is cut short", false, true);
      return true;
    }
  }
}

bool DecompressingSource::Shared::decompress_xz_blocks() {
  const std::span<const std::uint8_t> file = raw.whole();
  if (codec != Codec::Xz || limits.workers < 2 || limits.file) return false;
  const std::vector<XzBlock> blocks = xz_blocks(file);
  if (blocks.size() < 2) return false;
  // One thread's ratio checks could stop in a block whose bytes pass max_ratio times the
  // compressed bytes before it: then one thread's way decides where (it reads no further
  // than the block's start by the time it has made its last byte).
  for (const XzBlock& b : blocks)
    if (limits.max_ratio != 0 && b.decompressed_end > Limits::kRatioFloor &&
        b.decompressed_end / limits.max_ratio > b.compressed_begin)
      return false;
  // Bytes past what the index promises are not trusted to that check: one thread's way.
  return decompress(0, make_xz_mt_decompressor(std::min(limits.workers, kMostWorkers)), blocks.back().decompressed_end);
}

bool DecompressingSource::Shared::decompress_frames() {
  const std::span<const std::uint8_t> file = raw.whole();  // read from its start (head() takes nothing)
  if (codec != Codec::Zstd || limits.workers < 2 || limits.file || file.empty()) return false;
  std::optional<std::size_t> first = zstd_frame_size(file);
  if (!first || *first == file.size()) return false;  // one frame (or none found): one thread's way

  struct Frame {
    std::uint64_t begin = 0, end = 0;  // its compressed bytes
    std::vector<std::uint8_t> bytes;   // decompressed
    enum class State : std::uint8_t { Waiting, Working, Made, Refused } state = State::Waiting;
  };
  std::mutex m;
  std::condition_variable work;  // a frame to take, or the end
  std::condition_variable made;  // a frame made or refused
  std::deque<Frame> frames;      // in stream order, the oldest first; at most `in_flight`
  bool stop = false;
  const unsigned workers = std::min(limits.workers, kMostWorkers);
  const std::size_t in_flight = 2 * std::size_t{workers};

  std::vector<std::unique_ptr<ZstdFrameDecoder>> decoders;  // made here: a thread's own would have nowhere to throw
  for (unsigned i = 0; i < workers; ++i) decoders.push_back(std::make_unique<ZstdFrameDecoder>());
  auto worker = [&](ZstdFrameDecoder& decoder) {
    std::unique_lock lock(m);
    for (;;) {
      work.wait(lock, [&] {
        return stop || std::ranges::any_of(frames, [](const Frame& f) { return f.state == Frame::State::Waiting; });
      });
      if (stop) return;
      Frame& f = *std::ranges::find_if(frames, [](const Frame& x) { return x.state == Frame::State::Waiting; });
      f.state = Frame::State::Working;  // a deque's elements stay in place while it grows at the back
      std::vector<std::uint8_t> bytes = std::move(f.bytes);
      const std::span<const std::uint8_t> compressed = file.subspan(f.begin, f.end - f.begin);
      lock.unlock();
      bool good = false;
      try {
        good = decoder.decode(compressed, bytes, kFrameBytes);
      } catch (const std::bad_alloc&) {
        good = false;  // one thread's way goes on, with its own memory
      }
      lock.lock();
      f.bytes = std::move(bytes);
      f.state = good ? Frame::State::Made : Frame::State::Refused;
      made.notify_all();
    }
  };
  std::vector<std::thread> threads;
  auto end_workers = [&] {
    {
      std::lock_guard lock(m);
      stop = true;
    }
    work.notify_all();
    for (std::thread& t : threads) t.join();
  };

  std::uint64_t next = 0;  // where the next frame begins (file.size(): all found)
  bool whole = true;       // every frame up to `next` was found
  std::uint64_t queued = 0;
  bool finished = false;
  try {
    for (const auto& d : decoders) threads.emplace_back(worker, std::ref(*d));
    std::unique_lock lock(m);
    for (;;) {
      // Frames found ahead, as many as may be in flight.
      while (whole && next < file.size() && frames.size() < in_flight) {
        const std::optional<std::size_t> size = zstd_frame_size(file.subspan(next));
        if (!size) {
          whole = false;  // a cut or corrupt frame: one thread's way from here
          break;
        }
        Frame f;
        f.begin = next;
        f.end = next + *size;
        f.bytes = reuse_spare();
        frames.push_back(std::move(f));
        next += *size;
        work.notify_one();
      }
      if (frames.empty()) {
        finished = whole;  // all queued; else the rest is one thread's
        break;
      }
      // In steps: the reader's end is told on another condition.
      while (!made.wait_for(lock, std::chrono::milliseconds(100), [&] {
        return cancelled.load(std::memory_order_relaxed) || frames.front().state == Frame::State::Made ||
               frames.front().state == Frame::State::Refused;
      })) {
      }
      if (cancelled.load(std::memory_order_relaxed)) {
        finished = true;
        break;
      }
      Frame& f = frames.front();
      const std::uint64_t total = queued + f.bytes.size();
      // Near the ratio limit, one thread's way decides where it stops: a frame is queued only
      // when one thread could not have stopped in it (its ratio checks see at least
      // f.begin compressed bytes by the time they see any of its bytes).
      const bool near_limit =
          limits.max_ratio != 0 && total > Limits::kRatioFloor && total / limits.max_ratio > f.begin;
      if (f.state == Frame::State::Refused || near_limit) break;
      std::vector<std::uint8_t> bytes = std::move(f.bytes);
      const std::uint64_t end = f.end;
      frames.pop_front();
      lock.unlock();
      queued = total;
      produced = total;
      consumed.store(end, std::memory_order_relaxed);
      check_read_before_cut(end);
      raw.release_before(end);
      if (!bytes.empty() && !push(bytes)) {
        finished = true;  // cancelled
        lock.lock();
        break;
      }
      lock.lock();
    }
  } catch (...) {
    end_workers();
    throw;
  }
  end_workers();
  produced = queued;
  return finished;
}

void DecompressingSource::Shared::run() noexcept {
  std::exception_ptr error;
  try {
    if (!decompress_frames() && !decompress_xz_blocks()) decompress(produced);
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
    s.full_bytes -= s.current.size();
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
