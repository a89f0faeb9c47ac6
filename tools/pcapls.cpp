// pcapls: lists a PCAP or PCAP-NG file as the project's readers see it, one packet per
// line, so tests can compare it with tshark and capinfos:
//
//   <number> <interface> <link type> <seconds>.<nanoseconds> <captured> <original> <direction> <name>
//
// <interface> is the reader's index, unique across the sections of a PCAP-NG file (tshark
// numbers interfaces per section instead); <name> is the interface's if_name, or "-".
// `--count` prints only the packet count (the benchmark against `capinfos -c` and
// `tshark`); `--interfaces` lists the interfaces instead. Reads a path or "-" (stdin).
// Exit 1 with the reader's one-line message on a malformed file.
#include <cinttypes>
#include <cstdio>
#include <string>

#include "pcap/capture_reader.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"

int main(int argc, char** argv) {
  using namespace dltdump;
  bool count_only = false, list_interfaces = false;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--count") count_only = true;
    else if (a == "--interfaces") list_interfaces = true;
    else path = a;
  }
  if (path.empty()) {
    std::fprintf(stderr, "usage: pcapls [--count | --interfaces] FILE\n");
    return 2;
  }
  std::uint64_t n = 0;
  try {
    auto file = util::InputFile::open(path);
    auto reader = pcap::CaptureReader::open(file);
    util::FdWriter out(1, "stdout");
    aio::Packet p;
    while (reader) {  // null: fewer than 4 bytes, no packets
      const auto r = reader->next(p);
      if (r == pcap::CaptureReader::Next::End) break;
      if (r == pcap::CaptureReader::Next::ReleaseNeeded) {
        reader->release();
        continue;
      }
      reader->release();  // nothing is kept: mapped pages behind us may go
      ++n;
      if (count_only || list_interfaces) continue;
      const std::string& name = reader->interfaces()[p.interface].name;
      char line[400];
      const std::int64_t t = p.time_ns == aio::Packet::kNoTime ? 0 : p.time_ns;
      const std::int64_t sec = t >= 0 ? t / 1000000000 : -((-t + 999999999) / 1000000000);
      const int len = std::snprintf(line, sizeof line, "%" PRIu64 " %u %u %" PRId64 ".%09" PRId64 " %u %u %d %.256s\n",
                                    n, p.interface, p.link_type, sec, t - sec * 1000000000, p.size, p.wire_size(),
                                    static_cast<int>(p.direction), name.empty() ? "-" : name.c_str());
      out.buffer().append(std::string_view(line, static_cast<std::size_t>(len)));
      out.line_done();
    }
    if (list_interfaces && reader) {
      for (std::size_t i = 0; i < reader->interfaces().size(); ++i) {
        const auto& itf = reader->interfaces()[i];
        std::printf("%zu %u %s\n", i, itf.link_type, itf.name.c_str());
      }
    }
    out.flush();
  } catch (const util::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "pcapls: %s\n", e.what());
    return 1;
  }
  if (count_only) std::printf("%" PRIu64 "\n", n);
  return 0;
}
