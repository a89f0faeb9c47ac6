// -c/--count: instead of lines, the number of messages that passed the filters, per input,
// as `grep -c` prints it: the number alone for a single input, `<input>:<number>` for each
// of several (the input as the command line names it). Skipped regions are not messages and
// are not counted; context (-A/-B) does not apply. Every input gets its count, also one that
// failed: what was read of it, 0 when nothing was (a missing file) — as --stats lists every
// input (a new user's finding: an input that failed part-way had its count, one that
// failed at its opening none). The skipped regions it passed are kept for unshown_skips:
// a dump shows them, a count must not lose them silently.
#pragma once

#include <string>

#include "dlt/message_facts.hpp"
#include "output/line_output.hpp"
#include "output/record_writer.hpp"
#include "util/number_format.hpp"
#include "util/value_text.hpp"

namespace dltdump::output {

class CountSink final : public LineOutput {
 public:
  // Writes the counts through `writer` (the console); `named`: prefix each with its input.
  CountSink(RecordWriter& writer, bool named) : writer_(writer), named_(named) {}

  void on_message(const dlt::Message&) override {
    ++count_;
    ++lines_;
  }
  void on_skip(const dlt::SkipRecord& s) override { skipped(s.position, s.length); }
  void begin_input(const Input& input) override { begin(input.name.empty() ? input.path : input.name, input.member); }
  // Failed before it began: its count, 0 (after it began, end_input gives it).
  void input_failed(std::string_view name, std::string_view /*reason*/, bool member) override {
    if (open_) return;
    begin(name, member);
    end_input();
  }
  // The input's count, also for one that failed part-way (what was read of it).
  void end_input() override {
    if (!open_) return;
    open_ = false;
    util::TextBuffer& out = writer_.begin({}, 0);
    if (name_this_) {
      out.append(name_);
      out.put(':');
    }
    util::append_int(out, count_);
    out.put('\n');
    writer_.end();
  }
  bool wants_text() const override { return false; }
  // Parallel decoders send the facts of what passed (dlt/message_facts.hpp): the
  // messages among them count.
  const dlt::LineFormatter::Options* block_format() const override { return &kFactsFormat; }
  void write_block(std::string_view block, std::uint64_t records) override {
    dlt::for_each_facts(block, [&](const dlt::Facts& f) {
      if (f.skip()) skipped(f.position, f.bytes);
      else ++count_;
    });
    lines_ += records;
  }
  UnshownSkips unshown_skips() const override { return skips_; }
  void flush() override { writer_.flush(); }
  void finish() override { writer_.finish(); }

 private:
  void begin(std::string_view name, bool member) {
    // A name may hold anything a file name can: shown as diagnostics show it, on one line.
    name_ = util::printable(name);
    name_this_ = named_ || member;  // an archive holds several inputs
    count_ = 0;
    skips_ = {};
    open_ = true;
  }
  void skipped(std::uint64_t at, std::uint64_t length) {
    if (skips_.regions++ == 0) skips_ = {0, 1, at, length};
    skips_.bytes += length;
  }

  RecordWriter& writer_;
  bool named_;
  bool name_this_ = false;
  bool open_ = false;
  std::string name_;
  std::uint64_t count_ = 0;
  UnshownSkips skips_;
};

}  // namespace dltdump::output
