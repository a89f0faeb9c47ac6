#include "input/directory_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::input {

namespace fs = std::filesystem;

namespace {

// What a warning calls an entry of kind `type` that is no regular file.
const char* special_kind(fs::file_type type) {
  switch (type) {
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    default: return "not a regular file";
  }
}

}  // namespace

bool is_directory(const InputSpec& spec) {
  std::error_code ec;
  return spec.kind == InputKind::File && fs::is_directory(spec.path, ec);
}

DirectoryInputs files_below(const InputSpec& dir) {
  std::vector<std::string> relative;
  std::vector<std::pair<std::string, const char*>> special;  // FIFOs, sockets and devices: relative path, kind
  std::error_code ec;
  const fs::path root(dir.path);
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // Followed through a symbolic link; a link that leads nowhere fails to tell (its own
    // error code: `ec` is the walk's).
    std::error_code entry_ec;
    const fs::file_status status = it->status(entry_ec);
    if (fs::is_directory(status)) continue;  // the walk enters a real one; a link to one is not followed
    if (fs::is_regular_file(status) || entry_ec || status.type() == fs::file_type::not_found) {
      relative.push_back(p.lexically_relative(root).string());  // opening says what is wrong with it
    } else {
      special.emplace_back(p.lexically_relative(root).string(), special_kind(status.type()));
    }
  }
  if (ec)
    throw util::input_uri_error(dir.argument,
                                util::with_os_reason("Cannot read the directory " + dir.argument, ec.value()));
  if (relative.empty()) throw util::input_uri_error(dir.argument, "The directory " + dir.argument + " holds no file");
  std::sort(relative.begin(), relative.end());
  DirectoryInputs inputs;
  inputs.files.reserve(relative.size());
  std::string prefix = dir.argument;
  if (!prefix.ends_with('/')) prefix += '/';
  for (const std::string& r : relative) {
    InputSpec spec;
    spec.kind = InputKind::File;
    spec.argument = prefix + r;
    spec.path = (root / r).string();
    inputs.files.push_back(std::move(spec));
  }
  std::sort(special.begin(), special.end());
  for (const auto& [path, kind] : special) {
    const std::string name = prefix + path;
    inputs.warnings.push_back(
        {util::Culprit::Input, name,
         "Option 'recursive' skips " + util::quoted(name) + ": " + kind + ", read only when named as an input"});
  }
  return inputs;
}

}  // namespace dltdump::input
