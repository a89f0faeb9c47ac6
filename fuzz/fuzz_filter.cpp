// Fuzz target: filtering must print exactly the lines a plain reference prints — one that
// decodes and formats every message and applies the filter to the finished text — on
// arbitrary streams and filters. This checks the shortcuts of the filtered path: packets
// dropped unvalidated by the framer, payload text never made for messages the header
// groups or the payload prefilter rule out. It also feeds the filter's needle to the
// date parser and, as a pattern, to PCRE2 and the required-literal extraction.
//
// Input: flags, an APP id (4 bytes), a needle length and needle, then a DLT stream.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "filter/filter_sink.hpp"
#include "output/buffer_sink.hpp"
#include "util/date_parse.hpp"
#include "util/error.hpp"

using namespace dltdump;

namespace {
// Formats every event and keeps the lines the filter accepts on the finished text.
struct Reference : dlt::FramerSink {
  const filter::Filter& filter;
  std::unique_ptr<filter::TextSearch::Scratch> scratch = filter.search().scratch();
  dlt::LineFormatter formatter{{true}};
  util::TextBuffer text, payload;
  explicit Reference(const filter::Filter& f) : filter(f) {}
  void on_message(const dlt::Message& m) override {
    payload.clear();
    dlt::format_payload_text(m, payload);
    if (filter.header_match(m) && filter.text_match(payload.view(), *scratch)) formatter.format(m, text);
  }
  void on_skip(const dlt::SkipRecord& s) override {
    payload.clear();
    dlt::format_skip_text(s, payload);
    if (filter.header_match(s) && filter.text_match(payload.view(), *scratch)) formatter.format(s, text);
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 6) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t needle_size = data[5] % 17;
  if (size < 6 + needle_size) return 0;
  const std::string app(reinterpret_cast<const char*>(data + 1), 4);
  const std::string needle(reinterpret_cast<const char*>(data + 6), needle_size);
  std::span<const std::uint8_t> stream(data + 6 + needle_size, size - 6 - needle_size);
  (void)util::parse_date_time(needle);

  filter::FilterSpec spec;
  if (flags & 1) spec.app_ids = {app.substr(0, flags & 2 ? 4 : 3)};
  if (flags & 4) spec.strings = {needle};
  if (flags & 8) spec.regexes = {needle};
  if (flags & 16) spec.types = {0x30};  // log warn: skip lines pass
  spec.ignore_case = (flags & 32) != 0;
  const auto format = flags & 64 ? dlt::StreamFormat::Serial : dlt::StreamFormat::File;
  std::optional<filter::Filter> filter;
  try {
    filter.emplace(spec);
  } catch (const util::Error&) {
    return 0;  // an invalid pattern
  }

  Reference reference(*filter);
  dlt::Framer plain(format);
  plain.set_payload_text(true);
  plain.feed(stream, reference);
  plain.finish(reference);

  util::TextBuffer filtered_text;
  output::BufferSink out({true}, filtered_text);
  filter::FilterSink sink(*filter, {}, out);
  dlt::Framer gated(format);
  gated.set_payload_text(true);
  gated.set_payload_gate(&sink);
  const std::size_t half = stream.size() / 2;  // two chunks: the carry path too
  gated.feed(stream.subspan(0, half), sink);
  gated.feed(stream.subspan(half), sink);
  gated.finish(sink);
  if (filtered_text.view() != reference.text.view()) std::abort();
  return 0;
}
