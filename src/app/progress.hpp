// The progress line (--progress): while files are decoded, one line on standard error, redrawn
// in place four times a second: the input (its number of how many, its name), the bytes done
// of its size, the rate over the run, and the time left for the whole run when every input's
// size is known. Cleared when the run ends; diagnostics clear it first (util/status_line.hpp).
//
// The decoding threads pay nothing for it: the line is drawn by a thread of its own, which
// reads how far the current input has come from util::InputFile::progress() (an atomic the
// decoding thread stores once per window or block). Without --progress (or in `auto` mode
// when it does not apply) no thread is started.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/input_file.hpp"

namespace dltdump::app {

class Progress {
 public:
  struct Options {
    int fd = -1;                         // standard error
    std::chrono::milliseconds delay{0};  // nothing is drawn before the run is this old
    std::vector<std::uint64_t> sizes;    // each input's size, 0 when not known (pipes, live)
  };
  // Off: no thread, every call does nothing.
  Progress() = default;
  // Starts drawing (after options.delay).
  explicit Progress(Options options);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Input `index` (from 0) is `file`, named `name`; `file` stays valid until end_input().
  void begin_input(std::size_t index, const util::InputFile& file, std::string_view name);
  // The input begun last is done with (read to its end, failed or stopped).
  void end_input();
  // The current file, one part of its input (an archive's member, whose progress() is the
  // archive's bytes read so far), is done with: the input goes on with its next part
  // (begin_input with the same index) or ends (end_input, which counts the bytes the last
  // part had reached).
  void end_part();
  // A pass over every input follows (a sorted run's merge, after the survey read them one
  // by one): the line shows `[label] name`, `*done` (stored by the pass as it goes, an
  // atomic that outlives the pass) of `total` bytes, the pass's rate and its time left.
  void begin_pass(std::string_view label, std::string_view name, std::uint64_t total,
                  const std::atomic<std::uint64_t>* done);
  // The pass is over: `done` is not read any more.
  void end_pass();
  // Stops drawing and clears the line. Idempotent; the destructor calls it.
  void finish();

  // The line for these figures (for the tests): `[2/3] trip.dlt  412.0 MiB of 1.0 GiB 40%
  // 380 MiB/s  ETA 0:02`, at most `width` columns (the name shortened from its start).
  static std::string line(std::size_t index, std::size_t inputs, std::string_view name, std::uint64_t done,
                          std::uint64_t size, double rate, double seconds_left, unsigned width);
  // The same with `[label]` in front instead of the input's number (a pass).
  static std::string line(std::string_view label, std::string_view name, std::uint64_t done, std::uint64_t size,
                          double rate, double seconds_left, unsigned width);

 private:
  void run();
  void draw(std::chrono::steady_clock::time_point now);

  Options options_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;  // guards what follows, for the drawing thread
  std::condition_variable wake_;
  bool stop_ = false;
  const util::InputFile* file_ = nullptr;  // the current input, null between inputs
  std::uint64_t part_bytes_ = 0;           // end_part: where the input's last part ended
  std::string name_;
  std::size_t index_ = 0;
  std::uint64_t finished_bytes_ = 0;  // of the inputs done with
  // The pass, if one began (begin_pass).
  const std::atomic<std::uint64_t>* pass_done_ = nullptr;
  std::uint64_t pass_total_ = 0;
  std::string pass_label_;
  std::chrono::steady_clock::time_point pass_start_;
  std::thread thread_;
};

// Human-readable bytes for the line: `512 B`, `3.4 KiB`, `412.0 MiB`, `1.21 GiB`.
std::string byte_text(std::uint64_t bytes);

}  // namespace dltdump::app
