// The messages of one step of a dltdump::Reader: the framer's events turned from a push
// (dlt::FramerSink) into a batch the caller pulls.
//
// A message is kept as the framer's dlt::Message, whose spans stay where they are when
// they lie in `stable` (the mapped file, or the window of input being fed, which the Reader
// keeps until the next step) and are copied into the batch otherwise (a message that
// crossed a window's end lives in the framer's carry buffer only during the call). The
// payload text is not kept: Message::text() makes it when asked. Each message names its
// input (dlt::Message::input), for a Writer's records.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string_view>
#include <vector>

#include "dlt/framer_sink.hpp"
#include "dlt/message.hpp"

namespace dltdump::api {

class MessageBatch final : public dlt::FramerSink {
 public:
  // Input bytes that stay valid until the next clear(); messages elsewhere are copied.
  void set_stable(std::span<const std::uint8_t> stable) noexcept { stable_ = stable; }
  // The input's name as the Reader was given it, kept in each message (dlt::Message::input):
  // what a Writer's JSON and CSV records name. `name` outlives the batch.
  void set_input(std::string_view name) noexcept { input_ = name; }
  // The next step begins: the messages and skips of the last are dropped.
  void clear() {
    records_.clear();
    copies_.clear();
    skips_.clear();
  }
  const std::vector<dlt::Message>& records() const noexcept { return records_; }
  std::size_t size() const noexcept { return records_.size(); }
  // Bytes of the skip records delivered so far (all steps).
  std::uint64_t skipped_bytes() const noexcept { return skipped_; }
  // A skip record of this step (one the filter let through, as the command line's SKIP
  // line), after `before` of the step's messages: what a Writer's write_all writes where
  // -o writes it. Its input names the batch's (set_input).
  struct Skip {
    dlt::SkipRecord record;
    std::size_t before = 0;
  };
  const std::vector<Skip>& skips() const noexcept { return skips_; }

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override {
    skipped_ += s.length;
    skips_.push_back({s, records_.size()});
    skips_.back().record.input = input_;
  }

 private:
  bool is_stable(std::span<const std::uint8_t> bytes) const noexcept;
  // A copy of `bytes` that lives until clear().
  std::span<const std::uint8_t> keep(std::span<const std::uint8_t> bytes);

  std::span<const std::uint8_t> stable_;
  std::string_view input_;
  std::vector<dlt::Message> records_;
  std::deque<std::vector<std::uint8_t>> copies_;  // a deque: a copy never moves
  std::vector<Skip> skips_;
  std::uint64_t skipped_ = 0;
};

}  // namespace dltdump::api
