// compress::ArchiveReader: members of tar and zip archives (written here with libarchive's
// own writer) in order, byte for byte, from a mapped file and from a stream; a cut archive
// gives the bytes before the cut, then one fault naming the member; member names.
#include "compress/archive_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <gtest/gtest.h>

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
};

// The archive of `entries` in `format` (ARCHIVE_FORMAT_TAR_PAX_RESTRICTED or _ZIP).
Bytes write_archive(int format, const std::vector<Entry>& entries) {
  ::archive* a = archive_write_new();
  archive_write_set_format(a, format);
  archive_write_set_bytes_in_last_block(a, 1);
  Bytes out(16u << 20);
  std::size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(a, out.data(), out.size(), &used), ARCHIVE_OK);
  for (const Entry& e : entries) {
    ::archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.path.c_str());
    archive_entry_set_filetype(entry, e.folder ? AE_IFDIR : AE_IFREG);
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
  std::size_t others = 0;                              // entries that are not
  std::string fault;                                   // the fault's line, if any
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
      const std::unique_ptr<util::ByteSource> source = reader.member_source();
      std::uint8_t buf[70000];
      for (std::size_t n; (n = source->read(buf, sizeof buf)) != 0;)
        r.members.back().second.insert(r.members.back().second.end(), buf, buf + n);
    }
  } catch (const util::Error& e) {
    EXPECT_TRUE(e.ends_input_only());
    EXPECT_TRUE(reader.failed());
    r.fault = e.what();
  }
  return r;
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
    EXPECT_EQ(r.fault.rfind("Input x.tar/a.dlt: archive member data not readable at compressed byte ", 0), 0u)
        << r.fault;
    EXPECT_NE(r.fault.find("(member byte " + std::to_string(got.size()) + "): "), std::string::npos) << r.fault;
  }
}

TEST(ArchiveReader, NotAnArchive) {
  const Read r = read_all(memory_file(sample(5000, 3)));
  EXPECT_TRUE(r.members.empty());
  EXPECT_EQ(r.fault.rfind("Input /d/x.tar: archive not readable at compressed byte ", 0), 0u) << r.fault;
}

TEST(ArchiveReader, MemberNames) {
  EXPECT_EQ(member_name("/d/x.tar", "a/b.dlt"), "/d/x.tar/a/b.dlt");
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
