// libFuzzer target: a capture file through its reader, from the first byte (the SHB or
// PCAP file header is fuzzed too), as replay reads it: batches collected until the reader
// asks for release(), half the inputs also through the batch fast path (next_well_formed).
// One source, built as fuzz_pcapng_reader and fuzz_pcap_reader, which fuzz/run.sh seeds
// with PCAP-NG and classic PCAP files; both open through CaptureReader::open, so mutations
// may cross formats. Every byte of every packet is read (ASan sees out-of-bounds views),
// and the packet invariants are checked.
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <thread>

#include "pcap/capture_reader.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dltdump;
  // One input size in 16 goes through a pipe (the buffered, compacting path: slower, as
  // each run allocates the pipe buffers), the others through a mapped memory file (the
  // zero-copy path).
  const bool through_pipe = size % 16 == 1;
  int fd = -1;
  std::thread writer;
  if (through_pipe) {
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (pipe(fds) != 0) std::abort();
    fd = fds[0];
    writer = std::thread([=] {
      std::size_t done = 0;
      while (done < size) {
        const ssize_t n = ::write(fds[1], data + done, size - done);
        if (n <= 0) break;  // the reader stopped early (malformed input) and closed its end
        done += static_cast<std::size_t>(n);
      }
      ::close(fds[1]);
    });
  } else {
    fd = memfd_create("fuzz", 0);
    if (fd < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
    ::lseek(fd, 0, SEEK_SET);
  }
  try {
    auto file = util::InputFile::from_fd(fd, "fuzz", true);
    auto reader = pcap::CaptureReader::open(file);
    volatile std::uint8_t sink = 0;
    auto check = [&](const aio::Packet& p) {
      if (p.size > p.wire_size() || p.offset + p.size > size) std::abort();
      if (p.interface >= reader->interfaces().size()) std::abort();
      if (reader->interfaces()[p.interface].link_type != p.link_type) std::abort();
      std::uint8_t x = 0;
      for (std::uint32_t i = 0; i < p.size; ++i) x ^= p.data[i];
      sink = sink ^ x;
    };
    // Half the inputs are also read in batches first, as replay reads (its fast path).
    const bool batches = (size & 2) != 0;
    aio::Packet batch[16];
    aio::Packet p;
    for (int guard = 0; reader && guard < 1'000'000; ++guard) {
      if (batches) {
        const std::size_t n = reader->next_well_formed(batch);
        if (n > 16) std::abort();
        for (std::size_t i = 0; i < n; ++i) check(batch[i]);
      }
      const auto r = reader->next(p);
      if (r == pcap::CaptureReader::Next::End) break;
      if (r == pcap::CaptureReader::Next::ReleaseNeeded) {
        reader->release();
        continue;
      }
      check(p);
    }
  } catch (const util::Error&) {
    // malformed input: the expected outcome for most inputs
  }
  if (writer.joinable()) writer.join();  // InputFile closed the read end: the writer stops
  return 0;
}
