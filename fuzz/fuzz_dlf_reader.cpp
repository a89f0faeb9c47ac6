// Fuzz target: the dlt-viewer filter file reader (--filter-file) on arbitrary documents
// (truncated XML, unknown elements, odd numbers, bad patterns), then the filters compiled
// and judged. Reading may refuse the document and compiling a pattern (util::Error, an
// option error: anything else aborts); it must never crash, leak or hang. Every warning is
// one line. For a set of lines, a verdict judge_header gives without the text must be the
// verdict judge gives with any text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "filter/dlf_file.hpp"
#include "filter/dlf_filter.hpp"
#include "util/error.hpp"

using namespace dltdump;
using filter::DlfFilter;

namespace {

DlfFilter::Fields fields(const char* ecu, const char* app, const char* ctx, int type, std::uint32_t id) {
  DlfFilter::Fields f;
  f.ecu = dlt::Id::from_text(ecu);
  f.app = dlt::Id::from_text(app);
  f.ctx = dlt::Id::from_text(ctx);
  f.type = type;
  f.message_id = id;
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view doc(reinterpret_cast<const char*>(data), size);
  filter::DlfFile file;
  try {
    file = filter::parse_dlf("f.dlf", doc);
  } catch (const util::Error& e) {
    if (e.exit_code() != util::ExitCode::OptionError) std::abort();
    return 0;
  }
  for (const std::string& w : file.warnings)
    if (w.find('\n') != std::string::npos || w.rfind("Filter file 'f.dlf'", 0) != 0) std::abort();
  try {
    const DlfFilter d(file.rules);
    auto scratch = filter::TextSearch({}, {}, false).scratch();
    // Lines of every kind the fields tell apart: ids the seeds use, none, odd bytes; log
    // levels, control, trace, no type; message ids around the usual bounds.
    const DlfFilter::Fields lines[] = {
        fields("ECU1", "NAV", "GPS", 0x40, 0),   fields("ECU1", "NAV", "CTX1", 0x20, 100),
        fields("TCB", "HMI", "NET", 0x10, 3984), fields("", "", "", -1, 7),
        fields("ECU2", "SYS", "MAIN", 0x16, 1),  fields("E", "\xFF\x01", "G\x80", 0x22, 0xFFFFFFFF),
        fields("ECU1", "SKIP", "SKIP", 0x30, 0), fields("ECU2", "MEDI", "TEST", 0x60, 200),
    };
    const std::string_view texts[] = {"", "radar speed 100", "Grüße ✓ NAVIGATION", "[3984] --c-|c3 9c",
                                      "timeout error"};
    for (const auto& f : lines) {
      const DlfFilter::Verdict v = d.judge_header(f);
      for (const std::string_view t : texts) {
        const bool whole =
            d.judge(f, t, "2024/03/01 10:00:00.000001 0.0000 3 ECU1 NAV GPS 0 log warn verbose 2", *scratch);
        if (v == DlfFilter::Verdict::Pass && !whole) std::abort();
        if (v == DlfFilter::Verdict::Fail && whole) std::abort();
      }
      if (!d.needs_text() && v == DlfFilter::Verdict::NeedText) std::abort();
    }
  } catch (const util::Error& e) {
    if (e.exit_code() != util::ExitCode::OptionError) std::abort();
  }
  return 0;
}
