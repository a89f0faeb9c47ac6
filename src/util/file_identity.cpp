#include "util/file_identity.hpp"

#include <unistd.h>

#include <climits>

namespace dltdump::util {

std::string absolute_path(const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  std::string p = cwd;
  if (p.back() != '/') p += '/';
  return p + (path.rfind("./", 0) == 0 ? path.substr(2) : path);
}

bool names_standard_stream(const std::string& path) {
  struct stat named {};
  if (::stat(path.c_str(), &named) != 0) return false;
  const auto same = [&](const struct stat& other) {
    return other.st_dev == named.st_dev && other.st_ino == named.st_ino;
  };
  struct stat null {};
  if (::stat("/dev/null", &null) == 0 && same(null)) return false;
  for (const int fd : {STDOUT_FILENO, STDERR_FILENO}) {
    struct stat open {};
    if (::fstat(fd, &open) == 0 && same(open)) return true;
  }
  return false;
}

}  // namespace dltdump::util
