// Which file a path or descriptor names, by device and inode: two names of one file (links,
// `./a` and `a`, a symlink) compare equal, a new file of the same name does not.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>

namespace dltdump::util {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The file `path` names (symlinks followed), or nothing if it does not exist.
inline std::optional<FileIdentity> identity_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

// The file open on `fd` (for standard input, only if it is a regular file: a pipe or
// terminal cannot be overwritten by name).
inline std::optional<FileIdentity> identity_of_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino};
}

// `path` made absolute against the current directory, without touching the file system
// beyond getcwd (the file need not exist).
std::string absolute_path(const std::string& path);

// Whether `path` names what this process has open as its standard output or error — the
// console by another name (/dev/fd/1, /proc/self/fd/2, the terminal's device, the file
// standard output was redirected to) — but /dev/null, which takes anything unseen. A
// library writing there would mix into its host program's own output.
bool names_standard_stream(const std::string& path);

}  // namespace dltdump::util
