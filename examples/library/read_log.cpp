// Prints the messages of a DLT file (or capture) that pass a filter, one line each:
//   <time µs> <counter> <ecu> <app> <ctx> <type> <payload text>
// Usage: read_log FILE [APPID [LEVEL]]     e.g. read_log trip.dlt NAV warn
#include <dltdump/dltdump.hpp>

#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: read_log FILE [APPID [LEVEL]]\n");
    return 2;
  }
  try {
    dltdump::Filter filter;
    if (argc > 2) filter.appid(argv[2]);
    if (argc > 3) {
      for (auto level : {dltdump::Level::fatal, dltdump::Level::error, dltdump::Level::warn, dltdump::Level::info,
                         dltdump::Level::debug, dltdump::Level::verbose})
        if (dltdump::name(level) == argv[3]) filter.level(level);
    }
    dltdump::Reader reader{argv[1], filter};
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
