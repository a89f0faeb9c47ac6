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
  // The next step begins: the messages of the last are dropped.
  void clear() {
    records_.clear();
    copies_.clear();
  }
  const std::vector<dlt::Message>& records() const noexcept { return records_; }
  std::size_t size() const noexcept { return records_.size(); }
  // Bytes of the skip records delivered so far (all steps).
  std::uint64_t skipped_bytes() const noexcept { return skipped_; }

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override { skipped_ += s.length; }

 private:
  bool is_stable(std::span<const std::uint8_t> bytes) const noexcept;
  // A copy of `bytes` that lives until clear().
  std::span<const std::uint8_t> keep(std::span<const std::uint8_t> bytes);

  std::span<const std::uint8_t> stable_;
  std::string_view input_;
  std::vector<dlt::Message> records_;
  std::deque<std::vector<std::uint8_t>> copies_;  // a deque: a copy never moves
  std::uint64_t skipped_ = 0;
};

}  // namespace dltdump::api
