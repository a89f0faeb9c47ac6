// Test helpers of the API tests: a temporary folder removed with its files, and inputs
// made in it by the project's generator (tools/dltgen, its path the build's DLTGEN).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace dltdump::test {

struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dltdump-api-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string operator/(const std::string& name) const { return (std::filesystem::path(path) / name).string(); }
  std::string path;
};

// `dir`/`name` made by dltgen with `options` (its summary line thrown away).
inline std::string dltgen(const TempDir& dir, const std::string& name, const std::string& options) {
  const std::string path = dir / name;
  const std::string command = std::string(DLTGEN) + " " + options + " -o '" + path + "' > /dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return path;
}

}  // namespace dltdump::test
