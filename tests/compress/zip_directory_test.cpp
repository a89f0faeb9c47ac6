// compress::zip_link_offsets: the links a zip's central directory names, by their local
// header offsets (zip64 ones from the extra field), only for Unix and macOS hosts; a cut
// directory gives its whole entries. compress::zip_has_end_record. compress::zip_end_damage
// and zip_end_record_agrees: an end record missing, cut, or disagreeing with the directory
// (count, size, offset) is named, the same for a file and a stream.
#include "compress/zip_directory.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dltdump::compress {
namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(Bytes& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v));
  put16(b, static_cast<std::uint16_t>(v >> 16));
}

// One central directory header: made on `host`, with Unix `mode`, at local header `offset`
// (0xFFFFFFFF: `zip64` in the extra field, after an escaped uncompressed size).
Bytes entry(std::uint8_t host, std::uint32_t mode, std::uint32_t offset, std::uint64_t zip64 = 0) {
  Bytes b;
  put32(b, 0x02014B50);
  b.push_back(30);  // version made by: 3.0 ...
  b.push_back(host);
  put16(b, 20);                                     // version needed
  put16(b, 0);                                      // flags
  put16(b, 0);                                      // method
  put32(b, 0);                                      // time, date
  put32(b, 0);                                      // crc
  put32(b, 5);                                      // compressed size
  put32(b, offset == 0xFFFFFFFF ? 0xFFFFFFFF : 5);  // uncompressed size
  const std::string name = "name";
  put16(b, static_cast<std::uint16_t>(name.size()));
  put16(b, offset == 0xFFFFFFFF ? 4 + 4 + 16 : 4);  // extra length
  put16(b, 3);                                      // comment length
  put16(b, 0);                                      // disk
  put16(b, 0);                                      // internal attributes
  put32(b, mode << 16);
  put32(b, offset);
  b.insert(b.end(), name.begin(), name.end());
  put16(b, 0xCAFE);  // an extra field of another kind first
  put16(b, 0);
  if (offset == 0xFFFFFFFF) {
    put16(b, 0x0001);
    put16(b, 16);
    put32(b, 5);  // uncompressed size
    put32(b, 0);
    put32(b, static_cast<std::uint32_t>(zip64));
    put32(b, static_cast<std::uint32_t>(zip64 >> 32));
  }
  b.insert(b.end(), {'c', 'o', 'm'});
  return b;
}

TEST(ZipDirectory, LinksByTheirOffsets) {
  Bytes directory;
  for (const Bytes& e : {entry(3, 0100644, 0), entry(3, 0120777, 100), entry(0, 0120777, 200), entry(19, 0120755, 300),
                         entry(3, 040755, 400), entry(3, 0120777, 0xFFFFFFFF, 0x123456789ULL)})
    directory.insert(directory.end(), e.begin(), e.end());
  const Bytes end = {'P', 'K', 5, 6, 0, 0};
  Bytes with_end = directory;
  with_end.insert(with_end.end(), end.begin(), end.end());
  EXPECT_EQ(zip_link_offsets(with_end), (std::vector<std::uint64_t>{100, 300, 0x123456789ULL}));
  // Cut inside the last entry: the whole ones before it.
  EXPECT_EQ(zip_link_offsets(std::span(directory).first(directory.size() - 5)), (std::vector<std::uint64_t>{100, 300}));
  EXPECT_TRUE(zip_link_offsets(std::span(directory).subspan(1)).empty());
  EXPECT_TRUE(zip_link_offsets({}).empty());
}

TEST(ZipDirectory, EndRecord) {
  Bytes file(100000, 'x');
  EXPECT_FALSE(zip_has_end_record(file));
  const Bytes end = {'P', 'K', 5, 6};
  std::copy(end.begin(), end.end(), file.end() - 22);
  EXPECT_TRUE(zip_has_end_record(file));
  std::copy(end.begin(), end.end(), file.end() - 21);  // no room for its 22 bytes
  file[file.size() - 22] = 'x';
  EXPECT_FALSE(zip_has_end_record(file));
  EXPECT_FALSE(zip_has_end_record(std::span(file).last(10)));
}

// An end of central directory record: `count` entries, a directory of `size` bytes at
// `offset`, a comment of `comment` bytes.
Bytes end_record(std::uint16_t count, std::uint32_t size, std::uint32_t offset, std::uint16_t comment = 0) {
  Bytes b;
  put32(b, 0x06054B50);
  put32(b, 0);  // disk numbers
  put16(b, count);
  put16(b, count);
  put32(b, size);
  put32(b, offset);
  put16(b, comment);
  b.insert(b.end(), comment, 'c');
  return b;
}

// A zip of `members` bytes of local headers and data (its first a local header signature),
// then two central directory entries and `end`.
Bytes zip_with(std::size_t members, const Bytes& directory, const Bytes& end) {
  Bytes file = {'P', 'K', 3, 4};
  file.resize(members, 'd');
  file.insert(file.end(), directory.begin(), directory.end());
  file.insert(file.end(), end.begin(), end.end());
  return file;
}

TEST(ZipDirectory, EndDamage) {
  Bytes directory = entry(3, 0100644, 0);
  const Bytes second = entry(3, 0100644, 500);
  directory.insert(directory.end(), second.begin(), second.end());
  const auto size = static_cast<std::uint32_t>(directory.size());
  const std::size_t members = 1000;
  auto rest_of = [&](const Bytes& file) { return std::span(file).subspan(members); };

  const Bytes good = zip_with(members, directory, end_record(2, size, members, 5));
  EXPECT_EQ(zip_end_damage(rest_of(good), members), "");
  EXPECT_TRUE(zip_end_record_agrees(good));

  Bytes signature = good;  // the record's signature damaged
  signature[members + size + 1] ^= 0xFF;
  EXPECT_EQ(zip_end_damage(rest_of(signature), members),
            "no end of central directory record after its 2 central directory entries");
  EXPECT_FALSE(zip_end_record_agrees(signature));

  const Bytes cut(good.begin(), good.end() - 10);
  EXPECT_EQ(zip_end_damage(rest_of(cut), members), "its end of central directory record is cut short");

  const Bytes count = zip_with(members, directory, end_record(3, size, members));
  EXPECT_EQ(zip_end_damage(rest_of(count), members),
            "its end of central directory record's entry count is 3, the directory holds 2");
  EXPECT_FALSE(zip_end_record_agrees(count));

  const Bytes length = zip_with(members, directory, end_record(2, size + 1, members));
  EXPECT_EQ(zip_end_damage(rest_of(length), members), "its end of central directory record gives the directory " +
                                                          std::to_string(size + 1) + " bytes, not " +
                                                          std::to_string(size));
  EXPECT_FALSE(zip_end_record_agrees(length));

  const Bytes offset = zip_with(members, directory, end_record(2, size, members ^ 0x55));
  EXPECT_EQ(zip_end_damage(rest_of(offset), members),
            "its end of central directory record places the directory at byte " + std::to_string(members ^ 0x55) +
                ", not 1000");
  EXPECT_FALSE(zip_end_record_agrees(offset));

  // A self-extracting stub before the zip: its offsets count from the zip's start.
  Bytes stub(300, 's');
  const Bytes inner = zip_with(members, directory, end_record(2, size, members));
  stub.insert(stub.end(), inner.begin(), inner.end());
  EXPECT_TRUE(zip_end_record_agrees(stub));
  // An empty zip: the end record alone.
  EXPECT_TRUE(zip_end_record_agrees(end_record(0, 0, 0)));
  EXPECT_EQ(zip_end_damage(end_record(0, 0, 0), 0), "");
}

}  // namespace
}  // namespace dltdump::compress
