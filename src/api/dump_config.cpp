#include "api/dump_config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>

#include "api/access.hpp"
#include "api/conversions.hpp"
#include "app/sort/sorted_run.hpp"
#include "compress/output_compression.hpp"
#include "filter/filter_sink.hpp"
#include "filter/text_search.hpp"
#include "input/directory_inputs.hpp"
#include "input/input_spec.hpp"
#include "output/file_series.hpp"
#include "output/file_template.hpp"
#include "output/output.hpp"
#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::api {

namespace {

static_assert(kMaxBeforeContext == filter::FilterSink::kMaxBefore);
static_assert(kMinSplitBytes == output::kMinSplitBytes);

constexpr unsigned kMaxDefaultThreads = 8;  // the default: one thread a core, up to this many

using util::quoted;

// How the command line names an option in its messages: `Option 'split'`
// (cli/option_table.hpp, option_quoted). The names are its long option names.
std::string option(std::string_view name) { return "Option '" + std::string(name) + "'"; }

[[noreturn]] void refuse(std::string_view name, const std::string& text) {
  throw util::option_error(std::string(name), text);
}

void warn(std::vector<util::Diagnostic>& warnings, std::string_view name, std::string text) {
  warnings.push_back({util::Culprit::Option, std::string(name), std::move(text)});
}

unsigned default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : std::min(n, kMaxDefaultThreads);
}

// An output name for a message: as given, and as expanded when the environment changed it.
std::string shown_output(const std::string& name) {
  const std::string fixed = output::kind_deciding_name(name);
  return fixed == name ? quoted(name) : quoted(name) + " (" + quoted(fixed) + ")";
}

// -o: a name whose extension promises a format that is not written is refused (a run that
// fills `out.pcap` with text helps nobody), and so is one that expands to nothing. A
// variable that is neither dltdump's nor set in the environment is empty: a warning, since
// `%ECU%` quietly naming `_.txt` is surely a slip (a new user's finding).
void check_output(const std::string& name, std::vector<util::Diagnostic>& warnings) {
  if (name.empty()) return;  // the console
  // The kind is decided from the name as expanded (environment variables resolved), and
  // so are the messages: `-o 'y.%E%'` names `y.json` when E=json.
  if (output::kind_deciding_name(name).empty())
    refuse("output", option("output") + " names " + quoted(name) +
                         ", which is empty once expanded (an environment variable that is unset or empty?)");
  const std::string_view format = output::unwritten_format(name);
  if (!format.empty())
    refuse("output", option("output") + " names " + shown_output(name) + ", but dltdump does not write " +
                         std::string(format) +
                         " (it writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and *.ndjson, "
                         "CSV for *.csv, text for other names, compressed by a .gz, .zst or .xz suffix after the "
                         "extension)");
  const output::FileTemplate parsed(name);
  const std::vector<std::string>& unset = parsed.unset_variables();
  if (unset.empty()) return;
  std::string names;
  for (std::size_t i = 0; i < unset.size(); ++i)
    names += (i == 0 ? "" : i + 1 == unset.size() ? " and " : ", ") + ("%" + unset[i] + "%");
  warn(warnings, "output",
       "The output name " + quoted(name) + " holds " + names + ", " +
           (unset.size() == 1 ? "an environment variable that is" : "environment variables that are") +
           " not set, so empty in the name (dltdump's variables: %FILE%, %CTR%, %CDATE%, %CTIME%, %CDATETIME%, "
           "%LC%)");
}

// --out and the output name's extension: the records a text output holds. An extension
// that says otherwise than --out, or a DLT or PCAP-NG output, contradicts it.
dlt::LineFormatter::Style records_of(const DumpOptions& o) {
  using Style = dlt::LineFormatter::Style;
  const Style by_name = output::record_style(o.output);
  if (o.records == OutputFormat::automatic) return by_name;
  const char* asked = o.records == OutputFormat::text   ? "text"
                      : o.records == OutputFormat::json ? "json"
                      : o.records == OutputFormat::csv  ? "csv"
                                                        : nullptr;
  if (!asked) refuse("out", option("out") + " takes text, json or csv records (DLT and PCAP-NG: the output's name)");
  const Style style = style_of(o.records);
  const auto kind = output::output_kind(o.output);
  const bool binary = kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng;
  if (binary || (by_name != Style::Text && by_name != style))
    refuse("out", option("out") + " asks for " + quoted(asked) + " records, but the output " + shown_output(o.output) +
                      " is " +
                      (kind == output::OutputKind::Dlt      ? "a DLT file"
                       : kind == output::OutputKind::Pcapng ? "a PCAP-NG file"
                       : by_name == Style::Json             ? "JSON Lines by its name"
                                                            : "CSV by its name"));
  return style;
}

// The option that makes `dump` a run over time (app::runs_over_time), and how a diagnostic
// names it: `Option 'sort'`, or `The output name 'x_%LC%.dlt'` for files by lifecycle.
std::string_view time_order_option(const app::DumpConfig& dump) {
  if (dump.sort) return "sort";
  if (dump.list_lifecycles) return "lifecycles";
  return dump.lifecycles.empty() ? "output" : "lifecycle";
}
std::string time_order_asker(const app::DumpConfig& dump) {
  const std::string_view name = time_order_option(dump);
  if (name == "output") return "The output name " + quoted(dump.output) + " (with %LC%)";
  return option(name);
}

// A run over time reads its inputs twice: files only, and it cannot follow one.
void check_time_order(const app::DumpConfig& dump) {
  if (!app::runs_over_time(dump)) return;
  const std::string_view name = time_order_option(dump);
  if (dump.follow)
    refuse("follow", option("follow") + " cannot be combined with " +
                         (name == "output" ? std::string("%LC% in the output name") : "'" + std::string(name) + "'") +
                         " (which reads its inputs twice, to their end)");
  for (const input::InputSpec& spec : dump.inputs) {
    struct stat st {};
    // A pipe, FIFO or device gives its bytes once (a second open would wait forever).
    const bool once = spec.kind != input::InputKind::File ||
                      (::stat(spec.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
    if (once)
      refuse(name, time_order_asker(dump) + " reads its inputs twice: " + quoted(spec.argument) +
                       " is no regular file (live inputs, standard input, pipes and devices can be read only once)");
  }
}

// --split without a file name that can split writes one file: say so, since the user
// asked for pieces (DltDump ignores it silently). Files by lifecycle: %LC% names them, and
// a lifecycle's file is not split further.
void check_split(const app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  const bool by_lifecycle = app::names_files_by_lifecycle(dump);
  if (dump.split_lifecycle && !by_lifecycle)
    refuse("split", option("split") +
                        " by lifecycle needs %LC% in the output name (-o 'trip_%LC%.dlt'): each lifecycle's file is "
                        "named by its number");
  if (by_lifecycle && dump.split_bytes > 0)
    refuse("split",
           option("split") + " by size cannot be combined with %LC% in the output name (one file per lifecycle)");
  if (dump.split_bytes == 0) return;
  if (dump.split_bytes < kMinSplitBytes)
    refuse("split", option("split") + " of " + std::to_string(dump.split_bytes) +
                        " bytes: the output file size limit cannot be less than 64kB");
  if (output::output_kind(dump.output) == output::OutputKind::Console)
    warn(warnings, "split", option("split") + " has no effect without an output file (-o): nothing is split");
  else if (!output::FileTemplate(dump.output).can_split())
    warn(warnings, "split",
         option("split") + " has no effect: the output name " + quoted(dump.output) +
             " holds no %CTR%, %CDATE%, %CTIME% or %CDATETIME%, so one file is written");
}

// Options that only some inputs or outputs use, given where none is: a line each.
void check_unused(const DumpOptions& o, const app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  const bool tcp = std::any_of(dump.inputs.begin(), dump.inputs.end(),
                               [](const input::InputSpec& s) { return s.kind == input::InputKind::Tcp; });
  if (o.retries && !tcp) warn(warnings, "retries", option("retries") + " has no effect without a tcp:// input");
  const auto kind = output::output_kind(dump.output);
  const bool text = dump.records == dlt::LineFormatter::Style::Text;
  // The options whose output replaces the lines: -c, --stats, --lifecycles.
  const std::string_view no_lines = dump.count             ? "count"
                                    : dump.stats           ? "stats"
                                    : dump.list_lifecycles ? "lifecycles"
                                                           : "";
  const std::string with_no_lines = " with '" + std::string(no_lines) + "'";
  if (dump.position && !no_lines.empty())
    warn(warnings, "position", option("position") + " has no effect" + with_no_lines + " (no line is printed)");
  else if (dump.position && !text)
    warn(warnings, "position",
         option("position") + " has no effect on JSON and CSV records (they always hold the position)");
  // --color=always colours text lines on the console only; --follow decodes on one thread
  // and draws no progress line (a followed file has no end).
  if (dump.colour == app::When::Always && (kind != output::OutputKind::Console || dump.count || dump.stats || !text))
    warn(warnings, "color", option("color") + " has no effect here (it colours text lines on the console only)");
  if (dump.follow && o.threads != 0)
    warn(warnings, "threads", option("threads") + " has no effect with 'follow' (one decoding thread)");
  if (dump.follow && dump.progress == app::When::Always)
    warn(warnings, "progress", option("progress") + " has no effect with 'follow' (a followed file has no end)");
  // --time shapes text lines only (--time=local changes nothing anywhere).
  if (dump.time != dlt::TimeColumn::Local) {
    std::string why;
    if (dump.list_lifecycles && text)  // its times are local, as the default lines' (TZ chooses the zone)
      why = " with 'lifecycles' (its list is in local time; TZ=UTC gives UTC)";
    else if (dump.list_lifecycles) why = " on the records of 'lifecycles' (they keep their time fields)";
    else if (!no_lines.empty()) why = with_no_lines + " (no line is printed)";
    else if (kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng)
      why = " on the output " + quoted(dump.output) + " (DLT and PCAP-NG keep the messages)";
    else if (!text) why = " on JSON and CSV records (they keep their time fields)";
    if (!why.empty()) warn(warnings, "time", option("time") + " has no effect" + why);
  }
  if (dump.position && (kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng))
    warn(warnings, "position",
         option("position") + " has no effect on the output " + quoted(dump.output) +
             " (it prefixes text lines; DLT and PCAP-NG keep the messages)");
  if (dump.nv_verbose && !dump.catalogue)
    warn(warnings, "nv-verbose", option("nv-verbose") + " has no effect without 'fibex'");
  else if (dump.nv_verbose && kind != output::OutputKind::Dlt)
    warn(warnings, "nv-verbose", option("nv-verbose") + " has no effect without a DLT output (-o <name>.dlt)");
  // (The command line drops context without a filter itself, naming -C as it was given.)
  for (const auto& [name, lines] : {std::pair{"before-context", o.before_context}, {"after-context", o.after_context}})
    if (lines > 0 && !dump.filter.any())
      warn(warnings, name,
           option(name) + " has no effect without a filter (context surrounds the lines a filter selects)");
  // The ports choose which flows of a capture carry DLT: of no use where no input can be a
  // capture (a format forced to another, or live inputs only; a file's own format is not
  // sniffed here). A tester's finding: --udp-port on a DLT file went by without a word.
  const bool live_only = std::all_of(dump.inputs.begin(), dump.inputs.end(), [](const input::InputSpec& s) {
    return s.kind != input::InputKind::File && s.kind != input::InputKind::Stdin;
  });
  const bool no_capture =
      live_only || (dump.format != input::InputFormat::Automatic && dump.format != input::InputFormat::Pcap);
  const DumpOptions defaults;
  for (const auto& [name, ports, default_ports] :
       {std::tuple{"udp-port", &o.udp_ports, &defaults.udp_ports}, {"tcp-port", &o.tcp_ports, &defaults.tcp_ports}})
    if (no_capture && *ports != *default_ports)
      warn(warnings, name,
           option(name) + " has no effect: " +
               (live_only ? "no input is a file that may be a capture" : "'format' reads no input as a capture") +
               " (the ports choose a capture's DLT flows)");
  if (dump.filter.ignore_case && dump.filter.strings.empty() && dump.filter.regexes.empty())
    warn(warnings, "ignorecase", option("ignorecase") + " has no effect without -s or -r");
  // A catalogue the command line refuses (exit 6: it may decode other messages wrongly
  // without a sign) is a program's to accept, so its warnings are the Dump's.
  if (o.catalogue)
    for (const std::string& w : o.catalogue->warnings()) warn(warnings, "fibex", w);
}

// The inputs as the arguments name them, a folder of -R as the files below it.
void add_inputs(const DumpOptions& o, app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  for (const std::string& arg : o.inputs) {
    // An empty name names nothing (a new user's finding: `dltdump ''` said `File not found `).
    if (arg.empty()) throw util::input_uri_error(arg, "Input '' is an empty name (an empty argument?)");
    input::InputSpec spec = input::parse_input_argument(arg);
    if (o.recursive && input::is_directory(spec)) {
      input::DirectoryInputs below = input::files_below(spec);
      for (auto& file : below.files) dump.inputs.push_back(std::move(file));
      for (auto& warning : below.warnings) warnings.push_back(std::move(warning));
    } else {
      dump.inputs.push_back(std::move(spec));
    }
  }
  // Standard input can be read once: a second `-` would silently read nothing.
  const auto stdin_count = std::count_if(dump.inputs.begin(), dump.inputs.end(),
                                         [](const input::InputSpec& s) { return s.kind == input::InputKind::Stdin; });
  if (stdin_count > 1)
    throw util::input_uri_error(
        "-", "Input '-' (standard input) given " + std::to_string(stdin_count) + " times; it can be read only once");
}

// What the command line refuses whichever way it was asked: options whose outputs exclude
// each other, values no run can use. `o` as given (before copy_values).
void check_combinations(const DumpOptions& o) {
  if (o.inputs.empty()) refuse("", "No input given");
  // -c, --stats and --lifecycles print on the console instead of the lines.
  const bool output = !o.output.empty(), out = o.records != OutputFormat::automatic;
  const bool split = o.split_bytes > 0 || o.split_lifecycle;
  if (o.count || o.stats) {
    const std::string_view summary = o.count ? "count" : "stats";
    const std::string_view other = output                 ? "output"
                                   : out                  ? "out"
                                   : split                ? "split"
                                   : (o.count && o.stats) ? "stats"
                                                          : "";
    if (!other.empty())
      refuse(summary, option(summary) + " prints " + (o.count ? "counts" : "a report") +
                          " on the console; it cannot be combined with '" + std::string(other) + "'");
  }
  if (o.list_lifecycles) {
    // (--out chooses the list's form: a table, JSON Lines or CSV.)
    const std::string_view other = output                  ? "output"
                                   : split                 ? "split"
                                   : o.stats               ? "stats"
                                   : o.count               ? "count"
                                   : !o.lifecycles.empty() ? "lifecycle"
                                   : o.follow              ? "follow"
                                                           : "";
    if (!other.empty())
      refuse("lifecycles", option("lifecycles") + " prints the list of lifecycles; it cannot be combined with '" +
                               std::string(other) + "'");
  }
  const filter::FilterSpec& f = detail::Access::spec(o.filter);
  // -v without a filter would select nothing at all: surely not what was meant (grep -v
  // needs a pattern too).
  if (f.invert && !f.any() && !o.none)
    refuse("invert-match", option("invert-match") +
                               " needs a filter to invert (without one, every line is selected and none would be "
                               "printed)");
  if (f.invert && o.none)
    refuse("invert-match", option("invert-match") + " cannot invert 'none' (it prints no line; leave one of them out)");
  for (const std::uint64_t n : o.lifecycles)
    if (n == 0) throw util::lifecycle_number_error("0");
  for (const auto* ports : {&o.udp_ports, &o.tcp_ports}) {
    const std::string_view name = ports == &o.udp_ports ? "udp-port" : "tcp-port";
    if (ports->empty()) refuse(name, option(name) + " lists no port");
    if (std::find(ports->begin(), ports->end(), 0) != ports->end())
      refuse(name, option(name) + " must list port numbers from 1 to 65535, not '0'");
  }
  if (o.after_context > static_cast<std::uint32_t>(INT32_MAX))
    throw util::number_range_error("after-context", 0, INT32_MAX, std::to_string(o.after_context));
  if (o.stats && *o.stats != StatsFormat::text && *o.stats != StatsFormat::json)
    refuse("stats",
           option("stats") + " has incorrect format " + std::to_string(static_cast<int>(*o.stats)) + " (text or json)");
}

// --capture: the raw datagrams as a PCAP-NG file, so a name that says another format (or
// compression) is refused, as -o refuses it (a new user's finding: `--capture x.pcap` wrote
// PCAP-NG into it).
void check_capture_name(const std::string& name) {
  if (name.empty()) return;
  const std::string_view unwritten = output::unwritten_format(name);
  const bool other = !unwritten.empty() || compress::output_compression(name) != compress::OutputCompression::None ||
                     output::output_kind(name) == output::OutputKind::Dlt ||
                     output::record_style(name) != dlt::LineFormatter::Style::Text;
  if (other)
    refuse("capture", option("capture") + " names " + quoted(name) +
                          ", but the capture of the datagrams is an uncompressed PCAP-NG file (name it *.pcapng)");
}

app::When when_of(When w) {
  switch (w) {
    case When::automatic: return app::When::Auto;
    case When::always: return app::When::Always;
    case When::never: return app::When::Never;
  }
  refuse("color", "color, progress: " + std::to_string(static_cast<int>(w)) + " is no choice of When");
}

// The filter, -m and --none, context (with a filter only), ports, threads and the rest.
void copy_values(const DumpOptions& o, app::DumpConfig& dump) {
  dump.format = input_format(o.format);
  dump.filter = detail::Access::spec(o.filter);
  dump.filter.none = o.none;
  dump.filter.max_count = o.max_count;
  // Q3: a bad pattern is an option error (TextSearch throws it); with -i the strings are
  // patterns too.
  filter::TextSearch check(dump.filter.strings, dump.filter.regexes, dump.filter.ignore_case);
  if (o.before_context > kMaxBeforeContext)
    throw util::number_range_error("before-context", 0, kMaxBeforeContext, std::to_string(o.before_context));
  if (dump.filter.any()) {  // as grep's context needs a pattern
    dump.before_context = o.before_context;
    dump.after_context = o.after_context;
  }
  dump.udp_ports = o.udp_ports;
  dump.tcp_ports = o.tcp_ports;
  if (o.threads > kMaxThreads) throw util::number_range_error("threads", 1, kMaxThreads, std::to_string(o.threads));
  dump.threads = o.threads == 0 ? default_threads() : o.threads;
  dump.decompression.max_ratio = o.max_ratio;
  dump.decompression.workers = dump.threads;  // a zstd file's frames side by side
  dump.catalogue = detail::Access::catalogue(o.catalogue);
  dump.nv_verbose = o.nv_verbose;
  dump.output = o.output;
  dump.records = records_of(o);
  dump.force = o.overwrite;
  dump.split_bytes = o.split_bytes;
  dump.split_lifecycle = o.split_lifecycle;
  dump.time = time_column_of(o.time);
  dump.position = o.position;
  dump.sort = o.sort;
  dump.list_lifecycles = o.list_lifecycles;
  dump.lifecycles = o.lifecycles;
  dump.follow = o.follow;
  dump.retries = o.retries.value_or(0);
  dump.capture = o.capture;
  dump.count = o.count;
  if (o.stats) dump.stats = *o.stats == StatsFormat::json ? output::StatsFormat::Json : output::StatsFormat::Text;
  dump.colour = when_of(o.colour);
  dump.progress = when_of(o.progress);
}

}  // namespace

CheckedDump check_dump(const DumpOptions& o) {
  CheckedDump checked;
  app::DumpConfig& dump = checked.config;
  check_combinations(o);
  check_output(o.output, checked.warnings);
  check_capture_name(o.capture);
  copy_values(o, dump);
  check_split(dump, checked.warnings);
  add_inputs(o, dump, checked.warnings);
  check_unused(o, dump, checked.warnings);
  input::check_live_inputs(dump.inputs);
  if (dump.follow && (dump.inputs.size() != 1 || dump.inputs.front().kind != input::InputKind::File ||
                      dump.format == input::InputFormat::Pcap))
    refuse("follow", option("follow") + " needs one input that is a DLT file or recording");
  check_time_order(dump);
  if (!dump.capture.empty()) {
    if (dump.inputs.size() != 1 || dump.inputs.front().kind != input::InputKind::Udp)
      refuse("capture", option("capture") + " needs one udp:// input");
    if (dump.capture == dump.output)
      refuse("capture", option("capture") + " names the output file " + quoted(dump.output));
  }
  return checked;
}

}  // namespace dltdump::api
