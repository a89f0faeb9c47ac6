// Survives a mapped input file that shrinks while it is read.
//
// Reading a page of a file mapping that lies wholly past the file's end raises SIGBUS, and
// another program may cut a file at any moment (logrotate's copytruncate, a recorder that
// restarts). Rather than die, the process installs one SIGBUS handler that, for an address
// inside a registered mapping, maps anonymous zero pages over the rest of that mapping
// and returns: the faulting read is retried and sees zeros, which every framer and capture
// reader already treats as corrupt input (never as a packet). The owner of the mapping then
// finds out by asking the file's size (util::InputFile::shrunk_to) at its next check — after
// each window or block — and stops with one error naming the input.
//
// A SIGBUS at an address outside every registered mapping keeps its default action (the
// handler restores it and the fault is raised again).
//
// The part of the file's last page past its new end reads as zeros without any fault (the
// kernel clears it), so a packet that the cut leaves incomplete could be seen whole, with
// zeros in place of its lost bytes. Hence poll() and cut_flag(): a framer stops at its next
// packet once the cut is known. A cut made while a framer is inside the last page, between
// two polls, can still pass one such packet. At most kSlots mappings are guarded at once
// (a merge holds every input mapped: a folder of thousands of files); InputFile reads a
// file it cannot guard instead of mapping it, so no mapping is ever unguarded. The handler
// and poll() look at the slots up to the highest one ever taken only.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace dltdump::util {

class ShrinkGuard {
 public:
  static constexpr std::size_t kSlots = 16384;

  // Guards the mapping [begin, begin + size) (page aligned `begin`) of the file open as
  // `fd`. Installs the handler on first use. Returns a slot for release(), or -1 when every
  // slot is taken (the mapping is then unguarded). Any thread.
  static int guard(const void* begin, std::size_t size, int fd) noexcept;
  // Stops guarding: call before the mapping is unmapped and its descriptor closed. Waits
  // for a poll() on another thread that is asking this slot's file its size. `slot` may
  // be -1.
  static void release(int slot) noexcept;
  // Whether the slot's file was seen cut since guard(): a read of its mapping faulted (the
  // mapping is zeros from some page on), or poll() found it shorter. `slot` may be -1.
  static bool faulted(int slot) noexcept { return cut_flag(slot)->load(std::memory_order_acquire); }
  // The flag faulted() reads, for a loop that checks it per packet (a relaxed load); for
  // slot -1, a flag that is never set.
  static const std::atomic<bool>* cut_flag(int slot) noexcept;
  // Asks every guarded file's size (one fstat each) and flags those now shorter than their
  // mapping. Called where time passes — after an output write, which may have waited for a
  // slow reader — so that a decoder stops before it reads the bytes past a cut at all:
  // the part of the last page past the new end reads as zeros without any fault. Any
  // thread, also while others guard and release (a merge closes inputs on one thread while
  // another writes).
  static void poll() noexcept;
  // How many faults the handler has turned into zeros so far, in any mapping. A sink that
  // copies a packet's bytes out of a mapping reads it before and after the copy: if it
  // changed, the copy may hold zeros for bytes a cut took, and is not written.
  static std::uint64_t faults() noexcept;
};

}  // namespace dltdump::util
