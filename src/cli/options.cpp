#include "cli/options.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>
#include <thread>

#include "app/sort/sorted_run.hpp"
#include "cli/command_line.hpp"
#include "cli/filter_options.hpp"
#include "cli/option_table.hpp"
#include "input/directory_inputs.hpp"
#include "output/file_series.hpp"
#include "output/file_template.hpp"
#include "output/output.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::cli {

namespace {

// The limits of option values (spec §1.2 for --split).
constexpr long kMaxPort = std::numeric_limits<std::uint16_t>::max();
constexpr long kMaxThreads = 64;
constexpr unsigned kMaxDefaultThreads = 8;  // the default: one thread a core, up to this many
constexpr std::uint64_t kMaxSplitDigits = std::numeric_limits<std::int32_t>::max();  // as DltDump's int

// --udp-port, --tcp-port (`id`): comma-separated port numbers 1..kMaxPort (the option is
// given at most once).
std::vector<std::uint16_t> parse_ports(OptionId id, const std::vector<std::string>& values) {
  std::vector<std::uint16_t> ports;
  for (const auto& value : values) {
    for (const auto& item : split_list(value)) {
      char* end = nullptr;
      const long n = std::strtol(item.c_str(), &end, 10);
      if (item.empty() || *end != 0 || n < 1 || n > kMaxPort)
        throw util::option_error(option_name(id), "Option " + option_quoted(id) + " must list port numbers from 1 to " +
                                                      std::to_string(kMaxPort) + ", not " + util::quoted(item));
      ports.push_back(static_cast<std::uint16_t>(n));
    }
  }
  return ports;
}

// --threads: a whole number from 1 to kMaxThreads.
unsigned parse_threads(const std::string& v) {
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != 0 || n < 1 || n > kMaxThreads)
    throw util::option_error(option_name(OptionId::Threads),
                             "Option " + option_quoted(OptionId::Threads) + " must be a whole number from 1 to " +
                                 std::to_string(kMaxThreads) + ", not " + util::quoted(v));
  return static_cast<unsigned>(n);
}

// --max-ratio: a whole number from 0 (no limit) to 2^32 - 1.
std::uint32_t parse_max_ratio(const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0])) || *end != 0 || errno == ERANGE || n > UINT32_MAX)
    throw util::option_error(option_name(OptionId::MaxRatio), "Option " + option_quoted(OptionId::MaxRatio) +
                                                                  " must be a whole number from 0 to 4294967295, not " +
                                                                  util::quoted(v));
  return static_cast<std::uint32_t>(n);
}

// --split: digits with an optional k/M/G (×1024, ×1024², ×1024³) and an optional b
// (`64kB`, `100M`, `1Gb`, `65536`); the digits must fit a signed 32-bit integer and the
// result be at least 64 KiB (spec §1.2).
std::uint64_t parse_split(const std::string& v) {
  std::size_t digits = 0;
  while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits]))) ++digits;
  std::string_view unit = std::string_view(v).substr(digits);
  std::uint64_t scale = 1;
  if (!unit.empty() && std::strchr("kKmMgG", unit.front())) {
    const char u = static_cast<char>(std::tolower(static_cast<unsigned char>(unit.front())));
    scale = u == 'k' ? 1ull << 10 : u == 'm' ? 1ull << 20 : 1ull << 30;
    unit.remove_prefix(1);
  }
  if (unit == "b" || unit == "B") unit.remove_prefix(1);
  if (digits == 0 || !unit.empty())
    throw util::option_error(option_name(OptionId::Split), "Option " + option_quoted(OptionId::Split) +
                                                               " provided with unrecognized format " + util::quoted(v) +
                                                               " (digits, then k, M or G, then b: 64kB, 100M, 1G)");
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    n = n * 10 + static_cast<unsigned>(v[i] - '0');
    if (n > kMaxSplitDigits)
      throw util::option_error(option_name(OptionId::Split), "Option " + option_quoted(OptionId::Split) + " value " +
                                                                 util::quoted(v) +
                                                                 " out of range (the number must be at most " +
                                                                 std::to_string(kMaxSplitDigits) + ")");
  }
  if (n * scale < output::kMinSplitBytes)
    throw util::option_error(option_name(OptionId::Split), "Option " + option_quoted(OptionId::Split) + " value " +
                                                               util::quoted(v) +
                                                               ": the output file size limit cannot be less than 64kB");
  return n * scale;
}

// --retries: a whole number; negative retries forever (spec §1.2).
int parse_retries(const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != 0 || errno == ERANGE || n < INT32_MIN || n > INT32_MAX)
    throw util::option_error(option_name(OptionId::Retries),
                             "Option " + option_quoted(OptionId::Retries) +
                                 " must be a whole number from -2147483648 to 2147483647, not " + util::quoted(v));
  return static_cast<int>(n);
}

unsigned default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n > kMaxDefaultThreads ? kMaxDefaultThreads : n;
}

input::InputFormat parse_format(std::string_view value) {
  const std::string v = util::ascii_lower(value);
  if (v == "automatic" || v == "auto") return input::InputFormat::Automatic;
  if (v == "file") return input::InputFormat::File;
  if (v == "serial" || v == "ser") return input::InputFormat::Serial;
  if (v == "network" || v == "net") return input::InputFormat::Network;
  if (v == "pcap" || v == "pcapng") return input::InputFormat::Pcap;
  throw util::option_error(option_name(OptionId::Format), "Option " + option_quoted(OptionId::Format) +
                                                              " has incorrect format " + util::quoted(value) +
                                                              " (automatic, file, serial, network or pcap)");
}

// An output name for a message: as given, and as expanded when the environment changed it.
std::string shown_output(const std::string& name) {
  const std::string fixed = output::kind_deciding_name(name);
  return fixed == name ? util::quoted(name) : util::quoted(name) + " (" + util::quoted(fixed) + ")";
}

// -o: an empty name or one whose extension promises a format that is not written is refused
// (a run that fills `out.pcap` with text helps nobody).
std::string parse_output(const std::string& name) {
  if (name.empty())
    throw util::option_error(option_name(OptionId::Output),
                             "Option " + option_quoted(OptionId::Output) + " has an empty file name (leave " +
                                 option_flag(OptionId::Output) + " out for the console)");
  // The kind is decided from the name as expanded (environment variables resolved), and
  // so are the messages: `-o 'y.%E%'` names `y.json` when E=json.
  if (output::kind_deciding_name(name).empty())
    throw util::option_error(option_name(OptionId::Output), "Option " + option_quoted(OptionId::Output) + " names " +
                                                                util::quoted(name) +
                                                                ", which is empty once expanded (an environment "
                                                                "variable that is unset or empty?)");
  const std::string_view format = output::unwritten_format(name);
  if (!format.empty())
    throw util::option_error(option_name(OptionId::Output),
                             "Option " + option_quoted(OptionId::Output) + " names " + shown_output(name) +
                                 ", but dltdump does not write " + std::string(format) +
                                 " (it writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and "
                                 "*.ndjson, CSV for *.csv, text for other names, compressed by a .gz, .zst or "
                                 ".xz suffix after the extension)");
  return name;
}

// --out and the output name's extension: the records a text output holds. An extension
// that says otherwise than --out, or a DLT or PCAP-NG output, contradicts it.
// --stats[=text|json]: the report's format (none: no report).
// The option that makes `dump` a run over time (app::runs_over_time), and how a diagnostic
// names it: `Option 'sort'`, or `The output name 'x_%LC%.dlt'` for files by lifecycle.
OptionId time_order_option(const app::DumpConfig& dump) {
  if (dump.sort) return OptionId::Sort;
  if (dump.list_lifecycles) return OptionId::Lifecycles;
  return dump.lifecycles.empty() ? OptionId::Output : OptionId::Lifecycle;
}
std::string time_order_asker(const app::DumpConfig& dump) {
  const OptionId id = time_order_option(dump);
  if (id == OptionId::Output) return "The output name " + util::quoted(dump.output) + " (with %LC%)";
  return "Option " + option_quoted(id);
}

// --sort, --lifecycles, --lifecycle: runs over time (app/sort/sorted_run.hpp).
void parse_time_order_options(const ParsedCommandLine& cl, app::DumpConfig& dump,
                              std::vector<util::Diagnostic>& warnings) {
  dump.sort = cl.has(OptionId::Sort);
  dump.list_lifecycles = cl.has(OptionId::Lifecycles);
  if (const auto* v = cl.values(OptionId::Lifecycle)) {
    for (const std::string& item : *v) {
      char* end = nullptr;
      errno = 0;
      const unsigned long long n = std::strtoull(item.c_str(), &end, 10);
      if (item.empty() || !std::isdigit(static_cast<unsigned char>(item[0])) || *end != 0 || errno != 0 || n == 0)
        throw util::option_error(option_name(OptionId::Lifecycle),
                                 "Option " + option_quoted(OptionId::Lifecycle) +
                                     " takes lifecycle numbers as --lifecycles lists them (1, 2, ...), not " +
                                     util::quoted(item));
      dump.lifecycles.push_back(n);
    }
  }
  if (dump.list_lifecycles && (dump.filter.any() || dump.filter.max_count || dump.before_context || dump.after_context))
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Lifecycles),
                        "Option " + option_quoted(OptionId::Lifecycles) +
                            " lists every lifecycle of the inputs: the filters have no effect on it"});
  if (dump.list_lifecycles)
    for (OptionId id : {OptionId::Output, OptionId::Out, OptionId::Split, OptionId::Stats, OptionId::Count,
                        OptionId::Lifecycle, OptionId::Follow})
      if (cl.has(id))
        throw util::option_error(option_name(OptionId::Lifecycles),
                                 "Option " + option_quoted(OptionId::Lifecycles) +
                                     " prints the list of lifecycles; it cannot be combined with " + option_quoted(id));
  if (app::runs_over_time(dump) && cl.has(OptionId::Follow))
    throw util::option_error(
        option_name(OptionId::Follow),
        "Option " + option_quoted(OptionId::Follow) + " cannot be combined with " +
            (time_order_option(dump) == OptionId::Output ? std::string("%LC% in the output name")
                                                         : option_quoted(time_order_option(dump))) +
            " (which reads its inputs twice, to their end)");
}

// A run over time reads its inputs twice: files only.
void check_time_order_inputs(const app::DumpConfig& dump) {
  if (!app::runs_over_time(dump)) return;
  for (const input::InputSpec& spec : dump.inputs) {
    struct stat st {};
    // A pipe, FIFO or device gives its bytes once (a second open would wait forever).
    const bool once = spec.kind != input::InputKind::File ||
                      (::stat(spec.path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode));
    if (once)
      throw util::option_error(option_name(time_order_option(dump)),
                               time_order_asker(dump) + " reads its inputs twice: " + util::quoted(spec.argument) +
                                   " is no regular file (live inputs, standard input, pipes and "
                                   "devices can be read only once)");
  }
}

std::optional<output::StatsFormat> parse_stats(const ParsedCommandLine& cl) {
  const auto* v = cl.values(OptionId::Stats);
  if (!v) return std::nullopt;
  const std::string value = v->empty() ? "text" : util::ascii_lower(v->front());
  if (value == "text") return output::StatsFormat::Text;
  if (value == "json") return output::StatsFormat::Json;
  throw util::option_error(option_name(OptionId::Stats), "Option " + option_quoted(OptionId::Stats) +
                                                             " has incorrect format " + util::quoted(v->front()) +
                                                             " (text or json)");
}

// --color[=WHEN], --progress[=WHEN] (alone: auto, as grep's --color).
app::When parse_when(OptionId id, const std::vector<std::string>& values) {
  const std::string value = values.empty() ? "auto" : util::ascii_lower(values.front());
  if (value == "auto") return app::When::Auto;
  if (value == "always") return app::When::Always;
  if (value == "never") return app::When::Never;
  throw util::option_error(option_name(id), "Option " + option_quoted(id) + " has incorrect value " +
                                                util::quoted(values.front()) + " (auto, always or never)");
}

// --generate=KIND: what to print (the kinds and their order: the option's choices).
Generated parse_generate(const std::string& value) {
  const auto choices = option(OptionId::Generate).choices;
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (util::ascii_lower(value) == choices[i]) return static_cast<Generated>(i);
  throw util::option_error(option_name(OptionId::Generate), "Option " + option_quoted(OptionId::Generate) +
                                                                " has incorrect kind " + util::quoted(value) +
                                                                " (man, complete-bash, complete-zsh or complete-fish)");
}

dlt::LineFormatter::Style parse_records(const ParsedCommandLine& cl, const std::string& output) {
  using Style = dlt::LineFormatter::Style;
  const Style by_name = output::record_style(output);
  const auto* v = cl.values(OptionId::Out);
  if (!v) return by_name;
  const std::string value = util::ascii_lower(v->front());
  Style style;
  if (value == "text") style = Style::Text;
  else if (value == "json" || value == "jsonl" || value == "ndjson") style = Style::Json;
  else if (value == "csv") style = Style::Csv;
  else
    throw util::option_error(option_name(OptionId::Out), "Option " + option_quoted(OptionId::Out) +
                                                             " has incorrect format " + util::quoted(v->front()) +
                                                             " (text, json or csv)");
  const auto kind = output::output_kind(output);
  const bool binary = kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng;
  if (binary || (by_name != Style::Text && by_name != style))
    throw util::option_error(option_name(OptionId::Out), "Option " + option_quoted(OptionId::Out) + " asks for " +
                                                             util::quoted(v->front()) + " records, but the output " +
                                                             shown_output(output) + " is " +
                                                             (kind == output::OutputKind::Dlt      ? "a DLT file"
                                                              : kind == output::OutputKind::Pcapng ? "a PCAP-NG file"
                                                              : by_name == Style::Json ? "JSON Lines by its name"
                                                                                       : "CSV by its name"));
  return style;
}

// --time: the TIME column of text lines.
dlt::TimeColumn parse_time(const ParsedCommandLine& cl) {
  const auto* v = cl.values(OptionId::Time);
  if (!v) return dlt::TimeColumn::Local;
  const std::string value = util::ascii_lower(v->front());
  if (value == "local") return dlt::TimeColumn::Local;
  if (value == "utc") return dlt::TimeColumn::Utc;
  if (value == "iso") return dlt::TimeColumn::Iso;
  if (value == "relative") return dlt::TimeColumn::Relative;
  if (value == "device") return dlt::TimeColumn::Device;
  throw util::option_error(option_name(OptionId::Time), "Option " + option_quoted(OptionId::Time) +
                                                            " has incorrect value " + util::quoted(v->front()) +
                                                            " (local, utc, iso, relative or device)");
}

// --split without a file name that can split writes one file: say so, since the user
// asked for pieces (DltDump ignores it silently). Files by lifecycle: %LC% names them, and
// a lifecycle's file is not split further.
void check_split(const app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  const bool by_lifecycle = app::names_files_by_lifecycle(dump);
  if (dump.split_lifecycle && !by_lifecycle)
    throw util::option_error(option_name(OptionId::Split),
                             "Option " + option_quoted(OptionId::Split) +
                                 " by lifecycle needs %LC% in the output name (" + option_flag(OptionId::Output) +
                                 " 'trip_%LC%.dlt'): each lifecycle's file is named by its number");
  if (by_lifecycle && dump.split_bytes > 0)
    throw util::option_error(option_name(OptionId::Split), "Option " + option_quoted(OptionId::Split) +
                                                               " by size cannot be combined with %LC% in " +
                                                               "the output name (one file per lifecycle)");
  if (dump.split_bytes == 0) return;
  if (output::output_kind(dump.output) == output::OutputKind::Console)
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Split),
                        "Option " + option_quoted(OptionId::Split) + " has no effect without an output file (" +
                            option_flag(OptionId::Output) + "): nothing is split"});
  else if (!output::FileTemplate(dump.output).can_split())
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Split),
                        "Option " + option_quoted(OptionId::Split) + " has no effect: the output name " +
                            util::quoted(dump.output) +
                            " holds no %CTR%, %CDATE%, %CTIME% or %CDATETIME%, so one file is written"});
}

// Options that only some inputs or outputs use, given where none is: a line each.
void check_unused(const ParsedCommandLine& cl, const app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  const bool tcp = std::any_of(dump.inputs.begin(), dump.inputs.end(),
                               [](const input::InputSpec& s) { return s.kind == input::InputKind::Tcp; });
  if (cl.has(OptionId::Retries) && !tcp)
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Retries),
                        "Option " + option_quoted(OptionId::Retries) + " has no effect without a tcp:// input"});
  const auto kind = output::output_kind(dump.output);
  // The options whose output replaces the lines: -c, --stats, --lifecycles.
  const std::optional<OptionId> no_lines = dump.count             ? std::optional(OptionId::Count)
                                           : dump.stats           ? std::optional(OptionId::Stats)
                                           : dump.list_lifecycles ? std::optional(OptionId::Lifecycles)
                                                                  : std::nullopt;
  if (dump.position && no_lines)
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Position),
                        "Option " + option_quoted(OptionId::Position) + " has no effect with " +
                            option_quoted(*no_lines) + " (no line is printed)"});
  else if (dump.position && dump.records != dlt::LineFormatter::Style::Text)
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Position),
                        "Option " + option_quoted(OptionId::Position) +
                            " has no effect on JSON and CSV records (they always hold the position)"});
  // --color=always colours text lines on the console only; --follow decodes on one thread
  // and draws no progress line (a followed file has no end).
  const auto unused = [&](OptionId id, const std::string& why) {
    warnings.push_back(
        {util::Culprit::Option, option_name(id), "Option " + option_quoted(id) + " has no effect " + why});
  };
  if (dump.colour == app::When::Always && (kind != output::OutputKind::Console || dump.count || dump.stats ||
                                           dump.records != dlt::LineFormatter::Style::Text))
    unused(OptionId::Color, "here (it colours text lines on the console only)");
  if (dump.follow && cl.has(OptionId::Threads)) unused(OptionId::Threads, "with 'follow' (one decoding thread)");
  if (dump.follow && dump.progress != app::When::Never && cl.has(OptionId::Progress))
    unused(OptionId::Progress, "with 'follow' (a followed file has no end)");
  // --time shapes text lines only (an explicit --time=local changes nothing anywhere).
  if (cl.has(OptionId::Time) && dump.time != dlt::TimeColumn::Local) {
    std::string why;
    if (dump.list_lifecycles)  // its times are local, as the default lines' (TZ chooses the zone)
      why = " with " + option_quoted(OptionId::Lifecycles) + " (its list is in local time; TZ=UTC gives UTC)";
    else if (no_lines) why = " with " + option_quoted(*no_lines) + " (no line is printed)";
    else if (kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng)
      why = " on the output " + util::quoted(dump.output) + " (DLT and PCAP-NG keep the messages)";
    else if (dump.records != dlt::LineFormatter::Style::Text)
      why = " on JSON and CSV records (they keep their time fields)";
    if (!why.empty())
      warnings.push_back({util::Culprit::Option, option_name(OptionId::Time),
                          "Option " + option_quoted(OptionId::Time) + " has no effect" + why});
  }
  if (dump.position && (kind == output::OutputKind::Dlt || kind == output::OutputKind::Pcapng))
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Position),
                        "Option " + option_quoted(OptionId::Position) + " has no effect on the output " +
                            util::quoted(dump.output) +
                            " (it prefixes text lines; DLT and PCAP-NG keep the messages)"});
}

// -F and the --nv-* options. The lookup options without a catalogue, and --nv-verbose
// without a DLT output, change nothing: a warning each.
void parse_fibex_options(const ParsedCommandLine& cl, app::DumpConfig& dump, std::vector<util::Diagnostic>& warnings) {
  if (const auto* v = cl.values(OptionId::Fibex)) {
    for (const auto& path : *v)
      if (path.empty())
        throw util::option_error(option_name(OptionId::Fibex), "Option " + option_quoted(OptionId::Fibex) +
                                                                   " has an empty value (a comma too many?)");
    dump.fibex = *v;
  }
  dump.nv_lookup.per_ecu = cl.has(OptionId::NvMultiEcu);
  dump.nv_lookup.id_only = cl.has(OptionId::NvNoExtHdr);
  dump.nv_verbose = cl.has(OptionId::NvVerbose);
  for (OptionId id : {OptionId::NvMultiEcu, OptionId::NvNoExtHdr, OptionId::NvVerbose})
    if (cl.has(id) && dump.fibex.empty())
      warnings.push_back({util::Culprit::Option, option_name(id),
                          "Option " + option_quoted(id) + " has no effect without " + option_quoted(OptionId::Fibex)});
  if (dump.nv_verbose && !dump.fibex.empty() && output::output_kind(dump.output) != output::OutputKind::Dlt)
    warnings.push_back(
        {util::Culprit::Option, option_name(OptionId::NvVerbose),
         "Option " + option_quoted(OptionId::NvVerbose) + " has no effect without a DLT output (-o <name>.dlt)"});
}

// Standard input can be read once: a second `-` would silently read nothing.
void check_stdin_once(const std::vector<input::InputSpec>& inputs) {
  const auto n = std::count_if(inputs.begin(), inputs.end(),
                               [](const input::InputSpec& s) { return s.kind == input::InputKind::Stdin; });
  if (n > 1)
    throw util::input_uri_error(
        "-", "Input '-' (standard input) given " + std::to_string(n) + " times; it can be read only once");
}

}  // namespace

Options parse_options(std::span<const std::string> args) {
  ParsedCommandLine cl = parse_command_line(args);
  Options o;
  if (auto* v = cl.values(OptionId::Format)) o.dump.format = parse_format(v->front());
  o.dump.position = cl.has(OptionId::Position);
  o.dump.time = parse_time(cl);
  if (cl.has(OptionId::MaxRatio))
    o.dump.decompression.max_ratio = parse_max_ratio(cl.values(OptionId::MaxRatio)->front());
  o.dump.threads = cl.has(OptionId::Threads) ? parse_threads(cl.values(OptionId::Threads)->front()) : default_threads();
  o.dump.decompression.workers = o.dump.threads;  // a zstd file's frames side by side
  if (auto* v = cl.values(OptionId::UdpPort)) o.dump.udp_ports = parse_ports(OptionId::UdpPort, *v);
  if (auto* v = cl.values(OptionId::TcpPort)) o.dump.tcp_ports = parse_ports(OptionId::TcpPort, *v);
  if (auto* v = cl.values(OptionId::Output)) o.dump.output = parse_output(v->front());
  o.dump.records = parse_records(cl, o.dump.output);
  o.dump.count = cl.has(OptionId::Count);
  o.dump.stats = parse_stats(cl);
  // -c and --stats print a summary on the console instead of the lines.
  const OptionId summary = o.dump.count ? OptionId::Count : OptionId::Stats;
  if (cl.has(summary))
    for (OptionId id : {OptionId::Output, OptionId::Out, OptionId::Split, OptionId::Stats})
      if (id != summary && cl.has(id))
        throw util::option_error(option_name(summary), "Option " + option_quoted(summary) + " prints " +
                                                           (o.dump.count ? "counts" : "a report") +
                                                           " on the console; it cannot be combined with " +
                                                           option_quoted(id));
  if (auto* v = cl.values(OptionId::Color)) o.dump.colour = parse_when(OptionId::Color, *v);
  if (auto* v = cl.values(OptionId::Progress)) o.dump.progress = parse_when(OptionId::Progress, *v);
  o.dump.follow = cl.has(OptionId::Follow);
  o.dump.force = cl.has(OptionId::Force);
  if (auto* v = cl.values(OptionId::Split)) {
    if (util::ascii_lower(v->front()) == "lifecycle") o.dump.split_lifecycle = true;
    else o.dump.split_bytes = parse_split(v->front());
  }
  if (auto* v = cl.values(OptionId::Retries)) o.dump.retries = parse_retries(v->front());
  if (auto* v = cl.values(OptionId::Capture)) {
    if (v->front().empty())
      throw util::option_error(option_name(OptionId::Capture),
                               "Option " + option_quoted(OptionId::Capture) + " has an empty file name");
    o.dump.capture = v->front();
  }
  parse_filter_options(cl, o.dump, o.warnings);
  parse_time_order_options(cl, o.dump, o.warnings);
  // As grep -c: context lines are not matches, so not counted (one warning per option:
  // without a filter it has said so already).
  const auto warned = [&](OptionId id) {
    return std::any_of(o.warnings.begin(), o.warnings.end(),
                       [&](const util::Diagnostic& d) { return d.name == option_name(id); });
  };
  for (const OptionId id : {OptionId::BeforeContext, OptionId::AfterContext, OptionId::Context})
    if (cl.has(summary) && cl.has(id) && !warned(id))
      o.warnings.push_back({util::Culprit::Option, option_name(id),
                            "Option " + option_quoted(id) + " has no effect with " + option_quoted(summary) +
                                " (context lines are not counted)"});
  if (cl.has(summary)) o.dump.before_context = o.dump.after_context = 0;
  check_split(o.dump, o.warnings);
  parse_fibex_options(cl, o.dump, o.warnings);
  if (cl.has(OptionId::Help)) o.command = Command::Help;
  else if (cl.has(OptionId::Version)) o.command = Command::Version;
  else if (const auto* v = cl.values(OptionId::Generate)) {
    o.command = Command::Generate;
    o.generate = parse_generate(v->front());
  } else if (!cl.inputs.empty()) o.command = Command::Dump;
  else if (!o.dump.fibex.empty()) o.command = Command::FibexCheck;
  else o.command = Command::Usage;
  if (o.command != Command::Dump) return o;

  for (const auto& arg : cl.inputs) {
    input::InputSpec spec = input::parse_input_argument(arg);
    if (cl.has(OptionId::Recursive) && input::is_directory(spec)) {
      input::DirectoryInputs below = input::files_below(spec);
      for (auto& file : below.files) o.dump.inputs.push_back(std::move(file));
      for (auto& warning : below.warnings) o.warnings.push_back(std::move(warning));
    } else {
      o.dump.inputs.push_back(std::move(spec));
    }
  }
  check_stdin_once(o.dump.inputs);
  check_unused(cl, o.dump, o.warnings);
  input::check_live_inputs(o.dump.inputs);
  if (o.dump.follow && (o.dump.inputs.size() != 1 || o.dump.inputs.front().kind != input::InputKind::File ||
                        o.dump.format == input::InputFormat::Pcap))
    throw util::option_error(option_name(OptionId::Follow), "Option " + option_quoted(OptionId::Follow) +
                                                                " needs one input that is a DLT file or recording");
  check_time_order_inputs(o.dump);
  if (!o.dump.capture.empty()) {
    if (o.dump.inputs.size() != 1 || o.dump.inputs.front().kind != input::InputKind::Udp)
      throw util::option_error(option_name(OptionId::Capture),
                               "Option " + option_quoted(OptionId::Capture) + " needs one udp:// input");
    if (o.dump.capture == o.dump.output)
      throw util::option_error(
          option_name(OptionId::Capture),
          "Option " + option_quoted(OptionId::Capture) + " names the output file " + util::quoted(o.dump.output));
  }
  return o;
}

}  // namespace dltdump::cli
