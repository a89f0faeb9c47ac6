#include "util/status_line.hpp"

#include <string>

#include "util/fd_writer.hpp"

namespace dltdump::util {

namespace {
std::mutex status_mutex;
int status_fd = -1;  // where the status line is shown; -1: none shown

// Erases the shown line: to its start, then to the end of the line (ECMA-48 EL).
void clear_locked() {
  if (status_fd < 0) return;
  write_all(status_fd, "\r\x1b[K");  // standard error gone: nothing to clear
  status_fd = -1;
}
}  // namespace

void show_status_line(int fd, std::string_view text) {
  const std::lock_guard lock(status_mutex);
  std::string s = "\r";
  s += text;
  s += "\x1b[K";
  if (write_all(fd, s)) status_fd = fd;
}

void clear_status_line() {
  const std::lock_guard lock(status_mutex);
  clear_locked();
}

std::unique_lock<std::mutex> hold_status_line() {
  std::unique_lock lock(status_mutex);
  clear_locked();
  return lock;
}

void write_diagnostic(int fd, std::string_view line) {
  const auto held = hold_status_line();
  std::string s(line);
  s += '\n';
  write_all(fd, s);
}

}  // namespace dltdump::util
