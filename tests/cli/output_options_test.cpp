// -o, -f and --split (dltdump-spec §1.2), and how -o chooses the output kind (§6.1).
#include <gtest/gtest.h>

#include "cli/options.hpp"
#include "cli/parse_helpers.hpp"
#include "output/output.hpp"

using namespace dltdump;
using namespace dltdump::cli;

using dltdump::test::error;
using dltdump::test::parse;

namespace {
std::uint64_t split(const std::string& v) { return parse({"--split=" + v}).dump.split_bytes; }
}  // namespace

TEST(OutputOptions, OutputAndForce) {
  auto o = parse({"-o", "out.txt", "-f"});
  EXPECT_EQ(o.dump.output, "out.txt");
  EXPECT_TRUE(o.dump.force);
  EXPECT_EQ(parse({"--output=%FILE%.dlt", "--Force"}).dump.output, "%FILE%.dlt");
  EXPECT_FALSE(parse({}).dump.force);
  EXPECT_EQ(parse({}).dump.split_bytes, 0u);
  EXPECT_EQ(error({"-o", "a", "-o", "b"}), "Option 'output' provided multiple times");
}

TEST(OutputOptions, SplitSizesAndUnits) {
  EXPECT_EQ(split("65536"), 65536u);
  EXPECT_EQ(split("65536b"), 65536u);
  EXPECT_EQ(split("64kB"), 65536u);
  EXPECT_EQ(split("64K"), 65536u);
  EXPECT_EQ(split("100M"), 100u << 20);
  EXPECT_EQ(split("1Gb"), 1u << 30);
  EXPECT_EQ(split("2147483647"), 2147483647u);
  EXPECT_EQ(split("2147483647G"), 2147483647ull << 30);
}

TEST(OutputOptions, SplitErrors) {
  const std::string units = " (digits, then k, M or G, then b: 64kB, 100M, 1G)";
  EXPECT_EQ(error({"--split=64kk"}), "Option 'split' provided with unrecognized format '64kk'" + units);
  EXPECT_EQ(error({"--split=k"}), "Option 'split' provided with unrecognized format 'k'" + units);
  EXPECT_EQ(error({"--split=1.5M"}), "Option 'split' provided with unrecognized format '1.5M'" + units);
  EXPECT_EQ(error({"--split=10T"}), "Option 'split' provided with unrecognized format '10T'" + units);
  EXPECT_EQ(error({"--split=2147483648"}),
            "Option 'split' value '2147483648' out of range (the number must be at most 2147483647)");
  EXPECT_EQ(error({"--split=65535"}),
            "Option 'split' value '65535': the output file size limit cannot be less than 64kB");
  EXPECT_EQ(error({"--split=63k"}), "Option 'split' value '63k': the output file size limit cannot be less than 64kB");
}

TEST(OutputOptions, SplitWithoutANameThatSplitsWarns) {
  EXPECT_EQ(test::texts(parse({"--split=1M", "-o", "big.dlt"}).warnings),
            std::vector<std::string>{"Option 'split' has no effect: the output name 'big.dlt' holds no %CTR%, %CDATE%, "
                                     "%CTIME% or %CDATETIME%, so one file is written"});
  EXPECT_EQ(test::texts(parse({"--split=1M"}).warnings),
            std::vector<std::string>{"Option 'split' has no effect without an output file (-o): nothing is split"});
  EXPECT_EQ(parse({"--split=1M", "-o", "CON:"}).warnings.size(), 1u);
  for (const char* name : {"p_%CTR%.dlt", "p_%CDATE%.txt", "p_%CTIME%.pcapng", "p_%CDATETIME%.dlt"})
    EXPECT_TRUE(parse({"--split=1M", "-o", name}).warnings.empty()) << name;
  EXPECT_TRUE(parse({"-o", "big.dlt"}).warnings.empty());
}

TEST(OutputOptions, PositionOnlyForTextWarns) {
  EXPECT_EQ(test::texts(parse({"--position", "-o", "x.dlt"}).warnings),
            std::vector<std::string>{"Option 'position' has no effect on the output 'x.dlt' (it prefixes text lines; "
                                     "DLT and PCAP-NG keep the messages)"});
  EXPECT_EQ(parse({"--position", "-o", "x.pcapng"}).warnings.size(), 1u);
  EXPECT_TRUE(parse({"--position", "-o", "x.txt"}).warnings.empty());
  EXPECT_TRUE(parse({"--position"}).warnings.empty());
}

TEST(OutputOptions, NamesThatCannotBeWrittenAreRefused) {
  EXPECT_EQ(error({"-o", ""}), "Option 'output' has an empty file name (leave -o out for the console)");
  EXPECT_EQ(error({"-o", "out.pcap"}),
            "Option 'output' names 'out.pcap', but dltdump does not write classic PCAP (it "
            "writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and *.ndjson, CSV for *.csv, "
            "text for other names, compressed by a .gz, .zst or .xz suffix after the extension)");
  EXPECT_EQ(error({"--output=x.pcapng.gz"}),
            "Option 'output' names 'x.pcapng.gz', but dltdump does not write compressed PCAP-NG (it "
            "writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and *.ndjson, CSV for *.csv, "
            "text for other names, compressed by a .gz, .zst or .xz suffix after the extension)");
  EXPECT_NE(error({"-o", "%FILE%.JSON"}).find("does not write a JSON document "), std::string::npos);
  EXPECT_EQ(error({"--capture="}), "Option 'capture' has an empty file name");
  EXPECT_EQ(parse({"-o", "out.pcapng"}).dump.output, "out.pcapng");
  EXPECT_EQ(parse({"-o", "out.log"}).dump.output, "out.log");
  EXPECT_EQ(parse({"-o", "out.dlt.gz"}).dump.output, "out.dlt.gz");
}

TEST(OutputOptions, KindByName) {
  using output::OutputKind;
  EXPECT_EQ(output::output_kind(""), OutputKind::Console);
  EXPECT_EQ(output::output_kind("CON:"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("con:"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("/DEV/STDOUT"), OutputKind::Console);
  EXPECT_EQ(output::output_kind("-"), OutputKind::Console);  // as most tools read `-o -`
  EXPECT_EQ(output::output_kind("./-"), OutputKind::Text);   // a file named `-`
  EXPECT_EQ(output::output_kind("trip.dlt"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("TRIP.DLT"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("part_%CTR%.dlt"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("trip.pcapng"), OutputKind::Pcapng);
  EXPECT_EQ(output::output_kind("trip.PcapNG"), OutputKind::Pcapng);
  EXPECT_EQ(output::output_kind("trip.pcap"), OutputKind::Text);  // legacy PCAP is not written
  EXPECT_EQ(output::output_kind("trip.txt"), OutputKind::Text);
  EXPECT_EQ(output::output_kind("trip.dlt.txt"), OutputKind::Text);
  // a compression suffix: the extension before it decides
  EXPECT_EQ(output::output_kind("trip.dlt.zst"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("TRIP.DLT.GZ"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("part_%CTR%.dlt.xz"), OutputKind::Dlt);
  EXPECT_EQ(output::output_kind("trip.txt.zst"), OutputKind::Text);
  EXPECT_EQ(output::output_kind("trip.gz"), OutputKind::Text);
  EXPECT_EQ(output::output_kind(".gz"), OutputKind::Text);
  EXPECT_EQ(output::record_style("trip.jsonl.gz"), dlt::LineFormatter::Style::Json);
  EXPECT_EQ(output::record_style("trip.csv.XZ"), dlt::LineFormatter::Style::Csv);
}

TEST(OutputOptions, UnwrittenFormats) {
  using output::unwritten_format;
  EXPECT_EQ(unwritten_format("trip.pcap"), "classic PCAP");
  EXPECT_EQ(unwritten_format("TRIP.PCAP"), "classic PCAP");
  EXPECT_EQ(unwritten_format("trip.pcapng.gz"), "compressed PCAP-NG");
  EXPECT_EQ(unwritten_format("trip.pcap.zst"), "classic PCAP");
  EXPECT_EQ(unwritten_format("trip.gz.gz"), "data compressed twice (one .gz, .zst or .xz suffix compresses it once)");
  EXPECT_EQ(unwritten_format("trip.dlt.zst.gz"), unwritten_format("trip.gz.gz"));
  EXPECT_EQ(unwritten_format("logs.tgz"), "tar archives (a .tgz is one: for a compressed DLT file name it x.dlt.gz)");
  EXPECT_EQ(unwritten_format("logs.tar.zst"), "tar archives (for a compressed DLT file name it x.dlt.gz, .zst or .xz)");
  EXPECT_EQ(unwritten_format("trip.gzip"), "gzip under that suffix (the suffix is .gz: x.dlt.gz, x.txt.gz, …)");
  EXPECT_EQ(unwritten_format("trip.txt.ZSTD"),
            "Zstandard under that suffix (the suffix is .zst: x.dlt.zst, x.txt.zst, …)");
  // Every name that promises a compression or an archive dltdump does not write (a new
  // user's list: .tzst, .Z, .lz and .br were written as text).
  for (const char* name : {"a.zstd", "a.gzip",  "a.tgz",     "a.txz", "a.tzst",    "a.tbz", "a.tbz2",   "a.bz2",
                           "a.zip",  "a.json",  "a.json.xz", "a.tar", "a.tar.gz",  "a.7z",  "a.lz4.gz", "a.bz2.xz",
                           "a.Z",    "a.dlt.Z", "a.lz",      "a.br",  "a.txt.lzo", "a.sz",  "a.lz.gz",  "a.tzst.xz"})
    EXPECT_FALSE(unwritten_format(name).empty()) << name;
  for (const char* name : {"",          "CON:",       "/dev/stdout", "a.dlt",   "a.pcapng", "a.txt", "a.log",
                           "a",         "a.gz.txt",   "pcap",        "a.jsonl", "a.NDJSON", "a.csv", "a.dlt.gz",
                           "a.txt.zst", "a.jsonl.xz", "a.csv.zst",   "a.gz",    "a.zst",    "a.xz"})
    EXPECT_TRUE(unwritten_format(name).empty()) << name;
}

// JSON Lines and CSV: by the output name's extension, or --out for the console and text
// files; a contradiction is refused.
TEST(OutputOptions, RecordStyleByNameOrOut) {
  using Style = dlt::LineFormatter::Style;
  EXPECT_EQ(parse({}).dump.records, Style::Text);
  EXPECT_EQ(parse({"-o", "trip.jsonl"}).dump.records, Style::Json);
  EXPECT_EQ(parse({"-o", "%FILE%.NDJSON"}).dump.records, Style::Json);
  EXPECT_EQ(parse({"-o", "trip.csv"}).dump.records, Style::Csv);
  EXPECT_EQ(parse({"--out=json"}).dump.records, Style::Json);
  EXPECT_EQ(parse({"--out", "CSV"}).dump.records, Style::Csv);
  EXPECT_EQ(parse({"--out=text", "-o", "x.log"}).dump.records, Style::Text);
  EXPECT_EQ(parse({"--out=json", "-o", "x.log"}).dump.records, Style::Json);
  EXPECT_EQ(parse({"--out=json", "-o", "x.jsonl"}).dump.records, Style::Json);
  EXPECT_EQ(error({"--out=xml"}), "Option 'out' has incorrect format 'xml' (text, json or csv)");
  EXPECT_EQ(error({"--out=csv", "-o", "x.jsonl"}),
            "Option 'out' asks for 'csv' records, but the output 'x.jsonl' is JSON Lines by its name");
  EXPECT_EQ(error({"--out=json", "-o", "x.dlt"}),
            "Option 'out' asks for 'json' records, but the output 'x.dlt' is a DLT file");
  EXPECT_EQ(error({"--out=text", "-o", "x.pcapng"}),
            "Option 'out' asks for 'text' records, but the output 'x.pcapng' is a PCAP-NG file");
  ASSERT_EQ(parse({"--out=csv", "--position"}).warnings.size(), 1u);
}

// `%ECU%_%APP%.txt` named `_.txt` without a word (a new user's finding): a variable that is
// neither dltdump's nor set is a warning naming it.
TEST(OutputOptions, UnsetVariablesInTheNameAreAWarning) {
  unsetenv("DLTDUMP_TEST_ECU");
  unsetenv("DLTDUMP_TEST_APP");
  EXPECT_EQ(test::texts(parse({"-o", "%DLTDUMP_TEST_ECU%_%DLTDUMP_TEST_APP%.txt"}).warnings),
            std::vector<std::string>{"The output name '%DLTDUMP_TEST_ECU%_%DLTDUMP_TEST_APP%.txt' holds "
                                     "%DLTDUMP_TEST_ECU% and %DLTDUMP_TEST_APP%, environment variables that are not "
                                     "set, so empty in the name (dltdump's variables: %FILE%, %CTR%, %CDATE%, "
                                     "%CTIME%, %CDATETIME%, %LC%)"});
  setenv("DLTDUMP_TEST_ECU", "E1", 1);
  EXPECT_TRUE(parse({"-o", "%DLTDUMP_TEST_ECU%_%FILE%.txt"}).warnings.empty());
  unsetenv("DLTDUMP_TEST_ECU");
}

// The kind is decided from the name as expanded: an extension from an environment variable
// counts (E=csv: `-o y.%E%` is CSV), a per-file variable never decides it.
TEST(OutputOptions, KindFromTheExpandedName) {
  using Style = dlt::LineFormatter::Style;
  using output::OutputKind;
  setenv("DLTDUMP_TEST_EXT", "csv", 1);
  EXPECT_EQ(parse({"-o", "y.%DLTDUMP_TEST_EXT%"}).dump.records, Style::Csv);
  EXPECT_EQ(output::output_kind("y.%DLTDUMP_TEST_EXT%"), OutputKind::Text);
  EXPECT_EQ(error({"--out=json", "-o", "y.%DLTDUMP_TEST_EXT%"}),
            "Option 'out' asks for 'json' records, but the output 'y.%DLTDUMP_TEST_EXT%' ('y.csv') is CSV by its "
            "name");
  setenv("DLTDUMP_TEST_EXT", "JSONL", 1);
  EXPECT_EQ(parse({"-o", "%FILE%_%CTR%.%DLTDUMP_TEST_EXT%"}).dump.records, Style::Json);
  setenv("DLTDUMP_TEST_EXT", "dlt", 1);
  EXPECT_EQ(output::output_kind("y.%DLTDUMP_TEST_EXT%"), OutputKind::Dlt);
  EXPECT_EQ(parse({"-o", "y.%DLTDUMP_TEST_EXT%"}).dump.records, Style::Text);
  setenv("DLTDUMP_TEST_EXT", "pcapng", 1);
  EXPECT_EQ(output::output_kind("y.%DLTDUMP_TEST_EXT%"), OutputKind::Pcapng);
  setenv("DLTDUMP_TEST_EXT", "CON:", 1);
  EXPECT_EQ(output::output_kind("%DLTDUMP_TEST_EXT%"), OutputKind::Console);
  setenv("DLTDUMP_TEST_EXT", "json", 1);
  EXPECT_EQ(error({"-o", "y.%DLTDUMP_TEST_EXT%"}),
            "Option 'output' names 'y.%DLTDUMP_TEST_EXT%' ('y.json'), but dltdump does not write a JSON document (it "
            "writes DLT for *.dlt, PCAP-NG for *.pcapng, JSON Lines for *.jsonl and *.ndjson, CSV for *.csv, text "
            "for other names, compressed by a .gz, .zst or .xz suffix after the extension)");
  setenv("DLTDUMP_TEST_EXT", "dlt.bz2", 1);
  EXPECT_FALSE(error({"-o", "y.%DLTDUMP_TEST_EXT%"}).empty());
  setenv("DLTDUMP_TEST_EXT", "dlt.gz", 1);
  EXPECT_EQ(output::output_kind("y.%DLTDUMP_TEST_EXT%"), OutputKind::Dlt);
  unsetenv("DLTDUMP_TEST_EXT");
  EXPECT_EQ(error({"-o", "%DLTDUMP_TEST_EXT%"}),
            "Option 'output' names '%DLTDUMP_TEST_EXT%', which is empty once expanded (an environment variable that "
            "is unset or empty?)");
  // %%: a literal percent sign, not a variable
  EXPECT_EQ(output::output_kind("100%%.dlt"), OutputKind::Dlt);
  // per-file variables never choose the kind: they are taken as written
  EXPECT_EQ(output::output_kind("%FILE%"), OutputKind::Text);
  EXPECT_EQ(parse({"-o", "x.%FILE%"}).dump.records, Style::Text);
}

// -c prints counts on the console: no output file, no record format; context is not counted.
TEST(OutputOptions, CountExcludesOutputsAndContext) {
  EXPECT_TRUE(parse({"-c"}).dump.count);
  EXPECT_TRUE(parse({"--count"}).dump.count);
  EXPECT_FALSE(parse({}).dump.count);
  EXPECT_EQ(error({"-c", "-o", "x.txt"}),
            "Option 'count' prints counts on the console; it cannot be combined with 'output'");
  EXPECT_EQ(error({"-c", "--out=json"}),
            "Option 'count' prints counts on the console; it cannot be combined with 'out'");
  auto o = parse({"-c", "-s", "x", "-A", "2", "-B", "3"});
  EXPECT_EQ(o.dump.before_context, 0u);
  EXPECT_EQ(o.dump.after_context, 0u);
  ASSERT_EQ(o.warnings.size(), 2u);
  EXPECT_EQ(o.warnings[0].text, "Option 'before-context' has no effect with 'count' (context lines are not counted)");
}
