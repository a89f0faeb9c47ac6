// The open files of an output whose name holds %LC% (output/file_template.hpp): one file
// per lifecycle, several open at once, since the lifecycles of different ECUs overlap in
// time and their lines alternate. Each open file keeps its own writer (and buffer), so
// alternating lines cost no write and no reopening; at most kMaxOpen are open, and the
// least recently used is closed to make room (its lifecycle's next line continues the file
// by append: FileSeries).
//
// `File` is the sink's state of one open file (its descriptor and writer); the sink says
// how to open and close one. Not thread-safe; owns the File objects.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace dltdump::output {

template <class File>
class LifecycleFiles {
 public:
  // Open files at most: their buffers (about 1 MiB each) bound the memory.
  static constexpr std::size_t kMaxOpen = 16;

  // The file of the last line (null before the first, and after close_all).
  File* current() const { return current_; }
  // Whether a line of `lifecycle` goes to another file than current(): it is of another
  // lifecycle, or no file is open. A line of lifecycle 0 (none: a skipped region) stays
  // in the current file.
  bool switches(std::uint64_t lifecycle) const {
    return current_ == nullptr || (lifecycle != 0 && lifecycle != current_lifecycle_);
  }
  // Makes the file of `lifecycle` current and returns it: an open one, else the one
  // `open()` returns (a std::unique_ptr<File>), after `close(File&)` was called on the
  // least recently used file if kMaxOpen are open. What `open` or `close` throws leaves the
  // open files as they were (`close`'s file is then forgotten).
  template <class Open, class Close>
  File& select(std::uint64_t lifecycle, Open&& open, Close&& close) {
    for (Slot& s : slots_)
      if (s.lifecycle == lifecycle) return use(s);
    if (slots_.size() == kMaxOpen) {
      std::size_t oldest = 0;
      for (std::size_t i = 1; i < slots_.size(); ++i)
        if (slots_[i].used < slots_[oldest].used) oldest = i;
      std::unique_ptr<File> evicted = std::move(slots_[oldest].file);
      slots_.erase(slots_.begin() + static_cast<std::ptrdiff_t>(oldest));
      if (current_ == evicted.get()) current_ = nullptr;
      close(*evicted);
    }
    std::unique_ptr<File> file = open();
    slots_.push_back({lifecycle, 0, std::move(file)});
    return use(slots_.back());
  }
  // Calls `f(File&)` on every open file (to flush them).
  template <class F>
  void for_each(F&& f) {
    for (Slot& s : slots_) f(*s.file);
  }
  // Calls `close(File&)` on every open file, least recently used first, and forgets them
  // (also those after one whose close threw). Then throws, if a close threw or `failure`
  // (a util::Error that ends the run: writing one file failed, naming it) is given:
  // * a util::Error that ends the run: the first of them (`failure`, else the first
  //   close's), its line naming also the other files whose close failed — `…; a.txt,
  //   b.txt were cut short too`, with their reason where it differs — so that no file is
  //   left empty or cut short without a word, and in one line. Each file closed keeps the
  //   whole records that fit, as any file whose write fails (util/fd_writer.hpp).
  // * else the first exception a close threw.
  template <class Close>
  void close_all(Close&& close, const util::Error* failure = nullptr) {
    std::vector<Slot> slots = std::move(slots_);
    slots_.clear();
    current_ = nullptr;
    std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.used < b.used; });
    std::exception_ptr other;          // the first close's that is no failed write
    std::optional<util::Error> first;  // the failed write named first
    if (failure) first.emplace(*failure);
    std::vector<std::string> also;  // the others, with their reason where it differs
    for (Slot& s : slots) {
      try {
        close(*s.file);
      } catch (const util::Error& e) {
        if (e.ends_input_only() || e.quiet()) {
          if (!other) other = std::current_exception();
        } else if (!first) {
          first.emplace(e);
        } else if (e.name() != first->name()) {
          const std::string own = reason_of(e);
          also.push_back(own == reason_of(*first) ? e.name() : e.name() + own);
        }
      } catch (...) {
        if (!other) other = std::current_exception();
      }
    }
    if (first && !also.empty()) {
      std::sort(also.begin(), also.end());
      std::string line = std::string(first->what()) + "; ";
      for (std::size_t i = 0; i < also.size(); ++i) line += (i > 0 ? ", " : "") + also[i];
      line += also.size() == 1 ? " was cut short too" : " were cut short too";
      throw util::Error(first->exit_code(), first->culprit(), first->name(), line);
    }
    if (first) throw *first;
    if (other) std::rethrow_exception(other);
  }

 private:
  struct Slot {
    std::uint64_t lifecycle;
    std::uint64_t used;  // clock_ when last made current
    std::unique_ptr<File> file;
  };
  // What a failed write's line says after naming its file (" (No space left on device)").
  // Another failure's whole line in parentheses.
  static std::string reason_of(const util::Error& e) {
    const std::string line = e.what();
    const std::string prefix = "Couldn't write to " + e.name();
    return line.starts_with(prefix) ? line.substr(prefix.size()) : " (" + line + ")";
  }
  File& use(Slot& s) {
    s.used = ++clock_;
    current_ = s.file.get();
    current_lifecycle_ = s.lifecycle;
    return *current_;
  }

  std::vector<Slot> slots_;
  File* current_ = nullptr;
  std::uint64_t current_lifecycle_ = 0;
  std::uint64_t clock_ = 0;
};

}  // namespace dltdump::output
