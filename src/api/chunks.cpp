#include "dltdump/chunks.hpp"

#include "api/api_error.hpp"
#include "dlt/cut_points.hpp"
#include "input/format_sniff.hpp"
#include "input/input_spec.hpp"
#include "util/input_file.hpp"

namespace dltdump {

std::vector<std::uint64_t> chunk_points(const std::string& path, std::uint64_t chunk_bytes, Format format) {
  try {
    api::check_name(path);
    if (chunk_bytes == 0 || (format != Format::automatic && format != Format::file)) return {};
    const input::InputSpec spec = input::parse_input_argument(path);
    if (spec.is_live() || spec.kind == input::InputKind::Stdin) return {};
    // Opened as it is, not decompressed: compressed data is not cut, and a decompressing
    // thread would be started for nothing. The Reader of a chunk checks the same.
    util::InputFile file = util::InputFile::open(spec.path);
    if (!file.is_mapped() || file.whole().empty()) return {};
    if (!input::confirms(input::sniff_content([&](std::size_t n) { return file.head(n); }), input::InputFormat::File))
      return {};
    dlt::CutPoints cuts(file.whole(), chunk_bytes);
    std::vector<std::uint64_t> points;
    for (std::size_t k = 0; cuts.exists(k); ++k) points.push_back(cuts.at(k));
    points.push_back(file.whole().size());
    return points;
  } catch (...) {
    api::rethrow_as_api_error(path, std::nullopt);
  }
}

}  // namespace dltdump
