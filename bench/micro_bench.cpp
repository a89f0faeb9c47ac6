// Micro-benchmarks of the decode path: framing alone (validation included), and framing
// plus text formatting, on an in-memory corpus built like the generator's verbose profile.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <vector>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"

using namespace dltdump;

namespace {

std::vector<std::uint8_t> corpus() {
  // A storage-header file: a verbose message with a string, a uint32 and a bool, repeated.
  std::vector<std::uint8_t> pkt = {0x3D, 0, 0, 0,    'E', 'C', 'U', '1', 0,   0,   0,   1,   0,
                                   0,    0, 2, 0x41, 3,   'A', 'P', 'P', '1', 'C', 'T', 'X', '1'};
  auto add = [&](std::initializer_list<std::uint8_t> b) { pkt.insert(pkt.end(), b); };
  add({0x00, 0x02, 0, 0, 23, 0});
  for (char c : std::string("engine speed nominal ok")) pkt.push_back(static_cast<std::uint8_t>(c));
  pkt.back() = 0;
  add({0x43, 0, 0, 0, 0x78, 0x56, 0x34, 0x12});
  add({0x11, 0, 0, 0, 1});
  pkt[2] = static_cast<std::uint8_t>(pkt.size() >> 8);
  pkt[3] = static_cast<std::uint8_t>(pkt.size());
  std::vector<std::uint8_t> file;
  for (int i = 0; i < 100000; ++i) {
    std::uint8_t sh[16] = {'D', 'L', 'T', 1,  static_cast<std::uint8_t>(i / 1000), 0, 0, 0, 0, 0, 0, 0,
                           'E', 'C', 'U', '1'};
    file.insert(file.end(), sh, sh + 16);
    file.insert(file.end(), pkt.begin(), pkt.end());
  }
  return file;
}

struct CountingSink : dlt::FramerSink {
  std::uint64_t n = 0;
  void on_message(const dlt::Message&) override { ++n; }
  void on_skip(const dlt::SkipRecord&) override { ++n; }
};

struct FormattingSink : dlt::FramerSink {
  dlt::LineFormatter formatter{{false}};
  util::TextBuffer text{util::TextBuffer::kBlockBytes};
  void on_message(const dlt::Message& m) override {
    formatter.format(m, text);
    if (text.size() > (1 << 19)) text.clear();
  }
  void on_skip(const dlt::SkipRecord& s) override { formatter.format(s, text); }
};

// Frames the whole corpus into Sink; Sink decides how much work follows each message.
template <class Sink>
void BM_Frame(benchmark::State& state) {
  static const auto data = corpus();
  for (auto _ : state) {
    dlt::Framer framer(dlt::StreamFormat::File);
    Sink sink;
    framer.feed(data, sink);
    framer.finish(sink);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
  state.SetItemsProcessed(state.iterations() * 100000);
}
BENCHMARK_TEMPLATE(BM_Frame, CountingSink)->Name("FrameAndValidate")->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_Frame, FormattingSink)->Name("FrameAndFormat")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
