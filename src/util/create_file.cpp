#include "util/create_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

#include "util/error.hpp"
#include "util/file_identity.hpp"
#include "util/stop_signal.hpp"

namespace dltdump::util {

namespace {

// A device or pipe that takes bytes without keeping them as a file.
bool is_stream(const std::string& name) {
  struct stat st {};
  return ::stat(name.c_str(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

// A name of one of this process's open descriptors (`/dev/stderr`, `/dev/fd/N`,
// `/proc/self/fd/N`): whoever started the run opened what is behind it (a shell's `2>log`),
// so it is written where it ends, neither refused nor truncated. (A tester's finding:
// `-o /dev/stderr 2>log` said the file exists; with -f it would have emptied the log.)
bool names_own_descriptor(const std::string& name) {
  std::string_view number;
  if (name == "/dev/stderr") number = "2";
  for (std::string_view dir : {"/dev/fd/", "/proc/self/fd/"})
    if (name.size() > dir.size() && name.starts_with(dir)) number = std::string_view(name).substr(dir.size());
  if (number.empty() || number.find_first_not_of("0123456789") != std::string_view::npos || number.size() > 9)
    return false;
  return ::fcntl(std::atoi(std::string(number).c_str()), F_GETFD) >= 0;
}

// Opening a FIFO waits for a reader, maybe forever: a stop request (SIGINT, SIGTERM: the
// handler interrupts the open, util/stop_signal.hpp) ends the wait with util::Stopped (a
// new user's finding: `-o fifo` without a reader ignored Ctrl-C).
int open_retrying(const std::string& name, int flags) {
  int fd;
  for (;;) {
    fd = ::open(name.c_str(), flags, 0666);
    if (fd >= 0 || errno != EINTR) return fd;
    throw_if_stopped();
  }
}

// A name that exists: a directory is said to be one (`-o .` read "The file '/x/.' already
// exists.", and with -f "(Is a directory)").
[[noreturn]] void throw_exists(const std::string& name) {
  struct stat st {};
  if (::stat(name.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw creation_error(name, "Cannot write to '" + absolute_path(name) + "': it is a directory.");
  throw creation_error(name, "The file '" + absolute_path(name) + "' already exists.");
}

}  // namespace

int create_file(const std::string& name, bool force, const std::string& what) {
  int fd = names_own_descriptor(name)
               ? open_retrying(name, O_WRONLY | O_CLOEXEC | O_APPEND)
               : open_retrying(name, O_WRONLY | O_CLOEXEC | O_CREAT | (force ? O_TRUNC : O_EXCL));
  if (fd < 0 && errno == EEXIST && is_stream(name)) fd = open_retrying(name, O_WRONLY | O_CLOEXEC);
  if (fd >= 0) return fd;
  const int err = errno;
  if (err == EEXIST || err == EISDIR) throw_exists(name);
  throw creation_error(name, with_os_reason("Couldn't create the " + what + " " + absolute_path(name), err));
}

void refuse_existing(const std::string& name) {
  struct stat st {};
  if (::lstat(name.c_str(), &st) == 0 && !is_stream(name) && !names_own_descriptor(name)) throw_exists(name);
}

}  // namespace dltdump::util
