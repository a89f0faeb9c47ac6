// The engine the speculative parallel decoders share (app/parallel/dlt_blocks: a DLT file
// cut at packet starts; app/parallel/capture_chunks: a capture cut at record starts).
//
// The input is cut into pieces 0, 1, 2, … Worker threads decode pieces ahead of time, each
// as if the input began there: a guess. The calling thread takes the pieces in order and
// checks each guess against what decoded everything before it, then keeps the piece's
// result or decodes that stretch again itself. At most `2 × threads` pieces are in flight
// (decoded or being decoded, not yet checked), so memory stays bounded by the piece size
// whatever the input's.
//
// What a piece is, how it is found and decoded, is the Source's (a template parameter, so
// that nothing here costs a virtual call):
//
//   using Piece = …;
//       Default-constructible. The window holds one per slot and reuses it: decode() must
//       start from whatever a previous piece left in it.
//   bool exists(std::size_t k);
//       Whether piece k exists. Asked for k = 0, 1, 2, … in any interleaving (the same k
//       may be asked again); once false for k, it must stay false for k and every later k.
//   void assign(std::size_t k, Piece& piece);
//       Only after exists(k): sets in `piece` what piece k is (its bounds, the state it is
//       guessed to begin in). Called exactly once per piece, in increasing k.
//   void decode(Piece& piece);
//       Decodes the piece that assign() described, in a worker thread. What it throws is
//       carried to the calling thread (see in_order); what it expects to go wrong (a
//       malformed input) it should rather record in the piece, for the check to judge.
//
// exists() and assign() run under the window's lock, so they may find cut points lazily
// and read state that the calling thread changes under locked(). decode() runs outside
// it, on a piece no other thread touches until the calling thread is handed it.
//
// Threads: the window's workers run from the constructor to stop() (or the destructor);
// every other member is for the calling thread, the one that constructed the window.
#pragma once

#include <cassert>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace dltdump::app {

template <typename Source>
class SpeculativeWindow {
 public:
  using Piece = typename Source::Piece;

  // Starts `threads` (at least 1) workers that decode the pieces of `source`, no more than
  // `ahead` (1 ≤ ahead ≤ 2 × threads) beyond the last piece the calling thread is done
  // with, until widen(). `source` must be ready for the workers' calls now and outlive
  // the window. Throws std::system_error if a thread cannot be started (the ones started
  // are stopped first).
  SpeculativeWindow(Source& source, unsigned threads, std::size_t ahead)
      : source_(source), slots_(2 * static_cast<std::size_t>(threads ? threads : 1)), ahead_(ahead) {
    assert(ahead >= 1 && ahead <= slots_.size() && "ahead 0 would leave every worker waiting");
    try {
      for (unsigned t = 0; t < (threads ? threads : 1); ++t) pool_.emplace_back([this] { work(); });
    } catch (...) {
      stop();
      throw;
    }
  }
  // Stops the workers (see stop()).
  ~SpeculativeWindow() { stop(); }
  SpeculativeWindow(const SpeculativeWindow&) = delete;
  SpeculativeWindow& operator=(const SpeculativeWindow&) = delete;

  // Hands the pieces to `check` in order, each once it is decoded: check(k, piece) judges
  // the guess and passes the piece's result on, or decodes that stretch again; it returns
  // whether to go on with piece k + 1 (false: the pieces after k are not handed out, and
  // in_order returns). Piece k belongs to the calling thread from the call until
  // release(k), which in_order does when check returns if check did not do it earlier.
  // Stops at the first piece that does not exist. Rethrows what a piece's decode() threw
  // when that piece's turn comes (check is not called for it), and what check throws;
  // the workers then go on until stop() or the destructor.
  template <typename Check>
  void in_order(Check&& check) {
    for (std::size_t k = 0; exists(k); ++k) {
      Piece& piece = wait(k);
      const bool go_on = check(k, piece);
      release(k);
      if (!go_on) return;
    }
  }

  // Piece k (the one check was handed) goes back to the workers: its slot may be decoded
  // into from now on, so the calling thread must take out first what it keeps of it. Does
  // nothing if piece k is released already.
  void release(std::size_t k) {
    {
      std::lock_guard lock(mu_);
      if (released_ > k) return;
      slots_[k % slots_.size()].ready = false;
      released_ = k + 1;
    }
    cv_.notify_all();
  }

  // Runs `f` under the lock the workers call exists() and assign() under: for state they read.
  template <typename F>
  decltype(auto) locked(F&& f) {
    std::lock_guard lock(mu_);
    return f();
  }

  // From now on workers decode up to 2 × threads pieces ahead (the guesses proved right).
  void widen() {
    std::lock_guard lock(mu_);
    ahead_ = slots_.size();
  }

  // Stops the workers: each finishes the piece it decodes, then ends; returns when all
  // have. No piece is handed out after it. Idempotent.
  void stop() noexcept {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : pool_) t.join();
    pool_.clear();
  }

 private:
  struct Slot {
    Piece piece;
    std::exception_ptr error;  // what decode() threw
    bool ready = false;        // decoded, not yet released
  };

  bool exists(std::size_t k) {
    std::lock_guard lock(mu_);
    return source_.exists(k);
  }

  Piece& wait(std::size_t k) {
    Slot& s = slots_[k % slots_.size()];
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return s.ready; });
    if (s.error) std::rethrow_exception(std::exchange(s.error, nullptr));
    return s.piece;
  }

  void work() {
    for (;;) {
      Slot* s;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !source_.exists(next_) || next_ < released_ + ahead_; });
        if (stop_ || !source_.exists(next_)) return;
        const std::size_t k = next_++;
        s = &slots_[k % slots_.size()];
        source_.assign(k, s->piece);
      }
      try {
        source_.decode(s->piece);
      } catch (...) {
        s->error = std::current_exception();  // the calling thread's when it reads ready
      }
      {
        std::lock_guard lock(mu_);
        s->ready = true;
      }
      cv_.notify_all();
    }
  }

  Source& source_;
  std::mutex mu_;
  std::condition_variable cv_;
  // Under mu_:
  std::vector<Slot> slots_;   // piece k in slots_[k % size]
  std::size_t next_ = 0;      // the next piece to hand to a worker
  std::size_t released_ = 0;  // pieces the calling thread is done with
  std::size_t ahead_;         // see the constructor
  bool stop_ = false;
  std::vector<std::thread> pool_;
};

}  // namespace dltdump::app
