#include "util/frame_compressor.hpp"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <utility>

namespace dltdump::util {

namespace {

// Blocks every signal on the calling thread while it lives (threads started meanwhile
// inherit the mask), then restores the mask.
class AllSignalsBlocked {
 public:
  AllSignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &saved_);
  }
  ~AllSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AllSignalsBlocked(const AllSignalsBlocked&) = delete;
  AllSignalsBlocked& operator=(const AllSignalsBlocked&) = delete;

 private:
  sigset_t saved_{};
};

}  // namespace

FrameCompressor::FrameCompressor(const MakeEncoder& make, unsigned workers) {
  workers = std::max(workers, 1u);
  for (unsigned i = 0; i < workers; ++i) encoders_.push_back(make());
  const AllSignalsBlocked blocked;
  try {
    for (auto& encoder : encoders_) threads_.emplace_back([this, e = encoder.get()] { work(*e); });
  } catch (...) {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    todo_.notify_all();
    for (auto& t : threads_) t.join();
    throw;
  }
}

FrameCompressor::~FrameCompressor() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  todo_.notify_all();
  for (auto& t : threads_) t.join();
}

void FrameCompressor::work(FrameEncoder& encoder) {
  for (;;) {
    Frame* frame = nullptr;
    {
      std::unique_lock lock(mutex_);
      todo_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping, and nothing left (no Queue is left either)
      frame = jobs_.front();
      jobs_.pop_front();
    }
    // The frame is this thread's until it is marked done: nobody else touches it.
    frame->out.clear();
    try {
      frame->error = encoder.encode(frame->in.view(), frame->out);
    } catch (const std::exception& e) {  // std::bad_alloc for a frame's output
      frame->error = e.what();
    }
    {
      const std::lock_guard lock(mutex_);
      frame->done = true;
    }
    done_.notify_all();
  }
}

void FrameCompressor::wait(const Frame& frame) {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return frame.done; });
}

FrameCompressor::Queue::Queue(std::shared_ptr<FrameCompressor> compressor)
    : compressor_(std::move(compressor)), frames_(compressor_->depth()) {}

FrameCompressor::Queue::~Queue() { clear(); }

void FrameCompressor::Queue::push_with(const std::function<void(TextBuffer&)>& fill) {
  auto& slot = frames_[(head_ + count_) % frames_.size()];
  if (!slot) slot = std::make_unique<Frame>();
  slot->in.clear();
  fill(slot->in);
  slot->error.clear();
  {
    const std::lock_guard lock(compressor_->mutex_);
    slot->done = false;
    compressor_->jobs_.push_back(slot.get());
  }
  compressor_->todo_.notify_one();
  ++count_;
  bytes_ += slot->in.size();
}

const FrameCompressor::Frame& FrameCompressor::Queue::oldest() {
  const Frame& frame = *frames_[head_];
  compressor_->wait(frame);
  return frame;
}

void FrameCompressor::Queue::pop() {
  bytes_ -= frames_[head_]->in.size();
  head_ = (head_ + 1) % frames_.size();
  // Empty: start again at the first frame, so that a writer that never has many frames in
  // flight (it flushes often) uses, and allocates, few of them.
  if (--count_ == 0) head_ = 0;
}

void FrameCompressor::Queue::clear() {
  while (!empty()) {
    oldest();
    pop();
  }
}

}  // namespace dltdump::util
