#include "app/dump_app.hpp"

#include <unistd.h>

#include <optional>

#include "aio/replay.hpp"
#include "app/chunked_capture.hpp"
#include "app/live_input.hpp"
#include "app/parallel_capture.hpp"
#include "app/parallel_decode.hpp"
#include "dlt/framer.hpp"
#include "app/pipeline.hpp"
#include "filter/filter.hpp"
#include "input/capture_decoder.hpp"
#include "pcap/capture_reader.hpp"
#include "output/output.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/file_identity.hpp"
#include "util/mapped_file.hpp"

namespace dltdump::app {

namespace {

void print_line(int fd, const std::string& text) { util::write_all(fd, text + "\n"); }

// One framer over the file's windows (mapped) or read(2) chunks (pipes).
void decode_stream(util::InputFile& file, dlt::StreamFormat format, Pipeline& pipeline) {
  dlt::Framer framer(format);
  pipeline.attach(framer);
  dlt::FramerSink& sink = pipeline.head();
  for (;;) {
    auto window = file.next_window();
    if (window.empty()) break;
    framer.feed(window, sink);
    file.release_before(framer.fed());
  }
  framer.finish(sink);
}

// What a capture's bounds and rules lost goes to stderr, so that standard output stays the
// lines DltDump prints.
void report_losses(const std::string& name, const std::string& losses) {
  if (!losses.empty()) util::write_all(STDERR_FILENO, name + ": " + losses + "\n");
}

// A PCAP or PCAP-NG capture: replayed packet by packet into the capture decoder (on all
// cores when threads > 1 and no context is asked). A malformed capture stops after what
// came before the fault, whose flows are flushed.
void decode_capture(util::InputFile& file, const DumpConfig& config, Pipeline& pipeline) {
  auto reader = pcap::CaptureReader::open(file);
  if (!reader) return;  // fewer than 4 bytes: nothing to decode (spec §5)
  input::CaptureDecoder::Options options;
  options.udp_ports = config.udp_ports;
  if (config.threads > 1 && pipeline.parallel()) {
    std::string losses;
    try {
      if (file.is_mapped() && file.whole().size() >= 2 * config.block_bytes) {
        decode_capture_chunked(*reader, options, pipeline.line_spec(), {config.threads, config.block_bytes},
                               [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                                 pipeline.sink.write_block(text, lines);
                                 file.release_before(end);
                               },
                               losses);
      } else {
        // A mapped file's packets stay readable to the end: workers read datagrams in place.
        options.stable_packets = file.is_mapped();
        decode_capture_parallel(
            *reader, options, pipeline.line_spec(), {config.threads},
            [&](std::string_view text, std::uint64_t lines) { pipeline.sink.write_block(text, lines); }, losses);
      }
    } catch (const util::OutputError&) {
      throw;
    } catch (const util::Error&) {
      report_losses(file.name(), losses);
      throw;
    }
    report_losses(file.name(), losses);
    return;
  }
  options.payload_gate = pipeline.gate();
  options.payload_text = pipeline.payload_text();
  input::CaptureDecoder decoder(options, pipeline.head());
  try {
    aio::replay(*reader, decoder);
  } catch (const util::Error&) {
    if (decoder.failure()) std::rethrow_exception(decoder.failure());  // the output failed
    decoder.finish();
    report_losses(file.name(), decoder.loss_summary());
    throw;
  }
  decoder.finish();
  report_losses(file.name(), decoder.loss_summary());
}

// A regular expression that gave up on some lines is worth knowing about: those lines were
// counted as not matching.
void report_search_limits(const Pipeline& pipeline) {
  if (!pipeline.filter) return;
  const std::uint64_t hits = pipeline.filter->search().limit_hits();
  if (hits == 0) return;
  util::write_all(STDERR_FILENO, "Regular expression search gave up on " + std::to_string(hits) +
                                     " lines (more than " + std::to_string(filter::TextSearch::kMatchLimit) +
                                     " steps); they were counted as not matching\n");
}

// The files this run reads, so that no output overwrites them.
std::vector<util::FileIdentity> input_identities(const DumpConfig& config) {
  std::vector<util::FileIdentity> ids;
  for (const auto& spec : config.inputs) {
    auto id = spec.kind == input::InputKind::Stdin ? util::identity_of_fd(STDIN_FILENO) : util::identity_of(spec.path);
    if (id) ids.push_back(*id);
  }
  return ids;
}

int dump_inputs(const DumpConfig& config, int out_fd, int diag_fd) {
  std::optional<filter::Filter> filter;
  if (config.filter.any()) filter.emplace(config.filter);
  output::Output output({config.output, config.force, config.split_bytes,
                         dlt::LineFormatter::Options{config.position}, input_identities(config)},
                        out_fd);
  output::LineOutput& sink = output.lines();
  Pipeline pipeline(config, filter ? &*filter : nullptr, sink);
  std::size_t processed = 0;
  bool partial = false;

  for (const auto& spec : config.inputs) {
    const std::uint64_t lines_before = sink.lines();
    std::optional<util::InputFile> file;  // lives until the sink has ended the input
    try {
      input::InputFormat format = input::resolve_format(spec, config.format);
      if (spec.is_live()) {
        const std::string name = live_input_name(spec);
        const dlt::StreamFormat framing = spec.kind == input::InputKind::Udp ? dlt::StreamFormat::Network
                                                                              : stream_format(format);
        pipeline.begin_input({name, framing});
        decode_live(spec, framing, config, pipeline, diag_fd);
        sink.end_input();
        ++processed;
        continue;
      }
      const std::string path = spec.kind == input::InputKind::Stdin ? "-" : spec.path;
      file.emplace(util::InputFile::open(path));
      output::LineOutput::SourceFile source;
      if (format == input::InputFormat::File && file->is_mapped()) source = {file->fd(), file->whole()};
      pipeline.begin_input({path, stream_format(format), source});
      if (format == input::InputFormat::Pcap) {
        decode_capture(*file, config, pipeline);
      } else if (format == input::InputFormat::File && file->is_mapped() && config.threads > 1 &&
                 pipeline.parallel() && file->whole().size() >= 2 * config.block_bytes) {
        decode_file_parallel(file->whole(), pipeline.line_spec(), {config.threads, config.block_bytes},
                             [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                               sink.write_block(text, lines);
                               file->release_before(end);
                             });
      } else {
        decode_stream(*file, stream_format(format), pipeline);
      }
      sink.end_input();
      ++processed;
    } catch (const util::OutputError&) {
      throw;
    } catch (const util::Error& e) {
      // Diagnostics share stdout with the lines: flush the lines first so that the
      // message appears where the failure happened.
      sink.end_input();
      sink.flush();
      print_line(diag_fd, e.what());
      if (sink.lines() > lines_before) partial = true;
    }
  }
  sink.finish();
  report_search_limits(pipeline);
  pipeline.report_context_cuts(STDERR_FILENO);

  if (processed == 0 && !partial) return kExitNoInputProcessed;
  if (processed != config.inputs.size() || partial) return kExitPartial;
  return kExitSuccess;
}

}  // namespace

int run_dump(const DumpConfig& config, int out_fd, int diag_fd) {
  try {
    return dump_inputs(config, out_fd, diag_fd);
  } catch (const util::OutputError& e) {
    print_line(STDERR_FILENO, e.what());
    return kExitOutputError;
  }
}

}  // namespace dltdump::app
