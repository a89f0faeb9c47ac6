// The chain every input's events go through in one run: the filter (with its context) if
// the user gave one, then the run's output. One per run: context carries over from input
// to input when they share one output, and a live input reconnecting continues the same
// chain; an output per input (`%FILE%`) starts its context afresh.
#pragma once

#include <string>

#include "app/dump_app.hpp"
#include "app/line_chain.hpp"
#include "output/file_template.hpp"
#include "output/line_output.hpp"
#include "util/fd_writer.hpp"

namespace dltdump::app {

struct Pipeline {
  output::LineOutput& sink;
  const filter::Filter* filter;  // null: none; without a filter, -A and -B do nothing (spec §7)
  bool has_context;
  bool output_per_input;            // the output's name holds %FILE%
  const dlt::Catalogue* catalogue;  // describes non-verbose messages (null: none)
  FilterFront front;

  Pipeline(const DumpConfig& config, const filter::Filter* line_filter, output::LineOutput& output)
      : sink(output), filter(line_filter),
        has_context(filter && (config.before_context > 0 || config.after_context > 0)),
        output_per_input(output::FileTemplate(config.output).has_file()), catalogue(config.catalogue),
        front(sink, filter, {config.before_context, config.after_context}, sink.wants_text()) {}
  // A new input begins: tells the output, and forgets the context of the previous input if
  // this one gets an output of its own (no line of one input is context in another's file).
  void begin_input(const output::LineOutput::Input& input) {
    front.begin_input(input.record_name());
    if (output_per_input) front.reset_context();
    sink.begin_input(input);
  }
  // One line on `fd` if the byte bound of -B showed some matches with fewer lines before
  // them than asked (the run's end: the lines are all written).
  void report_context_cuts(int fd) const {
    const std::uint64_t cuts = front.cut_windows();
    if (cuts == 0) return;
    util::write_all(fd, "Option 'before-context': matches shown with fewer lines before them than asked: " +
                            std::to_string(cuts) + " (the lines held for context are limited to " +
                            std::to_string(filter::FilterSink::kMaxHeldBytes >> 20) + " MiB)\n");
  }
  dlt::FramerSink& head() { return front.head(); }
  const dlt::PayloadGate* gate() const { return front.gate(); }
  // Whether several threads may make the lines: the output takes blocks for this input,
  // and the filter is stateless (no context, no -m: its count runs in input order and ends
  // the input early, which one thread does best) and so are the lines (--time=relative
  // counts from the first line printed).
  bool parallel() const {
    const dlt::LineFormatter::Options* format = sink.block_format();
    return format != nullptr && !has_context && !(filter && filter->has_max_count()) &&
           !(format->style == dlt::LineFormatter::Style::Text && format->time == dlt::TimeColumn::Relative);
  }
  // Whether the output sums up (-c, --stats: block_format() makes facts, not lines). On a
  // stop, a summary takes what the parallel decoders had decoded before it (cheap: a few
  // facts per message), so that it covers a prefix of the input as on one thread; a text
  // output drops it instead, to stop at once.
  bool summarises() const {
    return sink.block_format() != nullptr && sink.block_format()->style == dlt::LineFormatter::Style::Facts;
  }
  // For decoders that filter on several threads (only if parallel()).
  LineSpec line_spec() const { return {*sink.block_format(), filter, catalogue}; }
  // Whether framers must make payload text: for a text output, or for the gate to ask for.
  bool payload_text() const { return sink.wants_text() || gate() != nullptr; }
  // Sets up `framer` to make payload text as this pipeline needs it.
  void attach(dlt::Framer& framer) const {
    framer.set_payload_text(payload_text());  // the gate, if any, says for which
    framer.set_payload_args(sink.wants_json_args());
    framer.set_payload_gate(gate());
    framer.set_catalogue(catalogue);
  }
};

// The framing of a byte-stream format (captures: their flows are network streams).
inline dlt::StreamFormat stream_format(input::InputFormat f) {
  switch (f) {
    case input::InputFormat::Serial: return dlt::StreamFormat::Serial;
    case input::InputFormat::Network:
    case input::InputFormat::Pcap: return dlt::StreamFormat::Network;
    default: return dlt::StreamFormat::File;
  }
}

}  // namespace dltdump::app
