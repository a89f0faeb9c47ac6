// compress::ArchiveReader: members of tar and zip archives (written here with libarchive's
// own writer) in order, byte for byte, from a mapped file and from a stream; a cut archive
// gives the bytes before the cut, then one fault naming the member; a zip member whose data
// is damaged fails alone where libarchive can reach the next one; a streamed zip's links,
// known from its central directory at its end; member names.
#include "compress/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compress/compress_samples.hpp"
#include "output/file_template.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"

namespace dltdump::compress {
namespace {

using test::Bytes;
using test::sample;

struct Entry {
  std::string path;
  Bytes data;
  bool folder = false;
  std::string link = {};  // a symbolic link to this path (no data)
};

// The archive of `entries` in `format` (ARCHIVE_FORMAT_TAR_PAX_RESTRICTED or _ZIP), with
// libarchive's `options` (archive_write_set_options).
Bytes write_archive(int format, const std::vector<Entry>& entries, const char* options = "") {
  ::archive* a = archive_write_new();
  archive_write_set_format(a, format);
  EXPECT_EQ(archive_write_set_options(a, options), ARCHIVE_OK) << archive_error_string(a);
  archive_write_set_bytes_in_last_block(a, 1);
  Bytes out(16u << 20);
  std::size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, out.data(), out.size(), &used), ARCHIVE_OK);
  for (const Entry& e : entries) {
    ::archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_filetype(entry, e.folder ? AE_IFDIR : !e.link.empty() ? AE_IFLNK : AE_IFREG);
    if (!e.link.empty()) archive_entry_set_symlink(entry, e.link.c_str());
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
    EXPECT_EQ(archive_write_header(a, entry), ARCHIVE_OK) << archive_error_string(a);
    if (!e.data.empty()) {
      EXPECT_EQ(archive_write_data(a, e.data.data(), e.data.size()), static_cast<la_ssize_t>(e.data.size()));
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

util::InputFile memory_file(const Bytes& bytes) { return test::memory_file(bytes, "mem"); }

// The same bytes as a stream (not mapped): a source over them.
class MemorySource final : public util::ByteSource {
 public:
  explicit MemorySource(Bytes bytes) : bytes_(std::move(bytes)) {}
  std::size_t read(std::uint8_t* into, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - at_);
    std::copy_n(bytes_.data() + at_, k, into);
    at_ += k;
    return k;
  }
  bool ready() const noexcept override { return true; }
  std::uint64_t input_progress() const noexcept override { return at_; }

 private:
  Bytes bytes_;
  std::size_t at_ = 0;
};

util::InputFile stream_file(const Bytes& bytes) {
  return util::InputFile::from_source(std::make_unique<MemorySource>(bytes), "mem", {});
}

struct Read {
  std::vector<std::pair<std::string, Bytes>> members;  // regular members, in order
  std::vector<std::uint64_t> offsets;                  // theirs
  std::size_t others = 0;                              // entries that are not
  std::string fault;                                   // the archive's fault's line, if any
  std::vector<std::string> member_faults;              // the lines of members that failed alone
  std::vector<std::uint64_t> late_links;               // ArchiveReader::late_links
};

Read read_all(util::InputFile file) {
  Read r;
  ArchiveReader reader(std::move(file), "/d/x.tar", "x.tar", {});
  try {
    while (auto m = reader.next()) {
      if (!m->regular) {
        ++r.others;
        continue;
      }
      r.members.emplace_back(m->path, Bytes());
      r.offsets.push_back(m->offset);
      const std::unique_ptr<util::ByteSource> source = reader.member_source();
      std::uint8_t buf[70000];
      try {
        for (std::size_t n; (n = source->read(buf, sizeof buf)) != 0;)
          r.members.back().second.insert(r.members.back().second.end(), buf, buf + n);
      } catch (const util::Error& e) {
        if (reader.failed()) throw;
        EXPECT_TRUE(e.ends_input_only());
        r.member_faults.emplace_back(e.what());
      }
    }
    r.late_links = reader.late_links();
  } catch (const util::Error& e) {
    EXPECT_TRUE(e.ends_input_only());
    EXPECT_TRUE(reader.failed());
    r.fault = e.what();
  }
  return r;
}

// `packed` with `n` bytes from the middle of member `path`'s data changed (a zip: the
// member's data follows its local header, its name and extra field).
Bytes damaged(Bytes packed, const std::string& path, std::size_t n) {
  const std::string signature = "PK\x03\x04";
  for (std::size_t at = 0; at + 30 < packed.size(); ++at) {
    if (!std::equal(signature.begin(), signature.end(), packed.begin() + static_cast<std::ptrdiff_t>(at))) continue;
    const std::size_t name = packed[at + 26] | (packed[at + 27] << 8), extra = packed[at + 28] | (packed[at + 29] << 8);
    if (std::string(packed.begin() + static_cast<std::ptrdiff_t>(at + 30),
                    packed.begin() + static_cast<std::ptrdiff_t>(at + 30 + name)) != path)
      continue;
    const std::size_t data = at + 30 + name + extra;
    for (std::size_t i = data + 100; i < data + 100 + n; ++i) packed[i] ^= 0x5A;
    return packed;
  }
  ADD_FAILURE() << path << " not found";
  return packed;
}

const std::vector<Entry> kEntries = {
    {"a.dlt", sample(3u << 20, 1)}, {"dir", {}, true}, {"dir/b.txt", sample(1000, 2)}, {"empty", {}}};

TEST(ArchiveReader, TarAndZipMembersInOrder) {
  for (int format : {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_ZIP}) {
    const Bytes packed = write_archive(format, kEntries);
    for (bool mapped : {true, false}) {
      const Read r = read_all(mapped ? memory_file(packed) : stream_file(packed));
      EXPECT_EQ(r.fault, "") << format << mapped;
      ASSERT_EQ(r.members.size(), 3u) << format << mapped;
      EXPECT_EQ(r.others, 1u);
      EXPECT_EQ(r.members[0].first, "a.dlt");
      EXPECT_TRUE(r.members[0].second == kEntries[0].data) << format << mapped;
      EXPECT_EQ(r.members[1].first, "dir/b.txt");
      EXPECT_TRUE(r.members[1].second == kEntries[2].data);
      EXPECT_TRUE(r.members[2].second.empty());
    }
  }
}

TEST(ArchiveReader, ACutArchiveGivesTheBytesBeforeTheCut) {
  for (int format : {ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FORMAT_ZIP}) {
    const Bytes packed = write_archive(format, kEntries);
    const Read r = read_all(memory_file(Bytes(packed.begin(), packed.begin() + packed.size() / 2)));
    ASSERT_EQ(r.members.size(), 1u) << format;
    const Bytes& got = r.members[0].second;
    EXPECT_GT(got.size(), 0u) << format;
    EXPECT_LT(got.size(), kEntries[0].data.size());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), kEntries[0].data.begin()));
    // A cut, named as one (a zip's inflate said "ZIP decompression failed (-5)").
    EXPECT_EQ(r.fault.rfind("Input x.tar/a.dlt: archive ends early at byte ", 0), 0u) << r.fault;
    EXPECT_NE(r.fault.find("): the file is cut short inside the member's data; reading the archive stopped there"),
              std::string::npos)
        << r.fault;
    EXPECT_NE(r.fault.find("(member byte " + std::to_string(got.size()) + "): "), std::string::npos) << r.fault;
  }
}

// A tar that ends where a header would begin, its end marker (zero blocks) missing, was
// cut there: a fault naming that place after its whole members (a new user's finding: it
// ended silently). A header cut short is named where it begins (it said byte 0). An
// archive of the marker alone is an empty one.
TEST(ArchiveReader, ATarWithoutItsEndMarkerEndsEarly) {
  const Bytes packed = write_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, kEntries);
  const std::size_t end = packed.size() - 1024;  // the last block written: no padding after the marker
  ASSERT_TRUE(
      std::all_of(packed.begin() + static_cast<std::ptrdiff_t>(end), packed.end(), [](auto b) { return b == 0; }));
  const std::size_t last = end - 512;  // the header of `empty`, which has no data
  for (bool mapped : {true, false}) {
    const Bytes cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(end));
    Read r = read_all(mapped ? memory_file(cut) : stream_file(cut));
    EXPECT_EQ(r.members.size(), 3u) << mapped;
    EXPECT_EQ(r.fault, "Input /d/x.tar: archive ends early at byte " + std::to_string(end) +
                           ": the file is cut short after a member (no end-of-archive marker, the zero blocks that "
                           "end a tar); reading the archive stopped there")
        << mapped;
    const Bytes in_header(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(last + 300));
    r = read_all(mapped ? memory_file(in_header) : stream_file(in_header));
    EXPECT_EQ(r.members.size(), 2u) << mapped;
    EXPECT_NE(r.fault.find("archive ends early at byte " + std::to_string(last) +
                           ": the file is cut short inside a member's header"),
              std::string::npos)
        << r.fault;
    const Bytes marker(1024, 0);
    r = read_all(mapped ? memory_file(marker) : stream_file(marker));
    EXPECT_EQ(r.fault, "") << mapped;
    EXPECT_TRUE(r.members.empty());
  }
}

// The archive's bytes end right after a member's whole data: a streamed zip (libarchive's
// writer puts each member's sizes after its data, as `zip -fd`) cut at its central directory,
// whose last block libarchive hands with the fault of reading past the data descriptor; a
// tar cut inside the padding after its last member's data. Every member comes whole, then
// the archive's cut (a new user's finding: the block was dropped, the member blamed).
TEST(ArchiveReader, AMemberWholeBeforeTheCutIsReadWhole) {
  const std::vector<Entry> entries = {{"a.dlt", sample(300000, 7)}, {"b.dlt", sample(200000, 8)}};
  const Bytes zip = write_archive(ARCHIVE_FORMAT_ZIP, entries);
  const std::size_t end_record = zip.size() - 22;  // no comment
  ASSERT_EQ(zip[end_record], 'P');
  const std::size_t directory = zip[end_record + 16] | (zip[end_record + 17] << 8) |
                                (static_cast<std::size_t>(zip[end_record + 18]) << 16) |
                                (static_cast<std::size_t>(zip[end_record + 19]) << 24);
  const Bytes tar = write_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, {{"a.dlt", sample(1000, 9)}});
  struct Case {
    Bytes cut;
    std::size_t members;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {Bytes(zip.begin(), zip.begin() + static_cast<std::ptrdiff_t>(directory)), 2,
       "the file is cut short after a member's data, at its data descriptor or just past it"},
      {Bytes(tar.begin(), tar.begin() + 512 + 1000), 1,
       "the file is cut short after a member, inside the padding that ends its last block"},
      {Bytes(tar.begin(), tar.begin() + 512 + 1010), 1,
       "the file is cut short after a member, inside the padding that ends its last block"}};
  for (const Case& c : cases)
    for (bool mapped : {true, false}) {
      const Read r = read_all(mapped ? memory_file(c.cut) : stream_file(c.cut));
      ASSERT_EQ(r.members.size(), c.members) << mapped << r.fault;
      for (std::size_t i = 0; i < c.members; ++i)
        EXPECT_TRUE(r.members[i].second == (c.members == 2 ? entries[i].data : sample(1000, 9))) << mapped << i;
      EXPECT_TRUE(r.member_faults.empty());
      const std::string at = std::to_string(c.cut.size());
      EXPECT_EQ(r.fault.rfind("Input /d/x.tar: archive ends early at byte " + at + ": " + c.reason, 0), 0u)
          << mapped << r.fault;
    }
}

// Zip members apart: one whose data is damaged fails alone (its line names it and ends
// `reading the member stopped there`), and the members after it are read whole, through the
// central directory of a zip file. Streamed, libarchive's writer (as `zip -` to a pipe) puts
// each member's sizes after its data: where the next begins is not known past a damage, and
// the archive stops (the CLI test reads a zip whose local headers give the sizes).
TEST(ArchiveReader, ADamagedZipMemberFailsAlone) {
  const std::vector<Entry> entries = {
      {"a.dlt", sample(300000, 4)}, {"b.dlt", sample(300000, 5)}, {"c.dlt", sample(300000, 6)}};
  for (const char* options : {"", "zip:compression=store"}) {
    const Bytes packed = damaged(write_archive(ARCHIVE_FORMAT_ZIP, entries, options), "b.dlt", 64);
    for (bool mapped : {true, false}) {
      const Read r = read_all(mapped ? memory_file(packed) : stream_file(packed));
      const bool apart = mapped;
      ASSERT_EQ(r.members.size(), apart ? 3u : 2u) << options << mapped << r.fault;
      EXPECT_TRUE(r.members[0].second == entries[0].data);
      if (apart) {
        EXPECT_EQ(r.fault, "") << options << mapped;
        EXPECT_EQ(r.members[2].first, "c.dlt");
        EXPECT_TRUE(r.members[2].second == entries[2].data) << options << mapped;
        ASSERT_EQ(r.member_faults.size(), 1u) << options << mapped;
      }
      const std::string& line = apart ? r.member_faults[0] : r.fault;
      EXPECT_EQ(line.rfind("Input x.tar/b.dlt: archive member data not readable at byte ", 0), 0u)
          << options << mapped << line;
      const std::string end = apart ? "; reading the member stopped there" : "; reading the archive stopped there";
      EXPECT_EQ(line.substr(line.size() - std::min(line.size(), end.size())), end) << line;
    }
  }
}

// A streamed zip's local headers give a symbolic link as a regular member holding its
// target's path; its central directory, after the last member, says which were links
// (their header offsets). A zip file is read through that directory: its links are not
// regular members.
TEST(ArchiveReader, AStreamedZipsLinksAreKnownAtItsEnd) {
  const std::vector<Entry> entries = {{"a.dlt", sample(100000, 7)},
                                      {"l.dlt", {}, false, "a.dlt"},
                                      {"c.dlt", sample(1000, 8)},
                                      {"m.dlt", {}, false, "c.dlt"}};
  const Bytes packed = write_archive(ARCHIVE_FORMAT_ZIP, entries);
  const Read file = read_all(memory_file(packed));
  EXPECT_EQ(file.fault, "");
  EXPECT_EQ(file.members.size(), 2u);
  EXPECT_EQ(file.others, 2u);
  EXPECT_TRUE(file.late_links.empty());
  const Read stream = read_all(stream_file(packed));
  EXPECT_EQ(stream.fault, "");
  ASSERT_EQ(stream.members.size(), 4u);
  EXPECT_EQ(stream.members[1].first, "l.dlt");
  EXPECT_EQ(std::string(stream.members[1].second.begin(), stream.members[1].second.end()), "a.dlt");
  EXPECT_EQ(stream.late_links, (std::vector<std::uint64_t>{stream.offsets[1], stream.offsets[3]}));
  EXPECT_EQ(stream.offsets[0], 0u);
  // A tar says a link is one in its header: none found late.
  const Read tar = read_all(stream_file(write_archive(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, entries)));
  EXPECT_EQ(tar.members.size(), 2u);
  EXPECT_TRUE(tar.late_links.empty());
}

TEST(ArchiveReader, NotAnArchive) {
  const Read r = read_all(memory_file(sample(5000, 3)));
  EXPECT_TRUE(r.members.empty());
  // No member read: the file's byte alone.
  EXPECT_EQ(r.fault.rfind("Input /d/x.tar: archive not readable at byte ", 0), 0u) << r.fault;
  EXPECT_EQ(r.fault.find("member byte"), std::string::npos) << r.fault;
}

TEST(ArchiveReader, MemberNames) {
  EXPECT_EQ(member_name("/d/x.tar", "a/b.dlt"), "/d/x.tar/a/b.dlt");
  EXPECT_EQ(member_name("x.tar.gz", "./ecu1/a.dlt"), "x.tar.gz/ecu1/a.dlt");  // tar -C dir .
  EXPECT_EQ(member_name("x.tar", "././a.dlt"), "x.tar/a.dlt");
  EXPECT_EQ(member_name("x.tar", "./"), "x.tar/_");
  EXPECT_EQ(member_name("x.tar", ".//f.dlt"), "x.tar/f.dlt");  // empty and `.` components go
  EXPECT_EQ(member_name("x.tar", "/abs/b.dlt"), "x.tar/abs/b.dlt");
  EXPECT_EQ(member_name("x.tar", "sub//./c.dlt"), "x.tar/sub/c.dlt");
  EXPECT_EQ(member_name("x.tar", "a/."), "x.tar/a/_");
  EXPECT_EQ(member_name("x.tar", "//"), "x.tar/_");
  EXPECT_EQ(member_name("x.zip", "../../e\nvil\x1b[1m.dlt"), "x.zip/../../e?vil?[1m.dlt");
  EXPECT_EQ(member_name("x.zip", "a/.."), "x.zip/a/_..");
  EXPECT_EQ(member_name("x.zip", "a/.profile"), "x.zip/a/_.profile");
  EXPECT_EQ(member_name("x.zip", "-rf.dlt"), "x.zip/_-rf.dlt");
  EXPECT_EQ(member_name("x.zip", "a/"), "x.zip/a/_");
  EXPECT_EQ(member_name("x.zip", ""), "x.zip/_");
  const std::string long_name = member_name("x", std::string(600, 'd') + "/" + std::string(300, 'n'));
  EXPECT_EQ(long_name, "x/" + std::string(kMaxMemberPath, 'd') + ".../" + std::string(kMaxMemberName, 'n') + "...");
}

// %FILE% of a member (its name's last part without extensions) names a visible file of the
// output folder whatever the member's name: not empty, no folder, not hidden (`..` gave
// `..txt`), not an option's look-alike.
TEST(ArchiveReader, MemberNamesGiveVisibleFileStems) {
  for (const char* path : {"..", "a/..", ".", "a/.", "...", "..dlt", ".hidden.dlt", "x/.profile", "..gz", ".dlt.gz",
                           "-rf.dlt", "--", "", "a/", "a.b/", ".x/..", "\n.dlt"}) {
    const std::string stem = output::file_stem(member_name("/d/x.tar", path));
    ASSERT_FALSE(stem.empty()) << path;
    EXPECT_NE(stem.front(), '.') << path << " gives " << stem;
    EXPECT_NE(stem.front(), '-') << path << " gives " << stem;
    EXPECT_EQ(stem.find('/'), std::string::npos) << path << " gives " << stem;
  }
}

}  // namespace
}  // namespace dltdump::compress
