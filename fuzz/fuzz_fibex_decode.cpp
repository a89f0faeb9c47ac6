// Fuzz target: non-verbose messages decoded through a catalogue. The input describes a
// small catalogue (frames of 0-8 arguments of every type, static texts, odd byte lengths;
// the lookup options), then a network-format stream framed with it. For every message a
// frame decodes, its line is made, and its --nv-verbose re-encoding must be a valid
// verbose packet whose text is exactly the frame's argument text (the round trip the
// option promises), and the line's text made from the frame's text plan must be the
// argument walk's. Nothing may be read outside the input.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dlt/catalogue.hpp"
#include "dlt/catalogue_payload.hpp"
#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/packet.hpp"

using namespace dltdump;

namespace {

struct Reader {
  const std::uint8_t* p;
  const std::uint8_t* end;
  std::uint8_t byte() { return p < end ? *p++ : 0; }
};

class Check final : public dlt::FramerSink {
 public:
  void on_message(const dlt::Message& m) override {
    line_.clear();
    formatter_.format(m, line_);
    if (std::memchr(line_.data(), '\n', line_.size() - 1)) std::abort();  // one message, one line
    if (!m.frame) return;
    // The line's text (from the frame's text plan) is `[id] ` and the argument walk's text.
    util::TextBuffer walked(64), planned(64);
    const bool walks = dlt::format_frame_args(*m.frame, m.payload.subspan(4), m.big_endian, walked);
    if (walks != m.frame_decodes) std::abort();
    if (dlt::format_frame_text(*m.frame, m.payload.subspan(4), m.big_endian, planned) != walks) std::abort();
    if (walks && planned.view() != "[" + std::to_string(m.frame->id) + "] " + std::string(walked.view())) std::abort();
    if (!m.frame_decodes) return;
    std::vector<std::uint8_t> packet(dlt::kMaxPacketBytes);
    const std::size_t n = dlt::write_verbose_packet(m, packet.data());
    if (n == 0) return;
    if (n > dlt::kMaxPacketBytes || n < 4 || ((packet[2] << 8) | packet[3]) != static_cast<int>(n)) std::abort();
    dlt::Message v;
    util::TextBuffer text(64);
    if (!dlt::parse_packet({packet.data(), n}, v, &text)) std::abort();
    if (v.kind != dlt::PayloadKind::Verbose || v.app != m.app || v.ctx != m.ctx) std::abort();
    util::TextBuffer args(64);
    dlt::format_frame_args(*m.frame, m.payload.subspan(4), m.big_endian, args);
    if (args.view() != text.view()) std::abort();
  }
  void on_skip(const dlt::SkipRecord&) override {}

 private:
  dlt::LineFormatter formatter_{{}};
  util::TextBuffer line_{256};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader r{data, data + size};
  const std::uint8_t flags = r.byte();
  dlt::CatalogueLookup lookup;
  lookup.per_ecu = flags & 1;
  lookup.id_only = flags & 2;
  dlt::CatalogueBuilder builder(lookup);
  builder.begin_file();
  const unsigned frames = r.byte() % 5;
  static constexpr std::uint8_t kWidths[] = {1, 2, 4, 8};
  for (unsigned f = 0; f < frames; ++f) {
    const std::uint32_t id = r.byte() % 8;
    const unsigned count = r.byte() % 9;
    std::vector<std::uint32_t> args;
    for (unsigned a = 0; a < count; ++a) {
      const auto type = static_cast<dlt::SignalType>(r.byte() % 11);
      std::uint8_t width = kWidths[r.byte() % 4];
      if (type == dlt::SignalType::Float) width = width >= 4 ? width : 4;  // binary32 or binary64 only
      const std::uint32_t bytes = r.byte() % 12;
      std::string text;
      if (type == dlt::SignalType::Text)
        for (unsigned k = r.byte() % 8; k > 0; --k) text += static_cast<char>(r.byte());
      const bool fixed = type >= dlt::SignalType::Bool && type <= dlt::SignalType::Float;
      args.push_back(builder.add_arg(type, fixed ? width : 0, bytes, text));
    }
    const char app[] = {static_cast<char>('A' + r.byte() % 2), 0};
    builder.add_frame(id, dlt::Id::from_text(f % 2 ? "E1" : ""), dlt::Id::from_text(app), dlt::Id::from_text("C"),
                      static_cast<std::uint8_t>((r.byte() % 7) << 4), args);
  }
  builder.end_file();
  const dlt::Catalogue catalogue = builder.build();
  // The rest: a network-format stream, copied so that ASan sees any overread.
  const std::size_t n = static_cast<std::size_t>(r.end - r.p);
  std::unique_ptr<std::uint8_t[]> stream(new std::uint8_t[n + 1]);
  if (n) std::memcpy(stream.get(), r.p, n);
  dlt::Framer framer(dlt::StreamFormat::Network);
  framer.set_payload_text(true);
  framer.set_catalogue(&catalogue);
  Check check;
  framer.feed({stream.get(), n}, check);
  framer.finish(check);
  return 0;
}
