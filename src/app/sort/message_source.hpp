// One input file decoded a step at a time, for the two passes of a sorted run (survey and
// merge): a caller that pulls messages from several inputs in turn, where every other way
// of decoding pushes one input's messages through to its end.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/dump_app.hpp"
#include "dissect/capture_decoder.hpp"
#include "dlt/framer.hpp"
#include "dlt/framer_sink.hpp"
#include "input/decompressed_input.hpp"
#include "input/format_sniff.hpp"
#include "input/input_spec.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/replay.hpp"
#include "util/input_file.hpp"

namespace dltdump::app {

class MessageSource {
 public:
  // Opens the file `spec` names (a sorted run reads files twice, so the caller has refused
  // pipes and live inputs) and sniffs its format as the dump does (`config.format` if given). Its
  // messages and skip records go to `sink`, without payload text but validated, in the
  // stream order of the input. `sink` must outlive this object. Throws util::Error (ends
  // the input only) if the file cannot be opened or is a capture of a link type that is not
  // decoded; compressed data is read decompressed (input/decompressed_input.hpp).
  MessageSource(const input::InputSpec& spec, const DumpConfig& config, dlt::FramerSink& sink);
  ~MessageSource();
  MessageSource(const MessageSource&) = delete;
  MessageSource& operator=(const MessageSource&) = delete;

  // Decodes the next step (about `bytes` of a DLT file or recording, one batch of a
  // capture's packets) into the sink. Returns false, having finished the input (its open
  // flows flushed, its last skip record delivered), when there was nothing left. Throws
  // util::Error (ends the input only) when the file was cut by another program, the
  // capture is malformed (after the messages before the fault) or a compressed stream is
  // cut or corrupt (after its bytes before the fault, finished as an input's end: the
  // skip records there delivered), and what the sink throws.
  bool step(std::size_t bytes = kStepBytes);
  // How many decoded bytes of a mapped file may stay mapped in memory before the pages
  // read go (util::InputFile::release_before): each release costs a system call and a
  // flush of the address translations, far more than reading the pages, so a reader
  // that steps in small pieces releases only every so many bytes. At least 4 KiB.
  void set_release_every(std::size_t bytes) noexcept { release_every_ = std::max<std::size_t>(bytes, 4096); }

  input::InputFormat format() const noexcept { return format_; }
  // What its first bytes said it is (the format used need not confirm it).
  input::Content content() const noexcept { return content_; }
  // Whether the input was decoded to its end, or to the fault step() threw at (a
  // malformed capture's, a corrupt compressed stream's; not a cut by another program).
  bool finished() const noexcept { return done_; }
  // Once finished(): what the capture's bounds and rules lost, and the line its failure is
  // (empty: it found DLT); empty reports for other inputs.
  dissect::CaptureReport capture_report() const { return decoder_ ? decoder_->report() : dissect::CaptureReport{}; }
  util::InputFile& file() noexcept { return file_; }

  static constexpr std::size_t kStepBytes = 1u << 20;
  static constexpr std::size_t kReleaseEvery = 1u << 20;  // set_release_every's default

 private:
  MessageSource(input::SniffedInput opened, const input::InputSpec& spec, const DumpConfig& config,
                dlt::FramerSink& sink);

  util::InputFile file_;
  dlt::FramerSink& sink_;
  input::InputFormat format_;
  input::Content content_;
  bool done_ = false;
  // A DLT file or recording: the framer and the window it walks.
  std::optional<dlt::Framer> framer_;
  std::span<const std::uint8_t> window_;
  std::size_t release_every_ = kReleaseEvery;
  std::uint64_t released_ = 0;  // release_before was given this offset last
  // A capture.
  std::unique_ptr<pcap::CaptureReader> reader_;
  std::optional<dissect::CaptureDecoder> decoder_;
  std::optional<pcap::BatchReader> batches_;
};

}  // namespace dltdump::app
