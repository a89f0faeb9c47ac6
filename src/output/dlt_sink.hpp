// Writes messages and skip records as a DLT file (dltdump-spec §6.4):
// * from a DLT file, each message's bytes as they were, storage header included;
// * from network and serial recordings and captures, a storage header (the line's time,
//   zeros without one; the standard-header ECU id, zeros without one) and the packet —
//   a serial marker `DLS\1` is not kept;
// * a skip record as a synthetic `SKIP` message (dlt/skip_message.hpp) whose counter
//   follows the counter of the message written before it.
// Payload text is never needed. Every event passes through this one sink, on one thread:
// a skip message's counter depends on the message written before it, wherever that was
// (and measured, decoding DLT output on two threads gained nothing: copying is bound by
// page faults and writes, not by validation alone; see docs/PERFORMANCE.md).
#pragma once

#include "dlt/skip_message.hpp"
#include "output/line_output.hpp"
#include "output/record_target.hpp"

namespace dltdump::output {

class DltSink final : public LineOutput {
 public:
  explicit DltSink(RecordTarget& target) : writer_(target) {}

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;

  void begin_input(const Input& input) override {
    framing_ = input.framing;
    writer_.begin_input(input.path);
  }
  bool wants_text() const override { return false; }
  void flush() override { writer_.flush(); }
  void finish() override { writer_.finish(); }

 private:
  RecordTarget& writer_;
  dlt::StreamFormat framing_ = dlt::StreamFormat::File;
  dlt::SkipCounter counters_;
};

}  // namespace dltdump::output
