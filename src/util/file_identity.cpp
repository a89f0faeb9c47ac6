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

}  // namespace dltdump::util
