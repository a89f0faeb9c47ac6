#include "cli/option_table.hpp"

namespace dltdump::cli {

namespace {

constexpr std::string_view kOutputDetails[] = {
    "%FILE% - the input's name without directory and extension: one output per input.",
    "%CTR% - the split counter: 001, 002, ...",
    "%LC% - the line's ECU lifecycle, numbered as in the list of lifecycles: one file per lifecycle (the inputs "
    "are read twice).",
    "%CDATE%, %CTIME%, %CDATETIME% - the first line's local date (yyyyMMdd), time (HHmmss), both "
    "(yyyyMMddTHHmmss).",
    "%NAME% - the environment variable NAME; %% is a percent sign.",
};

constexpr std::string_view kFormatChoices[] = {"auto", "file", "ser", "net", "pcap"};
constexpr std::string_view kOutChoices[] = {"text", "json", "csv"};
constexpr std::string_view kLevelChoices[] = {"fatal", "error", "warn", "info", "debug", "verbose"};
constexpr std::string_view kTimeChoices[] = {"local", "utc", "iso", "relative", "device"};
constexpr std::string_view kWhenChoices[] = {"auto", "always", "never"};
constexpr std::string_view kStatsChoices[] = {"text", "json"};
constexpr std::string_view kGenerateChoices[] = {"man", "complete-bash", "complete-zsh", "complete-fish"};
constexpr std::string_view kTypeChoices[] = {
    "fatal",    "error",   "warn",     "info",  "debug",    "verbose",    "ipc",         "can",   "flexray", "most",
    "ethernet", "someip",  "user1",    "user2", "user3",    "user4",      "user5",       "user6", "user7",   "user8",
    "user9",    "request", "response", "time",  "variable", "functionin", "functionout", "state", "vfb"};

using enum OptionId;
using enum Arity;
using enum OptionSection;

// In OptionId order, which is the order the help lists them in.
constexpr OptionEntry kTable[] = {
    {.id = Help,
     .long_name = "help",
     .short_names = "?h",  // -h as most tools have it
     .arity = Flag,
     .section = Options,
     .help = "Display this help.",
     .usage = "Display the help."},
    {.id = Version,
     .long_name = "version",
     .arity = Flag,
     .section = Options,
     .help = "Display the version of this program.",
     .usage = "Display the version of this program."},
    {.id = Generate,
     .long_name = "generate",
     .arity = Value,
     .value_name = "kind",
     .section = Options,
     .help = "Print the man page (man, roff) or a shell completion script (complete-bash, complete-zsh, "
             "complete-fish) made from these options, and exit. cmake --install installs them.",
     .example = "man",
     .choices = kGenerateChoices},
    {.id = Position,
     .long_name = "position",
     .arity = Flag,
     .section = Options,
     .help = "Print the position of each message in its input stream before the line."},
    {.id = Time,
     .long_name = "time",
     .arity = Value,
     .value_name = "column",
     .section = Options,
     .help = "The time column of text lines: local (the default: local time, TZ honoured), utc (the same in UTC), "
             "iso (ISO 8601 in UTC: 2024-03-01T10:00:00.123456Z), relative (seconds since the first line printed "
             "that has a time) or device (no time column: the line starts with the device time). JSON and CSV "
             "records keep their fields.",
     .example = "utc",
     .choices = kTimeChoices},
    {.id = Format,
     .long_name = "format",
     .arity = Value,
     .value_name = "format",
     .section = Options,
     .help = "The input format: automatic (auto), file, serial (ser), network (net) or pcap (pcapng). Automatic "
             "chooses by the first bytes, not the name: DLT file, serial or network recording, PCAP or PCAP-NG "
             "capture (files and standard input alike).",
     .example = "auto",
     .choices = kFormatChoices},
    {.id = UdpPort,
     .long_name = "udp-port",
     .arity = Value,
     .value_name = "ports",
     .section = Options,
     .help = "UDP destination ports that carry DLT in PCAP and PCAP-NG captures, separated by commas (default: "
             "3490).",
     .example = "3490,3491"},
    {.id = TcpPort,
     .long_name = "tcp-port",
     .arity = Value,
     .value_name = "ports",
     .section = Options,
     .help = "TCP ports that carry DLT in PCAP and PCAP-NG captures, separated by commas (default: 3490). Both "
             "directions of a connection to or from one of them are decoded.",
     .example = "3490,13400"},
    {.id = Threads,
     .long_name = "threads",
     .arity = Value,
     .value_name = "n",
     .section = Options,
     .help = "Cores to decode large DLT files and captures with (default: the available cores, at most 8). The "
             "output is the same for any number.",
     .example = "2"},
    {.id = Output,
     .long_name = "output",
     .short_names = "o",
     .arity = Value,
     .value_name = "file",
     .section = Options,
     .help = "Write to a file instead of the console: *.dlt writes DLT (storage headers added where the input had "
             "none, skipped regions as SKIP messages), *.pcapng writes each message as a UDP datagram for "
             "Wireshark, *.jsonl or *.ndjson JSON Lines, *.csv CSV, any other name UTF-8 text (but a name "
             "promising a format that is not written, such as .pcap, .tgz or .json, is refused); a .zst, .gz or .xz "
             "suffix after the extension compresses DLT, text, JSON Lines and CSV (x.dlt.zst). -, CON: or /dev/stdout "
             "is the console. The name may hold:",
     .details = kOutputDetails,
     .example = "%FILE%.txt",
     .takes_path = true},
    {.id = Out,
     .long_name = "out",
     .arity = Value,
     .value_name = "format",
     .section = Options,
     .help = "The format of the records written to the console or a text file: text (the lines, the default), "
             "json (JSON Lines: one object per message with its fields and typed arguments, see the manual) or "
             "csv (a header row, then one row per message, text last). An output name ending in .jsonl or "
             ".ndjson writes JSON Lines, one ending in .csv CSV, without this option.",
     .example = "json",
     .choices = kOutChoices},
    {.id = Color,
     .long_name = "color",
     .arity = Optional,
     .value_name = "when",
     .section = Options,
     .help = "Colour text lines by level on the console: fatal, error and warn lines and skip lines stand out. "
             "auto (the default; also --color alone): when standard output is a terminal and NO_COLOR is not set; "
             "always; never. Never in output files, JSON or CSV.",
     .example = "never",
     .choices = kWhenChoices},
    {.id = Progress,
     .long_name = "progress",
     .arity = Optional,
     .value_name = "when",
     .section = Options,
     .help = "A progress line on standard error while files are decoded: the input, bytes done of its size, the "
             "rate and the time left. auto (the default; also --progress alone): when standard error is a "
             "terminal that the lines do not go to, after the first second; always (at once, wherever standard "
             "error goes); never.",
     .example = "never",
     .choices = kWhenChoices},
    {.id = Follow,
     .long_name = "follow",
     .arity = Flag,
     .section = Options,
     .help = "Follow a DLT file or recording that is still being written, as tail -F: decode what it holds, then "
             "what is appended, until Ctrl-C (exit 0, whole lines). A file truncated meanwhile is followed from "
             "its start again, one replaced under its name (rotated) is read to its end and the new one followed. "
             "One file input only."},
    {.id = Sort,
     .long_name = "sort",
     .arity = Flag,
     .section = Options,
     .help = "Merge every input (DLT files, recordings and captures, any number, any size) into one stream in "
             "time order: each ECU's restarts are found (lifecycles), each message placed by its ECU's uptime "
             "from the lifecycle's start, which the storage or capture times give; messages without a time keep "
             "their place after the one before them. Reads the inputs twice, so regular files only (no live "
             "inputs, standard input or pipes). The manual's section One timeline explains the order."},
    {.id = Lifecycles,
     .long_name = "lifecycles",
     .arity = Flag,
     .section = Options,
     .help = "List the lifecycles of every ECU in the inputs instead of the lines: number, ECU, start and end "
             "time, uptime range and messages, numbered by start for --lifecycle. --out=json or csv: as records."},
    {.id = Lifecycle,
     .long_name = "lifecycle",
     .arity = List,
     .value_name = "n",
     .section = Options,
     .help = "Only the messages of these lifecycles, by the numbers of the list of lifecycles (skipped regions "
             "belong to none). Unless sorted, the inputs keep their order.",
     .example = "3"},
    {.id = Recursive,
     .long_name = "recursive",
     .short_names = "R",
     .arity = Flag,
     .section = Options,
     .help = "An input that is a directory stands for every file below it, in name order (hidden files and "
             "directories left out); each file's format is found from its content."},
    {.id = MaxRatio,
     .long_name = "max-ratio",
     .arity = Value,
     .value_name = "n",
     .section = Options,
     .help = "Compressed inputs (gzip, zstd, xz, bzip2, found by their content) are read decompressed; one "
             "whose decompressed stream grows past n times the compressed bytes read (once past 64 MiB) is "
             "stopped as a likely decompression bomb (default: 500; DLT logs compress 10 to 50 times; 0: no "
             "limit).",
     .example = "1000"},
    {.id = Count,
     .long_name = "count",
     .short_names = "c",
     .arity = Flag,
     .section = Options,
     .help = "Print the number of messages that pass the filters instead of the lines, per input as grep -c "
             "does: the number alone for one input, input:number for each of several."},
    {.id = Stats,
     .long_name = "stats",
     .arity = Optional,
     .value_name = "format",
     .section = Options,
     .help = "Print a report instead of the lines, after all inputs: messages and bytes per input, ECU, application, "
             "context and level, message kinds and types, skipped regions and their reasons, each ECU's first and "
             "last time and message rate, messages lost (gaps in the message counters) and ECU restarts "
             "(lifecycles). Format text (the default: tables) or json (one document, see the manual). Filters "
             "apply: the report covers the messages that pass them.",
     .example = "json",
     .choices = kStatsChoices},
    {.id = Force,
     .long_name = "force",
     .short_names = "f",
     .arity = Flag,
     .section = Options,
     .help = "Overwrite existing output files (never an input, never a file this run wrote)."},
    {.id = Split,
     .long_name = "split",
     .arity = Value,
     .value_name = "size",
     .section = Options,
     .help = "Start a new output file once one reaches this size (64kB at least; k, M, G multiply by 1024). Needs "
             "%CTR% or a date or time in the output name. 'lifecycle': one file per ECU lifecycle, named by %LC%.",
     .example = "100M"},
    {.id = Retries,
     .long_name = "retries",
     .arity = Value,
     .value_name = "n",
     .section = Options,
     .help = "Connection retries for tcp:// inputs (default 0; negative: forever). With retries, a stream that "
             "ends is reconnected and recorded into the same output. Give negative values as --retries=-1.",
     .example = "3"},
    {.id = Capture,
     .long_name = "capture",
     .arity = Value,
     .value_name = "file.pcapng",
     .section = Options,
     .help = "With a udp:// input: also write every datagram received, as raw IPv4 with the kernel's time "
             "stamps, to this PCAP-NG file (replay it with --udp-port=<port>).",
     .example = "received.pcapng",
     .takes_path = true},
    {.id = EcuId,
     .long_name = "ecuid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .help = "ECU ids (as the line shows them: standard header, else storage header).",
     .example = "ECU1,TCB"},
    {.id = AppId,
     .long_name = "appid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .help = "Application ids.",
     .example = "NAV"},
    {.id = CtxId,
     .long_name = "ctxid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .help = "Context ids.",
     .example = "MAIN"},
    {.id = SessionId,
     .long_name = "sessionid",
     .arity = List,
     .value_name = "n",
     .section = Filters,
     .help = "Session ids (signed decimal, or unsigned as dlt-viewer shows them).",
     .example = "42"},
    {.id = Type,
     .long_name = "type",
     .arity = List,
     .value_name = "types",
     .section = Filters,
     .help = "Message types: fatal, error, warn, info, debug, verbose, ipc, can, flexray, most, ethernet, someip, "
             "user1 to user9, request, response, time, variable, functionin, functionout, state, vfb, or the "
             "MSIN value without the verbose bit (48 = warn).",
     .example = "warn,error",
     .choices = kTypeChoices},
    {.id = Level,
     .long_name = "level",
     .arity = Value,
     .value_name = "level",
     .section = Filters,
     .help = "Log messages of this level or a more severe one: fatal, error, warn, info, debug or verbose "
             "(--level=warn: fatal, error and warn).",
     .example = "warn",
     .choices = kLevelChoices},
    {.id = NotEcuId,
     .long_name = "not-ecuid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .help = "Leave out lines with any of these ECU, application or context ids, or message types (the values "
             "as for --ecuid, --appid, --ctxid and --type; a line without such an id or type stays).",
     .example = "ECU2"},
    {.id = NotAppId,
     .long_name = "not-appid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .shares_help = true,
     .example = "DLTD,SYS"},
    {.id = NotCtxId,
     .long_name = "not-ctxid",
     .arity = List,
     .value_name = "ids",
     .section = Filters,
     .shares_help = true,
     .example = "INTM"},
    {.id = NotType,
     .long_name = "not-type",
     .arity = List,
     .value_name = "types",
     .section = Filters,
     .shares_help = true,
     .example = "debug,verbose",
     .choices = kTypeChoices},
    {.id = Verbose,
     .long_name = "verbose",
     .arity = Flag,
     .section = Filters,
     .help = "Only these kinds of message (any of those given)."},
    {.id = NonVerbose, .long_name = "nonverbose", .arity = Flag, .section = Filters, .shares_help = true},
    {.id = Control, .long_name = "control", .arity = Flag, .section = Filters, .shares_help = true},
    {.id = MessageId,
     .long_name = "messageid",
     .arity = List,
     .value_name = "n",
     .section = Filters,
     .help = "Non-verbose message ids (unsigned decimal).",
     .example = "1000"},
    {.id = NotBefore,
     .long_name = "not-before",
     .arity = Value,
     .value_name = "date",
     .section = Filters,
     .help = "Lines with a time stamp in this range (inclusive). Forms: 2024-03-01T10:00:00, 2024-03-01 "
             "10:00:00.5, 2024-03-01 (midnight), 03/01/2024 10:00 PM; local time unless Z or an offset like "
             "+02:00 follows.",
     .example = "2024-03-01T10:00:00"},
    {.id = NotAfter,
     .long_name = "not-after",
     .arity = Value,
     .value_name = "date",
     .section = Filters,
     .shares_help = true,
     .example = "03/01/2024 10:00 PM"},
    {.id = String,
     .long_name = "string",
     .short_names = "s",
     .arity = List,
     .value_name = "text",
     .section = Filters,
     .help = "Lines whose text contains this string.",
     .example = "door"},
    {.id = Regex,
     .long_name = "regex",
     .short_names = "r",
     .arity = List,
     .value_name = "re",
     .section = Filters,
     .help = "Lines whose text matches this regular expression (PCRE2 syntax; strings and expressions form one "
             "group: any may match). A comma separates expressions, except inside (), [] or {}.",
     .example = "\\d+ bytes",
     .list_keeps_groups = true},
    {.id = IgnoreCase,
     .long_name = "ignorecase",
     .short_names = "i",
     .arity = Flag,
     .section = Filters,
     .help = "Strings and expressions ignore case."},
    {.id = FilterFile,
     .long_name = "filter-file",
     .arity = Value,
     .value_name = "path",
     .section = Filters,
     .help = "Lines that the filters of this dlt-viewer filter file (.dlf) select: any enabled positive filter "
             "(if there is one) and no enabled negative filter.",
     .example = "nav.dlf",
     .takes_path = true},
    {.id = InvertMatch,
     .long_name = "invert-match",
     .short_names = "v",
     .arity = Flag,
     .section = Filters,
     .help = "Print the lines the other filters do not select (as grep -v; skip lines are judged as they show: "
             "APP and CTX SKIP, log warn)."},
    {.id = MaxCount,
     .long_name = "max-count",
     .short_names = "m",
     .arity = Value,
     .value_name = "n",
     .section = Filters,
     .help = "Stop reading an input after n matching messages (as grep -m; the -A lines after the last match are "
             "printed too). Skip lines are printed but not counted.",
     .example = "20"},
    {.id = None, .long_name = "none", .arity = Flag, .section = Filters, .help = "Print no line at all (decode only)."},
    {.id = BeforeContext,
     .long_name = "before-context",
     .short_names = "B",
     .arity = Value,
     .value_name = "n",
     .section = Filters,
     .help = "With a filter: also print up to n lines before each match (at most 100000).",
     .example = "3"},
    {.id = AfterContext,
     .long_name = "after-context",
     .short_names = "A",
     .arity = Value,
     .value_name = "n",
     .section = Filters,
     .help = "With a filter: also print n lines after each match.",
     .example = "3"},
    {.id = Context,
     .long_name = "context",
     .short_names = "C",
     .arity = Value,
     .value_name = "n",
     .section = Filters,
     .help = "With a filter: -B n and -A n at once (as grep -C; -B or -A given too win for their side).",
     .example = "3"},
    {.id = Fibex,
     .long_name = "fibex",
     .short_names = "F",
     .arity = List,
     .value_name = "paths",
     .section = NonVerboseMessages,
     .help = "FIBEX files, or directories of them (every *.xml inside, not recursive), that describe the "
             "non-verbose messages: their lines show the ids, type and arguments the catalogue gives. Without an "
             "input, only checks the files: exit 0, or their warnings and exit 6.",
     .example = "ecu1.xml",
     .takes_path = true},
    {.id = NvMultiEcu,
     .long_name = "nv-multiecu",
     .arity = Flag,
     .section = NonVerboseMessages,
     .help = "A message with an ECU id is looked up among the frames of that ECU's FIBEX files only, so that "
             "ECUs may use the same message ids."},
    {.id = NvNoExtHdr,
     .long_name = "nv-noexthdr",
     .arity = Flag,
     .section = NonVerboseMessages,
     .help = "Frames are looked up by message id alone, even for messages with application and context ids."},
    {.id = NvVerbose,
     .long_name = "nv-verbose",
     .arity = Flag,
     .section = NonVerboseMessages,
     .help = "A DLT output (-o x.dlt) gets the non-verbose messages that FIBEX decodes completely as verbose "
             "messages, so that the file decodes without the catalogue."},
};

constexpr bool in_id_order() {
  for (std::size_t i = 0; i < std::size(kTable); ++i)
    if (kTable[i].id != static_cast<OptionId>(i)) return false;
  return std::size(kTable) == kOptionCount;
}
static_assert(in_id_order(), "one entry per OptionId, in OptionId order");

constexpr OptionSectionInfo kSections[] = {
    {Options, "Options", ""},
    {Filters, "Filters (a line is printed if it passes every option given; within one option any value)",
     "List options take several values separated by commas and may be repeated; quote a value to keep its "
     "commas: -s '\"a,b\"'."},
    {NonVerboseMessages, "Non-verbose messages (FIBEX)", ""},
};

}  // namespace

std::span<const OptionEntry> option_table() { return kTable; }

std::span<const OptionSectionInfo> option_sections() { return kSections; }

const OptionEntry& option(OptionId id) { return kTable[static_cast<std::size_t>(id)]; }

std::string option_flag(OptionId id) {
  const OptionEntry& e = option(id);
  if (!e.short_names.empty()) return std::string("-") + e.short_names.front();
  return "--" + std::string(e.long_name);
}

std::string option_synopsis(const OptionEntry& entry) {
  std::string s;
  for (const char c : entry.short_names) {
    s += '-';
    s += c;
    s += ", ";
  }
  s += "--";
  s += entry.long_name;
  if (entry.arity == Arity::Optional) {
    s += "[=<";
    s += entry.value_name;
    s += ">]";
  } else if (entry.arity != Arity::Flag) {
    s += "=<";
    s += entry.value_name;
    s += '>';
  }
  return s;
}

}  // namespace dltdump::cli
