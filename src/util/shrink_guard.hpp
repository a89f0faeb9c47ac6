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
// Limits: the part of the file's last page past its new end reads as zeros without any
// fault (the kernel clears it), so a packet that the cut leaves incomplete is seen with
// zeros in place of its lost bytes — and for a DLT packet that is usually an invalid one.
// At most kSlots mappings are guarded at once; more are mapped unguarded.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dltdump::util {

class ShrinkGuard {
 public:
  static constexpr std::size_t kSlots = 64;

  // Guards the mapping [begin, begin + size) (page aligned `begin`). Installs the handler
  // on first use. Returns a slot for release(), or -1 when every slot is taken (the
  // mapping is then unguarded). Any thread.
  static int guard(const void* begin, std::size_t size) noexcept;
  // Stops guarding: call before the mapping is unmapped. `slot` may be -1.
  static void release(int slot) noexcept;
  // Whether a read of the slot's mapping has faulted since guard() (the mapping is now
  // zeros from some page on). `slot` may be -1 (false).
  static bool faulted(int slot) noexcept;
};

}  // namespace dltdump::util
