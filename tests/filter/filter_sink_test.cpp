#include "filter/filter_sink.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "dlt/line_formatter.hpp"
#include "dlt/packet.hpp"
#include "dlt/packet_builder.hpp"

using namespace dltdump;
using namespace dltdump::test;

namespace {

// Records what reaches it: the APP id of each message (`!` for a skip line) and its text.
struct Record : dlt::FramerSink {
  std::vector<std::string> apps, texts;
  void on_message(const dlt::Message& m) override {
    apps.emplace_back(m.app.view());
    util::TextBuffer t;
    dlt::format_payload_text(m, t);
    texts.emplace_back(t.view());
  }
  void on_skip(const dlt::SkipRecord&) override {
    apps.emplace_back("!");
    texts.emplace_back();
  }
  std::string joined() const {
    std::string s;
    for (const auto& a : apps) s += (s.empty() ? "" : " ") + a;
    return s;
  }
};

// Feeds one event per word of `sequence` (`!` a skip line, else a message of that APP id
// with the word as its text) through a FilterSink that keeps APP `M`; returns what passed.
// The bytes of each message are overwritten after its callback, as a framer's would be.
std::string run(filter::FilterSink& sink, const std::string& sequence) {
  std::istringstream words(sequence);
  std::string w;
  Bytes buffer;
  while (words >> w) {
    if (w == "!") {
      sink.on_skip({0, 3, dlt::kReasonSearching, {}});
      continue;
    }
    PacketSpec spec;
    spec.app = w;
    spec.noar = 1;
    buffer = packet(spec, arg_string(w, false));
    dlt::Message m;
    EXPECT_TRUE(dlt::parse_packet(buffer, m));
    m.raw = buffer;
    sink.on_message(m);
    std::fill(buffer.begin(), buffer.end(), 0xEE);
  }
  return "";
}

// What passes a filter made from `spec` (default: APP `M`) with the given context.
std::string filtered_by(const filter::FilterSpec& spec, std::uint32_t before, std::uint32_t after,
                        const std::string& sequence) {
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {before, after}, out);
  run(sink, sequence);
  return out.joined();
}
std::string filtered(std::uint32_t before, std::uint32_t after, const std::string& sequence) {
  filter::FilterSpec spec;
  spec.app_ids = {"M"};
  return filtered_by(spec, before, after, sequence);
}

}  // namespace

TEST(FilterSink, WithoutContextOnlyMatchesPass) {
  EXPECT_EQ(filtered(0, 0, "a b M c M d"), "M M");
}

TEST(FilterSink, BeforeContextAtTheStartHasFewerLines) {
  EXPECT_EQ(filtered(3, 0, "a M b"), "a M");
}

TEST(FilterSink, BeforeContextKeepsOnlyTheLastLines) {
  EXPECT_EQ(filtered(2, 0, "a b c d M e"), "c d M");
}

TEST(FilterSink, AfterContextAtTheEndIsCutByTheInput) {
  EXPECT_EQ(filtered(0, 3, "a M b"), "M b");
}

TEST(FilterSink, AfterContextCountRestartsAtEachMatch) {
  EXPECT_EQ(filtered(0, 2, "M a M b c d"), "M a M b c");
}

TEST(FilterSink, OverlappingWindowsPrintEachLineOnce) {
  // b and c follow the first match as after-context; they are not held again for the second.
  EXPECT_EQ(filtered(2, 2, "x M b c M y z w"), "x M b c M y z");
  EXPECT_EQ(filtered(3, 1, "a b M c d e M"), "a b M c d e M");
}

TEST(FilterSink, HeldLinesAreCopiesAndSkipLinesAreContextToo) {
  filter::FilterSpec spec;
  spec.app_ids = {"M"};
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {2, 1}, out);
  run(sink, "a ! M ! b");
  EXPECT_EQ(out.joined(), "a ! M !");
  ASSERT_EQ(out.texts.size(), 4u);
  EXPECT_EQ(out.texts[0], "a");  // the source bytes were overwritten after the callback
}

TEST(FilterSink, ContextPersistsAcrossInputs) {
  filter::FilterSpec spec;
  spec.app_ids = {"M"};
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {1, 1}, out);
  run(sink, "a b");     // first input
  run(sink, "M c d");   // second input: b is still the line before
  EXPECT_EQ(out.joined(), "b M c");
}

TEST(FilterSink, TextGroupSearchesThePayloadText) {
  filter::FilterSpec spec;
  spec.strings = {"ok"};
  EXPECT_EQ(filtered_by(spec, 0, 0, "bad okay ok no !"), "okay ok");
}

TEST(FilterSink, SkipLineTextIsSearched) {
  filter::FilterSpec spec;
  spec.strings = {"Skipped: 3 bytes"};
  EXPECT_EQ(filtered_by(spec, 0, 0, "a ! b"), "!");
}

TEST(FilterSink, GateAsksForTextOnlyWhereHeadersPassAndDropsOnlyWhatCannotShow) {
  using Need = dlt::PayloadGate::Need;
  filter::FilterSpec spec;
  spec.app_ids = {"M"};
  filter::Filter f(spec);
  Record out;
  filter::FilterSink text_sink(f, {}, out, true);
  filter::FilterSink binary_sink(f, {}, out, false);
  filter::FilterSink context_sink(f, {0, 1}, out, true);
  PacketSpec p;
  p.app = "M";
  Bytes b = packet(p, {});
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet(b, m));
  EXPECT_EQ(text_sink.need(m), Need::kText);
  EXPECT_EQ(binary_sink.need(m), Need::kValidation);  // nobody reads text: none is made
  p.app = "X";
  b = packet(p, {});
  ASSERT_TRUE(dlt::parse_packet(b, m));
  EXPECT_EQ(text_sink.need(m), Need::kNothing);
  EXPECT_EQ(context_sink.need(m), Need::kValidation);  // may be printed as context
  filter::FilterSpec warn;
  warn.types = {0x30};  // skip lines are log warn: a rejected message may become one
  filter::Filter w(warn);
  filter::FilterSink warn_sink(w, {}, out, true);
  EXPECT_EQ(warn_sink.need(m), Need::kValidation);
}

// The framer's quick look at raw packets (drops_unparsed) must never drop what need()
// would keep; and where the APP and CTX groups alone decide, it must drop what need()
// drops. Random headers (every optional field, ids of 0-4 characters and with high bits
// set) against random id filters.
TEST(FilterSink, QuickLookAtRawPacketsAgreesWithTheDecodedHeaders) {
  using Need = dlt::PayloadGate::Need;
  std::mt19937 rng(11);
  const std::vector<std::string> ids = {"", "M", "MA", "MAB", "MABC", "X", "XY", std::string("M\x80", 2), "\xCD"};
  auto pick = [&] { return ids[rng() % ids.size()]; };
  Record out;
  int quick_drops = 0;
  for (int round = 0; round < 20000; ++round) {
    filter::FilterSpec spec;
    for (unsigned k = rng() % 3; k > 0; --k) spec.app_ids.push_back(pick());
    for (unsigned k = rng() % 3; k > 0; --k) spec.ctx_ids.push_back(pick());
    const bool ids_alone = rng() % 4 != 0;
    if (!ids_alone) {
      if (rng() % 2) spec.ecu_ids = {"ECU1"};
      else spec.none = true;
    }
    filter::Filter f(spec);
    filter::FilterSink sink(f, {}, out, true);
    PacketSpec p;
    p.ecu = rng() % 2 ? "ECU1" : "";
    p.with_session = rng() % 2;
    p.with_time = rng() % 2;
    p.extended = rng() % 5 != 0;
    p.be = rng() % 2;
    p.app = pick();
    p.ctx = pick();
    const Bytes b = packet(p, {});
    dlt::Message m;
    dlt::parse_headers(b, m);
    const bool quick = sink.drops_unparsed(b);
    const Need need = sink.need(m);
    if (quick) {
      ++quick_drops;
      ASSERT_TRUE(sink.looks_unparsed());  // else the framer would never ask
    }
    ASSERT_TRUE(!quick || need == Need::kNothing) << "round " << round;
    if (ids_alone) {
      ASSERT_EQ(quick, need == Need::kNothing) << "round " << round;
    }
  }
  EXPECT_GT(quick_drops, 5000);  // the look does decide, often
}
