// Micro-benchmarks of the packet I/O layer (issue #3): PCAP-NG writing (64- and 1500-byte
// packets, to /dev/null through the writer's buffer), reading PCAP-NG and classic PCAP
// from a mapped file, and the SPSC ring between two threads. Figures in packets/s
// ("items_per_second"); see docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "aio/ring.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/pcapng_writer.hpp"

using namespace dltdump;

namespace {

void BM_PcapngWrite(benchmark::State& state) {
  const int fd = ::open("/dev/null", O_WRONLY);
  std::vector<std::uint8_t> packet(static_cast<std::size_t>(state.range(0)), 0xA5);
  pcap::PcapngWriter w(fd, "/dev/null", {});
  w.add_interface({});
  std::int64_t t = 1'700'000'000'000'000'000LL;
  for (auto _ : state) w.write_packet(0, ++t, packet, 0, aio::Direction::Inbound);
  w.flush();
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_PcapngWrite)->Name("PcapngWrite")->Arg(64)->Arg(1500);

// A memory file holding `count` packets of `size` bytes, in PCAP-NG (our writer) or in
// classic PCAP (built here: a 24-byte header and 16-byte record headers).
int capture_file(bool ng, std::size_t count, std::size_t size) {
  const int fd = memfd_create("bench", 0);
  std::vector<std::uint8_t> packet(size, 0x5A);
  if (ng) {
    pcap::PcapngWriter w(fd, "bench", {});
    w.add_interface({});
    for (std::size_t i = 0; i < count; ++i) w.write_packet(0, static_cast<std::int64_t>(i), packet);
    w.flush();
  } else {
    std::vector<std::uint8_t> out = {0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0,
                                     0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t rec[4] = {static_cast<std::uint32_t>(i), 0, static_cast<std::uint32_t>(size),
                                    static_cast<std::uint32_t>(size)};
      const auto* r = reinterpret_cast<const std::uint8_t*>(rec);
      out.insert(out.end(), r, r + 16);
      out.insert(out.end(), packet.begin(), packet.end());
    }
    (void)!::write(fd, out.data(), out.size());
  }
  return fd;
}

void BM_Read(benchmark::State& state, bool ng) {
  constexpr std::size_t kCount = 200000;
  const int fd = capture_file(ng, kCount, static_cast<std::size_t>(state.range(0)));
  std::uint64_t packets = 0;
  for (auto _ : state) {
    ::lseek(fd, 0, SEEK_SET);
    auto file = util::InputFile::from_fd(fd, "bench", false);
    auto reader = pcap::CaptureReader::open(file);
    if (!reader) break;
    aio::Packet p;
    std::uint64_t n = 0;
    for (;;) {
      const auto r = reader->next(p);
      if (r == pcap::CaptureReader::Next::End) break;
      if (r == pcap::CaptureReader::Next::ReleaseNeeded) reader->release();
      else ++n;
    }
    benchmark::DoNotOptimize(n);
    packets += n;
  }
  ::close(fd);
  state.SetItemsProcessed(static_cast<std::int64_t>(packets));
}
BENCHMARK_CAPTURE(BM_Read, pcapng, true)->Name("PcapngRead")->Arg(64)->Arg(1500)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Read, pcap, false)->Name("PcapRead")->Arg(64)->Arg(1500)->Unit(benchmark::kMillisecond);

void BM_RingTwoThreads(benchmark::State& state) {
  constexpr int kMessages = 1'000'000;
  const std::vector<std::uint8_t> payload(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) {
    aio::Ring ring(aio::Ring::Options{});
    std::thread producer([&] {
      aio::Packet batch[16];
      for (auto& p : batch) p.data = payload.data(), p.size = static_cast<std::uint32_t>(payload.size());
      for (int i = 0; i < kMessages; i += 16)
        aio::send_all(ring, {batch, 16}, nullptr, false, [] { std::this_thread::yield(); });
      ring.close();
    });
    struct Count final : aio::Aio {
      std::uint64_t n = 0;
      int send(std::span<const aio::Packet> b, std::size_t*, bool) noexcept override {
        n += b.size();
        return aio::kSuccess;
      }
    } count;
    while (!ring.drained())
      if (ring.poll(count) == 0) std::this_thread::yield();
    producer.join();
    benchmark::DoNotOptimize(count.n);
  }
  state.SetItemsProcessed(state.iterations() * kMessages);
}
BENCHMARK(BM_RingTwoThreads)->Name("RingTwoThreads")->Arg(64)->Arg(1500)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
