#include "input/directory_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
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

namespace {

// What a walk found below a directory, as paths relative to it.
struct Found {
  std::vector<std::string> inputs;                           // files, and directories that cannot be read
  std::vector<std::pair<std::string, const char*>> special;  // FIFOs, sockets and devices: relative path, kind
};

// Adds what directory `root`/`rel` holds (`rel` empty: `root` itself) to `found`, and what
// its subdirectories hold. A directory that cannot be listed (or whose listing breaks off)
// is an input itself, in its place: opening it fails, as a file that cannot be opened
// fails; what was listed of it before a break stays.
void walk(const fs::path& root, const fs::path& rel, Found& found) {
  std::error_code ec;
  fs::directory_iterator it(root / rel, fs::directory_options::none, ec);
  const fs::directory_iterator end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const fs::path name = p.filename();
    if (name.string().starts_with(".")) continue;  // files and directories alike
    // Followed through a symbolic link; a link that leads nowhere fails to tell.
    std::error_code entry_ec;
    const fs::file_status status = it->status(entry_ec);
    std::error_code link_ec;
    if (fs::is_directory(it->symlink_status(link_ec))) {
      walk(root, rel / name, found);  // a real one; a link to one is not followed (no loops)
    } else if (fs::is_directory(status)) {
      continue;
    } else if (fs::is_regular_file(status) || entry_ec || status.type() == fs::file_type::not_found) {
      found.inputs.push_back((rel / name).string());  // opening says what is wrong with it
    } else {
      found.special.emplace_back((rel / name).string(), special_kind(status.type()));
    }
  }
  if (ec) found.inputs.push_back(rel.string());
}

}  // namespace

DirectoryInputs files_below(const InputSpec& dir) {
  Found found;
  const fs::path root(dir.path);
  walk(root, fs::path(), found);
  std::sort(found.inputs.begin(), found.inputs.end());
  DirectoryInputs inputs;
  inputs.files.reserve(found.inputs.size());
  std::string prefix = dir.argument;
  if (!prefix.ends_with('/')) prefix += '/';
  for (const std::string& r : found.inputs) {
    if (r.empty()) {
      inputs.files.push_back(dir);  // `dir` itself cannot be read
      continue;
    }
    InputSpec spec;
    spec.kind = InputKind::File;
    spec.argument = prefix + r;
    spec.path = (root / r).string();
    inputs.files.push_back(std::move(spec));
  }
  std::sort(found.special.begin(), found.special.end());
  for (const auto& [path, kind] : found.special) {
    const std::string name = prefix + path;
    inputs.warnings.push_back(
        {util::Culprit::Input, name,
         "Option 'recursive' skips " + util::quoted(name) + ": " + kind + ", read only when named as an input"});
  }
  if (inputs.files.empty())
    inputs.warnings.push_back(
        {util::Culprit::Input, dir.argument, "Option 'recursive' finds no file in " + util::quoted(dir.argument)});
  return inputs;
}

}  // namespace dltdump::input
