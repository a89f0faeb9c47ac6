// One thread's way from framer events to text lines: the optional filter, then a TextSink
// that formats what passes into a TextBuffer. Parallel decoders build one per
// piece of work; the filter there is stateless (no context: context needs the whole stream
// in order, so runs with -A/-B decode on one thread).
#pragma once

#include <optional>

#include "dlt/framer.hpp"
#include "dlt/line_formatter.hpp"
#include "filter/filter.hpp"
#include "filter/filter_sink.hpp"
#include "output/text_sink.hpp"

namespace dltdump::app {

// An optional filter in front of `next`: where framer events go, and the framer's gate.
class FilterFront {
 public:
  // `next_wants_text`: whether `next` prints payload text (text outputs) or not (DLT,
  // PCAP-NG): without it, payloads are made into text only for a string or regex filter.
  FilterFront(dlt::FramerSink& next, const filter::Filter* filter, filter::FilterSink::Context context = {},
              bool next_wants_text = true)
      : next_(next) {
    if (filter) filter_.emplace(*filter, context, next, next_wants_text);
  }
  FilterFront(const FilterFront&) = delete;
  FilterFront& operator=(const FilterFront&) = delete;

  dlt::FramerSink& head() { return filter_ ? static_cast<dlt::FramerSink&>(*filter_) : next_; }
  const dlt::PayloadGate* gate() const { return filter_ ? &*filter_ : nullptr; }
  // A new input begins (filter::FilterSink::begin_input: the -m count; `name` as records
  // name the input).
  void begin_input(std::string_view name = {}) {
    if (filter_) filter_->begin_input(name);
  }
  // Forgets the context held so far (filter::FilterSink::reset).
  void reset_context() {
    if (filter_) filter_->reset();
  }
  // Matches whose before-context the byte bound shortened (filter::FilterSink::cut_windows).
  std::uint64_t cut_windows() const { return filter_ ? filter_->cut_windows() : 0; }

 private:
  dlt::FramerSink& next_;
  std::optional<filter::FilterSink> filter_;
};

// How lines are made: their format and the filter they pass (null: every line).
struct LineSpec {
  dlt::LineFormatter::Options format;
  const filter::Filter* filter = nullptr;
  const dlt::Catalogue* catalogue = nullptr;  // describes non-verbose messages (null: none)

  // Whether the lines show payload texts (a summary's records do not).
  bool wants_text() const { return format.style != dlt::LineFormatter::Style::Facts; }
  // Whether framers must make payload text: for the lines, or for the filter to ask for.
  bool payload_text() const { return wants_text() || filter != nullptr; }
  // Whether framers should make typed arguments with the text: for JSON Lines records.
  bool payload_args() const { return format.style == dlt::LineFormatter::Style::Json; }
};

class LineChain {
 public:
  LineChain(const LineSpec& spec, util::TextBuffer& text)
      : target_(text), sink_(target_, spec.format), front_(sink_, spec.filter, {}, spec.wants_text()),
        catalogue_(spec.catalogue), payload_text_(spec.payload_text()), payload_args_(spec.payload_args()) {}
  LineChain(const LineChain&) = delete;
  LineChain& operator=(const LineChain&) = delete;

  // Where framer events go.
  dlt::FramerSink& head() { return front_.head(); }
  // The framer's payload gate (null without a filter).
  const dlt::PayloadGate* gate() const { return front_.gate(); }
  // Lets `framer` make payload text (in its own buffer) if the spec needs it, asking this
  // chain's gate.
  void attach(dlt::Framer& framer) {
    framer.set_payload_text(payload_text_);
    framer.set_payload_args(payload_args_);
    framer.set_payload_gate(gate());
    framer.set_catalogue(catalogue_);
  }
  // Lines made since construction or the last reset_lines().
  std::uint64_t lines() const { return sink_.lines() - base_; }
  void reset_lines() { base_ = sink_.lines(); }

 private:
  output::BufferTarget target_;
  output::TextSink sink_;
  FilterFront front_;
  const dlt::Catalogue* catalogue_;
  bool payload_text_;
  bool payload_args_;
  std::uint64_t base_ = 0;
};

}  // namespace dltdump::app
