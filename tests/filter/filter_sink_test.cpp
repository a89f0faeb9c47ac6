#include "filter/filter_sink.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
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
  std::vector<std::string> apps, texts, inputs;  // inputs: Message::input, SkipRecord::input
  void on_message(const dlt::Message& m) override {
    apps.emplace_back(m.app.view());
    inputs.emplace_back(m.input);
    util::TextBuffer t;
    dlt::format_payload_text(m, t);
    texts.emplace_back(t.view());
  }
  void on_skip(const dlt::SkipRecord& s) override {
    apps.emplace_back("!");
    inputs.emplace_back(s.input);
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
      sink.on_skip({0, 3, dlt::kReasonSearching, {}, {}});
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

// The filter spec that keeps APP `M`.
filter::FilterSpec app_m() {
  filter::FilterSpec spec;
  spec.app_ids = {"M"};
  return spec;
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
  return filtered_by(app_m(), before, after, sequence);
}

}  // namespace

TEST(FilterSink, WithoutContextOnlyMatchesPass) { EXPECT_EQ(filtered(0, 0, "a b M c M d"), "M M"); }

TEST(FilterSink, BeforeContextAtTheStartHasFewerLines) { EXPECT_EQ(filtered(3, 0, "a M b"), "a M"); }

TEST(FilterSink, BeforeContextKeepsOnlyTheLastLines) { EXPECT_EQ(filtered(2, 0, "a b c d M e"), "c d M"); }

TEST(FilterSink, AfterContextAtTheEndIsCutByTheInput) { EXPECT_EQ(filtered(0, 3, "a M b"), "M b"); }

TEST(FilterSink, AfterContextCountRestartsAtEachMatch) { EXPECT_EQ(filtered(0, 2, "M a M b c d"), "M a M b c"); }

TEST(FilterSink, OverlappingWindowsPrintEachLineOnce) {
  // b and c follow the first match as after-context; they are not held again for the second.
  EXPECT_EQ(filtered(2, 2, "x M b c M y z w"), "x M b c M y z");
  EXPECT_EQ(filtered(3, 1, "a b M c d e M"), "a b M c d e M");
}

TEST(FilterSink, HeldLinesAreCopiesAndSkipLinesAreContextToo) {
  filter::Filter f(app_m());
  Record out;
  filter::FilterSink sink(f, {2, 1}, out);
  run(sink, "a ! M ! b");
  EXPECT_EQ(out.joined(), "a ! M !");
  ASSERT_EQ(out.texts.size(), 4u);
  EXPECT_EQ(out.texts[0], "a");  // the source bytes were overwritten after the callback
}

TEST(FilterSink, ContextPersistsAcrossInputs) {
  filter::Filter f(app_m());
  Record out;
  filter::FilterSink sink(f, {1, 1}, out);
  run(sink, "a b");    // first input
  run(sink, "M c d");  // second input: b is still the line before
  EXPECT_EQ(out.joined(), "b M c");
}

TEST(FilterSink, LinesHeldFromAnEarlierInputKeepItsName) {
  filter::Filter f(app_m());
  Record out;
  filter::FilterSink sink(f, {3, 0}, out);
  std::string first = "first.dlt";
  sink.begin_input(first);
  run(sink, "a !");
  first.assign("overwritten");  // the sink keeps its own copy of the name
  sink.begin_input("second.dlt");
  run(sink, "b");
  sink.begin_input("third.dlt");
  run(sink, "M");
  EXPECT_EQ(out.joined(), "a ! b M");
  // Records name a line's input by Message::input, else by the current one (empty here).
  EXPECT_EQ(out.inputs, (std::vector<std::string>{"first.dlt", "first.dlt", "second.dlt", ""}));
  sink.begin_input("fourth.dlt");  // nothing held: the earlier names are let go
  run(sink, "c M");
  EXPECT_EQ(out.inputs.back(), "");
  EXPECT_EQ(out.inputs[out.inputs.size() - 2], "");
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
  filter::Filter f(app_m());
  Record out;
  filter::FilterSink text_sink(f, {}, out, true);
  filter::FilterSink binary_sink(f, {}, out, false);
  filter::FilterSink context_sink(f, {0, 1}, out, true);
  PacketSpec p;
  p.app = "M";
  Bytes b = packet(p, {});
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet(b, m));
  EXPECT_EQ(text_sink.need(m), Need::Text);
  EXPECT_EQ(binary_sink.need(m), Need::Validation);  // nobody reads text: none is made
  p.app = "X";
  b = packet(p, {});
  ASSERT_TRUE(dlt::parse_packet(b, m));
  EXPECT_EQ(text_sink.need(m), Need::Nothing);
  EXPECT_EQ(context_sink.need(m), Need::Validation);  // may be printed as context
  filter::FilterSpec warn;
  warn.types = {0x30};  // skip lines are log warn: a rejected message may become one
  filter::Filter w(warn);
  filter::FilterSink warn_sink(w, {}, out, true);
  EXPECT_EQ(warn_sink.need(m), Need::Validation);
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
    // The exclusions (--not-appid, --not-ctxid) are decided from the raw bytes too.
    if (rng() % 3 == 0) spec.not_app_ids.push_back(pick());
    if (rng() % 3 == 0) spec.not_ctx_ids.push_back(pick());
    spec.invert = rng() % 8 == 0;  // inverted, the quick look never drops
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
    ASSERT_TRUE(!quick || need == Need::Nothing)
        << "round " << round << " app " << p.app << " ctx " << p.ctx << " ext " << p.extended << " apps "
        << spec.app_ids.size() << " ctxs " << spec.ctx_ids.size() << " not " << spec.not_app_ids.size() << "/"
        << spec.not_ctx_ids.size() << " ecu " << spec.ecu_ids.size() << " none " << spec.none << " inv " << spec.invert;
    if (spec.invert && !spec.none) {
      ASSERT_FALSE(quick) << "round " << round;
    }
    if (ids_alone && !spec.invert) {
      ASSERT_EQ(quick, need == Need::Nothing) << "round " << round;
    }
  }
  EXPECT_GT(quick_drops, 5000);  // the look does decide, often
}

// A new output per input (-o '%FILE%…') starts its context afresh: reset() forgets the
// held lines and the after-context count.
TEST(FilterSink, ResetForgetsHeldLinesAndTheAfterContextCount) {
  filter::Filter f(app_m());
  Record out;
  filter::FilterSink sink(f, {2, 2}, out);
  run(sink, "a b");  // first input: held
  sink.reset();
  run(sink, "M c");  // second input: nothing of the first before M; c after it
  sink.reset();
  run(sink, "d e");    // third input: the after-context of M does not reach it
  run(sink, "x y M");  // without a reset, context carries on (d e were held, then x y)
  EXPECT_EQ(out.joined(), "M c x y M");
  EXPECT_EQ(sink.cut_windows(), 0u);  // the count bound is no cut
}

namespace {

// Records the first word of each message's text (its number in big_lines) and the bytes
// of every message that reached it, to compare with what was fed.
struct Numbers : dlt::FramerSink {
  std::vector<int> numbers;
  std::vector<bool> intact;
  const std::vector<Bytes>* fed = nullptr;
  void on_message(const dlt::Message& m) override {
    util::TextBuffer t(1 << 17);
    dlt::format_payload_text(m, t);
    const int n = std::stoi(std::string(t.view().substr(0, t.view().find(' '))));
    numbers.push_back(n);
    const Bytes& original = (*fed)[static_cast<std::size_t>(n)];
    intact.push_back(Bytes(m.raw.begin(), m.raw.end()) == original);
  }
  void on_skip(const dlt::SkipRecord&) override { numbers.push_back(-1); }
};

// Messages numbered 0.. whose texts are "<n> " and `sizes[n]` filler bytes; those for which
// `match(n)` is true are of APP M, the others of APP a.
std::vector<Bytes> big_lines(const std::vector<std::size_t>& sizes, const std::function<bool(int)>& match) {
  std::vector<Bytes> lines;
  for (std::size_t n = 0; n < sizes.size(); ++n) {
    PacketSpec spec;
    spec.app = match(static_cast<int>(n)) ? "M" : "a";
    spec.noar = 1;
    lines.push_back(packet(spec, arg_string(std::to_string(n) + " " + std::string(sizes[n], 'x'), false)));
  }
  return lines;
}

void feed(filter::FilterSink& sink, const std::vector<Bytes>& lines) {
  for (std::size_t n = 0; n < lines.size(); ++n) {
    Bytes copy = lines[n];  // overwritten after the callback, as a framer's bytes would be
    dlt::Message m;
    ASSERT_TRUE(dlt::parse_packet(copy, m));
    m.raw = copy;
    m.position = n;
    sink.on_message(m);
    std::fill(copy.begin(), copy.end(), 0xEE);
  }
}

}  // namespace

// -B 100000 of 60 kB messages: the lines held for context stay within kMaxHeldBytes (not
// 100000 copies, 6 GB); the most recent lines are kept and shown, intact.
TEST(FilterSink, BeforeContextIsBoundedByBytes) {
  constexpr int kLines = 2000;
  constexpr std::size_t kFiller = 60000;
  const auto lines = big_lines(std::vector<std::size_t>(kLines + 1, kFiller), [](int n) { return n == kLines; });
  filter::Filter f(app_m());
  Numbers out;
  out.fed = &lines;
  filter::FilterSink sink(f, {filter::FilterSink::kMaxBefore, 0}, out);
  EXPECT_LE(sink.held_capacity(), filter::FilterSink::kMaxHeldBytes);
  feed(sink, lines);
  EXPECT_EQ(sink.cut_windows(), 1u);  // said at the run's end
  const std::size_t line_bytes = lines[0].size();
  const std::size_t most = filter::FilterSink::kMaxHeldBytes / line_bytes;
  ASSERT_GE(out.numbers.size(), most / 2);  // the window is not needlessly small
  ASSERT_LE(out.numbers.size(), most + 1);  // the held lines and the match
  // The most recent lines, in order, then the match; every byte as it came.
  for (std::size_t k = 0; k < out.numbers.size(); ++k) {
    EXPECT_EQ(out.numbers[k], kLines + 1 - static_cast<int>(out.numbers.size() - k)) << k;
    EXPECT_TRUE(out.intact[k]) << k;
  }
}

// Lines of random sizes against a small byte budget and random matches: each match shows a
// run of the lines just before it (never one twice, never past the previous shown line), at
// most `before` of them and at most the budget's bytes, every one intact; a line that fits
// the budget alone is never dropped while the window holds fewer lines.
TEST(FilterSink, ByteBoundedWindowKeepsTheMostRecentLinesIntact) {
  std::mt19937 rng(5);
  for (std::uint32_t before : {1u, 3u, 40u, 1000u}) {
    std::vector<std::size_t> sizes;
    std::vector<bool> is_match;
    for (int n = 0; n < 3000; ++n) {
      sizes.push_back(rng() % 4 == 0 ? 20000 + rng() % 40000 : rng() % 3000);
      is_match.push_back(rng() % 37 == 0);
    }
    const auto lines = big_lines(sizes, [&](int n) { return is_match[static_cast<std::size_t>(n)]; });
    filter::Filter f(app_m());
    Numbers out;
    out.fed = &lines;
    const std::uint64_t budget = 200000;  // about 3 of the largest lines
    filter::FilterSink sink(f, {before, 0, budget}, out);
    feed(sink, lines);
    std::uint64_t window_bytes = 0;
    std::uint32_t window_lines = 0;
    int last = -1;
    for (std::size_t k = 0; k < out.numbers.size(); ++k) {
      const int n = out.numbers[k];
      ASSERT_GT(n, last) << "before " << before;
      EXPECT_TRUE(out.intact[k]);
      if (is_match[static_cast<std::size_t>(n)]) {
        window_bytes = 0, window_lines = 0;
      } else {
        EXPECT_EQ(n, k + 1 < out.numbers.size() ? out.numbers[k + 1] - 1 : n) << "a gap inside a window";
        window_bytes += lines[static_cast<std::size_t>(n)].size();
        ++window_lines;
        EXPECT_LE(window_bytes, budget);
        EXPECT_LE(window_lines, before);
      }
      last = n;
    }
    // Every match is shown, with at least its previous line when that one was not shown.
    for (std::size_t n = 1; n < lines.size(); ++n) {
      if (!is_match[n]) continue;
      auto at = std::find(out.numbers.begin(), out.numbers.end(), static_cast<int>(n));
      ASSERT_NE(at, out.numbers.end());
      if (!is_match[n - 1]) {
        ASSERT_NE(at, out.numbers.begin());
        EXPECT_EQ(*(at - 1), static_cast<int>(n - 1));
      }
    }
  }
}

namespace {

// As run(), per input: begin_input() first; stops where the sink says the input is done
// (-m), marking it with `|` in the output.
void run_input(filter::FilterSink& sink, Record& out, const std::string& sequence) {
  sink.begin_input();
  try {
    run(sink, sequence);
  } catch (const filter::MaxCountReached&) {
    out.apps.emplace_back("|");
    out.texts.emplace_back();
  }
}

std::string max_counted(filter::FilterSpec spec, std::uint64_t max, std::uint32_t before, std::uint32_t after,
                        const std::string& sequence) {
  spec.max_count = max;
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {before, after}, out);
  run_input(sink, out, sequence);
  return out.joined();
}

}  // namespace

TEST(FilterSink, InvertSelectsTheLinesTheGroupsDoNot) {
  filter::FilterSpec spec = app_m();
  spec.invert = true;
  EXPECT_EQ(filtered_by(spec, 0, 0, "a M b ! M c"), "a b ! c");  // skip lines are judged like messages
  spec.app_ids = {"SKIP"};
  EXPECT_EQ(filtered_by(spec, 0, 0, "a ! b"), "a b");
}

TEST(FilterSink, InvertWithTheTextGroupFailsLinesWhoseHeadersOrTextFail) {
  filter::FilterSpec spec;
  spec.strings = {"ok"};
  spec.invert = true;
  EXPECT_EQ(filtered_by(spec, 0, 0, "bad okay ok no !"), "bad no !");
  spec.app_ids = {"ok"};  // headers fail for the others; `ok` passes both groups
  EXPECT_EQ(filtered_by(spec, 0, 0, "bad okay ok no"), "bad okay no");
}

TEST(FilterSink, InvertTakesContextAroundTheInvertedMatches) {
  filter::FilterSpec spec = app_m();
  spec.invert = true;
  EXPECT_EQ(filtered_by(spec, 1, 1, "M M M a M M M M b M"), "M a M M b M");
}

TEST(FilterSink, InvertedGateAsksForTextOfWhatPassesAndDropsWhatNeverShows) {
  using Need = dlt::PayloadGate::Need;
  filter::FilterSpec spec = app_m();  // -v --appid=M
  spec.invert = true;
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {}, out, true);
  PacketSpec p;
  p.app = "M";
  Bytes b = packet(p, {});
  dlt::Message m;
  ASSERT_TRUE(dlt::parse_packet(b, m));
  // Skip lines (APP SKIP) fail the groups, so they pass inverted: nothing may be dropped.
  EXPECT_EQ(sink.need(m), Need::Validation);
  EXPECT_FALSE(sink.drops_unparsed(b));
  EXPECT_FALSE(sink.looks_unparsed());
  p.app = "X";
  b = packet(p, {});
  ASSERT_TRUE(dlt::parse_packet(b, m));
  EXPECT_EQ(sink.need(m), Need::Text);
  filter::FilterSink binary(f, {}, out, false);
  EXPECT_EQ(binary.need(m), Need::Validation);

  filter::FilterSpec all_but_m;  // -v --not-appid=M: only M; skip lines do not pass
  all_but_m.not_app_ids = {"M"};
  all_but_m.invert = true;
  filter::Filter g(all_but_m);
  filter::FilterSink only_m(g, {}, out, true);
  EXPECT_EQ(only_m.need(m), Need::Nothing);  // X: the groups hold, so inverted it fails
}

TEST(FilterSink, MaxCountStopsTheInputAfterTheNthMatchingMessage) {
  EXPECT_EQ(max_counted(app_m(), 2, 0, 0, "a M b M c M"), "M M |");
  EXPECT_EQ(max_counted(app_m(), 5, 0, 0, "a M b M c"), "M M");  // fewer: the input ends
  EXPECT_EQ(max_counted(app_m(), 0, 0, 0, "M a"), "|");
  EXPECT_EQ(max_counted({}, 3, 0, 0, "a b c d e"), "a b c |");  // -m alone: every message matches
}

TEST(FilterSink, MaxCountPrintsTheTrailingContextWhateverItIs) {
  // As grep -m1 -A2: the match after the last one is context and counts nothing.
  EXPECT_EQ(max_counted(app_m(), 1, 0, 2, "a M M b c"), "M M b |");
  EXPECT_EQ(max_counted(app_m(), 1, 1, 1, "a b M c d"), "b M c |");
  EXPECT_EQ(max_counted(app_m(), 2, 0, 5, "M a M b"), "M a M b");  // the input ends first
}

TEST(FilterSink, MaxCountCountsMessagesNotSkipLines) {
  EXPECT_EQ(max_counted({}, 2, 0, 0, "! a ! b c"), "! a ! b |");
  filter::FilterSpec skips;
  skips.app_ids = {"SKIP", "M"};
  EXPECT_EQ(max_counted(skips, 1, 0, 0, "! ! M ! M"), "! ! M |");
}

TEST(FilterSink, MaxCountCountsInvertedMatchesAndStartsAfreshPerInput) {
  filter::FilterSpec spec = app_m();
  spec.invert = true;
  spec.max_count = 2;
  filter::Filter f(spec);
  Record out;
  filter::FilterSink sink(f, {}, out);
  run_input(sink, out, "M a M b c");
  run_input(sink, out, "d M e f");
  EXPECT_EQ(out.joined(), "a b | d e |");
}
