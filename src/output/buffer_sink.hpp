// Text lines into a memory buffer, counted: a TextSink over a BufferTarget (tests and fuzz
// targets that compare decoders' text).
#pragma once

#include <cstdint>

#include "output/text_sink.hpp"

namespace dltdump::output {

class BufferSink final : public dlt::FramerSink {
 public:
  BufferSink(dlt::LineFormatter::Options options, util::TextBuffer& text) : target_(text), sink_(target_, options) {}
  void on_message(const dlt::Message& m) override { sink_.on_message(m); }
  void on_skip(const dlt::SkipRecord& s) override { sink_.on_skip(s); }
  dlt::InPlaceLines* in_place_lines() override { return sink_.in_place_lines(); }
  std::uint64_t lines() const { return sink_.lines(); }

 private:
  BufferTarget target_;
  TextSink sink_;
};

}  // namespace dltdump::output
