#include "input/directory_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "util/error.hpp"

namespace dltdump::input {

namespace fs = std::filesystem;

bool is_directory(const InputSpec& spec) {
  std::error_code ec;
  return spec.kind == InputKind::File && fs::is_directory(spec.path, ec);
}

std::vector<InputSpec> files_below(const InputSpec& dir) {
  std::vector<std::string> relative;
  std::error_code ec;
  const fs::path root(dir.path);
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) relative.push_back(p.lexically_relative(root).string());
  }
  if (ec)
    throw util::input_uri_error(dir.argument,
                                util::with_os_reason("Cannot read the directory " + dir.argument, ec.value()));
  if (relative.empty()) throw util::input_uri_error(dir.argument, "The directory " + dir.argument + " holds no file");
  std::sort(relative.begin(), relative.end());
  std::vector<InputSpec> files;
  files.reserve(relative.size());
  std::string prefix = dir.argument;
  if (!prefix.ends_with('/')) prefix += '/';
  for (const std::string& r : relative) {
    InputSpec spec;
    spec.kind = InputKind::File;
    spec.argument = prefix + r;
    spec.path = (root / r).string();
    files.push_back(std::move(spec));
  }
  return files;
}

}  // namespace dltdump::input
