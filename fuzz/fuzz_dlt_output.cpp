// Fuzz target: DLT output (output/dlt_sink). Arbitrary bytes are framed as a DLT file, a
// network or a serial recording and written as a DLT file; decoding that file must give
// the same lines as decoding the input — every good message kept, every skipped region a
// SKIP message with the skip line's text — except the counter column of SKIP lines (a
// skip line shows -1, its SKIP message a counter). Runs with TZ=UTC, so that a time stamp
// of 0 and "no time" print alike. From a DLT file, the output must also be the same when
// written in runs from the source file (copied by the kernel or appended from memory).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "dlt/framer.hpp"
#include "fuzz_lines.hpp"
#include "output/buffer_sink.hpp"
#include "output/dlt_sink.hpp"
#include "output/record_writer.hpp"

using namespace dltdump;

namespace {

std::string lines_of(std::span<const std::uint8_t> bytes, dlt::StreamFormat format) {
  util::TextBuffer text;
  output::BufferSink sink({false}, text);
  dlt::Framer framer(format);
  framer.set_payload_text(true);
  framer.feed(bytes, sink);
  framer.finish(sink);
  return std::string(text.view());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("TZ", "UTC", 1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const dlt::StreamFormat format = data[0] % 3 == 0   ? dlt::StreamFormat::File
                                   : data[0] % 3 == 1 ? dlt::StreamFormat::Network
                                                      : dlt::StreamFormat::Serial;
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  util::TextBuffer records;
  output::BufferTarget target(records);
  output::DltSink sink(target);
  sink.begin_input({"fuzz", format});
  dlt::Framer framer(format);
  framer.feed(input, sink);
  framer.finish(sink);

  const auto* out = reinterpret_cast<const std::uint8_t*>(records.data());
  const std::string want = fuzz::with_skip_counters_blanked(lines_of(input, format));
  const std::string got = fuzz::with_skip_counters_blanked(lines_of({out, records.size()}, dlt::StreamFormat::File));
  if (want != got) std::abort();
  // From a DLT file, every message is copied as it was: a second conversion changes nothing.
  if (format == dlt::StreamFormat::File) {
    // Written from the source file in runs (tiny ones here: copied above 64 bytes, cut at
    // 4 KiB), the output is the same byte for byte.
    const int source = memfd_create("fuzz-in", MFD_CLOEXEC), copy = memfd_create("fuzz-out", MFD_CLOEXEC);
    if (source < 0 || copy < 0 || ::write(source, input.data(), input.size()) != static_cast<ssize_t>(input.size()))
      std::abort();
    {
      output::RecordWriter writer(copy, "fuzz-out");
      output::DltSink runs(writer, {64, 4096});
      runs.begin_input({"fuzz", format, {source, input}});
      dlt::Framer run_framer(format);
      run_framer.feed(input, runs);
      run_framer.finish(runs);
      runs.end_input();
      runs.finish();
    }
    std::string written(records.size(), '\0');
    if (::pread(copy, written.data(), written.size(), 0) != static_cast<ssize_t>(written.size()) ||
        written != records.view() || ::lseek(copy, 0, SEEK_END) != static_cast<off_t>(records.size()))
      std::abort();
    ::close(source);
    ::close(copy);

    util::TextBuffer again;
    output::BufferTarget again_target(again);
    output::DltSink again_sink(again_target);
    again_sink.begin_input({"fuzz", dlt::StreamFormat::File});
    dlt::Framer again_framer(dlt::StreamFormat::File);
    again_framer.feed({out, records.size()}, again_sink);
    again_framer.finish(again_sink);
    if (again.view() != records.view()) std::abort();
  }
  return 0;
}
