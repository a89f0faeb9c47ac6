#include "output/output.hpp"

#include <algorithm>
#include <cctype>

#include "compress/output_compression.hpp"
#include "output/count_sink.hpp"
#include "output/dlt_sink.hpp"
#include "output/file_template.hpp"
#include "output/pcapng_dlt_sink.hpp"
#include "output/stats_sink.hpp"
#include "output/text_sink.hpp"

namespace dltdump::output {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool ends_with_ignoring_case(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// Extensions of formats a user could expect from a name, which dltdump does not write.
struct Unwritten {
  std::string_view extension, format;
};
constexpr Unwritten kUnwritten[] = {
    {".pcap", "classic PCAP"},
    {".cap", "classic PCAP"},
    // After a compression suffix (checked before this table): data compressed twice.
    {".gz", "gzip"},
    {".xz", "xz"},
    {".zst", "Zstandard"},
    // Archives: dltdump writes one compressed stream, never a tar.
    {".tgz", "tar archives (a .tgz is one: for a compressed DLT file name it x.dlt.gz)"},
    {".txz", "tar archives (a .txz is one: for a compressed DLT file name it x.dlt.xz)"},
    {".tzst", "tar archives (a .tzst is one: for a compressed DLT file name it x.dlt.zst)"},
    {".tbz2", "tar archives, nor bzip2"},
    {".tbz", "tar archives, nor bzip2"},
    {".tar", "tar archives (for a compressed DLT file name it x.dlt.gz, .zst or .xz)"},
    // Other spellings of the suffixes it writes.
    // The advice keeps the name's kind: x.txt.zstd is x.txt.zst (a new user was told x.dlt.zst).
    {".gzip", "gzip under that suffix (the suffix is .gz: x.dlt.gz, x.txt.gz, …)"},
    {".zstd", "Zstandard under that suffix (the suffix is .zst: x.dlt.zst, x.txt.zst, …)"},
    {".bz2", "bzip2"},
    {".lz4", "LZ4"},
    {".lzma", "LZMA"},
    {".lz", "lzip"},
    {".Z", "compress (.Z)"},
    {".br", "Brotli"},
    {".lzo", "LZO"},
    {".sz", "Snappy"},
    {".zip", "ZIP"},
    {".7z", "7z"},
    {".rar", "RAR"},
    {".tar", "tar"},
    {".json", "a JSON document"},
    {".tsv", "TSV"},
    {".xml", "XML"},
    {".html", "HTML"},
    {".htm", "HTML"},
};

// `name` without its compression suffix: the name whose extension decides the kind.
std::string_view uncompressed_name(std::string_view name) {
  return name.substr(0, name.size() - compress::compression_suffix_size(compress::output_compression(name)));
}

// The kind of `name` (a fixed name), by the extension before any compression suffix.
OutputKind kind_of_fixed(std::string_view name) {
  // `-`: standard output, as for most tools (a new user's finding: a file named `-`).
  if (name.empty() || name == "-" || iequals(name, "CON:") || iequals(name, "/dev/stdout")) return OutputKind::Console;
  const std::string_view inner = uncompressed_name(name);
  if (ends_with_ignoring_case(inner, ".dlt")) return OutputKind::Dlt;
  if (ends_with_ignoring_case(inner, ".pcapng")) return OutputKind::Pcapng;
  return OutputKind::Text;
}

}  // namespace

std::string kind_deciding_name(std::string_view name) { return FileTemplate(name).fixed_name(); }

std::string_view unwritten_format(std::string_view name) {
  const std::string fixed = kind_deciding_name(name);
  const OutputKind kind = kind_of_fixed(fixed);
  const bool compressed = compress::output_compression(fixed) != compress::OutputCompression::None;
  if (compressed && kind == OutputKind::Pcapng) return "compressed PCAP-NG";
  if (kind != OutputKind::Text) return {};
  const std::string_view inner = uncompressed_name(fixed);
  if (compressed)  // x.dlt.zst.gz: one stream is compressed once
    for (std::string_view twice :
         {".gz", ".zst", ".xz", ".bz2", ".lz4", ".zstd", ".gzip", ".tgz", ".tzst", ".lz", ".Z", ".br"})
      if (ends_with_ignoring_case(inner, twice))
        return "data compressed twice (one .gz, .zst or .xz suffix compresses it once)";
  for (const auto& u : kUnwritten)
    if (ends_with_ignoring_case(inner, u.extension)) return u.format;
  return {};
}

dlt::LineFormatter::Style record_style(std::string_view name) {
  using Style = dlt::LineFormatter::Style;
  const std::string fixed = kind_deciding_name(name);
  const std::string_view inner = uncompressed_name(fixed);
  if (ends_with_ignoring_case(inner, ".jsonl") || ends_with_ignoring_case(inner, ".ndjson")) return Style::Json;
  if (ends_with_ignoring_case(inner, ".csv")) return Style::Csv;
  return Style::Text;
}

OutputKind output_kind(std::string_view name) { return kind_of_fixed(kind_deciding_name(name)); }

Output::Output(const OutputOptions& options, int console_fd) : kind_(output_kind(options.name)) {
  if (options.count) {  // the command line refuses -o with -c
    writer_ = std::make_unique<RecordWriter>(console_fd, "standard output");
    sink_ = std::make_unique<CountSink>(*writer_, options.count_named);
    return;
  }
  if (options.stats) {  // the command line refuses -o with --stats
    writer_ = std::make_unique<RecordWriter>(console_fd, "standard output");
    sink_ = std::make_unique<StatsSink>(*writer_, *options.stats, options.stats_count_loss);
    return;
  }
  FileSeriesOptions files{options.name,
                          options.split_bytes,
                          options.force,
                          options.inputs,
                          compress::output_compression(kind_deciding_name(options.name)),
                          options.not_standard_streams};
  switch (kind_) {
    case OutputKind::Console:
    case OutputKind::Text:
      writer_ = kind_ == OutputKind::Console ? std::make_unique<RecordWriter>(console_fd, "standard output")
                                             : std::make_unique<RecordWriter>(std::move(files));
      if (options.text_format.style == dlt::LineFormatter::Style::Csv)
        writer_->set_header(std::string(dlt::kCsvHeader));
      sink_ = std::make_unique<TextSink>(*writer_, options.text_format);
      break;
    case OutputKind::Dlt:
      writer_ = std::make_unique<RecordWriter>(std::move(files));
      sink_ = std::make_unique<DltSink>(*writer_, DltRunSizes{}, options.nv_verbose);
      break;
    case OutputKind::Pcapng: sink_ = std::make_unique<PcapngDltSink>(std::move(files)); break;
  }
}

}  // namespace dltdump::output
