// compress::zip_link_offsets: the links a zip's central directory names, by their local
// header offsets (zip64 ones from the extra field), only for Unix and macOS hosts; a cut
// directory gives its whole entries. compress::zip_has_end_record.
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

}  // namespace
}  // namespace dltdump::compress
