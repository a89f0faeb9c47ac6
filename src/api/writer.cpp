// dltdump::Writer: the command line's output layer (output::Output, src/output/) behind
// the API. The messages a Reader gives are the framer's dlt::Message (api/access.hpp),
// which the command line's sinks take as they are: the bytes are the command line's.
#include "dltdump/writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "api/access.hpp"
#include "api/api_error.hpp"
#include "api/conversions.hpp"
#include "dltdump/reader.hpp"
#include "output/file_series.hpp"
#include "output/file_template.hpp"
#include "output/output.hpp"
#include "util/file_identity.hpp"

namespace dltdump {

namespace {

using api::style_of;
using api::time_column_of;

// `path` as an -o template that names exactly it: a `%` is a template's variable.
std::string literal_template(const std::string& path) {
  std::string out;
  out.reserve(path.size());
  for (const char c : path) {
    out += c;
    if (c == '%') out += '%';
  }
  return out;
}

const char* format_name(OutputFormat f) {
  switch (f) {
    case OutputFormat::dlt: return "DLT";
    case OutputFormat::pcapng: return "PCAP-NG";
    case OutputFormat::json: return "JSON Lines";
    case OutputFormat::csv: return "CSV";
    case OutputFormat::text: return "text";
    case OutputFormat::automatic: break;
  }
  return "automatic";
}

// What the name `name` (a literal template) says the file holds.
OutputFormat named_format(const std::string& name) {
  switch (output::output_kind(name)) {
    case output::OutputKind::Dlt: return OutputFormat::dlt;
    case output::OutputKind::Pcapng: return OutputFormat::pcapng;
    case output::OutputKind::Console:
    case output::OutputKind::Text: break;
  }
  switch (output::record_style(name)) {
    case dlt::LineFormatter::Style::Json: return OutputFormat::json;
    case dlt::LineFormatter::Style::Csv: return OutputFormat::csv;
    case dlt::LineFormatter::Style::Text:
    case dlt::LineFormatter::Style::Facts: break;
  }
  return OutputFormat::text;
}

// The format a Writer of `path` (its literal template `name`) writes, as the command
// line's -o and --out decide it (cli/options.cpp: parse_output, parse_records).
OutputFormat chosen_format(const std::string& path, const std::string& name, OutputFormat asked) {
  if (path.empty()) throw api::argument_error("Writer: the file name is empty");
  api::check_name(path, Error::Kind::argument);
  const std::string_view unwritten = output::unwritten_format(name);
  if (!unwritten.empty())
    throw api::argument_error(path + ": dltdump does not write " + std::string(unwritten) +
                              " (it writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and *.ndjson, "
                              "CSV for *.csv, text for other names, compressed by a .gz, .zst or .xz suffix after "
                              "the extension)");
  // The command line's console names (output::output_kind) are its standard output. A
  // library does not print to its host's standard output unasked (it would mix into the
  // program's own output): refused, with what to do instead.
  const std::string fixed = output::kind_deciding_name(name);  // (a template's environment variables resolved)
  if (output::output_kind(name) == output::OutputKind::Console || util::names_standard_stream(path) ||
      util::names_standard_stream(fixed))
    throw api::argument_error(path +
                              ": names the console — the command line's, or this program's standard output or "
                              "error —, which a Writer does not write: name a file, or take the text of each message "
                              "a Reader gives "
                              "(Message::text(); in Python m.text, or the text column of read_dataframe)");
  const OutputFormat named = named_format(name);
  if (asked == OutputFormat::automatic || asked == named) return named;
  const bool records = asked == OutputFormat::text || asked == OutputFormat::json || asked == OutputFormat::csv;
  if (named == OutputFormat::text && records) return asked;  // --out for a text file's name
  throw api::argument_error(path + ": " + format_name(asked) + " asked for, but the name says " + format_name(named) +
                            " (the name decides DLT and PCAP-NG, JSON Lines and CSV)");
}

// Refuses a time column or position for a file that holds no text lines (the command line
// warns and writes without them; a program is told at once).
void check_text_options(const std::string& path, OutputFormat format, const WriterOptions& options) {
  time_column_of(options.time);  // a value out of the enum
  if (format == OutputFormat::text || (options.time == TimeColumn::local && !options.position)) return;
  throw api::argument_error(path + ": " + (options.position ? "position" : "time") +
                            " is a choice of text lines; this file holds " + std::string(format_name(format)) +
                            ", which keep their own times and positions");
}

// Refuses what WriterOptions says a template may not be: one naming no file, %LC%, a
// split of one file.
void check_template(const std::string& path, const std::string& name, const WriterOptions& options) {
  if (output::kind_deciding_name(name).empty())
    throw api::argument_error(path + ": the name template names no file (its variables are empty)");
  const output::FileTemplate t(name);
  if (t.has_lifecycle())
    throw api::argument_error(path +
                              ": %LC% names a sorted run's lifecycles (dltdump --sort), which a Reader does not tell");
  if (options.split_bytes > 0 && options.split_bytes < output::kMinSplitBytes)
    throw api::argument_error(path + ": split_bytes " + std::to_string(options.split_bytes) + " is below " +
                              std::to_string(output::kMinSplitBytes) +
                              ", the least a file of a split holds (as --split's 64kB)");
  if (options.split_bytes > 0 && !t.can_split())
    throw api::argument_error(path +
                              ": split_bytes needs %CTR%, %CDATE%, %CTIME% or %CDATETIME% in the name template "
                              "(name_template), which names each file of the split");
}

}  // namespace

struct [[gnu::visibility("hidden")]] Writer::Impl {
  std::string path;
  OutputFormat format = OutputFormat::automatic;
  std::unique_ptr<output::Output> output;  // null once closed
  std::optional<Error> failure;            // the first write that failed: thrown again
  std::optional<Error> refused;            // the first input whose file was refused: thrown by close()
  std::uint64_t messages = 0;
  bool per_input = false;    // the template holds %FILE%: each input's messages get files of their own
  std::string input;         // then: the input of the messages being written (begun in the output)
  std::uint64_t reader = 0;  // the Reader (its serial) whose write_all wrote last; 0: write()

  // A message or skip of input `name` is next, from write_all of the Reader of serial
  // `from` (0: from write(), its Reader unknown): with per_input, another input's is as the
  // command line's next input (its %FILE%) — also another Reader's of the same name (an
  // input given twice, which the command line refuses to write over: a new user's finding).
  void follow(output::LineOutput & out, std::string_view name, std::uint64_t from) {
    const bool another_reader = from != 0 && reader != 0 && from != reader;
    reader = from;
    if (!per_input || (name == input && !another_reader)) [[likely]]
      return;
    out.end_input();
    input = name;  // (the output keeps views of it until the next begin_input)
    out.begin_input({input, dlt::StreamFormat::File});
  }
  void put(const dlt::Message& m, std::uint64_t from) {
    guarded([&](output::LineOutput& out) {
      follow(out, m.input, from);
      out.on_message(m);
    });
    ++messages;
  }

  // Runs `f` on the output; a fault becomes the Writer's failure (the output is dropped:
  // its descriptors close; what it held unwritten is lost, which the Error says).
  template <class F>
  // A file that may not be made (it exists without overwrite, a template's file made
  // before, an input: util::creation_error) refuses the messages of the input that needs
  // it, not the Writer: the other inputs' files are written, as the command line goes on
  // with its next input, and close() throws the first refusal after writing them.
  void guarded(F && f) {
    if (failure) throw *failure;
    if (!output) throw api::argument_error(path + ": the Writer is closed");
    std::optional<Error> refusal;
    try {
      try {
        f(output->lines());
        return;
      } catch (const util::Error& e) {
        if (!e.ends_input_only() || e.culprit() != util::Culprit::Output) api::rethrow_as_api_error(path, std::nullopt);
        refusal.emplace(Error::Kind::output, e.name(), std::nullopt, e.what());
      } catch (...) {
        api::rethrow_as_api_error(path, std::nullopt);
      }
    } catch (const Error& e) {
      failure = e;
      output.reset();
      throw;
    }
    if (!refused) refused = refusal;
    throw *refusal;
  }
};

Writer::Writer(const std::string& path, WriterOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  const std::string name = options.name_template ? path : literal_template(path);
  if (!options.name_template && options.split_bytes > 0)
    throw api::argument_error(path + ": split_bytes needs a name template (name_template) naming each file");
  if (options.name_template) check_template(path, name, options);
  impl_->format = chosen_format(path, name, options.format);
  check_text_options(path, impl_->format, options);
  impl_->per_input = options.name_template && output::FileTemplate(name).has_file();
  try {
    output::OutputOptions o;
    o.name = name;
    o.force = options.overwrite;
    o.split_bytes = options.split_bytes;
    o.not_standard_streams = true;  // also a name a template makes (`/dev/fd/%FILE%`)
    for (const std::string& input : options.inputs)
      if (const auto id = util::identity_of(input)) o.inputs.push_back(*id);
    o.text_format = dlt::LineFormatter::Options{options.position, style_of(impl_->format)};
    o.text_format.time = time_column_of(options.time);
    // No console descriptor: a console name was refused above.
    impl_->output = std::make_unique<output::Output>(o, -1);
    // One input for the whole file: each message names its own (dlt::Message::input).
    impl_->output->lines().begin_input({"", dlt::StreamFormat::File});
  } catch (...) {
    api::rethrow_as_api_error(path, std::nullopt);
  }
}

Writer::Writer(Writer&& other) noexcept = default;

Writer& Writer::operator=(Writer&& other) noexcept {
  if (this != &other) {
    Writer closing(std::move(*this));  // closed by its destructor
    impl_ = std::move(other.impl_);
  }
  return *this;
}

Writer::~Writer() {
  if (!impl_ || !impl_->output) return;
  try {
    close();
  } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor cannot report it (see the header)
  }
}

void Writer::write(const Message& m) {
  if (!impl_) throw api::argument_error("Writer: moved from");
  if (!detail::Access::has_record(m)) throw api::argument_error(impl_->path + ": a message no Reader gave");
  impl_->put(detail::Access::record(m), 0);
}

void Writer::write(std::span<const Message> batch) {
  for (const Message& m : batch) write(m);
}

std::uint64_t Writer::write_all(Reader& reader) { return detail::Access::write_rest(*this, reader, {}, 0); }

std::uint64_t Writer::write_all(Reader& reader, const std::function<bool()>& go_on) {
  return detail::Access::write_rest(*this, reader, {}, 0, &go_on);
}

std::uint64_t detail::Access::write_rest(Writer& w, Reader& reader, std::span<const Message> batch, std::size_t from,
                                         const std::function<bool()>* go_on) {
  if (!w.impl_) throw api::argument_error("Writer: moved from");
  Writer::Impl& impl = *w.impl_;
  const std::uint64_t from_reader = serial(reader);
  std::uint64_t n = 0;
  for (bool first = true;; first = false) {
    if (first && batch.empty()) continue;  // no step in progress (its regions, if any, were another's to write)
    if (!first) {
      if (go_on && *go_on && !(*go_on)()) return n;
      batch = reader.next_batch();
      from = 0;
    }
    // The step's skipped regions where they came among its messages (the last step, which
    // gives no message, may hold the input's last region).
    const auto& skips = skips_of(reader);
    std::size_t next = 0;
    while (next < skips.size() && skips[next].before < from) ++next;
    for (std::size_t i = from; i <= batch.size(); ++i) {
      for (; next < skips.size() && skips[next].before == i; ++next) {
        const dlt::SkipRecord& s = skips[next].record;
        impl.guarded([&](output::LineOutput& out) {
          impl.follow(out, s.input, from_reader);
          out.on_skip(s);
        });
      }
      if (i < batch.size()) impl.put(Access::record(batch[i]), from_reader);
    }
    n += batch.size() - std::min(from, batch.size());
    if (!first && batch.empty()) {
      // The input's end ends a compressed file's frame, as on the command line.
      impl.guarded([](output::LineOutput& out) { out.flush(); });
      return n;
    }
  }
}

void Writer::close() {
  if (!impl_) return;
  if (impl_->failure) throw *impl_->failure;
  if (!impl_->output) return;
  impl_->guarded([](output::LineOutput& out) { out.finish(); });
  impl_->output.reset();
  if (impl_->refused) throw *impl_->refused;
}

bool Writer::failed() const noexcept { return impl_ && impl_->failure; }

bool Writer::writes(const std::string& path) const {
  if (!impl_ || !impl_->output) return false;
  const auto id = util::identity_of(path);
  return id && impl_->output->lines().wrote(*id);
}

const std::string& Writer::path() const noexcept {
  static const std::string none;
  return impl_ ? impl_->path : none;
}
OutputFormat Writer::format() const noexcept { return impl_ ? impl_->format : OutputFormat::automatic; }
std::uint64_t Writer::messages() const noexcept { return impl_ ? impl_->messages : 0; }

}  // namespace dltdump
