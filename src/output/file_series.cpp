#include "output/file_series.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/create_file.hpp"
#include "util/error.hpp"

namespace dltdump::output {

FileSeries::FileSeries(FileSeriesOptions options)
    : template_(options.name_template),
      // §6.3: silently ignored otherwise; a lifecycle's file is not split
      split_bytes_(template_.can_split() && !template_.has_lifecycle() ? options.split_bytes : 0),
      force_(options.force), not_standard_streams_(options.not_standard_streams), inputs_(std::move(options.inputs)) {}

FileSeries::~FileSeries() { close(); }

void FileSeries::begin_input(std::string_view path, bool member) {
  stem_ = file_stem(path);
  input_ = path;
  member_ = member;
  if (!template_.has_file()) return;  // concatenated: the series goes on
  close();
  series_.clear();
  lifecycle_files_.clear();
  counter_ = 1;
}

bool FileSeries::was_created(const std::string& name) const {
  const auto id = util::identity_of(name);
  return id && std::find(created_.begin(), created_.end(), *id) != created_.end();
}

std::uint64_t FileSeries::open(util::Timestamp time, std::uint64_t lifecycle) {
  close();
  const std::string name = template_.expand({stem_, counter_, time, lifecycle});
  const bool continues =
      (!series_.empty() && series_.back() == name) || (template_.has_lifecycle() && lifecycle_files_.contains(name));
  if (!continues && was_created(name)) {
    // Two inputs of one base name (`-o %FILE%.txt` over x/a.dlt and y/a.dlt, or two
    // members of one archive): the file's name alone does not say which inputs met, and
    // the second is dropped; their names say it.
    const auto id = util::identity_of(name);
    const auto i = static_cast<std::size_t>(std::find(created_.begin(), created_.end(), *id) - created_.begin());
    if (member_ || creator_members_[i] || creators_[i] != input_)
      throw util::creation_error(name, "Not overwriting previously created file " + name + " (the output of " +
                                           creators_[i] + ") with the output of " + input_ + ".");
    throw util::creation_error(name, "Not overwriting previously created file " + name + ".");
  }
  if (const auto id = util::identity_of(name); id && std::find(inputs_.begin(), inputs_.end(), *id) != inputs_.end())
    throw util::creation_error(name, "Not overwriting the input file " + util::absolute_path(name) + ".");
  if (not_standard_streams_ && util::names_standard_stream(name))
    throw util::creation_error(name, "Not writing " + name +
                                         ": it names this program's standard output or error, which the library "
                                         "does not write.");

  int fd;
  if (continues) {
    do fd = ::open(name.c_str(), O_WRONLY | O_CLOEXEC | O_APPEND);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
      const int err = errno;
      throw util::creation_error(
          name, util::with_os_reason("Couldn't create the output file " + util::absolute_path(name), err));
    }
  } else {
    fd = util::create_file(name, force_);
  }
  std::uint64_t size = 0;
  if (continues) {
    struct stat st {};
    if (::fstat(fd, &st) == 0) size = static_cast<std::uint64_t>(st.st_size);
    limit_ += split_bytes_ / 5;
  } else {
    series_.push_back(name);
    if (template_.has_lifecycle()) lifecycle_files_.insert(name);
    limit_ = split_bytes_;
    if (const auto id = util::identity_of_fd(fd)) {
      created_.push_back(*id);
      creators_.push_back(input_);
      creator_members_.push_back(member_);
    }
  }
  fd_ = fd;
  name_ = name;
  return size;
}

void FileSeries::close(bool full) {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  if (full) ++counter_;
}

}  // namespace dltdump::output
