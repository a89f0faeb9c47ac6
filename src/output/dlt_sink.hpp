// Writes messages and skip records as a DLT file (dltdump-spec §6.4):
// * from a DLT file, each message's bytes as they were, storage header included;
// * from network and serial recordings and captures, a storage header (the line's time,
//   zeros without one; the standard-header ECU id, zeros without one) and the packet —
//   a serial marker `DLS\1` is not kept;
// * a skip record as a synthetic `SKIP` message (dlt/skip_message.hpp) whose counter
//   follows the counter of the message written before it.
// Payload text is never needed. Every event passes through this one sink, on one thread:
// a skip message's counter depends on the message written before it, wherever that was.
// (Decoding DLT output on two threads was measured and gained nothing; what pays is not
// copying the bytes through memory at all — see below and docs/PERFORMANCE.md.)
//
// Whether a message is written as it was (storage header included) or gets a storage
// header is decided per message, by what its input put before the packet: a held context
// line may come from an earlier input of another format.
//
// From a DLT file read whole, consecutive messages are kept as one run of file bytes and
// written when the run ends: a long run (a copy of an unfiltered file) is copied from the
// source file inside the kernel (copy_file_range), a short one (what a filter picks) is
// appended from the file's mapping. Only messages whose bytes lie in that mapping at their
// position join a run (one pointer compare); any other (a held copy, maybe of an input
// already closed) is written from its own bytes, so nothing is read from the wrong input.
#pragma once

#include <vector>

#include "dlt/skip_message.hpp"
#include "output/line_output.hpp"
#include "output/record_target.hpp"

namespace dltdump::output {

// Runs of source bytes of at least `copy` bytes are copied from the source file; a run is
// written once it reaches `most` bytes, so that the output grows while a large file is read.
struct DltRunSizes {
  std::uint64_t copy = 256u << 10;
  std::uint64_t most = 64u << 20;
};

class DltSink final : public LineOutput {
 public:
  // `nv_verbose`: a non-verbose message its catalogue frame decodes is written as a
  // verbose message (dlt::write_verbose_packet; --nv-verbose), when it can be.
  explicit DltSink(RecordTarget& target, DltRunSizes runs = {}, bool nv_verbose = false)
      : writer_(target), runs_(runs), nv_verbose_(nv_verbose) {}

  void on_message(const dlt::Message& m) override;
  void on_skip(const dlt::SkipRecord& s) override;

  void begin_input(const Input& input) override;
  void end_input() override {
    write_run();
    writer_.flush();  // waits for a copy, which may still read the source's mapping
    source_ = {};
  }
  // The pending run keeps only its whole messages before the cut; the others were read
  // (and checked) before it, but their bytes are gone from the mapping.
  void input_cut(std::uint64_t size) override;
  bool wants_text() const override { return false; }
  bool wrote(const util::FileIdentity& file) const override { return writer_.wrote(file); }
  void flush() override {
    write_run();
    writer_.flush();
  }
  void finish() override {
    write_run();
    writer_.finish();
  }

 private:
  // Writes the pending run of source bytes, if any: its whole messages before a cut of the
  // source made meanwhile, if it was.
  void write_run();
  // Cuts the pending run back to the whole messages the source file still holds.
  void trim_to_file();
  // Bytes of the first messages of `run` that end within its first `limit` bytes (a run
  // holds whole, valid messages with storage headers back to back).
  static std::uint64_t whole_messages(const std::uint8_t* run, std::uint64_t limit);
  // Bytes of the message (storage header included) at `at`; 0 if no message begins there.
  static std::uint64_t message_bytes(const std::uint8_t* at);

  // Writes `m` re-encoded as a verbose message; false (nothing written) if it cannot be.
  bool write_verbose(const dlt::Message& m);

  RecordTarget& writer_;
  DltRunSizes runs_;
  bool nv_verbose_;
  std::vector<std::uint8_t> verbose_;  // a re-encoded packet (--nv-verbose)
  dlt::SkipCounter counters_;
  std::string_view path_;                         // of the current input
  SourceFile source_;                             // fd -1: messages are written one by one
  std::uint64_t run_offset_ = 0, run_bytes_ = 0;  // the pending run in the source file
  // Where the run's frames of a compressed output end (util::FdWriter::frame_full): the
  // first message end at which the frame, begun with what the target held at the run's
  // start (frame_room() then: room_), reaches its size, then each such end after the one
  // before; noted as messages join the run, so that the frames' ends need not be found by
  // walking every message's header a second time, and a short run is handed over as the
  // records the frames end on. frame_: the bytes of the frame the last message joined.
  std::vector<std::uint64_t> cuts_;
  std::uint64_t room_ = 0, frame_ = 0;
};

}  // namespace dltdump::output
