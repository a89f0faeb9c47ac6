// Fuzz target: a DLT framer (file, network or serial, chosen at build time) on arbitrary
// bytes, fed in chunks whose sizes come from the input. Checks the framer's contract:
// every byte is accounted for exactly once, in stream order, and every event formats; with
// payload text on, a text sink that takes lines in place (dlt::InPlaceLines) must print the
// very lines formatted from the delivered events; and every line is one line with no
// control character in it (contract 3 of issue #19: C0, DEL and C1 controls print as '.');
// and the events are those of the whole input fed at once.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "output/buffer_sink.hpp"

using namespace dltdump;

#if defined(FUZZ_FORMAT_file)
constexpr dlt::StreamFormat kFormat = dlt::StreamFormat::File;
#elif defined(FUZZ_FORMAT_ser)
constexpr dlt::StreamFormat kFormat = dlt::StreamFormat::Serial;
#else
constexpr dlt::StreamFormat kFormat = dlt::StreamFormat::Network;
#endif

namespace {
// Aborts unless text[from..] is one line: a '\n' at its end and no control before it.
void check_one_line(const util::TextBuffer& text, std::size_t from) {
  const std::string_view line = text.view().substr(from);
  if (line.empty() || line.back() != '\n') std::abort();
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(line[i]);
    if (b < 0x20 || b == 0x7F) std::abort();
    if (b == 0xC2 && static_cast<std::uint8_t>(line[i + 1]) >= 0x80 && static_cast<std::uint8_t>(line[i + 1]) <= 0x9F)
      std::abort();
  }
}

struct CheckingSink : dlt::FramerSink {
  std::uint64_t next = 0;
  dlt::LineFormatter formatter{{true}};
  util::TextBuffer text;
  void on_message(const dlt::Message& m) override {
    if (m.position != next) std::abort();
    next += m.raw.size();
    const std::size_t from = text.size();
    formatter.format(m, text);
    check_one_line(text, from);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    if (s.position != next || s.length == 0) std::abort();
    next += s.length;
    const std::size_t from = text.size();
    formatter.format(s, text);
    check_one_line(text, from);
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the chunk size (1..127, or whole) so chunk boundaries fall
  // everywhere, and whether the framer makes payload text while validating.
  const std::size_t chunk = (data[0] & 0x7F) == 0 ? size : (data[0] & 0x7F);
  const bool text = data[0] & 0x80;
  data += 1;
  size -= 1;
  dlt::Framer framer(kFormat);
  framer.set_payload_text(text);
  CheckingSink sink;
  for (std::size_t at = 0; at < size; at += chunk) framer.feed({data + at, std::min(chunk, size - at)}, sink);
  framer.finish(sink);
  if (sink.next != size) std::abort();
  if (text) {
    util::TextBuffer lines;
    output::BufferSink in_place({true}, lines);
    if (!in_place.in_place_lines()) std::abort();
    dlt::Framer second(kFormat);
    second.set_payload_text(true);
    for (std::size_t at = 0; at < size; at += chunk) second.feed({data + at, std::min(chunk, size - at)}, in_place);
    second.finish(in_place);
    if (lines.view() != sink.text.view()) std::abort();
  }
  if (chunk < size) {  // the events do not depend on how the input was cut into chunks
    dlt::Framer whole(kFormat);
    whole.set_payload_text(text);
    CheckingSink at_once;
    whole.feed({data, size}, at_once);
    whole.finish(at_once);
    if (at_once.text.view() != sink.text.view()) std::abort();
  }
  return 0;
}
