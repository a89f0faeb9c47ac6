// An ECU's lifecycles: the runs of its messages between restarts. One rule serves every
// part that tells them (--stats, --sort, --lifecycles, --lifecycle), so they all count the
// same lifecycles.
//
// A lifecycle is a run of an ECU's messages whose device time (uptime, 0.1 ms units) does
// not go back: a message whose device time falls more than restart_tolerance() below the
// largest of the current lifecycle begins the next one (the ECU restarted). Messages
// without device time belong to the current lifecycle. The rule needs nothing but the
// ECU's messages in the order they were recorded, so it works on recordings without
// storage times too; docs/sorting.md says what it assumes.
#pragma once

#include <cstdint>

namespace dltdump::dlt {

// How far below the lifecycle's largest device time a device time must fall to begin a
// new lifecycle: half that largest time, at most 10 s — a restart drops the uptime to near
// zero, while messages that one application buffered arrive a little late.
inline constexpr std::uint32_t restart_tolerance(std::uint32_t max_device_time) {
  return max_device_time / 2 < 100000 ? max_device_time / 2 : 100000;
}

// Where one ECU stands: which of its lifecycles is current, and that lifecycle's largest
// device time so far. A plain value: copy it to resume the rule from the same point.
struct LifecycleState {
  std::uint64_t number = 0;  // the current lifecycle, 1 for the ECU's first; 0 before any message
  bool has_device_time = false;
  std::uint32_t max_device_time = 0;

  // The ECU's next message, with device time `device_time` if `has_device` (WTMS set).
  // Returns true if it begins a lifecycle (the ECU's first message, or a restart); then
  // `number` is the new lifecycle's.
  bool step(bool has_device, std::uint32_t device_time) {
    if (number == 0) {
      number = 1;
      has_device_time = has_device;
      max_device_time = has_device ? device_time : 0;
      return true;
    }
    if (!has_device) return false;
    if (!has_device_time) {
      has_device_time = true;
      max_device_time = device_time;
    } else if (std::uint64_t{device_time} + restart_tolerance(max_device_time) < max_device_time) {
      ++number;
      max_device_time = device_time;
      return true;
    } else if (device_time > max_device_time) {
      max_device_time = device_time;
    }
    return false;
  }
};

}  // namespace dltdump::dlt
