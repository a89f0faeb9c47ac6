#include "util/create_file.hpp"

#include <fcntl.h>

#include <cerrno>

#include "util/error.hpp"
#include "util/file_identity.hpp"

namespace dltdump::util {

int create_file(const std::string& name, bool force, const std::string& what) {
  const int flags = O_WRONLY | O_CLOEXEC | O_CREAT | (force ? O_TRUNC : O_EXCL);
  int fd;
  do fd = ::open(name.c_str(), flags, 0666);
  while (fd < 0 && errno == EINTR);
  if (fd >= 0) return fd;
  const int err = errno;
  if (err == EEXIST) throw creation_error(name, "The file '" + absolute_path(name) + "' already exists.");
  throw creation_error(name, with_os_reason("Couldn't create the " + what + " " + absolute_path(name), err));
}

}  // namespace dltdump::util
