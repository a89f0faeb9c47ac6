// A frame's line text made from its text plan (format_frame_text, CatalogueFrame::steps)
// is `[<id>] ` and exactly what the argument walk (format_frame_args) writes, for every
// argument type, width, byte length and byte order, fitting payloads or not.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "dlt/catalogue.hpp"
#include "dlt/catalogue_payload.hpp"

namespace dltdump::dlt {
namespace {

struct Arg {
  SignalType type;
  std::uint8_t width;
  std::uint32_t bytes;
  std::string text;
};

Catalogue one_frame(std::uint32_t id, const std::vector<Arg>& args) {
  CatalogueBuilder b({});
  b.begin_file();
  std::vector<std::uint32_t> numbers;
  for (const Arg& a : args) numbers.push_back(b.add_arg(a.type, a.width, a.bytes, a.text));
  b.add_frame(id, Id{}, Id::from_text("APP"), Id::from_text("CTX"), 0x40, numbers);
  EXPECT_TRUE(b.end_file().empty());
  return b.build();
}

// The plan's text, or "no fit" (with the walk's verdict checked to be the same).
std::string planned(const CatalogueFrame& f, const std::vector<std::uint8_t>& payload, bool be) {
  util::TextBuffer plan(16), walk(16);
  const bool fits = format_frame_text(f, payload, be, plan);
  EXPECT_EQ(fits, format_frame_args(f, payload, be, walk));
  if (!fits) return "no fit";
  EXPECT_EQ(plan.view(), "[" + std::to_string(f.id) + "] " + std::string(walk.view()));
  return std::string(plan.view());
}

TEST(CatalogueText, EveryKindOfStepAndTheTextsAroundThem) {
  const std::string long_text(40, 'L');  // longer than a lead's fixed-size copy
  const Catalogue c = one_frame(4000000000u, {{SignalType::Text, 0, 0, "a"},
                                              {SignalType::Uint, 4, 4, ""},
                                              {SignalType::Text, 0, 0, "b"},
                                              {SignalType::Text, 0, 0, ""},
                                              {SignalType::Hex, 2, 3, ""},
                                              {SignalType::Bin, 1, 1, ""},
                                              {SignalType::Unknown, 0, 3, ""},
                                              {SignalType::Text, 0, 0, long_text},
                                              {SignalType::Sint, 1, 1, ""},
                                              {SignalType::Bool, 1, 2, ""},
                                              {SignalType::Utf8, 0, 0, ""},
                                              {SignalType::Unknown, 0, 0, ""},
                                              {SignalType::Float, 4, 4, ""},
                                              {SignalType::Text, 0, 0, "z"}});
  const CatalogueFrame& f = *c.find(Message{}, 4000000000u);
  const std::vector<std::uint8_t> payload = {
      0x15, 0xCD, 0x5B, 0x07,     // 123456789
      0xCD, 0xAB, 0xEE,           // 0xabcd and a byte more
      0xA5,                       // 0b1010 0101
      1,    2,    3,              // (03) 01 02 03
      0xFF,                       // -1
      0,    1,                    // true
      3,    0,    'h',  'i',  0,  // "hi", its NUL dropped
      0,    0,                    // (00)
      0,    0,    0xC0, 0x3F,     // 1.5
  };
  EXPECT_EQ(planned(f, payload, false),
            "[4000000000] a 123456789 b  0xabcd 0b1010 0101 (03) 01 02 03 " + long_text + " -1 true hi (00) 1.5 z");
  // A byte more or less than the arguments take: the walk's verdict, no text.
  std::vector<std::uint8_t> more = payload;
  more.push_back(0);
  EXPECT_EQ(planned(f, more, false), "no fit");
  EXPECT_EQ(planned(f, std::vector<std::uint8_t>(payload.begin(), payload.end() - 1), false), "no fit");
}

TEST(CatalogueText, FramesOfStaticTextsAloneAndOfNothing) {
  const Catalogue texts = one_frame(7, {{SignalType::Text, 0, 0, "x"}, {SignalType::Text, 0, 0, "y"}});
  EXPECT_EQ(planned(*texts.find(Message{}, 7), {}, false), "[7] x y");
  EXPECT_EQ(planned(*texts.find(Message{}, 7), {0}, false), "no fit");
  const Catalogue empty = one_frame(0, {});
  EXPECT_EQ(planned(*empty.find(Message{}, 0), {}, false), "[0] ");
}

// Random frames of 0-8 arguments of every type (widths and byte lengths the builder allows,
// a byte length below the width: never fits), payloads made to fit them or cut or padded,
// both byte orders: the plan and the walk agree on every one.
TEST(CatalogueText, RandomFramesAndPayloadsAsTheWalk) {
  std::mt19937 rng(21);
  auto below = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  static constexpr std::uint8_t kWidths[] = {1, 2, 4, 8};
  for (int round = 0; round < 3000; ++round) {
    std::vector<Arg> args(below(9));
    for (Arg& a : args) {
      a.type = static_cast<SignalType>(below(11));
      const bool fixed = a.type >= SignalType::Bool && a.type <= SignalType::Float;
      a.width = fixed ? (a.type == SignalType::Float ? kWidths[2 + below(2)] : kWidths[below(4)]) : 0;
      a.bytes = fixed ? a.width + (below(8) == 0 ? below(3) : 0) : (below(3) == 0 ? 1 + below(5) : 0);
      if (fixed && below(40) == 0) a.bytes = below(a.width);  // never fits
      if (a.type == SignalType::Text)
        for (unsigned k = below(40); k > 0; --k) a.text += static_cast<char>(0x20 + below(0x5F));
    }
    const std::uint32_t id = below(2) ? below(100) : static_cast<std::uint32_t>(rng());
    const Catalogue c = one_frame(id, args);
    const CatalogueFrame& f = *c.find(Message{}, id);
    const bool be = below(2);
    // A payload as the frame reads it: fixed values their byte length, counted ones a
    // length in the payload's byte order, then random bytes.
    std::vector<std::uint8_t> payload;
    for (const Arg& a : args) {
      std::uint32_t n = a.bytes;
      if (a.type == SignalType::Raw || a.type == SignalType::Ascii || a.type == SignalType::Utf8 ||
          (a.type == SignalType::Unknown && a.bytes == 0)) {
        n = below(12);
        payload.push_back(static_cast<std::uint8_t>(be ? 0 : n));
        payload.push_back(static_cast<std::uint8_t>(be ? n : 0));
      } else if (a.type == SignalType::Text) {
        n = 0;
      }
      for (std::uint32_t k = 0; k < n; ++k) payload.push_back(static_cast<std::uint8_t>(rng()));
    }
    const unsigned change = below(6);
    if (change == 0 && !payload.empty()) payload.pop_back();
    if (change == 1) payload.push_back(static_cast<std::uint8_t>(rng()));
    planned(f, payload, be);
  }
}

}  // namespace
}  // namespace dltdump::dlt
