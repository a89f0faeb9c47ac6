#include "util/shrink_guard.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace dltdump::util {

namespace {

// One guarded mapping. `begin` 0 is a free slot; `taken` reserves a slot while it is being
// filled, so the handler never sees half a registration (it reads begin last-written).
// Every member starts at zero, so the table is zero-initialised memory (no 512 KiB of
// initial values in the binary): `fd_plus_one` 0 is no descriptor.
struct Slot {
  std::atomic<bool> taken{false};
  std::atomic<std::uintptr_t> begin{0};
  std::atomic<std::size_t> size{0};
  std::atomic<int> fd_plus_one{0};
  std::atomic<bool> faulted{false};
  // poll() calls in the slot: release() waits for them, so that poll's fstat never meets a
  // descriptor its owner closed (or, worse, one reused by another file: a false cut).
  std::atomic<int> polling{0};
};

Slot g_slots[ShrinkGuard::kSlots];
std::atomic<std::size_t> g_high{0};      // slots [0, g_high) have been taken at some time
std::atomic<std::uint64_t> g_faults{0};  // faults turned into zeros (ShrinkGuard::faults)
static_assert(std::atomic<std::uintptr_t>::is_always_lock_free && std::atomic<bool>::is_always_lock_free &&
                  std::atomic<std::uint64_t>::is_always_lock_free,
              "the signal handler reads the slots");

// Only async-signal-safe calls here: mmap and sigaction are system calls.
void on_sigbus(int sig, siginfo_t* info, void*) {
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::size_t high = g_high.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < high; ++i) {
    Slot& s = g_slots[i];
    const std::uintptr_t begin = s.begin.load(std::memory_order_acquire);
    const std::size_t size = s.size.load(std::memory_order_relaxed);
    if (begin == 0 || addr < begin || addr - begin >= size) continue;
    // Zeros from the faulting page to the end of the mapping: one call, and every later
    // read past the new end succeeds without another fault.
    const std::uintptr_t from = addr / page * page;
    void* p = ::mmap(reinterpret_cast<void*>(from), begin + size - from, PROT_READ,
                     MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      s.faulted.store(true, std::memory_order_release);
      g_faults.fetch_add(1, std::memory_order_acq_rel);
      return;
    }
    break;
  }
  // Not ours (or no memory to map): the default action, when the instruction is retried.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigemptyset(&dfl.sa_mask);
  ::sigaction(sig, &dfl, nullptr);
}

void install_handler() {
  struct sigaction sa {};
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  ::sigemptyset(&sa.sa_mask);
  ::sigaction(SIGBUS, &sa, nullptr);
}

}  // namespace

int ShrinkGuard::guard(const void* begin, std::size_t size, int fd) noexcept {
  static std::once_flag once;
  std::call_once(once, install_handler);
  for (std::size_t i = 0; i < kSlots; ++i) {
    Slot& s = g_slots[i];
    bool expected = false;
    if (!s.taken.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) continue;
    s.faulted.store(false, std::memory_order_relaxed);
    s.size.store(size, std::memory_order_relaxed);
    s.fd_plus_one.store(fd + 1, std::memory_order_relaxed);
    // Seen by the handler before the mapping is: `begin` is stored after g_high.
    std::size_t high = g_high.load(std::memory_order_relaxed);
    while (high < i + 1 && !g_high.compare_exchange_weak(high, i + 1, std::memory_order_acq_rel)) {
    }
    s.begin.store(reinterpret_cast<std::uintptr_t>(begin), std::memory_order_release);
    return static_cast<int>(i);
  }
  return -1;
}

void ShrinkGuard::release(int slot) noexcept {
  if (slot < 0) return;
  Slot& s = g_slots[slot];
  // With poll(): a store then a load on each side, sequentially consistent, so either poll
  // sees the slot free or this sees poll in it and waits (a few system calls at most).
  s.begin.store(0, std::memory_order_seq_cst);
  while (s.polling.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
  s.size.store(0, std::memory_order_relaxed);
  s.fd_plus_one.store(0, std::memory_order_relaxed);
  s.taken.store(false, std::memory_order_release);
}

std::uint64_t ShrinkGuard::faults() noexcept { return g_faults.load(std::memory_order_acquire); }

const std::atomic<bool>* ShrinkGuard::cut_flag(int slot) noexcept {
  static const std::atomic<bool> never{false};
  return slot >= 0 ? &g_slots[slot].faulted : &never;
}

void ShrinkGuard::poll() noexcept {
  const std::size_t high = g_high.load(std::memory_order_acquire);
  for (std::size_t i = 0; i < high; ++i) {
    Slot& s = g_slots[i];
    if (s.begin.load(std::memory_order_acquire) == 0 || s.faulted.load(std::memory_order_relaxed)) continue;
    s.polling.fetch_add(1, std::memory_order_seq_cst);
    if (s.begin.load(std::memory_order_seq_cst) != 0) {  // still registered: the descriptor is open
      const int fd = s.fd_plus_one.load(std::memory_order_relaxed) - 1;
      struct stat st {};
      if (fd >= 0 && ::fstat(fd, &st) == 0 &&
          static_cast<std::size_t>(st.st_size) < s.size.load(std::memory_order_relaxed))
        s.faulted.store(true, std::memory_order_release);
    }
    s.polling.fetch_sub(1, std::memory_order_release);
  }
}

}  // namespace dltdump::util
