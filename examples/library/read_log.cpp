// Prints the messages of a DLT file (or capture) that pass a filter, one line each:
//   <time µs> <counter> <ecu> <app> <ctx> <type> <payload text>
// Usage: read_log [-F FIBEX]... FILE [APPID [LEVEL]]     e.g. read_log trip.dlt NAV warn
// -F: FIBEX files or folders describing non-verbose messages (as dltdump -F).
#include <dltdump/dltdump.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> fibex;
  int first = 1;
  while (first + 1 < argc && std::string_view(argv[first]) == "-F") {
    fibex.emplace_back(argv[first + 1]);
    first += 2;
  }
  argc -= first - 1;
  argv += first - 1;
  if (argc < 2) {
    std::fprintf(stderr, "usage: read_log [-F FIBEX]... FILE [APPID [LEVEL]]\n");
    return 2;
  }
  try {
    dltdump::ReaderOptions options;
    if (!fibex.empty()) options.catalogue.emplace(fibex);
    dltdump::Filter filter;
    if (argc > 2) filter.appid(argv[2]);
    if (argc > 3) {
      for (auto level : {dltdump::Level::fatal, dltdump::Level::error, dltdump::Level::warn, dltdump::Level::info,
                         dltdump::Level::debug, dltdump::Level::verbose})
        if (dltdump::name(level) == argv[3]) filter.level(level);
    }
    dltdump::Reader reader{argv[1], filter, options};
    for (const dltdump::Message& m : reader) {
      const std::string text = m.text();
      std::printf("%lld %u %s %s %s %.*s %s\n", static_cast<long long>(m.time().time_since_epoch().count()),
                  m.counter(), m.ecu().str().c_str(), m.app().str().c_str(), m.ctx().str().c_str(),
                  static_cast<int>(m.type_text().size()), m.type_text().data(), text.c_str());
    }
  } catch (const dltdump::Error& e) {
    std::fprintf(stderr, "read_log: %s\n", e.what());
    return 1;
  }
  return 0;
}
