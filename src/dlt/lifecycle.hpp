// An ECU's lifecycles: the runs of its messages between restarts. One rule serves every
// part that tells them (--stats, --sort, --lifecycles, --lifecycle), so they all count the
// same lifecycles.
//
// The rule (EcuLifecycles): a lifecycle is a run of an ECU's messages whose device time
// (uptime, 0.1 ms units) does not go back; a message whose device time falls more than
// restart_tolerance() below the largest of the current lifecycle begins another one (the
// ECU restarted). Messages without device time belong to the current lifecycle. With
// storage times there is more to go by: each message with both times also says
// when its ECU booted — storage time − device time, its *boot estimate*, the true boot plus
// the logger's delay for that message. That tells a restart whose uptime fell by less than
// the tolerance (short lifecycles), and a message that belongs to a lifecycle seen before
// (regions of a file out of order), while a jump of the logger's clock alone (device times
// going on) changes no lifecycle and no anchor (a jump back is undone for the ECU's later
// storage times). docs/sorting.md gives the rule's assumptions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace dltdump::dlt {

// How far below the lifecycle's largest device time a device time must fall to begin a
// new lifecycle: half that largest time, at most 10 s — a restart drops the uptime to near
// zero, while messages that one application buffered arrive a little late.
inline constexpr std::uint32_t restart_tolerance(std::uint32_t max_device_time) {
  return max_device_time / 2 < 100000 ? max_device_time / 2 : 100000;
}

// How many times in a run, over all ECUs, a message may begin a lifecycle or go back to
// another: past it each ECU stays in its current lifecycle (EcuLifecycles::observe's
// may_change), a bound on memory and work whatever the device times (random ones begin a
// lifecycle every few messages). --stats, --lifecycles and --sort count alike against it,
// so that they tell the same lifecycles (a new user's finding: 1 048 576 against 65 536).
inline constexpr std::uint64_t kMaxLifecycleChanges = 1u << 16;

// What --stats and --lifecycles say when the bound (`changes`) was reached.
inline std::string lifecycle_limit_note(std::uint64_t changes = kMaxLifecycleChanges) {
  return "Lifecycles are told up to " + std::to_string(changes) +
         " changes in all (begun or gone back to), which these inputs reached: later restarts are counted in the "
         "lifecycle their ECU was in then (device times that jump about)";
}

// Whether a message's device time tells its ECU's uptime: WTMS set and the time not 0. An
// ECU that sets the flag but never runs its clock sends 0 in every message; its uptime is
// 0 for its first 0.1 ms only, so a 0 is taken for no device time (placed by storage time).
inline constexpr bool tells_uptime(bool has_device, std::uint32_t device_time) {
  return has_device && device_time != 0;
}

// What the rule with storage times knows of one lifecycle.
struct LifecycleFacts {
  bool has_anchor = false;
  std::int64_t anchor_us = 0;    // the least boot estimate: the boot time, less no delay
  std::int64_t max_boot_us = 0;  // the largest boot estimate: the anchor plus the largest delay
  bool has_device_time = false;
  std::uint32_t min_device_time = 0, max_device_time = 0;
  bool has_boot_at_max = false;
  std::int64_t boot_at_max_us = 0;  // the boot estimate of the message with max_device_time
};

// One ECU's lifecycles by the rule with storage times, fed its messages in input order.
class EcuLifecycles {
 public:
  // How far above a lifecycle's anchor a boot estimate may lie and still be of that
  // lifecycle: the logger's delay it allows for. Lifecycles whose boots lie closer are told
  // apart by device time only.
  static constexpr std::int64_t kMatchUs = 1000000;
  // How late a message may arrive and still go back to a lifecycle that ended (its ECU
  // restarted meanwhile): its boot estimate up to this far above that lifecycle's anchor,
  // its device time no more than kMatchUs below that lifecycle's largest (the messages a
  // logger held back around a restart are the last the old run sent).
  static constexpr std::int64_t kMaxDelayUs = 30000000;
  // How far device time must fall, at least, for a restart told by the boot estimate
  // (messages an application buffered arrive this much out of order).
  static constexpr std::uint32_t kMinFall = 1000;
  // How far device time may run ahead of a lifecycle's largest and still go on from it
  // (an ECU silent for a while), when the boot estimate says another boot.
  static constexpr std::uint32_t kContinuity = 100000;
  // How many of the latest lifecycles a message may go back to.
  static constexpr std::size_t kMatchWindow = 256;

  // What the rule keeps of the lifecycles it has told: every one's facts (`All`: for a
  // table of them at the end, as --sort's), or the latest kKept only (`Window`: all the rule
  // reads — a message's lifecycle is always among the last kMatchWindow + 1 — for a caller
  // that takes only the index of each message's lifecycle, as --stats, whose memory and
  // work per lifecycle then stay the same however many lifecycles a log holds; a log whose
  // device times jump about begins one every few messages).
  enum class Keep : std::uint8_t { All, Window };
  static constexpr std::size_t kKept = 512;  // a power of two above kMatchWindow + 1
  explicit EcuLifecycles(Keep keep = Keep::All) : mask_(keep == Keep::All ? ~std::size_t{0} : kKept - 1) {}

  // The next message of the ECU: a storage or capture time `time_us` if `has_time`, a
  // device time if `has_device` (a device time of 0 counts as none: tells_uptime). Returns the index of its lifecycle
  // in lifecycles(): the current one, one seen before, or a new one (then the last). The message's times are added to
  // that lifecycle's facts, and it becomes the current one. With `may_change` false (the caller's bound on lifecycles
  // and changes is reached), a message stays in the current lifecycle whatever it says (an ECU's first still begins
  // one).
  std::size_t observe(bool has_time, std::int64_t time_us, bool has_device, std::uint32_t device_time,
                      bool may_change = true) {
    has_device = tells_uptime(has_device, device_time);
    const bool has_boot = has_time && has_device;
    // In the clock of the ECU's first messages: a jump of the logger's clock back is undone.
    std::int64_t boot = has_boot ? time_us - std::int64_t{device_time} * 100 + clock_shift_us_ : 0;
    if (count_ == 0) {
      begin();
    } else if (has_device && may_change) {
      const LifecycleFacts& c = at(current_);
      if (c.has_device_time && device_time < c.max_device_time) {
        const std::uint32_t fall = c.max_device_time - device_time;
        bool restarted = fall > restart_tolerance(c.max_device_time);
        if (has_boot && c.has_anchor) {
          // The delay this message would have had in the current lifecycle, against the
          // uptime the ECU had reached (a new boot lies at least that far above the
          // anchor) and the delays seen so far.
          const std::int64_t above = boot - c.anchor_us, uptime = std::int64_t{c.max_device_time} * 100;
          // Below the anchor: an earlier boot (a message of this one has its boot and more) —
          // unless the device time fell by no more than an application's buffering: then
          // the logger's clock was set back (below).
          restarted = (above < -kMatchUs && (fall > kMinFall || restarted)) ||
                      (fall > kMinFall && above > std::max(uptime / 2, c.max_boot_us - c.anchor_us + kMatchUs)) ||
                      (restarted && above > uptime * 3 / 4);
          if (!restarted && above < -kMatchUs) set_back(boot);
        }
        if (restarted && !switch_to(has_boot, boot, device_time)) begin();
      } else if (has_boot && c.has_anchor && std::abs(boot - c.anchor_us) > kMatchUs &&
                 !switch_to(true, boot, device_time)) {
        // A later boot lies at least the uptime this one reached above its anchor (as for a
        // fall, more than half of it, and more than a delay seen in it): an estimate less
        // far above is this boot's, its message late after a silence or a part of the
        // recording missing (a tester's finding: one boot told as two when the first
        // message after the gap came more than kMatchUs late).
        const std::int64_t above = boot - c.anchor_us;
        const bool later_boot =
            above > std::max(std::int64_t{c.max_device_time} * 100 / 2, c.max_boot_us - c.anchor_us + kMatchUs);
        if (!(c.has_device_time && device_time - c.max_device_time <= kContinuity) && (above < 0 || later_boot)) {
          // Another boot, none seen before, and the device time no continuation of this
          // lifecycle's: a region of the input out of place. (A boot seen before: back to
          // that lifecycle, above.)
          begin();
        } else if (boot < c.anchor_us) {
          set_back(boot);
        }
        // (Above the anchor: the logger's clock jumped ahead; the anchor, the least
        // estimate, stays.)
      }
    }
    LifecycleFacts& l = at(current_);
    if (has_boot) {
      if (!l.has_anchor || boot > l.max_boot_us) l.max_boot_us = boot;
      if (!l.has_anchor || boot < l.anchor_us) set_anchor(current_, boot);
    }
    if (has_device) {
      if (!l.has_device_time || device_time < l.min_device_time) l.min_device_time = device_time;
      if (!l.has_device_time || device_time >= l.max_device_time) {
        l.max_device_time = device_time;
        l.has_boot_at_max = has_boot;
        l.boot_at_max_us = boot;
      }
      l.has_device_time = true;
    }
    return current_;
  }
  // Every lifecycle's facts, by index (Keep::All only).
  const std::vector<LifecycleFacts>& lifecycles() const { return all_; }
  std::size_t size() const { return count_; }  // lifecycles told
  std::size_t current() const { return current_; }

 private:
  LifecycleFacts& at(std::size_t i) { return all_[i & mask_]; }

  void begin() {
    current_ = count_++;
    // Kept in a slot of its own; with Keep::Window, the slot of one that left the window
    // long before (and left the index then).
    if ((current_ & mask_) == all_.size()) all_.emplace_back();
    else at(current_) = LifecycleFacts{};
    // The lifecycle that leaves the window leaves the index.
    if (count_ > kMatchWindow) unindex(count_ - 1 - kMatchWindow);
  }
  // The device time going on, the boot estimate `boot` more than kMatchUs below the current
  // lifecycle's anchor: the logger's clock was set back. A logger takes no delay away, so
  // the estimate says nothing of the boot: the lifecycle keeps its anchor, and this ECU's
  // later storage times count in the clock before the jump (this message as one received
  // without delay: `boot` becomes the anchor), so that a later boot is not taken for an
  // earlier one.
  void set_back(std::int64_t& boot) {
    clock_shift_us_ += at(current_).anchor_us - boot;
    boot = at(current_).anchor_us;
  }
  // Gives lifecycle `i` (current, in the window) the anchor `anchor`, and keeps the index.
  void set_anchor(std::size_t i, std::int64_t anchor) {
    LifecycleFacts& l = at(i);
    if (l.has_anchor) unindex(i);
    l.anchor_us = anchor;
    l.has_anchor = true;
    const Entry e{anchor, i};
    by_anchor_.insert(first_not_below(e), e);  // (no entry equals it: indexes differ)
  }
  void unindex(std::size_t i) {
    const LifecycleFacts& l = at(i);
    if (!l.has_anchor) return;
    const auto it = first_not_below(Entry{l.anchor_us, i});
    if (it != by_anchor_.end() && it->second == i) by_anchor_.erase(it);
  }
  // Makes current the lifecycle the message (boot estimate `boot`, device time `device`)
  // belongs to, if any among the last kMatchWindow (a bound on the work per message
  // whatever the input's device times): the one whose anchor lies closest to `boot` within
  // kMatchUs (the current one too: an earlier region of it), else one it arrived late for
  // (kMaxDelayUs).
  // The lifecycles with an anchor among the last kMatchWindow are in by_anchor_, ordered by
  // anchor (then index), so that each search looks at the anchors near `boot` only: a scan
  // of the whole window per message cost half of a --stats run on a log whose device times
  // jump about (every message's boot estimate is another).
  bool switch_to(bool has_boot, std::int64_t boot, std::uint32_t device) {
    if (!has_boot) return false;
    constexpr std::size_t kNone = ~std::size_t{0};
    std::size_t best = kNone;
    std::int64_t best_distance = 0;
    for (auto it = first_not_below(Entry{boot - kMatchUs, 0}); it != by_anchor_.end() && it->first <= boot + kMatchUs;
         ++it) {
      const std::int64_t distance = std::abs(boot - it->first);
      if (best == kNone || distance < best_distance || (distance == best_distance && it->second < best)) {
        best = it->second;
        best_distance = distance;
      }
    }
    if (best == kNone) {
      // One it arrived late for: the latest whose anchor lies below `boot` by kMaxDelayUs at most.
      for (auto it = first_not_below(Entry{boot - kMaxDelayUs, 0}); it != by_anchor_.end() && it->first < boot; ++it) {
        const LifecycleFacts& l = at(it->second);
        if (l.has_device_time && std::int64_t{device} * 100 + kMatchUs >= std::int64_t{l.max_device_time} * 100 &&
            device - std::int64_t{l.max_device_time} <= kContinuity && (best == kNone || it->second > best))
          best = it->second;
      }
    }
    if (best == kNone) return false;
    current_ = best;
    return true;
  }

  // An anchor and its lifecycle's index, ordered by both. Trivially copyable (not a
  // std::pair, whose assignment is not), so that the index's inserts and erases are one
  // memmove each rather than a loop of assignments: that loop took a quarter of a --stats
  // run on a log whose device times jump about.
  struct Entry {
    std::int64_t first;
    std::size_t second;
    // Without branches (bitwise, both sides evaluated): see first_not_below.
    friend constexpr bool operator<(const Entry& a, const Entry& b) {
      return (a.first < b.first) | ((a.first == b.first) & (a.second < b.second));
    }
  };
  // std::lower_bound over by_anchor_, its steps chosen by conditional moves, not branches:
  // the anchors of a log whose device times jump about are random, and the mispredicted
  // branches of std::lower_bound cost more than the rest of its search.
  std::vector<Entry>::iterator first_not_below(const Entry& key) {
    std::size_t n = by_anchor_.size();
    if (n == 0) return by_anchor_.begin();
    const Entry* base = by_anchor_.data();
    while (n > 1) {
      const std::size_t half = n / 2;
      base = base[half] < key ? base + half : base;
      n -= half;
    }
    return by_anchor_.begin() + ((base - by_anchor_.data()) + (*base < key));
  }

  std::size_t mask_;                 // a lifecycle's index → its slot in all_ (Keep)
  std::vector<LifecycleFacts> all_;  // by slot
  std::size_t count_ = 0;            // lifecycles told
  std::int64_t clock_shift_us_ = 0;  // added to storage times: the logger's jumps back undone
  std::vector<Entry> by_anchor_;     // see switch_to: at most kMatchWindow entries
  std::size_t current_ = 0;
};

}  // namespace dltdump::dlt
