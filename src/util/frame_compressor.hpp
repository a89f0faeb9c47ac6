// Compressed outputs' frames made on worker threads, several at once, and handed back to
// their writer in the order it gave them (util::FdWriter): so that the thread that decodes
// (or reads) the records never waits for one frame's compression before it can go on, and
// all cores compress — each frame is independent (util/frame_encoder.hpp), so frames need
// no common state and compress side by side on encoders of their own.
//
// A FrameCompressor is the worker threads, each with its own encoder, shared by the
// writers of one output (the files of %LC% are written on one thread, one after the
// other). Each writer has a Queue of its frames: at most `depth()` of them in flight
// (handed over, being compressed, or compressed and not yet taken back), so memory stays
// bounded however fast the records come: depth frames of input and output, about 2 MiB
// each (8 MiB on 2 cores), per writer (%LC% keeps at most 16 files open).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/frame_encoder.hpp"

namespace dltdump::util {

class FrameCompressor {
 public:
  using MakeEncoder = std::function<std::unique_ptr<FrameEncoder>()>;

  // Starts `workers` threads (at least 1), each compressing with an encoder of `make`
  // (called here; throws what it throws, std::system_error when no thread can be made).
  // The threads block every signal: a stop signal goes to the threads that wait on the
  // output and the inputs.
  FrameCompressor(const MakeEncoder& make, unsigned workers);
  // Ends the threads. Every Queue on it must be gone (a Queue holds a shared_ptr to it).
  ~FrameCompressor();
  FrameCompressor(const FrameCompressor&) = delete;
  FrameCompressor& operator=(const FrameCompressor&) = delete;

  // How many frames a Queue keeps in flight: one per worker, one more being taken back
  // (written) and one being handed over, so that no worker waits for the writer.
  std::size_t depth() const { return threads_.size() + 2; }

  // One frame: its bytes before compression, and once done its compressed bytes or why the
  // encoder failed.
  struct Frame {
    TextBuffer in{TextBuffer::kBlockBytes}, out{TextBuffer::kBlockBytes};
    std::string error;
    bool done = true;  // guarded by the compressor's mutex
  };

  // One writer's frames, in order. Used by one thread at a time (a writer may hand it from
  // thread to thread with a happens-before, as std::thread's start and join give).
  class Queue {
   public:
    explicit Queue(std::shared_ptr<FrameCompressor> compressor);
    // Waits for the frames still being compressed (they are dropped).
    ~Queue();
    Queue(const Queue&) = delete;
    Queue& operator=(const Queue&) = delete;

    bool full() const { return count_ == frames_.size(); }
    bool empty() const { return count_ == 0; }
    // Bytes before compression of the frames in flight.
    std::uint64_t bytes() const { return bytes_; }

    // Hands over a frame of a copy of `in` (which may be empty). Precondition: !full().
    void push(std::string_view in) {
      push_with([in](TextBuffer& frame) { frame.append(in); });
    }
    // Hands over a frame whose bytes `fill` appends to the empty buffer it is given (which
    // keeps its room from frame to frame); nothing is handed over if `fill` throws.
    // Precondition: !full().
    void push_with(const std::function<void(TextBuffer&)>& fill);
    // The oldest frame, once compressed (waits for it). Precondition: !empty(). Stays
    // valid until pop() or clear().
    const Frame& oldest();
    // Drops the oldest frame (after oldest()).
    void pop();
    // Drops every frame, after the workers are done with them.
    void clear();

   private:
    std::shared_ptr<FrameCompressor> compressor_;
    std::vector<std::unique_ptr<Frame>> frames_;  // a ring of depth() frames, made when first used
    std::size_t head_ = 0, count_ = 0;
    std::uint64_t bytes_ = 0;
  };

 private:
  void work(FrameEncoder& encoder);
  // Waits until the workers are done with `frame`.
  void wait(const Frame& frame);

  std::mutex mutex_;
  std::condition_variable todo_, done_;
  std::deque<Frame*> jobs_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<FrameEncoder>> encoders_;
  std::vector<std::thread> threads_;
};

}  // namespace dltdump::util
