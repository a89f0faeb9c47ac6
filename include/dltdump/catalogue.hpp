// FIBEX catalogues: what describes non-verbose messages (--fibex).
//
// Loaded once from one or more FIBEX files (or folders of them), read-only from then on:
// copies share it, and any number of Readers on any threads may use it at once. A
// Reader keeps the catalogue it was given alive.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dltdump/export.hpp"

namespace dltdump {

// How a message finds its frame (--nv-lookup).
struct CatalogueLookup {
  bool per_ecu = false;  // frames only of files of the message's ECU
  bool id_only = false;  // the message id alone selects the frame
};

class DLTDUMP_API Catalogue {
 public:
  // Reads `paths`. Throws Error (fibex) when a file cannot be read or is no FIBEX file.
  // What the command line refuses with exit 6 but a program may accept — duplicates,
  // missing ids — is listed in warnings().
  explicit Catalogue(const std::vector<std::string>& paths, CatalogueLookup lookup = {});
  // The loader's warnings, one line each: `[<file>] <name> : XML Line <l> Pos <c>`, ….
  const std::vector<std::string>& warnings() const noexcept;
  // What is said and is no fault, one line each: `[<file>] given twice: read once`.
  const std::vector<std::string>& notes() const noexcept;

  struct Impl;

 private:
  friend struct detail::Access;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace dltdump
