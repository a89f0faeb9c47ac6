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
#include <utility>
#include <vector>

namespace dltdump::dlt {

// How far below the lifecycle's largest device time a device time must fall to begin a
// new lifecycle: half that largest time, at most 10 s — a restart drops the uptime to near
// zero, while messages that one application buffered arrive a little late.
inline constexpr std::uint32_t restart_tolerance(std::uint32_t max_device_time) {
  return max_device_time / 2 < 100000 ? max_device_time / 2 : 100000;
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
    if (all_.empty()) {
      begin();
    } else if (has_device && may_change) {
      const LifecycleFacts& c = all_[current_];
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
        if (!(c.has_device_time && device_time - c.max_device_time <= kContinuity)) {
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
    LifecycleFacts& l = all_[current_];
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
  const std::vector<LifecycleFacts>& lifecycles() const { return all_; }
  std::size_t current() const { return current_; }

 private:
  void begin() {
    all_.emplace_back();
    current_ = all_.size() - 1;
    // The lifecycle that leaves the window leaves the index.
    if (all_.size() > kMatchWindow) unindex(all_.size() - 1 - kMatchWindow);
  }
  // The device time going on, the boot estimate `boot` more than kMatchUs below the current
  // lifecycle's anchor: the logger's clock was set back. A logger takes no delay away, so
  // the estimate says nothing of the boot: the lifecycle keeps its anchor, and this ECU's
  // later storage times count in the clock before the jump (this message as one received
  // without delay: `boot` becomes the anchor), so that a later boot is not taken for an
  // earlier one.
  void set_back(std::int64_t& boot) {
    clock_shift_us_ += all_[current_].anchor_us - boot;
    boot = all_[current_].anchor_us;
  }
  // Gives lifecycle `i` (current, in the window) the anchor `anchor`, and keeps the index.
  void set_anchor(std::size_t i, std::int64_t anchor) {
    if (all_[i].has_anchor) unindex(i);
    all_[i].anchor_us = anchor;
    all_[i].has_anchor = true;
    const Entry e{anchor, i};
    by_anchor_.insert(std::upper_bound(by_anchor_.begin(), by_anchor_.end(), e), e);
  }
  void unindex(std::size_t i) {
    if (!all_[i].has_anchor) return;
    const auto at = std::lower_bound(by_anchor_.begin(), by_anchor_.end(), Entry{all_[i].anchor_us, i});
    if (at != by_anchor_.end() && at->second == i) by_anchor_.erase(at);
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
    std::size_t best = all_.size();
    std::int64_t best_distance = 0;
    for (auto it = std::lower_bound(by_anchor_.begin(), by_anchor_.end(), Entry{boot - kMatchUs, 0});
         it != by_anchor_.end() && it->first <= boot + kMatchUs; ++it) {
      const std::int64_t distance = std::abs(boot - it->first);
      if (best == all_.size() || distance < best_distance || (distance == best_distance && it->second < best)) {
        best = it->second;
        best_distance = distance;
      }
    }
    if (best == all_.size()) {
      // One it arrived late for: the latest whose anchor lies below `boot` by kMaxDelayUs at most.
      for (auto it = std::lower_bound(by_anchor_.begin(), by_anchor_.end(), Entry{boot - kMaxDelayUs, 0});
           it != by_anchor_.end() && it->first < boot; ++it) {
        const LifecycleFacts& l = all_[it->second];
        if (l.has_device_time && std::int64_t{device} * 100 + kMatchUs >= std::int64_t{l.max_device_time} * 100 &&
            device - std::int64_t{l.max_device_time} <= kContinuity && (best == all_.size() || it->second > best))
          best = it->second;
      }
    }
    if (best == all_.size()) return false;
    current_ = best;
    return true;
  }

  using Entry = std::pair<std::int64_t, std::size_t>;  // an anchor and its lifecycle's index

  std::vector<LifecycleFacts> all_;
  std::int64_t clock_shift_us_ = 0;  // added to storage times: the logger's jumps back undone
  std::vector<Entry> by_anchor_;     // see switch_to: at most kMatchWindow entries
  std::size_t current_ = 0;
};

}  // namespace dltdump::dlt
