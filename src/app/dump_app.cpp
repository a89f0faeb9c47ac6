#include "app/dump_app.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <span>
#include <string_view>

#include "app/capture_setup.hpp"
#include "app/follow_input.hpp"
#include "app/live_input.hpp"
#include "app/parallel/capture_chunks.hpp"
#include "app/parallel/capture_flows.hpp"
#include "app/parallel/dlt_blocks.hpp"
#include "app/parallel/dlt_stream_blocks.hpp"
#include "app/pipeline.hpp"
#include "app/progress.hpp"
#include "app/skip_tally.hpp"
#include "app/sort/sorted_run.hpp"
#include "dissect/capture_decoder.hpp"
#include "dlt/framer.hpp"
#include "filter/filter.hpp"
#include "filter/filter_sink.hpp"
#include "input/archive_input.hpp"
#include "input/decompressed_input.hpp"
#include "input/format_sniff.hpp"
#include "output/output.hpp"
#include "pcap/capture_reader.hpp"
#include "pcap/replay.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/file_identity.hpp"
#include "util/input_file.hpp"
#include "util/status_line.hpp"
#include "util/stop_signal.hpp"
#include "util/value_text.hpp"

namespace dltdump::app {

namespace {

// An input as the command line gives it ("-" for standard input): an archive's members are
// named after it (`logs.tar.gz/ecu1/trip.dlt`).
const std::string& shown(const input::InputSpec& spec) { return spec.argument.empty() ? spec.path : spec.argument; }

// A diagnostic: one line, whatever its file name holds (a newline, escape sequences).
void print_line(int fd, const std::string& text) { util::write_diagnostic(fd, util::printable(text)); }

// The whole packets of a mapped file cut to `cut` bytes by another program, from `from` (a
// packet's start, or a skipped region's) up to the cut, with a new framer into `sink`; the
// bytes the cut leaves of a packet are dropped (no skip line: they were not the file's
// fault). Throws util::Stopped on a stop request.
void frame_before_cut(const util::InputFile& file, dlt::StreamFormat format, std::uint64_t from, std::uint64_t cut,
                      Pipeline& pipeline, dlt::FramerSink& sink) {
  dlt::Framer framer(format, from);
  pipeline.attach(framer);
  framer.set_interrupt_flag(&util::stop_flag());
  framer.feed(file.whole().subspan(from, cut - from), sink);
  if (framer.interrupted()) throw util::Stopped();
}

// The warning for input `name`, read in `format`, whose skipped regions `skips` the output
// shows no line of (-c): how much, where (a capture's regions lie in its DLT streams, not
// at a byte of the file) — a new user's finding: `cat a.dlt b.net | dltdump -c -` lost the
// recording's messages without a word, where a dump shows a SKIP line.
// `at_bytes`: the regions lie at bytes of one input (not of --sort's several).
std::string unshown_skips_warning(const std::string& name, input::InputFormat format,
                                  const output::LineOutput::UnshownSkips& skips, bool at_bytes = true) {
  const bool capture = format == input::InputFormat::Pcap || !at_bytes;
  std::string line = name + ": " + std::to_string(skips.bytes) + " bytes skipped";
  if (skips.regions > 1) line += " in " + std::to_string(skips.regions) + " regions";
  if (!capture)
    line += skips.regions > 1
                ? ", the first " + std::to_string(skips.first_len) + " at byte " + std::to_string(skips.first_at)
                : " at byte " + std::to_string(skips.first_at);
  line += format == input::InputFormat::Serial    ? " (read as a serial recording, no message decodes there)"
          : format == input::InputFormat::Network ? " (read as a network recording, no message decodes there)"
          : !at_bytes                             ? " (no message decodes there)"
          : capture                               ? " (in its DLT streams, no message decodes there)"
                                                  : " (read as a DLT file, no message decodes there)";
  return line + ", not counted by -c; without -c " +
         (skips.regions > 1 ? "they show as SKIP lines" : "it shows as a SKIP line");
}

// One framer over the file's windows (mapped) or read(2) chunks (pipes). The output is
// flushed before a read that would wait (a slow producer's lines show as they come). A mapped file cut
// by another program meanwhile stops the input after the window that found it, with the
// lines of the whole packets before the cut (what lies past it read as zeros: no packet;
// the skip record they make is not delivered). A read
// that fails (util::Error) ends the stream there: its bytes are framed to their end, as the
// end of an input is, before the error propagates. Returns what was skipped: with
// `count_skips`, the input's size if it held bytes and every one was skipped (else 0); and
// the skipped regions that began like another format.
struct StreamSkips {
  std::uint64_t all_skipped = 0;
  std::optional<SkipTally::Foreign> foreign;
};
StreamSkips decode_stream(util::InputFile& file, dlt::StreamFormat format, Pipeline& pipeline, bool count_skips) {
  dlt::Framer framer(format);
  pipeline.attach(framer);
  framer.set_stop_flag(file.cut_flag());
  framer.set_interrupt_flag(&util::stop_flag());  // between packets: never inside a line
  SkipTally tally(pipeline.head(), format);
  dlt::FramerSink& sink = tally;
  // A pipe's (or live) lines so far go out before a read waits for more: a slow producer's
  // show as they come. A file's wait is for its decompression: nothing goes out for it, so
  // a compressed output's frames end where they would for any --threads (a new user's
  // finding: the same command made other bytes from run to run).
  if (!file.from_regular_file()) file.set_before_wait([&] { pipeline.sink.flush(); });
  for (;;) {
    util::throw_if_stopped();  // a pipe's read may wait
    std::span<const std::uint8_t> window;
    try {
      window = file.next_window();
    } catch (const util::Error& e) {
      // The stream ends at its fault (a corrupt or cut compressed stream, an archive's
      // member, a pipe's read error), and then the fault is told. Corrupt data: the bytes
      // before it end as an input's end does — the skip open there and the packet the
      // fault cut are skip lines and counted —, as for a file that ends in garbage. A
      // stream that ends early (util::Error::cut): the lines of the whole messages before
      // the cut, as for a mapped file cut while read (the partial packet is dropped).
      tally.window({}, framer.fed());
      if (!e.cut()) framer.finish(sink);
      throw;
    }
    if (window.empty()) break;
    // One feed per window: a packet carried across a feed's end is copied, and a copy made
    // before another program cuts the file would not be caught as a read across the cut is
    // (so no smaller steps for the progress line's sake).
    tally.window(window, framer.fed());
    framer.feed(window, sink);
    tally.after_feed(framer);
    if (framer.interrupted()) throw util::Stopped();
    if (const auto now = file.shrunk_to()) {
      // Cut by another program: the framer stopped at the first packet after the cut was
      // seen, maybe well before it. The lines of the whole packets before the cut go out
      // all the same, as on several cores (decode_file_blocks).
      const std::uint64_t from = framer.undelivered_from();
      if (file.is_mapped() && *now > from) {
        tally.window(file.whole().subspan(from, *now - from), from);
        frame_before_cut(file, format, from, *now, pipeline, sink);
      }
      file.throw_shrunk(*now);
    }
    file.release_before(framer.fed());
  }
  tally.window({}, framer.fed());
  framer.finish(sink);
  return {count_skips && tally.skipped() == framer.fed() ? framer.fed() : 0, tally.foreign()};
}

// A mapped DLT file on several cores. Blocks that end before a cut made by another program
// meanwhile are intact and go out; from the first block that does not, the bytes up to the
// cut are decoded again serially (workers may have read zeros past it), whole packets only.
// Returns the skipped regions that began like another format.
std::optional<SkipTally::Foreign> decode_file_blocks(util::InputFile& file, const DumpConfig& config,
                                                     Pipeline& pipeline) {
  struct Cut {
    std::uint64_t size;
  };
  std::uint64_t written = 0;  // file offset up to which lines went out
  std::optional<SkipTally::Foreign> foreign;
  try {
    foreign =
        decode_dlt_blocks(file.whole(), pipeline.line_spec(), {config.threads, config.block_bytes, &util::stop_flag()},
                          [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                            if (!pipeline.summarises()) util::throw_if_stopped();
                            if (auto now = file.shrunk_to(); now && end > *now) throw Cut{*now};
                            pipeline.sink.write_block(text, lines);
                            file.release_before(end);
                            written = end;
                          });
  } catch (const Cut& cut) {
    if (cut.size > written)
      frame_before_cut(file, dlt::StreamFormat::File, written, cut.size, pipeline, pipeline.head());
    file.throw_shrunk(cut.size);
  }
  file.check_not_shrunk();
  return foreign;
}

// A compressed file's DLT stream on several cores. A fault of the stream comes after the
// lines of the bytes before it, as in the serial walk. Returns the skipped regions that
// began like another format.
std::optional<SkipTally::Foreign> decode_stream_blocks(util::InputFile& file, const DumpConfig& config,
                                                       Pipeline& pipeline) {
  return decode_dlt_stream_blocks(file, pipeline.line_spec(), {config.threads, config.block_bytes, &util::stop_flag()},
                                  [&](std::string_view text, std::uint64_t lines, std::uint64_t) {
                                    if (!pipeline.summarises()) util::throw_if_stopped();
                                    pipeline.sink.write_block(text, lines);
                                  });
}

// What a capture's bounds and rules lost goes to stderr after the input's lines (a new
// user's finding: on one thread it came first in `2>&1`), so that standard output stays the
// lines DltDump prints; the TCP flows that lost bytes also to the output (--stats lists them).
void report_losses(int diag_fd, const std::string& name, const dissect::CaptureLosses& losses,
                   output::LineOutput& sink) {
  tell_capture_losses(losses, sink);
  if (!losses.any()) return;
  sink.flush();  // after the input's lines, also where standard error shares their file or pipe
  util::write_diagnostic(diag_fd, name + ": " + losses.text());
}

// A PCAP or PCAP-NG capture: replayed packet by packet into the capture decoder (on all
// cores when threads > 1 and no context is asked). A malformed capture stops after what
// came before the fault, whose flows are flushed.
void decode_capture_of(util::InputFile& file, const DumpConfig& config, Pipeline& pipeline, int diag_fd) {
  auto reader = pcap::CaptureReader::open(file);
  if (!reader) return;  // fewer than 4 bytes: nothing to decode (spec §5)
  dissect::CaptureDecoder::Options options = capture_decoder_options(*reader, config, file.name());
  auto report_nothing_found = [&](const dissect::CaptureReport& report) {
    if (!report.nothing_found.empty()) throw util::input_error(file.name(), file.name() + ": " + report.nothing_found);
  };
  if (config.threads > 1 && pipeline.parallel()) {
    dissect::CaptureReport report;
    try {
      if (file.is_mapped() && file.whole().size() >= 2 * config.block_bytes) {
        // A cut made by another program meanwhile: the decoders pass on the lines of the
        // packets before it (none read past it), then it is told.
        try {
          decode_capture_chunks(
              *reader, options, pipeline.line_spec(),
              {config.threads, config.block_bytes, nullptr, [&] { return file.shrunk_to(); }},
              [&](std::string_view text, std::uint64_t lines, std::uint64_t end) {
                if (!pipeline.summarises()) util::throw_if_stopped();
                pipeline.sink.write_block(text, lines);
                file.release_before(end);
              },
              report);
        } catch (const CaptureCut& cut) {
          file.throw_shrunk(cut.size);
        }
      } else {
        // A mapped file's packets stay readable to the end: workers read datagrams in place.
        options.stable_packets = file.is_mapped();
        ParallelCaptureOptions parallel{config.threads};
        if (!file.from_regular_file()) {  // a pipe: the lines so far go out before a read that waits
          parallel.input = &file;
          parallel.idle = [&] { pipeline.sink.flush(); };
        }
        parallel.shrunk = [&] { return file.shrunk_to(); };  // the lines before a cut go out
        try {
          decode_capture_flows(
              *reader, options, pipeline.line_spec(), parallel,
              [&](std::string_view text, std::uint64_t lines) {
                if (!pipeline.summarises()) util::throw_if_stopped();
                pipeline.sink.write_block(text, lines);
              },
              report);
        } catch (const CaptureCut& cut) {
          file.throw_shrunk(cut.size);
        }
      }
    } catch (const util::Error& e) {
      if (!e.ends_input_only()) throw;
      report_losses(diag_fd, file.name(), report.losses, pipeline.sink);
      throw;
    }
    report_losses(diag_fd, file.name(), report.losses, pipeline.sink);
    file.check_not_shrunk();  // zeros past a cut are no "nothing found"
    report_nothing_found(report);
    return;
  }
  options.payload_gate = pipeline.gate();
  options.payload_text = pipeline.payload_text();
  dissect::CaptureDecoder decoder(options, pipeline.head());
  if (!file.from_regular_file()) file.set_before_wait([&] { pipeline.sink.flush(); });  // as decode_stream
  const pcap::ReplayOutcome replayed = pcap::replay(*reader, decoder);  // what the output throws goes up
  file.check_not_shrunk();  // a cut capture: its open flows are not flushed as if it ended
  decoder.finish();
  report_losses(diag_fd, file.name(), decoder.losses(), pipeline.sink);
  if (replayed.fault) throw *replayed.fault;  // a malformed capture, after what came before it
  report_nothing_found(decoder.report());
}

// A capture cut by another program while it is read ends in zeros, which its reader takes
// for a corrupt block or empty records: the cut is what to report.
void decode_capture(util::InputFile& file, const DumpConfig& config, Pipeline& pipeline, int diag_fd) {
  try {
    decode_capture_of(file, config, pipeline, diag_fd);
  } catch (const util::Error& e) {
    if (!e.ends_input_only()) throw;
    file.check_not_shrunk();
    throw;
  }
  file.check_not_shrunk();
}

// A regular expression that gave up on some lines is worth knowing about: those lines were
// counted as not matching.
void report_search_limits(const Pipeline& pipeline, int diag_fd) {
  if (!pipeline.filter) return;
  const std::uint64_t hits = pipeline.filter->search().limit_hits();
  if (hits == 0) return;
  util::write_all(diag_fd, "Regular expression search gave up on " + std::to_string(hits) + " lines (more than " +
                               std::to_string(filter::TextSearch::kMatchLimit) +
                               " steps); they were counted as not matching\n");
}

// A run stopped by SIGINT/SIGTERM while decoding a file: one line on stderr, 130 or 143.
// It says what the output holds: lines or messages up to a whole one, or — a report or
// counts, which have no lines to end on — what was decoded before the stop.
util::ExitCode report_stop(const DumpConfig& config, output::OutputKind kind, int diag_fd) {
  const bool sigterm = util::stop_signal() == SIGTERM;
  const bool records = kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng;
  std::string what = config.stats   ? "the report counts the messages decoded before the stop"
                     : config.count ? "the counts are of the messages decoded before the stop"
                                    : std::string("the output ends on a whole ") + (records ? "message" : "line");
  // A run over time writes nothing while it reads its inputs a first time (its counts may
  // be none, or 0): say so rather than let a 0 look like the inputs' content.
  if (runs_over_time(config))
    what += " (a run with " + std::string(config.sort ? "--sort" : "--lifecycle or %LC%") +
            " writes nothing before it has read every input once)";
  print_line(diag_fd, std::string("Stopped by ") + (sigterm ? "SIGTERM" : "SIGINT") + "; " + what);
  return sigterm ? util::ExitCode::StoppedBySigterm : util::ExitCode::StoppedBySigint;
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

// Whether text lines are coloured: on the console only, never in a file; `auto` when the
// console is a terminal and the user did not ask for no colour (https://no-color.org: a
// non-empty NO_COLOR; a dumb terminal, or none named in TERM, as grep decides).
bool colours_lines(const DumpConfig& config, int out_fd) {
  if (config.colour == When::Never || config.records != dlt::LineFormatter::Style::Text) return false;
  if (output::output_kind(config.output) != output::OutputKind::Console) return false;
  if (config.colour == When::Always) return true;
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(out_fd) && (no_colour == nullptr || *no_colour == '\0') && term != nullptr &&
         std::string_view(term) != "dumb";
}

// Whether standard output is somewhere no one watches while the run goes: a file or a
// device that is no terminal (/dev/null). A terminal shows the lines, and a pipe's reader
// (less, grep) most often writes to the same terminal as standard error: a progress line
// would tear through what they show.
bool console_unwatched(int out_fd) {
  struct stat st {};
  if (::fstat(out_fd, &st) != 0) return false;
  return S_ISREG(st.st_mode) || (S_ISCHR(st.st_mode) && !::isatty(out_fd));
}

// The progress line's options, or nullopt for none: `auto` draws it when standard error is a
// terminal and what the run writes goes elsewhere (-o, or standard output to a file: see
// console_unwatched), for files and standard input (a live input runs until stopped, a
// followed file has no end), after a second (a quick run shows nothing).
std::optional<Progress::Options> progress_options(const DumpConfig& config, int out_fd, int diag_fd) {
  if (config.progress == When::Never || config.follow) return std::nullopt;
  const bool live = std::any_of(config.inputs.begin(), config.inputs.end(), [](auto& i) { return i.is_live(); });
  Progress::Options options{diag_fd, std::chrono::milliseconds(0), {}};
  if (config.progress == When::Auto) {
    const bool to_console = output::output_kind(config.output) == output::OutputKind::Console && !config.filter.none;
    if (live || !::isatty(diag_fd) || (to_console && !console_unwatched(out_fd))) return std::nullopt;
    options.delay = std::chrono::seconds(1);
  }
  for (const auto& spec : config.inputs) {
    struct stat st {};
    const bool file = spec.kind == input::InputKind::File && ::stat(spec.path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    options.sizes.push_back(file ? static_cast<std::uint64_t>(st.st_size) : 0);
  }
  return options;
}

// The text lines' options: position, records, time column, colour. (--lifecycles writes
// its list in the records' form itself, and no line: no CSV header after it.)
dlt::LineFormatter::Options line_options(const DumpConfig& config, int out_fd) {
  const auto records = config.list_lifecycles ? dlt::LineFormatter::Style::Text : config.records;
  dlt::LineFormatter::Options options{config.position, records, {}};
  options.time = config.time;
  options.colour = colours_lines(config, out_fd);
  return options;
}

util::ExitCode dump_inputs(const DumpConfig& config, int out_fd, int diag_fd) {
  std::optional<filter::Filter> filter;
  if (config.filter.any() || config.filter.max_count) {  // -m alone counts every message
    filter::FilterSpec spec = config.filter;
    spec.catalogue = config.catalogue != nullptr;
    filter.emplace(spec);
  }
  output::Output output(
      {config.output, config.force, config.split_bytes, line_options(config, out_fd), input_identities(config),
       config.nv_verbose, config.count, config.inputs.size() > 1 && !config.sort, config.stats,
       config.filter.keeps_counter_sequences_whole()},
      out_fd);
  output::LineOutput& sink = output.lines();
  Pipeline pipeline(config, filter ? &*filter : nullptr, sink);
  std::optional<Progress> progress;
  if (auto options = progress_options(config, out_fd, diag_fd)) progress.emplace(std::move(*options));
  // The input begun last is done with: the progress line moves on.
  auto input_done = [&] {
    if (progress) progress->end_input();
  };
  std::size_t processed = 0, attempted = 0;  // inputs read to their end; begun
  bool members_done = false;                 // an archive's member was read to its end
  bool stopped = false;

  if (runs_over_time(config)) {
    std::size_t surveyed = config.inputs.size();
    try {
      processed = run_over_time(config, pipeline, out_fd, diag_fd, progress ? &*progress : nullptr, surveyed);
      // -c --sort: the merged stream's skipped regions, as an input's are (a new user's
      // finding: --sort said nothing of them). Named as its count is: the input, or
      // `sorted` for several; no byte named (its regions may lie in several inputs, of
      // formats not known here).
      if (const auto unshown = sink.unshown_skips(); config.sort && unshown.bytes > 0) {
        sink.flush();
        const bool one = config.inputs.size() == 1;
        print_line(diag_fd, unshown_skips_warning(one ? shown(config.inputs.front()) : std::string("sorted"),
                                                  input::InputFormat::File, unshown, false));
      }
    } catch (const util::Stopped&) {
      stopped = true;  // the output has been told (run_over_time)
    } catch (const util::Error& e) {
      // A reader of the output that went away ends the run quietly, partial if an input
      // failed in the survey (a new user's finding: exit 0 after `File not found`).
      if (e.quiet()) return surveyed < config.inputs.size() ? util::ExitCode::Partial : util::ExitCode::Success;
      // The merged stream's output file could not be created (it exists, it is an input,
      // its folder is missing): as an input whose output fails, the run's one stream.
      if (!e.ends_input_only()) throw;
      util::print_error(diag_fd, e);
      processed = 0;
    }
    attempted = config.inputs.size();
  }
  for (const auto& spec : runs_over_time(config) ? std::span<const input::InputSpec>{} : config.inputs) {
    if (util::stop_requested()) {
      stopped = attempted == 0 || !config.inputs[attempted - 1].is_live();  // a live input's stop is its end
      if (stopped) sink.stopped();
      break;
    }
    ++attempted;
    std::optional<input::ArchiveInput> archive;  // an archive's members are read from it
    std::optional<util::InputFile> file;         // lives until the sink has ended the input (and before `archive`)
    std::string path;                            // the outputs keep a view of it until then too
    std::string member_name;                     // an archive's member being read: likewise
    // The members the archive skipped go to the output once (--stats lists them), also when
    // the archive failed or the run was stopped after them.
    bool skips_told = false;
    auto tell_skipped_members = [&] {
      if (!archive || skips_told || archive->skip_reasons().empty()) return;
      skips_told = true;
      output::LineOutput::SkippedMembers skipped;
      for (const auto& r : archive->skip_reasons()) skipped.reasons.emplace_back(r.reason, r.members);
      for (const auto& m : archive->skipped_listed()) skipped.listed.emplace_back(m.name, m.reason);
      skipped.not_listed = archive->skipped_not_listed();
      sink.archive_skipped(shown(spec), skipped);
    };
    // And their line on standard error, once: after the archive's last member, or after
    // the line of the fault that ended it (a new user's finding: an archive that failed
    // part-way did not say what it had skipped before).
    bool skips_said = false;
    auto say_skipped_members = [&] {
      if (!archive || skips_said) return;
      skips_said = true;
      if (const std::string line = input::skipped_members_line(shown(spec), *archive); !line.empty()) {
        sink.flush();
        print_line(diag_fd, line);
      }
    };
    // Copying a DLT file's bytes into a DLT output fails when another program cut the file
    // meanwhile: that is the input's failure (already said), not the output's.
    auto cut_input = [&] { return file && file->shrunk_to(); };
    // The input failed with `error`; the run goes on (util/error.hpp).
    // `name`: an archive's member that failed alone (empty: the input). `say`: false when
    // its line would repeat the one before word for word (the next member of an archive
    // whose output file cannot be created): the row (--stats) and count (-c) still tell it.
    // The input being read (an archive's member), as its -c warning names it, and its
    // format: until its end is told.
    std::optional<std::pair<std::string, input::InputFormat>> reading;
    auto input_failed = [&](const util::Error& error, std::string_view name = {}, bool say = true) {
      if (name.empty()) {
        input_done();
      } else if (progress) {
        progress->end_part();  // the archive goes on
      }
      // Flush the lines first so that, on a terminal showing both streams, the message
      // appears where the failure happened.
      try {
        if (auto now = file ? file->shrunk_to() : std::nullopt) sink.input_cut(*now);
        // Named as one of several inputs: an archive's member, or an archive (its members' counts are).
        sink.input_failed(name.empty() ? std::string_view(spec.argument) : name, error.what(),
                          !name.empty() || archive.has_value());
        sink.end_input();
        sink.flush();
      } catch (const util::Error& e) {
        if (e.ends_input_only() || !cut_input()) throw;
      }
      // -c: the regions skipped before the fault, as for an input read to its end (a new
      // user's finding: a failed input's were lost silently), before the fault's line as a
      // dump's SKIP lines are.
      if (const auto unshown = sink.unshown_skips(); reading && unshown.bytes > 0)
        print_line(diag_fd, unshown_skips_warning(reading->first, reading->second, unshown));
      reading.reset();
      if (say) util::print_error(diag_fd, error);
    };
    try {
      input::InputFormat format = input::resolve_format(spec, config.format);  // live inputs; files below
      if (spec.is_live()) {
        path = live_input_name(spec);
        const dlt::StreamFormat framing =
            spec.kind == input::InputKind::Udp ? dlt::StreamFormat::Network : stream_format(format);
        pipeline.begin_input({path, framing, {}, spec.argument});
        try {
          decode_live(spec, framing, config, pipeline, diag_fd);
        } catch (const filter::MaxCountReached&) {
          // -m: the connection or port is closed after its matches (no retry).
        }
        sink.end_input();
        ++processed;
        continue;
      }
      path = spec.kind == input::InputKind::Stdin ? "-" : spec.path;
      if (config.follow) {
        try {
          decode_followed(spec, config.format, pipeline, diag_fd);  // until stopped
        } catch (const filter::MaxCountReached&) {
          // -m: the followed file gave its matches; following it ends there.
        }
        sink.end_input();
        ++processed;
        continue;
      }
      // The content, not the name, chooses the format (compressed data is read decompressed);
      // an input it does not confirm in the format used is watched for decoding to nothing
      // but skipped bytes.
      // `member`: `name` is an archive's member (compress::member_name), not the input.
      auto decode_input = [&](input::Content content, const std::string& name, bool member) {
        if (progress)
          progress->begin_input(attempted - 1, *file, member || spec.argument.empty() ? name : spec.argument);
        // A file this run has written (named as a later input): it would read itself.
        if (file->inode() != 0 && sink.wrote({static_cast<dev_t>(file->device()), static_cast<ino_t>(file->inode())}))
          throw util::input_error(name, "Not reading " + name + ": it is an output file of this run");
        format = input::resolve_format(spec, config.format, content);
        const bool count_skips = !input::confirms(content, format);
        output::LineOutput::SourceFile source;
        if (format == input::InputFormat::File && file->is_mapped())
          source = {file->fd(), file->whole(), file->cut_flag()};
        // An archive's member is named by its own name, not the archive's argument.
        pipeline.begin_input(
            {name, stream_format(format), source, member ? std::string_view() : spec.argument, member});
        reading.emplace(member ? name : shown(spec), format);
        StreamSkips skips;
        try {
          if (format == input::InputFormat::Pcap) {
            decode_capture(*file, config, pipeline, diag_fd);
          } else if (format == input::InputFormat::File && file->is_mapped() && config.threads > 1 &&
                     pipeline.parallel() && file->whole().size() >= 2 * config.block_bytes && !count_skips) {
            skips.foreign = decode_file_blocks(*file, config, pipeline);
          } else if (format == input::InputFormat::File && file->from_source() && !member &&
                     spec.kind != input::InputKind::Stdin && config.threads > 1 && pipeline.parallel() &&
                     !count_skips) {
            // A compressed file (not standard input: a slow producer's lines would wait for
            // a whole block; not an archive's member, whose reads belong to this thread).
            skips.foreign = decode_stream_blocks(*file, config, pipeline);
          } else {
            skips = decode_stream(*file, stream_format(format), pipeline, count_skips);
          }
        } catch (const filter::MaxCountReached&) {
          // -m: the input gave its matches; the rest is not read (as grep -m), and the
          // input counts as processed.
        }
        sink.end_input();
        reading.reset();
        if (!member) {
          input_done();
        } else if (progress) {
          progress->end_part();  // an archive's member: the archive goes on
        }
        // Named as the command line gives it, as the lines about reading it.
        const std::string& told = member ? name : shown(spec);
        if (skips.all_skipped) {
          sink.flush();  // the warning follows the skip line
          print_line(diag_fd, input::skipped_only_warning(told, skips.all_skipped, format, content).text);
        } else if (input::read_otherwise(content, format)) {  // --format given: read as it is, which it rarely is
          sink.flush();
          print_line(diag_fd, input::forced_format_warning(told, format, content));
        } else if (const auto& f = skips.foreign) {
          // Data of another format joined to this input's: its skip line alone would lose it
          // silently (a new user's finding: `unzip -p` of a zip of a DLT file and a capture).
          sink.flush();
          print_line(diag_fd,
                     input::foreign_region_warning(told, format, f->position, f->length, f->content, f->regions));
        } else if (const auto unshown = sink.unshown_skips(); unshown.bytes > 0) {
          // -c shows no SKIP line: what was skipped is said, not lost silently.
          sink.flush();
          print_line(diag_fd, unshown_skips_warning(told, format, unshown));
        }
      };
      // Named as the command line gives it in what reading it says (opening it names the
      // absolute path: `File not found <path>`, as DltDump).
      input::SniffedInput opened = input::open_content(path, config.format, config.decompression, shown(spec));
      if (config.format == input::InputFormat::Automatic && input::is_archive(opened.content)) {
        // Every member that holds DLT data is an input of its own, in archive order.
        // A member that fails alone (its compressed stream or capture is corrupt, its output
        // cannot be written) is reported as an input would be, and the archive goes on; a
        // fault of the archive ends it.
        // Its members are named as the command line gives it (`logs.tar.gz/ecu1/trip.dlt`).
        archive.emplace(std::move(opened), shown(spec), shown(spec));
        bool members_read = true;
        // The line of the last member whose output file could not be created: the members
        // after it that share that output fail alike, said once (a new user's finding: one
        // `Couldn't create the output file` per member).
        std::string output_fault;
        bool member_inputs = false;  // a member was an input (read, or failed)
        while (auto member = archive->next()) {
          member_inputs = true;
          member_name = std::move(member->name);
          if (member->fault) {
            if (member->archive_failed) {
              // The archive ends in this member (a tar cut inside its data, before its
              // first bytes were read): the member fails, named, and nothing follows.
              tell_skipped_members();
              input_failed(*member->fault, member_name);
              say_skipped_members();
              members_read = false;
              break;
            }
            input_failed(*member->fault, member_name);
            members_read = false;
            continue;
          }
          file.emplace(std::move(member->input->file));
          try {
            decode_input(member->input->content, member_name, true);
            members_done = true;
          } catch (const util::Error& e) {
            if (!e.ends_input_only() || archive->failed()) throw;
            const bool repeated = e.culprit() == util::Culprit::Output && output_fault == e.what();
            if (e.culprit() == util::Culprit::Output) output_fault = e.what();
            input_failed(e, member_name, !repeated);
            members_read = false;
          }
          file.reset();
          if (util::stop_requested()) throw util::Stopped();
        }
        if (!member_inputs) {
          // No member held DLT data (an empty archive, text files only): the archive is then
          // an input of its own with nothing in it, as an empty file is — its --stats row,
          // its -c count (a new user's finding: an empty zip had none).
          sink.begin_input({path, dlt::StreamFormat::File, {}, spec.argument});
          sink.end_input();
        }
        input_done();
        tell_skipped_members();
        say_skipped_members();
        if (!members_read) continue;  // the run's exit code says an input failed part-way
      } else {
        file.emplace(std::move(opened.file));
        decode_input(opened.content, path, false);
      }
      ++processed;
    } catch (const util::Error& e) {
      // What an archive that failed skipped before: the report covers what was read.
      tell_skipped_members();
      if (e.ends_input_only()) {
        input_failed(e);
        say_skipped_members();
      } else {
        // The reader of the output went away (a closed pipe): the run ends quietly, but an
        // input that failed before still makes it partial (a new user's finding: `dltdump
        // missing.dlt big.dlt | head -1` said exit 0, 4 without the pipe).
        if (e.quiet() && !cut_input())
          return attempted - 1 > processed ? util::ExitCode::Partial : util::ExitCode::Success;
        if (!cut_input()) throw;  // the output failed: the run ends (main prints it)
        input_failed(file->shrink_error(*file->shrunk_to()));
      }
    } catch (const util::Stopped&) {
      // SIGINT/SIGTERM: what was decoded is written (whole lines and messages), the rest
      // of the input is not, nor the lines the end of a stream would add.
      stopped = !spec.is_live() && !config.follow;  // a live or followed input's stop is its normal end
      if (!stopped) ++processed;
      input_done();
      tell_skipped_members();  // an archive's, before the stop
      try {
        if (stopped) sink.stopped();
        sink.end_input();
      } catch (const util::Stopped&) {
      }
      break;
    }
  }
  if (progress) progress->finish();  // cleared before the summaries and reports that follow
  if (stopped)
    for (std::size_t i = attempted; i < config.inputs.size(); ++i) sink.input_not_read(config.inputs[i].argument);
  try {
    sink.finish();
  } catch (const util::Stopped&) {
    stopped = true;  // a second signal while the last lines were written: they end whole
  } catch (const util::Error& e) {
    if (!e.quiet()) throw;  // a reader that went away at the end: the exit code as below
  }
  report_search_limits(pipeline, diag_fd);
  pipeline.report_context_cuts(diag_fd);
  if (stopped) return report_stop(config, output.kind(), diag_fd);
  // An archive is one input, processed when all of it was read; one that failed after some
  // of its members were makes the run's output partial, not empty.
  const util::ExitCode code = exit_code(config.inputs.size(), processed);
  return code == util::ExitCode::NoInputProcessed && members_done ? util::ExitCode::Partial : code;
}

}  // namespace

util::ExitCode exit_code(std::size_t inputs, std::size_t processed) {
  if (processed == inputs) return util::ExitCode::Success;
  return processed == 0 ? util::ExitCode::NoInputProcessed : util::ExitCode::Partial;
}

util::ExitCode run_dump(const DumpConfig& config, int out_fd, int diag_fd) {
  try {
    return dump_inputs(config, out_fd, diag_fd);
  } catch (const util::Stopped&) {
    return report_stop(config, output::output_kind(config.output), diag_fd);  // while a failing input was reported
  }
}

}  // namespace dltdump::app
