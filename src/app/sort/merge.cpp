#include "app/sort/merge.hpp"

#include <algorithm>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

#include "app/sort/message_source.hpp"
#include "app/sort/spilled_runs.hpp"
#include "dlt/skip_message.hpp"
#include "util/error.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {

// The bytes of the messages a cursor holds back: 256 KiB blocks filled in arrival order and
// freed from the front as their messages leave, which they do roughly in that order. A
// cursor that holds nothing keeps one block and a spare: what a merge of hundreds of
// inputs costs per input, hence blocks no larger.
class Arena {
 public:
  static constexpr std::uint32_t kBlockBytes = 256u << 10;  // > a storage header + the largest packet

  // Room for `n` bytes, named by (block, offset).
  std::uint8_t* add(std::uint32_t n, std::uint32_t& block, std::uint32_t& offset) {
    if (blocks_.empty() || blocks_.back().used + n > kBlockBytes) {
      std::unique_ptr<std::uint8_t[]> bytes;
      if (spare_) bytes = std::move(spare_);
      else bytes = std::make_unique_for_overwrite<std::uint8_t[]>(kBlockBytes);
      blocks_.push_back({std::move(bytes), 0, 0});
    }
    Block& b = blocks_.back();
    block = static_cast<std::uint32_t>(first_ + blocks_.size() - 1);
    offset = b.used;
    b.used += n;
    used_ += n;
    ++b.live;
    return b.bytes.get() + offset;
  }
  const std::uint8_t* at(std::uint32_t block, std::uint32_t offset) const {
    return blocks_[block - first_].bytes.get() + offset;
  }
  // One message of `block` has left.
  void release(std::uint32_t block) {
    --blocks_[block - first_].live;
    while (blocks_.size() > 1 && blocks_.front().live == 0) {
      used_ -= blocks_.front().used;
      spare_ = std::move(blocks_.front().bytes);  // one kept for reuse
      blocks_.pop_front();
      ++first_;
    }
    if (blocks_.size() == 1 && blocks_.front().live == 0) {  // the last one, empty: filled again from its start
      used_ -= blocks_.front().used;
      blocks_.front().used = 0;
    }
  }
  // The bytes of the blocks held that were written: what the blocks occupy of memory (a
  // block's pages are touched as it fills), so that a thousand cursors holding a few
  // messages each count for what they are, not for a MiB each.
  std::size_t held_bytes() const { return used_; }

 private:
  struct Block {
    std::unique_ptr<std::uint8_t[]> bytes;
    std::uint32_t used, live;
  };
  std::deque<Block> blocks_;
  std::uint32_t first_ = 0;  // the id of blocks_.front() (ids wrap after 4 PiB: differences stay right)
  std::size_t used_ = 0;     // the blocks' `used`, summed
  std::unique_ptr<std::uint8_t[]> spare_;
};

using Entry = HeldEntry;  // the bytes (a skip record's too) in the cursor's arena
static_assert(std::is_trivially_copyable_v<dlt::SkipRecord>);

// Entries in order (by HeldEntry::later), in a ring: taken from the front, added at the
// back or a few places before it. What a deque would do, without its iterators' cost on
// the merge's busiest path.
class SortedRing {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return ring_.size(); }
  const HeldEntry& front() const { return ring_[head_]; }
  const HeldEntry& operator[](std::size_t i) const { return ring_[(head_ + i) & mask_]; }
  void pop_front() {
    head_ = (head_ + 1) & mask_;
    --size_;
  }
  // Inserts `e` in order if that moves at most `max_shift` entries; else false.
  bool insert(const HeldEntry& e, std::size_t max_shift) {
    std::size_t at = size_;
    while (at > 0 && HeldEntry::later((*this)[at - 1], e))
      if (--at + max_shift < size_) return false;
    if (size_ == ring_.size()) grow();
    for (std::size_t i = size_; i > at; --i) slot(i) = slot(i - 1);
    slot(at) = e;
    ++size_;
    return true;
  }
  void clear() {
    ring_ = std::vector<HeldEntry>();  // not `= {}`: that assigns an empty list and keeps the memory
    head_ = size_ = 0;
    mask_ = ~std::size_t{0};
  }

 private:
  HeldEntry& slot(std::size_t i) { return ring_[(head_ + i) & mask_]; }
  void grow() {
    std::vector<HeldEntry> bigger(std::max<std::size_t>(64, ring_.size() * 2));
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = (*this)[i];
    ring_ = std::move(bigger);
    head_ = 0;
    mask_ = ring_.size() - 1;
  }
  std::vector<HeldEntry> ring_;  // a power of two long
  std::size_t head_ = 0, size_ = 0;
  std::size_t mask_ = ~std::size_t{0};
};

// Whether `key` lies at least `lateness` below `max` (no overflow at the extremes).
bool at_or_below(std::int64_t key, std::int64_t lateness, std::int64_t max) {
  return static_cast<__int128>(key) + lateness <= max;
}

// A lifecycle for messages the survey did not see (the input changed between the passes).
const LifecycleInfo kUnknownLifecycle{};

// One input read again, its messages held back until they are safe to merge (merge.hpp).
class Cursor final : public dlt::FramerSink {
 public:
  // `total_held`: what all cursors hold, kept up to date by each (MergeOptions::max_total_held_bytes);
  // `open`: how many cursors are open (this one counts itself while it lives).
  Cursor(const Survey& survey, std::size_t index, const DumpConfig& config, const MergeOptions& options,
         std::size_t& total_held, std::size_t& open)
      : index_(index), survey_(survey), input_(survey.inputs[index]), config_(config), options_(options),
        total_held_(total_held), open_(open),
        last_key_(options.by_time ? input_.first_key : static_cast<std::int64_t>(index)) {
    ++open_;
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() override {
    total_held_ -= reported_;
    --open_;
  }

  // Opens the input again; throws util::Error (ends the input) if it is not the file the
  // survey read (replaced, or grown or cut meanwhile): the survey's lifecycles and bounds
  // are of that one.
  void open() {
    source_.emplace(*input_.spec, config_, *this);
    const util::InputFile& f = source_->file();
    if (f.device() != input_.device || f.inode() != input_.inode || f.known_size() != input_.size ||
        f.modified_ns() != input_.modified_ns) {
      const std::string& name = input_.spec->argument;
      throw util::input_error(name,
                              name +
                                  " changed between the two reads of a sorted run (replaced, rewritten, grown or cut); "
                                  "its messages are left out");
    }
  }
  // Read a little at a time: what a step reads waits in the heap until it may leave.
  static constexpr std::size_t kStepBytes = 64u << 10;
  // What the open inputs together may keep mapped of what they read (MessageSource::
  // set_release_every): shared among them, between a step and kMaxReleaseEvery each.
  static constexpr std::size_t kMappedBytes = 16u << 20;
  static constexpr std::size_t kMaxReleaseEvery = 2u << 20;
  void set_release_every() {
    source_->set_release_every(
        std::clamp(kMappedBytes / std::max<std::size_t>(open_, 1), kStepBytes, kMaxReleaseEvery));
  }
  // Reads until the head may be merged or the input ends; true if a head is held. Throws
  // what the source throws (the input failed: then fail()).
  bool fill() {
    while (!done_ && (empty() || !safe())) {
      util::throw_if_stopped();
      set_release_every();
      if (!source_->step(kStepBytes)) done_ = true;
      count_progress();
    }
    report_held();
    return !empty();
  }
  // Counts what was read since the last call for --progress (MergeOptions::progress).
  void count_progress() {
    if (!options_.progress || !source_) return;
    const std::uint64_t read = source_->file().progress();
    if (read > counted_) options_.progress->fetch_add(read - counted_, std::memory_order_relaxed);
    counted_ = std::max(counted_, read);
  }
  // The input is done with: the rest of its size counts as read.
  void count_rest() {
    if (options_.progress && input_.size > counted_)
      options_.progress->fetch_add(input_.size - counted_, std::memory_order_relaxed);
    counted_ = std::max(counted_, input_.size);
  }
  // The input failed: what it holds is merged, nothing more is read.
  void fail() {
    done_ = true;
    source_.reset();
    report_held();
  }
  // Whether the input was sorted through runs on disk (SpilledRuns).
  bool spilled() const { return spilled_ != nullptr; }
  std::size_t index() const { return index_; }
  const Entry& head() const {
    if (spilled_) [[unlikely]]
      return spilled_->head();
    return from_run() ? run_.front() : heap_.front();
  }
  // The bytes of the head `e`.
  const std::uint8_t* bytes(const Entry& e) const {
    if (spilled_) [[unlikely]]
      return spilled_->head_bytes();
    return arena_.at(e.block, e.offset);
  }
  // The head has been merged.
  void pop() {
    if (spilled_) [[unlikely]]
      return spilled_->pop();
    arena_.release(head().block);
    if (from_run()) {
      run_.pop_front();
      if (run_.empty() && run_.capacity() > kKeptEntries) run_.clear();
    } else {
      std::pop_heap(heap_.begin(), heap_.end(), later);
      heap_.pop_back();
      if (heap_.empty() && heap_.capacity() > kKeptEntries) heap_ = std::vector<Entry>();
    }
    report_held();
  }
  bool exhausted() const { return done_ && empty(); }

  void on_message(const dlt::Message& m) override {
    if (past_survey()) {
      done_ = true;  // the rest is what the survey did not read: no more steps
      return;
    }
    const LifecycleInfo& l = lifecycle_of(m);
    std::int64_t key = last_key_;
    if (options_.by_time && m.time.known()) key = last_key_ = l.key(m.time.us, m.has_device_time, m.device_time);
    if (!options_.lifecycles.empty() &&
        std::find(options_.lifecycles.begin(), options_.lifecycles.end(), l.number) == options_.lifecycles.end())
      return;
    Entry e{key, seq_++, 0, 0, 0, &l, m.position};
    const bool stored = m.raw.size() == m.packet.size() + dlt::kStorageHeaderBytes;
    e.size = static_cast<std::uint32_t>(dlt::kStorageHeaderBytes + m.packet.size());
    std::uint8_t* p = arena_.add(e.size, e.block, e.offset);
    if (stored) std::memcpy(p, m.raw.data(), e.size);
    else {
      dlt::write_storage_header(p, m.time, reinterpret_cast<const std::uint8_t*>(m.shown_ecu().chars));
      std::memcpy(p + dlt::kStorageHeaderBytes, m.packet.data(), m.packet.size());
    }
    push(e);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    if (!options_.lifecycles.empty()) return;  // a skipped region is of no lifecycle
    if (past_survey()) return;                 // a cut's partial message and the bytes before it: no line
    Entry e{last_key_, seq_++, 0, 0, sizeof s, nullptr, s.position};
    std::memcpy(arena_.add(e.size, e.block, e.offset), &s, sizeof s);
    push(e);
  }

 private:
  static bool later(const Entry& a, const Entry& b) { return HeldEntry::later(a, b); }
  // An input cut while the survey read it: its messages past those the survey saw.
  bool past_survey() const { return input_.cut_while_read && messages_ >= input_.messages; }
  void push(const Entry& e) {
    max_key_ = std::max(max_key_, e.key);
    // Nearly in order: into the sorted run, a few places from its end; else the heap.
    if (run_.insert(e, kMaxShift)) return;
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), later);
  }
  // The head may leave: no message still to read can have a smaller key — or the input
  // holds back more than it may: then it is sorted through runs on disk, whole.
  bool safe() {
    if (spilled_) return true;
    if (at_or_below(head().key, input_.lateness_us, max_key_)) return true;
    const std::size_t held = held_bytes();
    if (held <= options_.max_held_bytes && total_held_ - reported_ + held <= options_.max_total_held_bytes)
      return false;
    spill();
    return true;
  }
  // Tells total_held_ what this cursor holds now.
  void report_held() {
    const std::size_t held = held_bytes();
    total_held_ = total_held_ - reported_ + held;
    reported_ = held;
  }
  // Reads the rest of the input, writing what is held as a sorted run whenever it exceeds
  // the bound; then merges the runs (SpilledRuns). An input that fails meanwhile gives
  // what came before (its runs), then its failure is thrown. When the runs cannot be
  // written (or on a stop), nothing more of the input is merged.
  void spill() {
    // Each run as large as the bound per input allows, or as what the others leave of the
    // total (at least kMinRunBytes: a run costs a 128 KiB buffer when they are merged).
    const std::size_t others = total_held_ - reported_;
    const std::size_t room = options_.max_total_held_bytes > others ? options_.max_total_held_bytes - others : 0;
    const std::size_t run_bytes = std::min(options_.max_held_bytes, std::max(room, kMinRunBytes));
    try {
      spilled_held_ = std::make_unique<SpilledRuns>(input_.spec->argument);
      write_held_run();
      std::exception_ptr input_failure;  // the input's own, not the runs' (which end the spill)
      for (;;) {
        bool more = false;
        try {
          set_release_every();
          more = source_->step(kStepBytes);
        } catch (const util::Error& e) {
          if (!e.ends_input_only()) throw;
          input_failure = std::current_exception();
        }
        count_progress();
        if (!more) break;
        util::throw_if_stopped();
        if (held_bytes() > run_bytes) write_held_run();
      }
      write_held_run();
      done_ = true;
      source_.reset();
      arena_ = Arena{};  // nothing refers to it any more
      spilled_held_->start_reading();
      spilled_ = std::move(spilled_held_);
      if (input_failure) std::rethrow_exception(input_failure);
    } catch (...) {
      if (!spilled_) {  // what is held may point into freed arena blocks: forgotten
        run_.clear();
        heap_ = std::vector<Entry>();
        spilled_held_.reset();
        done_ = true;
        source_.reset();
      }
      throw;
    }
  }
  // What is held, sorted, as one run (the sorted run and the heap merged, without a copy);
  // the memory is freed.
  void write_held_run() {
    std::sort(heap_.begin(), heap_.end(), [](const Entry& a, const Entry& b) { return later(b, a); });
    std::size_t r = 0;
    auto h = heap_.begin();
    while (r < run_.size() || h != heap_.end()) {
      const Entry& e = h == heap_.end() || (r < run_.size() && later(*h, run_[r])) ? run_[r++] : *h++;
      spilled_held_->append(e, {arena_.at(e.block, e.offset), e.size});
      arena_.release(e.block);
    }
    spilled_held_->end_run();
    run_.clear();
    heap_ = std::vector<Entry>();
  }
  // Memory held back: the messages' bytes and their entries (room for them included: a
  // held run that drained gives its room back only once it is empty, kKeptEntries kept).
  std::size_t held_bytes() const { return arena_.held_bytes() + (run_.capacity() + heap_.capacity()) * sizeof(Entry); }
  static constexpr std::size_t kKeptEntries = 4096;
  static constexpr std::size_t kMinRunBytes = 8u << 20;
  // The lifecycle the survey found for the next message, `m`: by the input's switches.
  const LifecycleInfo& lifecycle_of(const dlt::Message& m) {
    const LifecycleTable& table = survey_.lifecycles;
    const std::vector<InputSurvey::Switch>& switches = input_.switches;
    for (; next_switch_ < switches.size() && switches[next_switch_].message == messages_; ++next_switch_) {
      const InputSurvey::Switch& s = switches[next_switch_];
      if (s.ecu >= current_.size()) current_.resize(s.ecu + 1, kNone);
      current_[s.ecu] = s.lifecycle;
    }
    ++messages_;
    const dlt::Id ecu = m.shown_ecu();
    if (!have_last_ || ecu.word() != last_ecu_word_) {
      last_ecu_ = table.find(ecu);
      last_ecu_word_ = ecu.word();
      have_last_ = true;
    }
    // Not as the survey saw it: the input changed between the passes.
    if (last_ecu_ == LifecycleTable::kNotFound || last_ecu_ >= current_.size() || current_[last_ecu_] == kNone ||
        current_[last_ecu_] >= table.lifecycles_of(last_ecu_))
      return kUnknownLifecycle;
    return table.at(last_ecu_, current_[last_ecu_]);
  }
  static constexpr std::size_t kNone = ~std::size_t{0};

  std::size_t index_;
  const Survey& survey_;
  const InputSurvey& input_;
  const DumpConfig& config_;
  const MergeOptions& options_;
  std::size_t& total_held_;
  std::size_t& open_;
  std::size_t reported_ = 0;          // what this cursor last told total_held_
  std::uint64_t messages_ = 0;        // messages read so far
  std::size_t next_switch_ = 0;       // into input_.switches
  std::vector<std::size_t> current_;  // per ECU: its lifecycle's index (kNone: not yet met)
  std::int64_t last_key_;
  std::int64_t max_key_ = kNoKey;
  std::uint64_t seq_ = 0;
  std::uint64_t counted_ = 0;  // bytes of the input counted for --progress
  // What is held back, in two sorted parts: the run (a sorted deque that takes the
  // messages that arrive in order or nearly so, cheaply) and a heap (those that arrive
  // further out of place); the head is the smaller of their fronts.
  SortedRing run_;
  std::vector<Entry> heap_;
  static constexpr std::size_t kMaxShift = 64;
  bool empty() const { return spilled_ ? spilled_->empty() : run_.empty() && heap_.empty(); }
  bool from_run() const { return heap_.empty() || (!run_.empty() && !later(run_.front(), heap_.front())); }
  Arena arena_;
  std::optional<MessageSource> source_;
  std::unique_ptr<SpilledRuns> spilled_held_;  // being written (spill)
  std::unique_ptr<SpilledRuns> spilled_;       // written: the head comes from it
  bool done_ = false;
  bool have_last_ = false;
  std::uint32_t last_ecu_word_ = 0, last_ecu_ = 0;
};

// A cursor's head as the merge orders it — key, then input, then place — kept beside the
// cursor so that the heap's comparisons read no cursor (each head() asks where its head is).
struct Head {
  std::int64_t key;
  std::size_t input;
  std::uint64_t seq;
  Cursor* cursor;

  static Head of(Cursor& c) {
    const Entry& e = c.head();
    return {e.key, c.index(), e.seq, &c};
  }
  static bool later(const Head& a, const Head& b) {
    return std::tuple{a.key, a.input, a.seq} > std::tuple{b.key, b.input, b.seq};
  }
};

}  // namespace

std::size_t merge_inputs(const Survey& survey, const DumpConfig& config, const MergeOptions& options,
                         MergeTarget& target, int diag_fd) {
  const std::size_t n = survey.inputs.size();
  auto min_key = [&](std::size_t i) {
    return options.by_time ? survey.inputs[i].min_key : static_cast<std::int64_t>(i);
  };
  std::vector<std::size_t> order;  // the order in which the merge reaches the inputs
  if (options.only_input) order.push_back(*options.only_input);
  else {
    order.resize(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return min_key(a) < min_key(b); });
  }

  std::size_t total_held = 0;  // what the cursors hold: declared before them, who tell it what they free
  std::size_t open = 0;        // how many cursors there are (each counts itself)
  std::vector<std::unique_ptr<Cursor>> cursors(n);
  std::vector<Head> heads;  // a heap by Head::later
  std::size_t failures = 0;
  // Fills cursor `c`; an input that fails now is reported (unless the survey did) and
  // gives what it read before. Returns whether it holds a head; if not, it is gone.
  auto refill = [&](Cursor& c) {
    try {
      c.fill();
    } catch (const util::Error& e) {
      if (!e.ends_input_only()) throw;
      if (survey.inputs[c.index()].ok) {
        util::print_error(diag_fd, e);
        ++failures;
        if (options.failures) options.failures->emplace_back(c.index(), e.what());
      }
      c.fail();
    }
    if (c.exhausted()) {
      c.count_rest();
      cursors[c.index()].reset();  // its file and memory go
      return false;
    }
    return true;
  };
  // The front of `heads` has a new head: moved down to its place (a pop and a push in one).
  auto sift_down = [&] {
    const Head moved = heads.front();
    std::size_t at = 0;
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= heads.size()) break;
      if (child + 1 < heads.size() && Head::later(heads[child], heads[child + 1])) ++child;
      if (!Head::later(moved, heads[child])) break;
      heads[at] = heads[child];
      at = child;
    }
    heads[at] = moved;
  };

  std::size_t next = 0;
  std::uint64_t merged = 0;
  for (;;) {
    // Open the inputs whose least key the merge has reached.
    while (next < order.size() && (heads.empty() || min_key(order[next]) <= heads.front().key)) {
      const std::size_t i = order[next++];
      cursors[i] = std::make_unique<Cursor>(survey, i, config, options, total_held, open);
      try {
        cursors[i]->open();
      } catch (const util::Error& e) {
        if (!e.ends_input_only()) throw;
        if (survey.inputs[i].ok) {
          util::print_error(diag_fd, e);
          ++failures;
          if (options.failures) options.failures->emplace_back(i, e.what());
        }
        cursors[i]->count_rest();
        cursors[i].reset();
        continue;
      }
      if (refill(*cursors[i])) {
        heads.push_back(Head::of(*cursors[i]));
        std::push_heap(heads.begin(), heads.end(), Head::later);
      }
    }
    if (heads.empty()) break;
    Cursor& c = *heads.front().cursor;
    const Entry& e = c.head();
    if (e.lifecycle) {
      target.message({c.bytes(e), e.size}, *e.lifecycle, c.index(), e.position);
    } else {
      dlt::SkipRecord s;
      std::memcpy(&s, c.bytes(e), sizeof s);
      target.skip(s, c.index());
    }
    c.pop();
    if (refill(c)) {
      heads.front() = Head::of(c);
    } else {  // gone: the last head takes its place
      heads.front() = heads.back();
      heads.pop_back();
      if (heads.empty()) continue;
    }
    sift_down();
    if ((++merged & 1023) == 0) util::throw_if_stopped();
  }
  return failures;
}

}  // namespace dltdump::app
