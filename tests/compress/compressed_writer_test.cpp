// Compressed outputs (issue #26): the suffixes, the encoders, and util::FdWriter writing
// independent frames of whole records — read back by the formats' own tools, also after a
// failed write (a file size limit), which must leave a valid file of whole records.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compress/output_compression.hpp"
#include "output/temp_dir.hpp"
#include "util/exit_code_of.hpp"
#include "util/fd_writer.hpp"
#include "util/file_size_limit.hpp"

using namespace dltdump;
using compress::OutputCompression;
using dltdump::testing::exit_code_of;
using dltdump::testing::FileSizeLimit;

namespace {

// The output of `command` (a shell command), and whether it exited 0.
std::pair<std::string, bool> run(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return {out, false};
  char chunk[1 << 16];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, p)) > 0;) out.append(chunk, n);
  return {out, ::pclose(p) == 0};
}

// The decompressed content of `path` by its suffix's tool; fails the test if the tool
// does not take the file whole.
std::string unpack(const std::string& path) {
  const OutputCompression c = compress::output_compression(path);
  const std::string tool = c == OutputCompression::Zstd ? "zstd -q" : c == OutputCompression::Gzip ? "gzip" : "xz";
  EXPECT_TRUE(run(tool + " -t '" + path + "'").second) << path << " is not valid";
  return run(tool + " -dc '" + path + "'").first;
}

// Lines that compress a little only (pseudo-random digits), `count` of them.
std::string numbered_lines(int count) {
  std::string text;
  unsigned x = 12345;
  for (int i = 0; i < count; ++i) {
    x = x * 1103515245u + 12345u;
    text += "line " + std::to_string(i) + " " + std::to_string(x) + " " + std::to_string(x * 2654435761u) + "\n";
  }
  return text;
}

// The whole_prefix of a block of `text` from its byte `base` (util::FdWriter::copy_from):
// where its last whole line before `limit` ends.
util::FdWriter::WholePrefix whole_lines(const std::string& text, std::uint64_t base = 0) {
  return [&text, base](std::uint64_t from, std::uint64_t limit) -> std::uint64_t {
    const std::size_t end = text.rfind('\n', base + limit - 1) + 1;  // npos + 1 = 0
    return end > base + from ? end - base : from;
  };
}

// The frame_end of a block of `text` from its byte `base` (util::FdWriter::copy_from):
// where its first line that ends at or after `at_least` ends.
util::FdWriter::FrameEnd line_frames(const std::string& text, std::uint64_t base = 0) {
  return [&text, base](std::uint64_t, std::uint64_t at_least) -> std::uint64_t {
    return text.find('\n', base + at_least - 1) + 1 - base;
  };
}

int create(const std::string& path) { return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); }

// A source file of `bytes` (what a copy reads).
void write_source(const std::string& path, const std::string& bytes) {
  const int fd = create(path);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

}  // namespace

TEST(CompressedOutput, SuffixesAfterTheKindsExtension) {
  EXPECT_EQ(compress::output_compression("a.dlt.zst"), OutputCompression::Zstd);
  EXPECT_EQ(compress::output_compression("A.TXT.GZ"), OutputCompression::Gzip);
  EXPECT_EQ(compress::output_compression("a.jsonl.xz"), OutputCompression::Xz);
  EXPECT_EQ(compress::output_compression("a.gz"), OutputCompression::Gzip);
  for (const char* name : {"a.dlt", "a.zstd", "a.tgz", ".gz", "a.gz.txt", ""})
    EXPECT_EQ(compress::output_compression(name), OutputCompression::None) << name;
  EXPECT_EQ(compress::compression_suffix_size(OutputCompression::Zstd), 4u);
  EXPECT_EQ(compress::compression_suffix_size(OutputCompression::None), 0u);
}

// Records through the buffer, a block of lines (write_direct) and a copied range
// (copy_from), each several frames compressed side by side, decompress to exactly what was
// written, in order; size() counts them uncompressed.
TEST(CompressedOutput, EveryWritingPathRoundTrips) {
  test::TempDir dir;
  const std::string lines = numbered_lines(60000);  // about 2.5 MiB: several frames
  write_source(dir / "in", lines);
  for (const char* suffix : {".zst", ".gz", ".xz"}) {
    const std::string path = dir / (std::string("out.txt") + suffix);
    const int fd = create(path);
    const int in = ::open((dir / "in").c_str(), O_RDONLY | O_CLOEXEC);
    {
      util::FdWriter w(fd, path);
      w.set_compressor(compress::make_frame_compressor(compress::output_compression(path)));
      for (std::size_t at = 0; at < lines.size();) {
        const std::size_t end = lines.find('\n', at) + 1;
        w.buffer().append(lines.data() + at, end - at);
        w.line_done();
        at = end;
      }
      w.write_direct(lines);
      EXPECT_EQ(w.size(), 2 * lines.size());  // frames still being compressed count
      w.copy_from(in, "in", 0, lines.size(), whole_lines(lines), line_frames(lines));
      w.flush();
      EXPECT_EQ(w.size(), 3 * lines.size());
    }
    ::close(fd);
    ::close(in);
    EXPECT_TRUE(unpack(path) == lines + lines + lines) << suffix;
  }
}

// The frames end at the same places of the stream however the lines come — one by one,
// in one block, or in blocks of any size with lines between them (how parallel decoding
// hands them over depends on the number of threads), or copied from a file in ranges of
// any size (a DLT file's runs of messages, output::DltSink; these frames used to end
// before the line that would pass kFlushBytes: a new user's finding): the compressed bytes
// are the same.
TEST(CompressedOutput, FramesEndAtTheSamePlacesHoweverTheLinesCome) {
  test::TempDir dir;
  const std::string lines = numbered_lines(120000);  // about 5 MiB: several frames
  std::vector<std::size_t> ends;                     // each line's end
  for (std::size_t at = 0; at < lines.size(); at = ends.back()) ends.push_back(lines.find('\n', at) + 1);
  write_source(dir / "in", lines);
  const int in = ::open((dir / "in").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(in, 0);
  for (const char* suffix : {".zst", ".gz"}) {
    std::string reference;
    // 0: line by line; 1: one block; 2, 3: blocks of 1..n lines, every fifth line buffered;
    // 4, 5, 6: the same blocks copied from the file.
    for (int way = 0; way < 7; ++way) {
      const std::string path = dir / ("out" + std::to_string(way) + ".txt" + suffix);
      const int fd = create(path);
      {
        util::FdWriter w(fd, path);
        w.set_compressor(compress::make_frame_compressor(compress::output_compression(path)));
        const std::size_t most = way == 2 || way == 5 ? 40 : 30000;
        const bool copy = way >= 4;
        unsigned x = 7;
        for (std::size_t i = 0, at = 0; i < ends.size();) {
          x = x * 1103515245u + 12345u;
          std::size_t n = way == 0 ? 1 : way == 1 || way == 4 ? ends.size() : 1 + (x >> 8) % most;
          n = std::min(n, ends.size() - i);
          if (way == 0 || (way >= 2 && way != 4 && (x >> 4) % 5 == 0)) {
            n = 1;
            w.buffer().append(lines.data() + at, ends[i] - at);
            w.line_done();
          } else if (copy) {
            w.copy_from(in, "in", at, ends[i + n - 1] - at, whole_lines(lines, at), line_frames(lines, at));
          } else {
            w.write_direct(std::string_view(lines).substr(at, ends[i + n - 1] - at));
          }
          at = ends[i + n - 1];
          i += n;
        }
        w.flush();
      }
      ::close(fd);
      const auto [bytes, ok] = run("cat '" + path + "'");
      ASSERT_TRUE(ok);
      EXPECT_TRUE(unpack(path) == lines) << suffix << " way " << way;
      if (way == 0) {
        reference = bytes;
        continue;
      }
      EXPECT_TRUE(bytes == reference) << suffix << ": way " << way << " made other bytes than line by line";
    }
  }
  ::close(in);
}

// A write that fails part-way (a file size limit) cuts the file back to its last whole
// frame: still valid, whole lines only.
TEST(CompressedOutput, AFailedWriteKeepsWholeFrames) {
  test::TempDir dir;
  const std::string lines = numbered_lines(200000);
  for (const char* suffix : {".zst", ".gz"}) {
    const std::string path = dir / (std::string("out.txt") + suffix);
    const int fd = create(path);
    {
      std::optional<FileSizeLimit> limit(std::in_place, 1 << 20);
      util::FdWriter w(fd, path);
      w.set_compressor(compress::make_frame_compressor(compress::output_compression(path)));
      EXPECT_EQ(exit_code_of([&] {
                  w.write_direct(lines);
                  w.flush();
                }),
                util::ExitCode::OutputError);
      // Records after the failure (a stop's last flush, say) are not written past the frames
      // it dropped: the file would go on after a gap (seen once in CI, a live recording to
      // .xz stopped by SIGINT).
      limit.reset();
      w.write_direct(numbered_lines(1000));
      w.flush();
    }
    ::close(fd);
    const std::string kept = unpack(path);
    EXPECT_GT(kept.size(), 1000000u) << suffix;
    EXPECT_LT(kept.size(), lines.size()) << suffix;
    EXPECT_TRUE(lines.compare(0, kept.size(), kept) == 0) << suffix;
    EXPECT_EQ(kept.back(), '\n') << suffix;
  }
}

// The compressed copy (on the helper thread) keeps the frames that made it whole when the
// file size limit stops it, and reports a source that ended early at the next call.
TEST(CompressedOutput, AFailedCopyKeepsWholeFrames) {
  test::TempDir dir;
  const std::string lines = numbered_lines(200000);
  write_source(dir / "in", lines);
  const std::string path = dir / "out.dlt.zst";
  const int fd = create(path);
  const int in = ::open((dir / "in").c_str(), O_RDONLY | O_CLOEXEC);
  {
    FileSizeLimit limit(1 << 20);
    util::FdWriter w(fd, path);
    w.set_compressor(compress::make_frame_compressor(OutputCompression::Zstd));
    w.copy_from(in, "in", 0, lines.size(), whole_lines(lines), line_frames(lines));
    EXPECT_EQ(exit_code_of([&] { w.flush(); }), util::ExitCode::OutputError);
    EXPECT_GT(w.size(), 1000000u);
    EXPECT_LT(w.size(), lines.size());
  }
  ::close(fd);
  const std::string kept = unpack(path);
  EXPECT_GT(kept.size(), 1000000u);
  EXPECT_TRUE(lines.compare(0, kept.size(), kept) == 0);
  EXPECT_EQ(kept.back(), '\n');

  // 100 bytes past the source's end: the copy fails after the frames before them.
  const std::string short_path = dir / "short.txt.zst";
  const int out = create(short_path);
  {
    util::FdWriter w(out, short_path);
    w.set_compressor(compress::make_frame_compressor(OutputCompression::Zstd));
    w.copy_from(in, "in", 100, lines.size(), whole_lines(lines, 100), line_frames(lines, 100));
    try {
      w.flush();
      ADD_FAILURE() << "no error";
    } catch (const util::Error& e) {
      EXPECT_EQ(e.exit_code(), util::ExitCode::OutputError);
      EXPECT_NE(std::string(e.what()).find("Couldn't copy from in to " + short_path), std::string::npos) << e.what();
    }
  }
  ::close(out);
  ::close(in);
  const std::string got = unpack(short_path);
  EXPECT_GT(got.size(), 1000000u);
  EXPECT_TRUE(got == lines.substr(100, got.size()));
  EXPECT_EQ(got.back(), '\n');
}

// A source cut while its frames are read (the input shrank): the block's records after its
// last whole frame, read into the buffer at once, are dropped with the frames that failed —
// the file holds the frames before the cut, then what is written next (a new user's
// finding: the source's original end followed the gap).
TEST(CompressedOutput, ACopyCutMidwayKeepsNoneOfItsTail) {
  test::TempDir dir;
  const std::string lines = numbered_lines(1500000);  // ~50 frames: the copy runs on while the source is cut
  write_source(dir / "in", lines);
  const std::string path = dir / "cut.txt.zst";
  const int fd = create(path);
  const int in = ::open((dir / "in").c_str(), O_RDWR | O_CLOEXEC);
  {
    util::FdWriter w(fd, path);
    w.set_compressor(compress::make_frame_compressor(OutputCompression::Zstd));
    w.copy_from(in, "in", 0, lines.size(), whole_lines(lines), line_frames(lines));
    ASSERT_EQ(::ftruncate(in, static_cast<off_t>(lines.size() / 4)), 0);
    EXPECT_EQ(exit_code_of([&] { w.flush(); }), util::ExitCode::OutputError);
    w.buffer().append("next input\n");
    w.line_done();
    w.flush();
  }
  ::close(fd);
  ::close(in);
  const std::string got = unpack(path);
  ASSERT_GE(got.size(), 11u);
  EXPECT_EQ(got.substr(got.size() - 11), "next input\n");
  const std::string kept = got.substr(0, got.size() - 11);
  EXPECT_LE(kept.size(), lines.size() / 4);
  EXPECT_TRUE(lines.compare(0, kept.size(), kept) == 0) << "not a prefix of the source: its tail is in it";
}
