#include "util/stop_signal.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>

namespace dltdump::util {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free number");

extern "C" void on_stop_signal(int signal) {
  // The first signal names the stop (its exit code): a second one, or the stop relayed to
  // a writing thread (interrupt_for_stop), changes nothing.
  int none = 0;
  g_signal.compare_exchange_strong(none, signal, std::memory_order_relaxed);
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaddset(&action.sa_mask, SIGINT);  // one handler at a time: the number is the flag's
  sigaddset(&action.sa_mask, SIGTERM);
  action.sa_flags = 0;  // no SA_RESTART: a blocked poll() returns with EINTR at once
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>& stop_flag() noexcept { return g_stop; }
bool stop_requested() noexcept { return g_stop.load(std::memory_order_relaxed); }
int stop_signal() noexcept { return g_signal.load(std::memory_order_relaxed); }
void interrupt_for_stop(std::thread& thread) noexcept {
  const int signal = stop_signal();
  if (signal != 0 && thread.joinable()) pthread_kill(thread.native_handle(), signal);
}
void request_stop() noexcept { g_stop.store(true, std::memory_order_relaxed); }
void clear_stop() noexcept {
  g_stop.store(false, std::memory_order_relaxed);
  g_signal.store(0, std::memory_order_relaxed);
}

}  // namespace dltdump::util
