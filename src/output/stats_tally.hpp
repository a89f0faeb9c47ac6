// What --stats counts: the messages and skipped regions that pass the filters, gathered as
// they go by, in memory bounded by the number of distinct streams (never by the number of
// messages). The report (output/stats_report.hpp) is made from a finished tally.
//
// A *stream* is one message counter's sequence: messages of one ECU, session, application
// and context (docs/statistics.md says why that key: COVESA's libdlt counts per context
// handle, and its session id is the process id). Per stream the tally counts messages,
// bytes and log levels, and follows the 8-bit counter (MCNT): a message whose counter is
// not the previous one plus one (mod 256) ends a gap of (counter − previous − 1) mod 256
// messages; the same counter again is a repeat, not a loss. A stream starts afresh in each
// lifecycle of its ECU.
// Control messages are not followed (dlt-daemon sends its responses with counter 0).
// AUTOSAR instead counts per log channel, in practice per ECU: the tally follows each ECU's
// messages as one sequence too, and reports per ECU the model that explains its counters
// with fewer missing messages (CounterModel).
//
// A *lifecycle* of an ECU is told by dlt/lifecycle.hpp's rule (a restart: the device time
// falls back far enough), as --sort and --lifecycles tell it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dlt/lifecycle.hpp"
#include "dlt/message.hpp"
#include "dlt/message_facts.hpp"
#include "output/line_output.hpp"
#include "util/timestamp.hpp"

namespace dltdump::output {

// Where the tally stops growing. Streams beyond max_streams are folded into one row
// without ids (their messages still counted, their counters not followed).
struct StatsLimits {
  std::size_t max_streams = std::size_t{1} << 16;
  std::size_t max_lifecycles = 10000;  // listed (all are counted)
  // Lifecycles begun or gone back to, in all ECUs; past it, each ECU stays in its current
  // one (dlt::kMaxLifecycleChanges: as --lifecycles and --sort tell them).
  std::uint64_t max_lifecycle_changes = dlt::kMaxLifecycleChanges;
  std::size_t largest_gaps = 10;  // listed, the largest first
};

// The log levels a row counts (MSTP log, MTIN 1-6), then everything else (other message
// types, log messages with another type info, messages without a type).
inline constexpr std::size_t kLevelSlots = 7;
inline constexpr std::size_t kOtherLevel = 6;
using dlt::kNoTypeSlot;
using dlt::kTypeSlots;

// One 8-bit message counter followed through a lifecycle (see above).
//
// A counter up to kLateBy behind the last one is a message that arrived late (it was
// counted missing when the counter jumped past it, so it is taken off `missing`), not the
// end of a gap of 253 to 255 messages: 8 bits cannot tell the two apart, and a message
// overtaken by a few others is the likelier.
struct CounterTrack {
  static constexpr unsigned kLateBy = 3;

  bool seen = false;  // in lifecycle `lifecycle`
  std::uint8_t last = 0;
  // The lifecycle's number modulo 2^32 (two lifecycles 2^32 apart of one ECU are not told
  // apart).
  std::uint32_t lifecycle = 0;
  std::uint64_t missing = 0, gaps = 0, repeats = 0, late = 0;

  // The next counter `counter` of this sequence, in lifecycle `lc` of its ECU; returns the
  // messages missing before it (0: none, or the first of the lifecycle, a repeat or a late
  // message).
  std::uint32_t step(std::uint8_t counter, std::uint64_t lc64) {
    const auto lc = static_cast<std::uint32_t>(lc64);
    const bool follows = seen && lifecycle == lc;
    const std::uint8_t before = last;
    seen = true;
    lifecycle = lc;
    last = counter;
    if (!follows) return 0;
    const std::uint32_t n = static_cast<std::uint8_t>(counter - before - 1);
    if (n == 255) {  // the same counter again
      ++repeats;
      return 0;
    }
    if (n >= 255 - kLateBy) {  // 1 to kLateBy behind
      ++late;
      if (missing) --missing;
      last = before;
      return 0;
    }
    if (n != 0) {
      missing += n;
      ++gaps;
    }
    return n;
  }
};

// How an ECU's senders count (docs/statistics.md): per stream (COVESA libdlt: per context
// of a process) or per ECU (AUTOSAR's log channel: one counter for all its messages).
enum class CounterModel : std::uint8_t { Stream, Ecu };

class StatsTally {
 public:
  struct Counts {
    std::uint64_t messages = 0, bytes = 0;
  };
  // How an input's reading ended (docs/statistics.md): read to its end; failed (`reason`:
  // the one-line diagnostic); stopped by SIGINT/SIGTERM part-way; or not begun because the
  // run was stopped before it. An input being read is Ok until it ends otherwise.
  enum class Status : std::uint8_t { Ok, Failed, Stopped, NotRead };
  struct Input {
    std::string name;  // as the command line names it (not yet made printable)
    Counts counts;     // its messages: the totals' growth while it was read
    std::uint64_t skipped_regions = 0, skipped_bytes = 0;
    Status status = Status::Ok;
    std::string reason;  // Failed: why (not yet made printable)
  };
  struct Lifecycle {
    std::uint64_t index = 0;              // 1 for an ECU's first lifecycle seen
    util::Timestamp start_time;           // of its first message (invalid when it has none)
    bool has_device_time = false;         // false until a message with device time arrives
    std::uint32_t start_device_time = 0;  // the first device time seen in it
    std::uint64_t messages = 0;
  };
  struct Gap {
    std::uint32_t missing = 0;
    std::uint8_t counter_before = 0, counter_after = 0;
    std::uint32_t stream = 0;  // index into streams(): of the message after the gap
    std::uint32_t input = 0;   // index into inputs()
    // The input the message came from when not inputs()[input] (a sorted run's message:
    // dlt::Message::input, a view that outlives the run); else empty.
    std::string_view origin;
    std::uint64_t position = 0;  // of the message after the gap, in its input
    // The input's name as the command line gives it.
    std::string_view input_name(const StatsTally& t) const {
      return origin.empty() ? std::string_view(t.inputs()[input].name) : origin;
    }
    util::Timestamp time;  // of the message after the gap
  };
  // Gaps of a counter sequence that may be the counter gone back (is_back_step): how many,
  // and the messages they count as missing.
  struct BackSteps {
    std::uint64_t steps = 0, missing = 0;
    // A gap of `n` missing (CounterTrack::step's return) is noted if it is such a step.
    void note(std::uint32_t n) {
      if (!is_back_step(n)) return;
      ++steps;
      missing += n;
    }
  };
  struct Ecu {
    dlt::Id id;
    Counts counts;
    util::Timestamp first, last;                                // the earliest and the latest message time
    dlt::EcuLifecycles rule{dlt::EcuLifecycles::Keep::Window};  // its lifecycles as the rule tells them
    std::vector<Lifecycle> listed;  // the first of them (StatsLimits::max_lifecycles in all)
    std::uint64_t lifecycles = 0;   // begun so far
    std::uint32_t lifecycle = 0;    // the current one's number (counters start afresh in each)
    // A run over time's lifecycle numbers → the ECU's (1 for its first seen), bounded as the
    // run's lifecycles are (dlt::kMaxLifecycleChanges).
    std::unordered_map<std::uint64_t, std::uint32_t> run_lifecycles;
    CounterTrack counter;  // its messages' counters as one sequence (the ECU model)
    // The loss its streams' counters show (the stream model), summed.
    std::uint64_t stream_missing = 0, stream_gaps = 0, stream_repeats = 0;
    // Each model's gaps that may be its counter gone back instead (is_back_step).
    BackSteps ecu_back, stream_back;
    // Each model's largest gaps (at most limits().largest_gaps, largest first).
    std::vector<Gap> ecu_gaps, stream_gaps_listed;
    // The model that explains its counters with fewer missing messages (ties: Stream).
    CounterModel model() const { return counter.missing < stream_missing ? CounterModel::Ecu : CounterModel::Stream; }
    std::uint64_t missing() const { return model() == CounterModel::Ecu ? counter.missing : stream_missing; }
    std::uint64_t gaps() const { return model() == CounterModel::Ecu ? counter.gaps : stream_gaps; }
    const BackSteps& back_steps() const { return model() == CounterModel::Ecu ? ecu_back : stream_back; }
    const std::vector<Gap>& largest_gaps() const {
      return model() == CounterModel::Ecu ? ecu_gaps : stream_gaps_listed;
    }
  };
  // One row per ECU, application and context (its streams' sessions together): what the
  // contexts table shows. Rows are few, so a message's bytes and level count hit the cache.
  struct Context {
    std::uint32_t ecu = 0;  // index into ecus()
    dlt::Id app, ctx;
    Counts counts;
    std::array<std::uint64_t, kLevelSlots> levels{};
  };
  // One stream: its key, message count and counter (kept small: streams may be thousands,
  // and a message then costs a cache miss).
  struct Stream {
    std::uint64_t ecu_app = 0, ctx_session = 0;  // the key: ECU and APP words; CTX word and session
    std::uint64_t messages = 0;
    CounterTrack counter;
    std::uint32_t context = 0;  // index into contexts()
    std::uint32_t has_session = 0;

    dlt::Id app() const { return dlt::Facts::id(static_cast<std::uint32_t>(ecu_app)); }
    dlt::Id ctx() const { return dlt::Facts::id(static_cast<std::uint32_t>(ctx_session >> 32)); }
    std::uint32_t session() const { return static_cast<std::uint32_t>(ctx_session); }
  };
  struct Skips {
    std::string_view reason;  // one of dlt::kReason*
    std::uint64_t regions = 0, bytes = 0;
  };

  // `count_loss`: follow the counters (false when the filters select messages within
  // streams: their gaps are then no loss).
  explicit StatsTally(bool count_loss, StatsLimits limits = {});

  void begin_input(std::string_view name);
  // The current input's events are all added (its counts are final).
  void end_input() { open_ = false; }
  // Input `name` failed with `reason`: the current one if begun and not ended, else a row
  // of its own (an input that failed before it began: missing, unreadable…).
  void fail_input(std::string_view name, std::string_view reason);
  // SIGINT/SIGTERM stopped the run while the current input was read (it counts what was
  // decoded before the stop), or, with no current input, between two inputs.
  void stop();
  // An input the run did not begin because it was stopped: listed, with nothing counted.
  // After the current input ended.
  void not_read(std::string_view name);
  // What the current input, a capture, lost per TCP flow (LineOutput::capture_losses).
  struct CaptureFlow {
    std::uint32_t input = 0;  // index into inputs()
    LineOutput::FlowLoss loss;
  };
  void capture_losses(std::span<const LineOutput::FlowLoss> flows, std::uint64_t not_listed) {
    if (inputs_.empty()) return;  // only within an input
    for (const auto& f : flows) capture_flows_.push_back({static_cast<std::uint32_t>(inputs_.size() - 1), f});
    capture_flows_not_listed_ += not_listed;
  }
  const std::vector<CaptureFlow>& capture_flows() const { return capture_flows_; }
  // The capture a flow of capture_flows() was read from, as the command line names it.
  std::string_view capture_of(const CaptureFlow& f) const {
    return f.loss.input.empty() ? std::string_view(inputs_[f.input].name) : std::string_view(f.loss.input);
  }
  std::uint64_t capture_flows_not_listed() const { return capture_flows_not_listed_; }
  // What archive `archive` skipped (LineOutput::archive_skipped): kept as told, one entry per
  // archive of the command line (each bounded by the archive's own list).
  struct ArchiveSkips {
    std::string archive;
    std::uint64_t members = 0;  // all it skipped, listed or not
    LineOutput::SkippedMembers skipped;
  };
  void archive_skipped(std::string_view archive, const LineOutput::SkippedMembers& skipped) {
    std::uint64_t members = 0;
    for (const auto& r : skipped.reasons) members += r.second;
    archive_skips_.push_back({std::string(archive), members, skipped});
  }
  const std::vector<ArchiveSkips>& archive_skips() const { return archive_skips_; }
  // Whether the run was stopped by a signal (stop() or not_read()).
  bool stopped() const { return stopped_; }
  // A message or skipped region that passed the filters, of the current input. Assumes
  // begin_input was called.
  void add(const dlt::Facts& f) {
    if (f.skip()) [[unlikely]]
      add_skip(f);
    else add_message(f);
  }
  // A message of a run over time that carries its lifecycle's number in the run
  // (dlt::Message::lifecycle, as --lifecycles numbers it) is counted in that lifecycle:
  // the survey's, told in the inputs' order, not what the rule would tell in this order.
  // A sorted run's message that names its input (dlt::Message::input) has its gaps placed
  // there, not in the merged stream (a tester's finding: "input":"sorted").
  void add(const dlt::Message& m) {
    origin_ = m.input;
    add_message(dlt::facts_of(m), m.lifecycle);
    origin_ = {};
  }
  void add(const dlt::SkipRecord& s) { add_skip(dlt::facts_of(s)); }
  // The records of a block of facts (dlt/message_facts.hpp), in order, as add() each; the
  // table slots and streams of the records a few ahead are fetched into the cache meanwhile
  // (see the definition).
  void add_block(std::string_view block);

  // Whether the loss is counted: the filters keep counter sequences whole, and every
  // stream was followed (none folded). If not, why (a phrase).
  bool count_loss() const { return count_loss_ && folded_.messages == 0 && !counters_out_of_order(); }
  std::string_view loss_not_counted_because() const {
    if (!count_loss_)
      return "the filters select messages within an ECU's counter sequences (--appid, --ctxid, --sessionid, "
             "--type, --level, --not-appid, --not-ctxid, --not-type, the kinds, --messageid, -s, -r, -v)";
    if (folded_.messages) return "more streams than the limit: the counters of the streams beyond were not followed";
    if (counters_out_of_order())
      return "the message counters go back too often: the messages are not in the order they were sent (a "
             "logger's delays, files given out of order; --sort orders them as far as their times tell)";
    return {};
  }
  // A counter 4 to 127 behind the one before (`missing`, step's return: 128 to 251) reads as
  // that many messages lost, but in a recording out of the order its messages were sent in
  // (a logger that stores them late, files in the wrong order) it is the counter going back,
  // every time: when there are at least kMinBackSteps such gaps and they make more than half
  // of the messages counted missing, the count is not loss (a new user's drive: 152 494
  // "missing" among 36 508 messages, none lost). 8-bit counters cannot tell the two apart
  // one gap at a time: a recording that loses 128 to 251 messages in a row again and again
  // is taken for one out of order.
  static constexpr std::uint64_t kMinBackSteps = 16;
  static constexpr bool is_back_step(std::uint32_t missing) {
    return missing >= 128 && missing < 255 - CounterTrack::kLateBy;
  }
  bool counters_out_of_order() const {
    std::uint64_t back = 0, back_missing = 0, missing = 0;
    for (const Ecu& e : ecus_) {
      back += e.back_steps().steps;
      back_missing += e.back_steps().missing;
      missing += e.missing();
    }
    return back >= kMinBackSteps && 2 * back_missing > missing;
  }
  const StatsLimits& limits() const { return limits_; }
  const std::vector<Input>& inputs() const {
    if (!inputs_.empty())  // the current input's counts so far
      inputs_.back().counts = {total_.messages - input_start_.messages, total_.bytes - input_start_.bytes};
    return inputs_;
  }
  const std::vector<Ecu>& ecus() const { return ecus_; }
  const std::vector<Stream>& streams() const { return streams_; }
  const std::vector<Context>& contexts() const { return contexts_; }
  // The ECU (index into ecus()) of stream `s`.
  std::uint32_t ecu_of(const Stream& s) const { return contexts_[s.context].ecu; }
  // Lifecycles listed, ECU by ECU (ecus() order), each ECU's in the order they began, at
  // most max_lifecycles in all, each with its ECU's index.
  std::vector<std::pair<std::uint32_t, Lifecycle>> lifecycles() const;
  std::uint64_t lifecycles_not_listed() const;
  // Whether StatsLimits::max_lifecycle_changes was reached: later restarts not told apart.
  bool lifecycle_limit_reached() const {
    return lifecycle_limit_noted_ || lifecycle_changes_ >= limits_.max_lifecycle_changes;
  }
  // The lifecycles given with the messages (add) reached the limit where they were told.
  void note_lifecycle_limit() { lifecycle_limit_noted_ = true; }
  const Counts& total() const { return total_; }
  // Messages of streams beyond max_streams: counted in the totals, inputs, kinds and types
  // and in their ECU's row (if it has one), not in any context row.
  const Counts& folded() const { return folded_; }
  const std::array<std::uint64_t, 3>& kinds() const { return kinds_; }  // by dlt::PayloadKind
  const std::array<std::uint64_t, kTypeSlots>& types() const { return types_; }
  const std::vector<Skips>& skips() const { return skips_; }

 private:
  // A stream's key (ECU and APP words; CTX word and session; the session's presence) mixed
  // into 64 bits (MurmurHash3's finaliser: ids differ in few bits). Its low bits choose the
  // slot, its top 8 bits are kept in the slot beside the stream's number, so that a probe
  // reads a stream's key only when they match.
  // A stream's key: ECU and APP words, CTX word and session.
  static std::uint64_t ecu_app_of(const dlt::Facts& f) { return std::uint64_t{f.ecu} << 32 | f.app; }
  static std::uint64_t ctx_session_of(const dlt::Facts& f) { return std::uint64_t{f.ctx} << 32 | f.session; }
  static std::uint64_t hash(std::uint64_t ecu_app, std::uint64_t ctx_session, std::uint32_t has_session) {
    std::uint64_t x = (ecu_app ^ (ctx_session * 0x9E3779B97F4A7C15ull)) + has_session;
    x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDull;
    x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
  }
  static constexpr std::uint32_t kNumberBits = 24;  // of a slot: stream index + 1 (0: empty)
  static std::uint32_t tag_of(std::uint64_t h) { return static_cast<std::uint32_t>(h >> 56) << kNumberBits; }
  // The stream of message `m` (created, with its ECU, if new); null once max_streams are
  // taken.
  Stream* stream_of(const dlt::Facts& m) {
    const std::uint64_t ecu_app = ecu_app_of(m), ctx_session = ctx_session_of(m);
    const std::uint32_t has_session = m.has_session();
    const std::uint64_t h = hash(ecu_app, ctx_session, has_session);
    const std::uint32_t tag = tag_of(h);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = h & mask;; at = (at + 1) & mask) {
      const std::uint32_t slot = slots_[at];
      if (slot == 0) return new_stream(at, tag, m);
      if ((slot & ~kNumberMask) != tag) continue;
      Stream& s = streams_[(slot & kNumberMask) - 1];
      if (s.ecu_app == ecu_app && s.ctx_session == ctx_session && s.has_session == has_session) [[likely]]
        return &s;
    }
  }
  static constexpr std::uint32_t kNumberMask = (1u << kNumberBits) - 1;
  // Asks the cache for what stream_of(f) will read first: its slot; or, once that is in, the
  // stream its first slot names (add_block).
  void prefetch_slot(const dlt::Facts& f) const;
  void prefetch_stream(const dlt::Facts& f) const;
  Stream* new_stream(std::size_t at, std::uint32_t tag, const dlt::Facts& m);
  void add_message(const dlt::Facts& m, std::uint64_t run_lifecycle = 0);
  void add_skip(const dlt::Facts& s);
  // The index of ECU `ecu` in ecus_ (added if new); npos once max_streams ECUs are taken.
  std::uint32_t ecu_index_of(dlt::Id ecu);
  static constexpr std::uint32_t kNoEcu = ~std::uint32_t{0};
  // Message `m` of ECU `e`: its lifecycle by the rule (dlt/lifecycle.hpp), counted there.
  // `run_lifecycle` (not 0): its number in a run over time, which decides (see add).
  void lifecycle_step(Ecu& e, const dlt::Facts& m, std::uint64_t run_lifecycle);
  // Whether a gap of `missing` messages enters `list` (one of an ECU's largest gaps).
  bool listed(const std::vector<Gap>& list, std::uint32_t missing) const {
    return list.size() < limits_.largest_gaps || (!list.empty() && list.back().missing < missing);
  }
  void note_gap(std::vector<Gap>& list, const Gap& g) const;
  Gap gap_at(const dlt::Facts& m, const Stream& s, std::uint32_t missing, std::uint8_t before) const;

  bool count_loss_;
  std::string_view origin_;  // of the message being added (add(const dlt::Message&))
  StatsLimits limits_;
  mutable std::vector<Input> inputs_;
  Counts input_start_;  // the totals when the current input began
  bool open_ = false;   // inputs_.back() is being read
  bool stopped_ = false;
  std::vector<Ecu> ecus_;
  std::unordered_map<std::uint32_t, std::uint32_t> ecu_index_;  // Id::word → index into ecus_
  std::vector<Stream> streams_;
  std::vector<Context> contexts_;
  std::map<std::pair<std::uint64_t, std::uint32_t>, std::uint32_t> context_index_;  // (ECU·APP, CTX) → index
  std::vector<std::uint32_t> slots_;  // open addressing: tag | stream index + 1 (0: empty), at most half full
  std::uint64_t lifecycles_listed_ = 0, lifecycles_dropped_ = 0, lifecycle_changes_ = 0;
  bool lifecycle_limit_noted_ = false;
  Counts total_, folded_;
  std::array<std::uint64_t, 3> kinds_{};
  std::array<std::uint64_t, kTypeSlots> types_{};
  std::vector<Skips> skips_;
  std::vector<CaptureFlow> capture_flows_;
  std::uint64_t capture_flows_not_listed_ = 0;
  std::vector<ArchiveSkips> archive_skips_;
};

}  // namespace dltdump::output
