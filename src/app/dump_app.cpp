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
#include "app/skip_tally.hpp"
#include "filter/filter.hpp"
#include "input/capture_decoder.hpp"
#include "input/format_sniff.hpp"
#include "net/link.hpp"
#include "pcap/capture_reader.hpp"
#include "output/output.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/file_identity.hpp"
#include "util/mapped_file.hpp"

namespace dltdump::app {

namespace {

void print_line(int fd, const std::string& text) { util::write_all(fd, text + "\n"); }

// One framer over the file's windows (mapped) or read(2) chunks (pipes). With
// `count_skips`, returns the input's size if it held bytes and every one was skipped; else 0.
std::uint64_t decode_stream(util::InputFile& file, dlt::StreamFormat format, Pipeline& pipeline, bool count_skips) {
  dlt::Framer framer(format);
  pipeline.attach(framer);
  SkipTally tally(pipeline.head());
  dlt::FramerSink& sink = count_skips ? tally : pipeline.head();
  for (;;) {
    auto window = file.next_window();
    if (window.empty()) break;
    framer.feed(window, sink);
    file.release_before(framer.fed());
  }
  framer.finish(sink);
  return count_skips && tally.skipped() == framer.fed() ? framer.fed() : 0;
}

// What the first bytes of `file` say it is (peeked: decoding still starts at byte 0).
input::Content sniff(util::InputFile& file) {
  return input::sniff_content([&](std::size_t n) { return file.head(n); });
}

// What a capture's bounds and rules lost goes to stderr, so that standard output stays the
// lines DltDump prints.
void report_losses(const std::string& name, const std::string& losses) {
  if (!losses.empty()) util::write_all(STDERR_FILENO, name + ": " + losses + "\n");
}

// A PCAP or PCAP-NG capture: replayed packet by packet into the capture decoder (on all
// cores when threads > 1 and no context is asked). A malformed capture stops after what
// came before the fault, whose flows are flushed. A classic PCAP of a link type we do not
// decode, and a capture of packets but not one datagram to our ports (nothing decoded),
// fail with a line saying what they hold instead.
void decode_capture(util::InputFile& file, const DumpConfig& config, Pipeline& pipeline) {
  auto reader = pcap::CaptureReader::open(file);
  if (!reader) return;  // fewer than 4 bytes: nothing to decode (spec §5)
  input::CaptureDecoder::Options options;
  options.udp_ports = config.udp_ports;
  // A classic PCAP's one interface is known at open (a PCAP-NG file's come with its blocks).
  for (const pcap::Interface& itf : reader->interfaces()) {
    if (!net::decodes_link_type(itf.link_type))
      throw util::Error(file.name() + ": " + reader->format_name() + " of link type " + std::to_string(itf.link_type) +
                        ", which is not decoded (Ethernet 1, raw IPv4 101 and 228, Linux SLL 113 and SLL2 276)");
    options.snapshot_length = itf.snaplen;
  }
  auto report_nothing_found = [&](const input::CaptureReport& report) {
    if (!report.nothing_found.empty()) throw util::Error(file.name() + ": " + report.nothing_found);
  };
  if (config.threads > 1 && pipeline.parallel()) {
    input::CaptureReport report;
    try {
      if (file.is_mapped() && file.whole().size() >= 2 * config.block_bytes) {
        decode_capture_chunked(*reader, options, pipeline.line_spec(), {config.threads, config.block_bytes},
                               [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                                 pipeline.sink.write_block(text, lines);
                                 file.release_before(end);
                               },
                               report);
      } else {
        // A mapped file's packets stay readable to the end: workers read datagrams in place.
        options.stable_packets = file.is_mapped();
        decode_capture_parallel(
            *reader, options, pipeline.line_spec(), {config.threads},
            [&](std::string_view text, std::uint64_t lines) { pipeline.sink.write_block(text, lines); }, report);
      }
    } catch (const util::OutputError&) {
      throw;
    } catch (const util::Error&) {
      report_losses(file.name(), report.losses);
      throw;
    }
    report_losses(file.name(), report.losses);
    report_nothing_found(report);
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
  report_nothing_found(decoder.report());
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
      input::InputFormat format = input::resolve_format(spec, config.format);  // live inputs; files below
      if (spec.is_live()) {
        const std::string name = live_input_name(spec);
        const dlt::StreamFormat framing = spec.kind == input::InputKind::Udp ? dlt::StreamFormat::Network
                                                                              : stream_format(format);
        sink.begin_input({name, framing});
        decode_live(spec, framing, config, pipeline, diag_fd);
        sink.end_input();
        ++processed;
        continue;
      }
      const std::string path = spec.kind == input::InputKind::Stdin ? "-" : spec.path;
      file.emplace(util::InputFile::open(path));
      // The content, not the name, chooses the format; an input it does not confirm in the
      // format used is watched for decoding to nothing but skipped bytes.
      const input::Content content = sniff(*file);
      if (config.format == input::InputFormat::Automatic && input::is_compressed(content))
        throw util::Error(input::compressed_message(content, path));
      format = input::resolve_format(spec, config.format, content);
      const bool count_skips = !input::confirms(content, format);
      output::LineOutput::SourceFile source;
      if (format == input::InputFormat::File && file->is_mapped()) source = {file->fd(), file->whole()};
      sink.begin_input({path, stream_format(format), source});
      std::uint64_t all_skipped = 0;
      if (format == input::InputFormat::Pcap) {
        decode_capture(*file, config, pipeline);
      } else if (format == input::InputFormat::File && file->is_mapped() && config.threads > 1 &&
                 pipeline.parallel() && file->whole().size() >= 2 * config.block_bytes && !count_skips) {
        decode_file_parallel(file->whole(), pipeline.line_spec(), {config.threads, config.block_bytes},
                             [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                               sink.write_block(text, lines);
                               file->release_before(end);
                             });
      } else {
        all_skipped = decode_stream(*file, stream_format(format), pipeline, count_skips);
      }
      sink.end_input();
      if (all_skipped) {
        sink.flush();  // the warning follows the skip line
        print_line(STDERR_FILENO, input::skipped_only_warning(path, all_skipped, format, content));
      }
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
