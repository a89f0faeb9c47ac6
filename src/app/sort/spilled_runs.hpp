// Sorted runs on disk, for an input of a sorted run too far out of order to hold back in
// memory (app/sort/merge.hpp): its messages are sorted in memory-sized parts, each part
// written as one run to an unnamed temporary file (in $TMPDIR, else /tmp; gone when
// closed, also if the process dies), and read back by a merge of the runs.
//
// A record is a HeldEntry (its key, place and size) and then its `size` bytes. Each run
// is read through a buffer of its own (kReadBytes), so reading back costs that much memory
// per run: 128 KiB for every `max held` bytes of the input (0.2 % of it at the default
// 64 MiB), and the file as much disk as the input's messages.
//
// Failures (no temporary file, a write refused: disk full) throw util::input_error naming
// the input: that input ends, with what was merged of it before.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "app/sort/held_entry.hpp"

static_assert(std::is_trivially_copyable_v<dltdump::app::HeldEntry>);  // written as bytes

namespace dltdump::app {

class SpilledRuns {
 public:
  // Bytes of a run's read buffer: more than the largest record.
  static constexpr std::size_t kReadBytes = 128u << 10;

  // `input`: the input's name as the command line gave it (for errors).
  explicit SpilledRuns(std::string input);
  ~SpilledRuns();
  SpilledRuns(const SpilledRuns&) = delete;
  SpilledRuns& operator=(const SpilledRuns&) = delete;

  // Appends one record to the run being written: records come smallest first (by
  // HeldEntry::later), each with its `e.size` bytes.
  void append(const HeldEntry& e, std::span<const std::uint8_t> bytes);
  // The run being written is complete (a run without records is none).
  void end_run();
  // Ends the writing; from now on head() is the smallest record of all runs.
  void start_reading();

  bool empty() const { return heads_.empty(); }
  // The smallest record left and its bytes (valid until pop()). Only if !empty().
  const HeldEntry& head() const { return heads_.front()->entry; }
  const std::uint8_t* head_bytes() const { return heads_.front()->bytes(); }
  void pop();
  std::size_t runs() const { return runs_.size(); }

 private:
  struct Reader {
    std::uint64_t next, end;  // file offsets: the next byte to read, the run's end
    std::unique_ptr<std::uint8_t[]> buffer;
    std::size_t at = 0, filled = 0;  // the current record starts at buffer[at]
    HeldEntry entry{};
    const std::uint8_t* bytes() const { return buffer.get() + at + sizeof(HeldEntry); }
  };
  void flush();
  // Makes r.entry the run's next record; false at its end.
  bool advance(Reader& r);
  [[noreturn]] void fail(const std::string& what, int err) const;

  std::string input_;
  int fd_ = -1;
  std::string dir_;                   // where the file is (for errors)
  std::vector<std::uint8_t> buffer_;  // what is not written yet
  std::uint64_t file_size_ = 0;
  std::uint64_t run_start_ = 0;  // where the run being written starts
  struct Run {
    std::uint64_t start, end;
  };
  std::vector<Run> runs_;
  std::vector<std::unique_ptr<Reader>> readers_;
  std::vector<Reader*> heads_;  // a heap: the reader of the smallest record in front
};

}  // namespace dltdump::app
