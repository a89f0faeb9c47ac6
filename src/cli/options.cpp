#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "cli/command_line.hpp"
#include "cli/filter_options.hpp"
#include "cli/option_table.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::cli {

namespace {

// The limits of option values (spec §1.2 for --split).
constexpr long kMaxPort = std::numeric_limits<std::uint16_t>::max();
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
    throw util::number_range_error(option_name(OptionId::Threads), 1, kMaxThreads, v);
  return static_cast<unsigned>(n);
}

// --max-ratio: a whole number from 0 (no limit) to 2^32 - 1.
std::uint32_t parse_max_ratio(const std::string& v) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0])) || *end != 0 || errno == ERANGE || n > UINT32_MAX)
    throw util::number_range_error(option_name(OptionId::MaxRatio), 0, UINT32_MAX, v);
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
  if (n * scale < kMinSplitBytes)
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
    throw util::number_range_error(option_name(OptionId::Retries), INT32_MIN, INT32_MAX, v);
  return static_cast<int>(n);
}

Format parse_format(std::string_view value) {
  const std::string v = util::ascii_lower(value);
  if (v == "automatic" || v == "auto") return Format::automatic;
  if (v == "file") return Format::file;
  if (v == "serial" || v == "ser") return Format::serial;
  if (v == "network" || v == "net") return Format::network;
  if (v == "pcap" || v == "pcapng") return Format::capture;
  throw util::option_error(option_name(OptionId::Format), "Option " + option_quoted(OptionId::Format) +
                                                              " has incorrect format " + util::quoted(value) +
                                                              " (automatic, file, serial, network or pcap)");
}

// -o: an empty name is refused (the console is -o left out); what the name promises is
// checked when the Dump is made (api/dump_config.cpp).
std::string parse_output(const std::string& name) {
  if (name.empty())
    throw util::option_error(option_name(OptionId::Output),
                             "Option " + option_quoted(OptionId::Output) + " has an empty file name (leave " +
                                 option_flag(OptionId::Output) + " out for the console)");
  return name;
}

// --stats[=text|json]: the report's format (none: no report).
std::optional<StatsFormat> parse_stats(const ParsedCommandLine& cl) {
  const auto* v = cl.values(OptionId::Stats);
  if (!v) return std::nullopt;
  const std::string value = v->empty() ? "text" : util::ascii_lower(v->front());
  if (value == "text") return StatsFormat::text;
  if (value == "json") return StatsFormat::json;
  throw util::option_error(option_name(OptionId::Stats), "Option " + option_quoted(OptionId::Stats) +
                                                             " has incorrect format " + util::quoted(v->front()) +
                                                             " (text or json)");
}

// --sort, --lifecycles, --lifecycle: runs over time (docs/manual.md, "One timeline"). What
// needs the inputs or the output's name is checked when the Dump is made.
void parse_time_order_options(const ParsedCommandLine& cl, DumpOptions& dump, std::vector<util::Diagnostic>& warnings) {
  dump.sort = cl.has(OptionId::Sort);
  dump.list_lifecycles = cl.has(OptionId::Lifecycles);
  if (const auto* v = cl.values(OptionId::Lifecycle)) {
    for (const std::string& item : *v) {
      if (item.empty())  // `--lifecycle=1,,2`: a slip of the comma, as for the filters' lists
        throw util::option_error(option_name(OptionId::Lifecycle), "Option " + option_quoted(OptionId::Lifecycle) +
                                                                       " has an empty value (a comma too many?)");
      char* end = nullptr;
      errno = 0;
      const unsigned long long n = std::strtoull(item.c_str(), &end, 10);
      if (item.empty() || !std::isdigit(static_cast<unsigned char>(item[0])) || *end != 0 || errno != 0 || n == 0)
        throw util::lifecycle_number_error(item);
      dump.lifecycles.push_back(n);
    }
  }
  if (dump.list_lifecycles &&
      (dump.filter.restricts() || dump.none || dump.max_count || dump.before_context || dump.after_context))
    warnings.push_back({util::Culprit::Option, option_name(OptionId::Lifecycles),
                        "Option " + option_quoted(OptionId::Lifecycles) +
                            " lists every lifecycle of the inputs: the filters have no effect on it"});
}

// --color[=WHEN], --progress[=WHEN] (alone: auto, as grep's --color).
When parse_when(OptionId id, const std::vector<std::string>& values) {
  const std::string value = values.empty() ? "auto" : util::ascii_lower(values.front());
  if (value == "auto") return When::automatic;
  if (value == "always") return When::always;
  if (value == "never") return When::never;
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

// --out: the records of a text output (whether the output's name agrees is checked when
// the Dump is made).
OutputFormat parse_records(const ParsedCommandLine& cl) {
  const auto* v = cl.values(OptionId::Out);
  if (!v) return OutputFormat::automatic;
  const std::string value = util::ascii_lower(v->front());
  if (value == "text") return OutputFormat::text;
  if (value == "json" || value == "jsonl" || value == "ndjson") return OutputFormat::json;
  if (value == "csv") return OutputFormat::csv;
  throw util::option_error(option_name(OptionId::Out), "Option " + option_quoted(OptionId::Out) +
                                                           " has incorrect format " + util::quoted(v->front()) +
                                                           " (text, json or csv)");
}

// --time: the TIME column of text lines.
TimeColumn parse_time(const ParsedCommandLine& cl) {
  const auto* v = cl.values(OptionId::Time);
  if (!v) return TimeColumn::local;
  const std::string value = util::ascii_lower(v->front());
  if (value == "local") return TimeColumn::local;
  if (value == "utc") return TimeColumn::utc;
  if (value == "iso") return TimeColumn::iso;
  if (value == "relative") return TimeColumn::relative;
  if (value == "device") return TimeColumn::device;
  throw util::option_error(option_name(OptionId::Time), "Option " + option_quoted(OptionId::Time) +
                                                            " has incorrect value " + util::quoted(v->front()) +
                                                            " (local, utc, iso, relative or device)");
}

// -F and the --nv-* options. The lookup options without a catalogue change nothing: a
// warning each (--nv-verbose without one or without a DLT output: when the Dump is made).
void parse_fibex_options(const ParsedCommandLine& cl, Options& o) {
  if (const auto* v = cl.values(OptionId::Fibex)) {
    for (const auto& path : *v)
      if (path.empty())
        throw util::option_error(option_name(OptionId::Fibex), "Option " + option_quoted(OptionId::Fibex) +
                                                                   " has an empty value (a comma too many?)");
    o.fibex = *v;
  }
  o.nv_lookup.per_ecu = cl.has(OptionId::NvMultiEcu);
  o.nv_lookup.id_only = cl.has(OptionId::NvNoExtHdr);
  o.dump.nv_verbose = cl.has(OptionId::NvVerbose);
  // (--nv-verbose: the Dump warns, as it does for a program.)
  for (OptionId id : {OptionId::NvMultiEcu, OptionId::NvNoExtHdr})
    if (cl.has(id) && o.fibex.empty())
      o.warnings.push_back(
          {util::Culprit::Option, option_name(id),
           "Option " + option_quoted(id) + " has no effect without " + option_quoted(OptionId::Fibex)});
}

}  // namespace

Options parse_options(std::span<const std::string> args) {
  ParsedCommandLine cl = parse_command_line(args);
  Options o;
  if (auto* v = cl.values(OptionId::Format)) o.dump.format = parse_format(v->front());
  o.dump.position = cl.has(OptionId::Position);
  o.dump.time = parse_time(cl);
  if (cl.has(OptionId::MaxRatio)) o.dump.max_ratio = parse_max_ratio(cl.values(OptionId::MaxRatio)->front());
  if (cl.has(OptionId::Threads)) o.dump.threads = parse_threads(cl.values(OptionId::Threads)->front());
  if (auto* v = cl.values(OptionId::UdpPort)) o.dump.udp_ports = parse_ports(OptionId::UdpPort, *v);
  if (auto* v = cl.values(OptionId::TcpPort)) o.dump.tcp_ports = parse_ports(OptionId::TcpPort, *v);
  if (auto* v = cl.values(OptionId::Output)) o.dump.output = parse_output(v->front());
  o.dump.records = parse_records(cl);
  o.dump.count = cl.has(OptionId::Count);
  o.dump.stats = parse_stats(cl);
  // -c and --stats print a summary on the console instead of the lines (what they cannot
  // be combined with is checked when the Dump is made).
  const OptionId summary = o.dump.count ? OptionId::Count : OptionId::Stats;
  if (auto* v = cl.values(OptionId::Color)) o.dump.colour = parse_when(OptionId::Color, *v);
  if (auto* v = cl.values(OptionId::Progress)) o.dump.progress = parse_when(OptionId::Progress, *v);
  o.dump.follow = cl.has(OptionId::Follow);
  o.dump.overwrite = cl.has(OptionId::Force);
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
  parse_fibex_options(cl, o);
  if (cl.has(OptionId::Help)) o.command = Command::Help;
  else if (cl.has(OptionId::Version)) o.command = Command::Version;
  else if (const auto* v = cl.values(OptionId::Generate)) {
    o.command = Command::Generate;
    o.generate = parse_generate(v->front());
  } else if (!cl.inputs.empty()) o.command = Command::Dump;
  else if (!o.fibex.empty()) o.command = Command::FibexCheck;
  else o.command = Command::Usage;
  if (o.command != Command::Dump) return o;
  o.dump.inputs = cl.inputs;
  o.dump.recursive = cl.has(OptionId::Recursive);
  return o;
}

}  // namespace dltdump::cli
