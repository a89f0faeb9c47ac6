// Fuzz target: the parallel file decoder must print exactly what one framer prints, on
// arbitrary bytes, for block sizes down to a few bytes (so cuts land everywhere, also
// inside packets that contain other packets).
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "app/parallel/dlt_blocks.hpp"
#include "dlt/framer.hpp"
#include "output/buffer_sink.hpp"

using namespace dltdump;

namespace {
// One framer's text, the reference the parallel decoder must equal.
struct TextCollector {
  util::TextBuffer text;
  output::BufferSink sink{{true}, text};
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint64_t block = 16 + data[0];
  const unsigned threads = 1 + (data[1] & 3);
  std::span<const std::uint8_t> file(data + 2, size - 2);
  TextCollector one;
  dlt::Framer framer(dlt::StreamFormat::File);
  framer.feed(file, one.sink);
  framer.finish(one.sink);
  std::string parallel;
  app::decode_dlt_blocks(file, {true}, {threads, block},
                         [&](std::string_view text, std::uint64_t, std::uint64_t) { parallel.append(text); });
  if (parallel != one.text.view()) std::abort();
  return 0;
}
