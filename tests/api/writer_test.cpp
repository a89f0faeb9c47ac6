// dltdump::Writer (include/dltdump/writer.hpp): what it writes for a Reader's messages is
// what the command line's -o writes for the same input, in every output kind — the same
// bytes, compressed ones too (the command line copies a DLT file's runs of messages, the
// Writer gets them one by one: the frames end at the same messages all the same).
#include "dltdump/writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/generated_files.hpp"
#include "app/dump_app.hpp"
#include "cli/options.hpp"
#include "dltdump/error.hpp"
#include "dltdump/reader.hpp"
#include "input/decompressed_input.hpp"
#include "util/scoped_fd.hpp"

namespace {

namespace fs = std::filesystem;

using dltdump::test::dltgen;
using dltdump::test::TempDir;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A file's content decompressed as dltdump reads it (gzip, zstd, xz).
std::string decompressed(const std::string& path) {
  dltdump::util::InputFile file =
      dltdump::input::open_sniffed(path, dltdump::input::InputFormat::Automatic, dltdump::compress::Limits{}).file;
  std::string out;
  for (auto w = file.next_window(); !w.empty(); w = file.next_window())
    out.append(reinterpret_cast<const char*>(w.data()), w.size());
  return out;
}

// dltdump's command line run in this process on `args` (without the program name).
void run_cli(std::vector<std::string> args) {
  const dltdump::cli::Options options = dltdump::cli::parse_options(args);
  const dltdump::util::ScopedFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  ASSERT_EQ(dltdump::Dump{options.dump}.run(null.get(), null.get()), 0);
}

// `input` read by a Reader and written by a Writer to `output`; how many messages.
std::uint64_t write_through(const std::string& input, const std::string& output, dltdump::WriterOptions options = {}) {
  dltdump::Reader r{input};
  dltdump::Writer w{output, options};
  const std::uint64_t n = w.write_all(r);
  w.close();
  EXPECT_EQ(w.messages(), n);
  return n;
}

// Writing all of `r` through `w` must fail with an output Error whose text holds `words`.
void expect_output_error(dltdump::Writer& w, dltdump::Reader& r, const std::string& words) {
  try {
    w.write_all(r);
    ADD_FAILURE() << "written, not refused: " << words;
  } catch (const dltdump::Error& e) {
    EXPECT_EQ(e.kind(), dltdump::Error::Kind::output);
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

class WriterOutputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    file_ = dltgen(*dir_, "in.dlt", "--count 3000 --seed 27");
    network_ = dltgen(*dir_, "in.net", "--format net --count 1500 --seed 29");
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  // The Writer's file and the command line's for `input`, both named `name` (in folders of
  // their own: JSON and CSV records name the input, which is the same file).
  static std::pair<std::string, std::string> both(const std::string& input, const std::string& name,
                                                  std::vector<std::string> cli_options = {},
                                                  dltdump::WriterOptions options = {}) {
    const std::string api = *dir_ / ("api-" + name), cli = *dir_ / ("cli-" + name);
    fs::remove(api);
    fs::remove(cli);
    EXPECT_GT(write_through(input, api, options), 0u);
    std::vector<std::string> args{input, "-o", cli};
    args.insert(args.end(), cli_options.begin(), cli_options.end());
    run_cli(args);
    return {api, cli};
  }
  // A folder `name` in the suite's, made empty.
  static std::string empty_folder(const std::string& name) {
    const std::string path = *dir_ / name;
    fs::remove_all(path);
    fs::create_directories(path);
    return path;
  }
  static TempDir* dir_;
  static std::string file_, network_;
};

// WriterOptions of a name template, with a split of `split_bytes` (0: none).
dltdump::WriterOptions templated(std::uint64_t split_bytes = 0) {
  dltdump::WriterOptions options;
  options.name_template = true;
  options.split_bytes = split_bytes;
  return options;
}
TempDir* WriterOutputs::dir_ = nullptr;
std::string WriterOutputs::file_, WriterOutputs::network_;

TEST_F(WriterOutputs, EachKindIsTheCommandLinesBytes) {
  for (const std::string& input : {file_, network_}) {
    for (const char* name : {"x.dlt", "x.pcapng", "x.txt", "x.jsonl", "x.ndjson", "x.csv"}) {
      SCOPED_TRACE(input + " -> " + name);
      const auto [api, cli] = both(input, name);
      const std::string bytes = slurp(api);
      EXPECT_GT(bytes.size(), 1000u);
      EXPECT_TRUE(bytes == slurp(cli)) << "the Writer's " << api << " differs from the command line's " << cli;
    }
  }
}

// write_all writes the regions its Reader skipped where -o writes them: SKIP lines, skip
// records, SKIP messages of a DLT file — the command line's bytes for damaged inputs too
// (a file and a recording with corrupted packets, one cut at its end), also filtered
// (skip lines are judged like messages: --not-appid keeps them).
TEST_F(WriterOutputs, SkippedRegionsAreWrittenAsTheCommandLineWritesThem) {
  const std::string damaged = dltgen(*dir_, "damaged.dlt", "--count 3000 --seed 43 --corrupt 3 --truncate");
  const std::string damaged_net = dltgen(*dir_, "damaged.net", "--format net --count 1500 --seed 47 --corrupt 3");
  ASSERT_GT(dltdump::Reader{damaged}.next_batch().size(), 0u);
  for (const std::string& input : {damaged, damaged_net}) {
    dltdump::Reader probe{input};
    for ([[maybe_unused]] const auto& m : probe) {
    }
    ASSERT_GT(probe.skipped_bytes(), 0u) << input << " has no damage to skip";
    for (const char* name : {"d.dlt", "d.pcapng", "d.txt", "d.jsonl", "d.csv", "d.txt.zst"}) {
      SCOPED_TRACE(input + " -> " + name);
      const auto [api, cli] = both(input, name);
      const std::string bytes = slurp(api);
      EXPECT_TRUE(bytes == slurp(cli)) << "the Writer's " << api << " differs from the command line's " << cli;
      if (std::string(name) == "d.txt") {
        EXPECT_NE(bytes.find(" SKIP "), std::string::npos);
      }
    }
    const std::string api = *dir_ / "api-filtered-skips.txt", cli = *dir_ / "cli-filtered-skips.txt";
    fs::remove(api);
    fs::remove(cli);
    {
      dltdump::Reader r{input, dltdump::Filter{}.not_appid("NAV")};
      dltdump::Writer w{api};
      w.write_all(r);
      w.close();
    }
    run_cli({input, "--not-appid=NAV", "-o", cli});
    EXPECT_TRUE(slurp(api) == slurp(cli)) << "filtered: " << api << " differs from " << cli;
  }
}

TEST_F(WriterOutputs, AFileFromARecordingGetsStorageHeaders) {
  const auto [api, cli] = both(network_, "net.dlt");
  // Read back: a DLT file (storage headers made), the recording's messages.
  dltdump::Reader back{api}, original{network_};
  EXPECT_EQ(back.format(), dltdump::Format::file);
  std::vector<std::string> a, b;
  for (const auto& m : back) a.push_back(m.text());
  for (const auto& m : original) b.push_back(m.text());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.size(), 1500u);
}

TEST_F(WriterOutputs, RecordsAsked) {
  // --out=json -o x.log: JSON Lines in a file of another name.
  dltdump::WriterOptions json;
  json.format = dltdump::OutputFormat::json;
  const auto [api, cli] = both(file_, "x.log", {"--out=json"}, json);
  EXPECT_TRUE(slurp(api) == slurp(cli));
  EXPECT_EQ(slurp(api).substr(0, 1), "{");
  dltdump::WriterOptions csv;
  csv.format = dltdump::OutputFormat::csv;
  const auto [api2, cli2] = both(file_, "y.log", {"--out=csv"}, csv);
  EXPECT_TRUE(slurp(api2) == slurp(cli2));
}

TEST_F(WriterOutputs, CompressedByTheNamesSuffix) {
  for (const char* name : {"x.dlt.gz", "x.dlt.zst", "x.dlt.xz", "x.txt.gz", "x.jsonl.zst", "x.csv.xz"}) {
    SCOPED_TRACE(name);
    const auto [api, cli] = both(file_, name);
    const std::string content = decompressed(api);
    EXPECT_NE(content, slurp(api));  // compressed
    EXPECT_GT(content.size(), 1000u);
    EXPECT_TRUE(content == decompressed(cli));
    EXPECT_TRUE(slurp(api) == slurp(cli));
  }
}

// A compressed DLT file from a DLT file of several frames (1 MiB each) is the command
// line's, byte for byte: the command line copies the file's runs of messages (one run
// unfiltered, short runs filtered), a Writer gets them one by one, and the frames end at
// the same messages (util::FdWriter::frame_full). They used to end before the message that
// would pass 1 MiB on the command line, after it in a Writer: a new user's finding.
TEST_F(WriterOutputs, CompressedFramesOfALargeFileAreTheCommandLines) {
  const std::string input = dltgen(*dir_, "large.dlt", "--count 52000 --seed 31");
  ASSERT_GT(fs::file_size(input), 3u << 20);
  for (const char* name : {"large.dlt.zst", "large.dlt.gz"}) {
    SCOPED_TRACE(name);
    const auto [api, cli] = both(input, name);
    EXPECT_TRUE(decompressed(api) == slurp(input));
    EXPECT_TRUE(slurp(api) == slurp(cli)) << "the Writer's " << api << " differs from the command line's " << cli;
    // Filtered: runs of messages shorter than the copy's threshold, one record each.
    const std::string fapi = *dir_ / ("api-info-" + std::string(name)),
                      fcli = *dir_ / ("cli-info-" + std::string(name));
    fs::remove(fapi);
    fs::remove(fcli);
    {
      dltdump::Reader r{input, dltdump::Filter{}.level(dltdump::Level::info)};
      dltdump::Writer w{fapi};
      w.write_all(r);
      w.close();
    }
    run_cli({input, "--level=info", "-o", fcli});
    EXPECT_GT(decompressed(fapi).size(), 2u << 20);
    EXPECT_TRUE(slurp(fapi) == slurp(fcli)) << "filtered: the Writer's " << fapi << " differs from " << fcli;
  }
}

TEST_F(WriterOutputs, AFilteredReadIsTheFilteredCommandLine) {
  const std::string api = *dir_ / "api-filtered.dlt", cli = *dir_ / "cli-filtered.dlt";
  fs::remove(api);
  fs::remove(cli);
  {
    dltdump::Reader r{file_, dltdump::Filter{}.level(dltdump::Level::warn)};
    dltdump::Writer w{api};
    for (const auto& m : r) w.write(m);
    w.close();
    EXPECT_GT(w.messages(), 0u);
  }
  run_cli({file_, "--level=warn", "-o", cli});
  EXPECT_TRUE(slurp(api) == slurp(cli));
}

TEST_F(WriterOutputs, TheDestructorWritesAWriterNotClosed) {
  const std::string path = *dir_ / "unclosed.dlt";
  fs::remove(path);
  {
    dltdump::Reader r{file_};
    dltdump::Writer w{path};
    w.write_all(r);
  }
  EXPECT_EQ(slurp(path), slurp(file_));
}

// WriterOptions::inputs are never written, even with overwrite (by identity: a link
// too), and writes() names the Writer's own file while it is open.
TEST_F(WriterOutputs, NeverOverAnInputAndItsOwnFileKnown) {
  const std::string victim = *dir_ / "victim.dlt";
  fs::copy_file(file_, victim, fs::copy_options::overwrite_existing);
  const std::string link = *dir_ / "victim-link.dlt";
  fs::remove(link);
  fs::create_symlink(victim, link);
  for (const std::string& output : {victim, link}) {
    SCOPED_TRACE(output);
    dltdump::WriterOptions options;
    options.overwrite = true;
    options.inputs = {victim};
    dltdump::Reader r{victim};
    dltdump::Writer w{output, options};
    expect_output_error(w, r, "Not overwriting the input file");
    EXPECT_EQ(slurp(victim), slurp(file_));
  }
  const std::string own = *dir_ / "own.dlt";
  fs::remove(own);
  dltdump::Writer w{own};
  EXPECT_FALSE(w.writes(own));  // not created before the first message
  dltdump::Reader r{file_};
  w.write_all(r);
  EXPECT_TRUE(w.writes(own));
  EXPECT_TRUE(w.writes(*dir_ / "./own.dlt"));  // another spelling
  EXPECT_FALSE(w.writes(file_));
  w.close();
  EXPECT_FALSE(w.writes(own));
}

// The files' names and contents in folder `dir`, by name.
std::map<std::string, std::string> files_in(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) files[entry.path().filename().string()] = slurp(entry.path());
  return files;
}

// WriterOptions::name_template and split_bytes: the files of `-o TEMPLATE --split N` over
// two inputs, the same names and bytes, in every kind (JSON and CSV records name each
// message's input, the same paths here).
TEST_F(WriterOutputs, ATemplateAndASplitWriteTheCommandLinesFiles) {
  const std::string second = dltgen(*dir_, "second.dlt", "--count 2000 --seed 37");
  for (const char* name : {"%FILE%_%CTR%.dlt", "%FILE%_%CTR%.txt", "%FILE%-%CTR%.jsonl", "part_%CTR%.csv", "%FILE%.txt",
                           "%FILE%_%CDATETIME%_%CTR%.dlt.zst"}) {
    SCOPED_TRACE(name);
    const std::string api = empty_folder("split-api"), cli = empty_folder("split-cli");
    const dltdump::WriterOptions options = templated(std::string(name).find("CTR") != std::string::npos ? 70000 : 0);
    std::uint64_t written = 0;
    {
      dltdump::Writer w{api + "/" + name, options};
      for (const std::string& input : {file_, second}) {
        dltdump::Reader r{input};
        written += w.write_all(r);
      }
      w.close();
      EXPECT_EQ(w.messages(), written);
    }
    std::vector<std::string> args{file_, second, "-o", cli + "/" + name};
    if (options.split_bytes) args.insert(args.end(), {"--split", std::to_string(options.split_bytes)});
    run_cli(args);
    const auto made = files_in(api), expected = files_in(cli);
    EXPECT_GT(made.size(), std::string(name).find("CTR") != std::string::npos ? 4u : 1u);
    ASSERT_EQ(made.size(), expected.size());
    for (const auto& [file, bytes] : expected) {
      ASSERT_TRUE(made.contains(file)) << file;
      EXPECT_TRUE(made.at(file) == bytes) << file << " differs";
    }
  }
}

// --time and --position: the text lines of the command line with the same options, for
// a DLT file and a recording (whose messages have no time before a storage header: `-`,
// 1970), and over a template's files of two inputs (`relative`: one clock for the run).
TEST_F(WriterOutputs, TextLinesTakeTheCommandLinesTimeColumnAndPosition) {
  const std::pair<dltdump::TimeColumn, const char*> columns[] = {{dltdump::TimeColumn::local, "local"},
                                                                 {dltdump::TimeColumn::utc, "utc"},
                                                                 {dltdump::TimeColumn::iso, "iso"},
                                                                 {dltdump::TimeColumn::relative, "relative"},
                                                                 {dltdump::TimeColumn::device, "device"}};
  std::set<std::string> texts;
  for (const auto& [column, word] : columns) {
    for (const bool position : {false, true}) {
      for (const std::string& input : {file_, network_}) {
        SCOPED_TRACE(std::string(word) + (position ? " --position " : " ") + input);
        dltdump::WriterOptions options;
        options.time = column;
        options.position = position;
        std::vector<std::string> cli_options{std::string("--time=") + word};
        if (position) cli_options.emplace_back("--position");
        const auto [api, cli] = both(input, "t.txt", cli_options, options);
        EXPECT_TRUE(slurp(api) == slurp(cli));
        texts.insert(slurp(api));
      }
    }
  }
  // Each choice changes the lines, but local and utc where the local time is UTC (the tests
  // run with TZ=UTC).
  EXPECT_EQ(texts.size(), (std::size(columns) - 1) * 2 * 2);
  const std::string second = dltgen(*dir_, "later.dlt", "--count 500 --seed 41");
  const std::string api = empty_folder("time-api"), cli = empty_folder("time-cli");
  dltdump::WriterOptions options = templated();
  options.time = dltdump::TimeColumn::relative;
  {
    dltdump::Writer w{api + "/%FILE%.txt", options};
    for (const std::string& input : {file_, second}) {
      dltdump::Reader r{input};
      w.write_all(r);
    }
    w.close();
  }
  run_cli({file_, second, "-o", cli + "/%FILE%.txt", "--time=relative"});
  const auto made = files_in(api), expected = files_in(cli);
  ASSERT_EQ(made.size(), 2u);
  EXPECT_TRUE(made == expected);
}

// With %FILE%, an input's messages are written together: a return to an input whose file
// was closed is refused as the command line refuses two inputs of one name, and the file
// already written stays whole.
TEST_F(WriterOutputs, ATemplatesInputsComeOneAfterTheOther) {
  const std::string second = dltgen(*dir_, "other.dlt", "--count 100 --seed 41");
  const std::string out = empty_folder("interleaved");
  dltdump::Writer w{out + "/%FILE%.dlt", templated()};
  dltdump::Reader a{file_}, b{second};
  auto first = a.next_batch();
  w.write(first);
  w.write(b.next_batch());
  EXPECT_TRUE(w.writes(out + "/in.dlt"));
  EXPECT_TRUE(w.writes(out + "/other.dlt"));
  try {
    w.write(a.next_batch());
    ADD_FAILURE() << "a return to in.dlt was written";
  } catch (const dltdump::Error& e) {
    EXPECT_EQ(e.kind(), dltdump::Error::Kind::output);
    EXPECT_NE(std::string(e.what()).find("Not overwriting previously created file"), std::string::npos) << e.what();
  }
  EXPECT_GT(fs::file_size(out + "/in.dlt"), 0u);
  EXPECT_EQ(slurp(out + "/in.dlt"), slurp(file_).substr(0, fs::file_size(out + "/in.dlt")));
}

// Records name each message's input as its Reader was given it, also when one Reader's name
// lies where the last one's was (same length, the last Reader gone): a new user's finding —
// the records of the second input were given the first's name (the record's cached name
// was compared by address).
TEST_F(WriterOutputs, RecordsNameEachReadersInputAlsoWhereTheLastOnesNameWas) {
  const std::string a1 = *dir_ / "a1.dlt", a2 = dltgen(*dir_, "a2.dlt", "--count 500 --seed 53");
  fs::copy_file(file_, a1, fs::copy_options::overwrite_existing);
  for (const char* name : {"names.jsonl", "names.csv"}) {
    SCOPED_TRACE(name);
    const std::string api = *dir_ / ("api-" + std::string(name)), cli = *dir_ / ("cli-" + std::string(name));
    fs::remove(api);
    fs::remove(cli);
    {
      dltdump::Writer w{api};
      // Short names (held in the Reader itself), each Reader made where the last one was.
      const fs::path was = fs::current_path();
      fs::current_path(dir_->path);
      for (const char* input : {"a1.dlt", "a2.dlt"}) {
        dltdump::Reader r{input};
        w.write_all(r);
      }
      fs::current_path(was);
      w.close();
    }
    const fs::path was = fs::current_path();
    fs::current_path(dir_->path);
    run_cli({"a1.dlt", "a2.dlt", "-o", cli});
    fs::current_path(was);
    const std::string bytes = slurp(api);
    EXPECT_NE(bytes.find("a2.dlt"), std::string::npos);
    EXPECT_TRUE(bytes == slurp(cli)) << api << " differs from " << cli;
  }
}

// An input given twice, each a Reader of its own, with %FILE%: the second is refused as the
// command line refuses it (a new user's finding: they were merged into one file). A write()
// of single messages and write_all of the same Reader after it go on in one file.
TEST_F(WriterOutputs, TheSameInputTwiceIsRefusedAsOnTheCommandLine) {
  const std::string other = dltgen(*dir_, "twice_other.dlt", "--count 200 --seed 43");
  std::string out = empty_folder("twice");
  {
    dltdump::Writer w{out + "/%FILE%.dlt", templated()};
    dltdump::Reader first{file_}, second{file_}, third{other};
    w.write_all(first);
    expect_output_error(w, second, "Not overwriting previously created file");
    // The refusal is the input's, not the Writer's: the next input is written, as the
    // command line goes on with its next input (a new user's doubtful point), and close()
    // says the refusal once the rest is written.
    EXPECT_FALSE(w.failed());
    EXPECT_GT(w.write_all(third), 0u);
    try {
      w.close();
      ADD_FAILURE() << "the refusal was not said by close()";
    } catch (const dltdump::Error& e) {
      EXPECT_EQ(e.kind(), dltdump::Error::Kind::output);
      EXPECT_NE(std::string(e.what()).find("Not overwriting previously created file"), std::string::npos);
    }
  }
  EXPECT_EQ(slurp(out + "/in.dlt"), slurp(file_));
  EXPECT_EQ(slurp(out + "/twice_other.dlt"), slurp(other));
  // The command line's files for the same inputs: the same (and its exit code says partial).
  const std::string cli = empty_folder("twice-cli");
  const std::vector<std::string> args{file_, file_, other, "-o", cli + "/%FILE%.dlt"};
  const dltdump::cli::Options options = dltdump::cli::parse_options(args);
  const dltdump::util::ScopedFd null(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  EXPECT_EQ(dltdump::Dump{options.dump}.run(null.get(), null.get()), 4);  // partial
  EXPECT_TRUE(files_in(out) == files_in(cli));
  out = empty_folder("twice");
  dltdump::Writer w{out + "/%FILE%.dlt", templated()};
  dltdump::Reader r{file_};
  w.write(r.next_batch());
  w.write_all(r);
  w.close();
  EXPECT_EQ(slurp(out + "/in.dlt"), slurp(file_));
}

// write_all with go_on: asked before each step; false stops there, what came written.
TEST_F(WriterOutputs, GoOnStopsAWriteBetweenSteps) {
  const std::string out = *dir_ / "stopped.dlt";
  fs::remove(out);
  dltdump::ReaderOptions options;
  options.batch_messages = 100;
  dltdump::Reader r{file_, dltdump::Filter{}, options};
  dltdump::Writer w{out};
  int asked = 0;
  const std::uint64_t n = w.write_all(r, [&asked] { return ++asked <= 1; });
  EXPECT_EQ(asked, 2);
  EXPECT_GT(n, 0u);
  EXPECT_LT(n, 3000u);
  w.close();
  EXPECT_EQ(w.messages(), n);
  const std::string bytes = slurp(out);
  EXPECT_EQ(bytes, slurp(file_).substr(0, bytes.size()));
  EXPECT_FALSE(r.next_batch().empty());  // the Reader goes on where the write stopped
}

TEST(Writer, TemplatesTheWriterRefuses) {
  const auto refused = [](const std::string& name, dltdump::WriterOptions options, const std::string& words) {
    SCOPED_TRACE(name);
    try {
      dltdump::Writer w{name, options};
      ADD_FAILURE() << "accepted";
    } catch (const dltdump::Error& e) {
      EXPECT_EQ(e.kind(), dltdump::Error::Kind::argument);
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  };
  const dltdump::WriterOptions templ = templated();
  refused("trip_%LC%.dlt", templ, "%LC%");
  // A time column or position for records or DLT/PCAP-NG files, which keep their own (the
  // command line warns; a program is told).
  for (const char* name : {"x.jsonl", "x.csv", "x.dlt", "x.dlt.zst", "x.pcapng"}) {
    dltdump::WriterOptions utc;
    utc.time = dltdump::TimeColumn::utc;
    refused(name, utc, "time is a choice of text lines");
    dltdump::WriterOptions position;
    position.position = true;
    refused(name, position, "position is a choice of text lines");
  }
  dltdump::WriterOptions odd;
  odd.time = static_cast<dltdump::TimeColumn>(9);
  refused("x.txt", odd, "no TIME column");
  // The console by another name once the template's variables are resolved (a new user's
  // finding: `/dev/fd/%NOPE%1` wrote to the program's standard output).
  ::unsetenv("DLTDUMP_TEST_UNSET");
  refused("/dev/fd/%DLTDUMP_TEST_UNSET%1", templ, "console");
  refused("/proc/self/fd/%DLTDUMP_TEST_UNSET%2", templ, "console");
  {  // and when %FILE% makes it: refused as the file is to be made, nothing written there
    const TempDir d;
    const std::string one = dltgen(d, "1.dlt", "--count 5 --seed 1");
    dltdump::Writer w{"/dev/fd/%FILE%", templ};
    dltdump::Reader r{one};
    expect_output_error(w, r, "standard output or error");
  }
  ::unsetenv("DLTDUMP_TEST_UNSET");
  refused("%DLTDUMP_TEST_UNSET%", templ, "names no file");
  refused("one.dlt", templated(1000), "below 65536");
  refused("one.dlt", templated(65536), "split_bytes needs %CTR%");
  dltdump::WriterOptions literal;
  literal.split_bytes = 1000;
  refused("part_%CTR%.dlt", literal, "split_bytes needs a name template");
  // Without name_template a % is a character of the name.
  const TempDir dir;
  const std::string input = dltgen(dir, "in.dlt", "--count 10 --seed 1");
  dltdump::Reader r{input};
  dltdump::Writer w{dir / "a_%CTR%.dlt"};
  w.write_all(r);
  w.close();
  EXPECT_EQ(slurp(dir / "a_%CTR%.dlt"), slurp(input));
}

TEST(Writer, AFullDiskIsAnErrorNamingTheFile) {
  for (const char* format : {"text", "dlt"}) {
    SCOPED_TRACE(format);
    TempDir dir;
    const std::string input = dltgen(dir, "in.dlt", "--count 20000 --seed 3");
    dltdump::Reader r{input};
    dltdump::WriterOptions options;
    options.overwrite = true;  // /dev/full exists
    options.format = std::string(format) == "dlt" ? dltdump::OutputFormat::automatic : dltdump::OutputFormat::text;
    // The name says text; DLT needs a .dlt name: a link to /dev/full.
    std::string path = "/dev/full";
    if (std::string(format) == "dlt") {
      path = dir / "full.dlt";
      fs::create_symlink("/dev/full", path);
    }
    dltdump::Writer w{path, options};
    std::optional<dltdump::Error> error;
    try {
      w.write_all(r);
      w.close();
    } catch (const dltdump::Error& e) {
      error = e;
    }
    ASSERT_TRUE(error) << "no error writing to /dev/full";
    EXPECT_EQ(error->kind(), dltdump::Error::Kind::output);
    EXPECT_EQ(error->input(), path);
    EXPECT_NE(std::string(error->what()).find(path), std::string::npos) << error->what();
    // Thrown again, never forgotten.
    EXPECT_THROW(w.close(), dltdump::Error);
    EXPECT_THROW(w.write(dltdump::Message{}), dltdump::Error);
  }
}

TEST(Writer, NamesAndFormatsTheCommandLineRefuses) {
  auto argument_error = [](const std::string& path, dltdump::OutputFormat format) {
    try {
      dltdump::WriterOptions options;
      options.format = format;
      dltdump::Writer w{path, options};
    } catch (const dltdump::Error& e) {
      return e.kind() == dltdump::Error::Kind::argument;
    }
    return false;
  };
  using F = dltdump::OutputFormat;
  EXPECT_TRUE(argument_error("", F::automatic));
  EXPECT_TRUE(argument_error("x.pcap", F::automatic));
  EXPECT_TRUE(argument_error("x.json", F::automatic));
  EXPECT_TRUE(argument_error("x.pcapng.gz", F::automatic));
  EXPECT_TRUE(argument_error(std::string("x\0y.dlt", 7), F::automatic));
  EXPECT_TRUE(argument_error("x.dlt", F::json));
  EXPECT_TRUE(argument_error("x.jsonl", F::csv));
  EXPECT_TRUE(argument_error("x.log", F::dlt));
  EXPECT_FALSE(argument_error("x.jsonl", F::json));
  EXPECT_FALSE(argument_error("x.log", F::csv));
}

// The command line's console names are refused, saying how to get text instead: a Writer
// printed to its host's standard output (a new user's finding: CON: leaked from the
// command line into the library).
TEST(Writer, ConsoleNamesAreRefused) {
  // Also other names of the program's standard output or error (a new user's finding).
  for (const char* name : {"CON:", "con:", "-", "/dev/stdout", "/DEV/STDOUT", "/dev/fd/1", "/proc/self/fd/2"}) {
    SCOPED_TRACE(name);
    try {
      dltdump::Writer w{name};
      ADD_FAILURE() << "made";
    } catch (const dltdump::Error& e) {
      EXPECT_EQ(e.kind(), dltdump::Error::Kind::argument);
      EXPECT_NE(std::string(e.what()).find("console"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("Message::text()"), std::string::npos) << e.what();
    }
  }
}

TEST(Writer, ContractErrors) {
  TempDir dir;
  const std::string input = dltgen(dir, "in.dlt", "--count 10 --seed 4");
  // An existing file without overwrite: an output error at the first message.
  {
    dltdump::Reader r{input};
    dltdump::Writer w{input};
    expect_output_error(w, r, "already exists");
  }
  // A message no Reader gave; a closed Writer; a moved-from one.
  dltdump::Writer w{dir / "a%CTR%.txt"};  // `%` is a character of the name
  EXPECT_EQ(w.format(), dltdump::OutputFormat::text);
  EXPECT_THROW(w.write(dltdump::Message{}), dltdump::Error);
  {
    dltdump::Reader r{input};
    EXPECT_EQ(w.write_all(r), 10u);
  }
  dltdump::Writer moved = std::move(w);
  EXPECT_THROW(w.write(dltdump::Message{}), dltdump::Error);  // NOLINT(bugprone-use-after-move): the contract
  moved.close();
  moved.close();  // once is enough
  EXPECT_TRUE(fs::exists(dir / "a%CTR%.txt"));
  dltdump::Reader r{input};
  const auto batch = r.next_batch();
  ASSERT_FALSE(batch.empty());
  EXPECT_THROW(moved.write(batch[0]), dltdump::Error);
  // No message: no file, as on the command line.
  dltdump::Writer none{dir / "none.dlt"};
  none.close();
  EXPECT_FALSE(fs::exists(dir / "none.dlt"));
}

}  // namespace
