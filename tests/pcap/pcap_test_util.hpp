// Helpers for the packet I/O tests: building PCAP/PCAP-NG bytes in either byte order,
// hex literals, temporary files and reading back through the project's readers.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "pcap/capture_reader.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"

namespace dltdump::testing {

using Bytes = std::vector<std::uint8_t>;

// "0A0D0D0A 48000000" → bytes (spaces and '|' ignored).
inline Bytes hex(const std::string& text) {
  Bytes b;
  std::string digits;
  for (char c : text)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    b.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return b;
}
inline Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }
inline Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Byte builder with a chosen byte order.
struct ByteWriter {
  bool big_endian = false;
  Bytes out;
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void bytes(const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }
  void pad4() {
    while (out.size() % 4) out.push_back(0);
  }
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * (big_endian ? n - 1 - i : i))));
  }
};

// PCAP-NG blocks in one byte order.
struct NgBuilder {
  bool big_endian = false;
  Bytes file;

  Bytes option(std::uint16_t code, const Bytes& value) const {
    ByteWriter w{big_endian, {}};
    w.u16(code);
    w.u16(static_cast<std::uint16_t>(value.size()));
    w.bytes(value);
    w.pad4();
    return w.out;
  }
  Bytes end_of_options() const { return Bytes(4, 0); }
  Bytes u32_bytes(std::uint32_t v) const {
    ByteWriter w{big_endian, {}};
    w.u32(v);
    return w.out;
  }
  Bytes u64_bytes(std::uint64_t v) const {
    ByteWriter w{big_endian, {}};
    w.u64(v);
    return w.out;
  }
  // A whole block: type, length, body (padded), length.
  NgBuilder& block(std::uint32_t type, const Bytes& body) {
    ByteWriter w{big_endian, {}};
    Bytes padded = body;
    while (padded.size() % 4) padded.push_back(0);
    const auto len = static_cast<std::uint32_t>(12 + padded.size());
    w.u32(type);
    w.u32(len);
    w.bytes(padded);
    w.u32(len);
    file.insert(file.end(), w.out.begin(), w.out.end());
    return *this;
  }
  NgBuilder& shb(std::uint16_t major = 1, std::uint16_t minor = 0) {
    ByteWriter w{big_endian, {}};
    w.u32(0x1A2B3C4D);
    w.u16(major);
    w.u16(minor);
    w.u64(~0ull);
    return block(0x0A0D0D0A, w.out);
  }
  NgBuilder& idb(std::uint16_t link, std::uint32_t snaplen = 0, const Bytes& options = {}) {
    ByteWriter w{big_endian, {}};
    w.u16(link);
    w.u16(0);
    w.u32(snaplen);
    w.bytes(options);
    return block(1, w.out);
  }
  NgBuilder& epb(std::uint32_t itf, std::uint64_t ts, const Bytes& data, std::uint32_t orig = 0,
                 const Bytes& options = {}) {
    ByteWriter w{big_endian, {}};
    w.u32(itf);
    w.u32(static_cast<std::uint32_t>(ts >> 32));
    w.u32(static_cast<std::uint32_t>(ts));
    w.u32(static_cast<std::uint32_t>(data.size()));
    w.u32(orig ? orig : static_cast<std::uint32_t>(data.size()));
    w.bytes(data);
    w.pad4();
    w.bytes(options);
    return block(6, w.out);
  }
  NgBuilder& spb(std::uint32_t orig, const Bytes& data) {
    ByteWriter w{big_endian, {}};
    w.u32(orig);
    w.bytes(data);
    return block(3, w.out);
  }
};

// A file under $TMPDIR (or /tmp), removed by the destructor.
struct TempFile {
  std::string path;
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    path = std::string(dir && *dir ? dir : "/tmp") + "/dltdump-test-XXXXXX";
    int fd = mkstemp(path.data());
    if (fd >= 0) ::close(fd);
  }
  explicit TempFile(const Bytes& content) : TempFile() { write(content); }
  ~TempFile() { ::unlink(path.c_str()); }
  void write(const Bytes& content) const {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
    if (!content.empty()) (void)!::write(fd, content.data(), content.size());
    ::close(fd);
  }
  Bytes read() const {
    Bytes b;
    int fd = ::open(path.c_str(), O_RDONLY);
    std::uint8_t buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) b.insert(b.end(), buf, buf + n);
    ::close(fd);
    return b;
  }
};

// A packet read back, with its bytes copied.
struct ReadPacket {
  Bytes data;
  std::uint32_t original_size;
  std::int64_t time_ns;
  std::uint64_t offset;
  std::uint32_t interface;
  std::uint16_t link_type;
  aio::Direction direction;
  bool operator==(const ReadPacket&) const = default;
};
inline ReadPacket copy_packet(const aio::Packet& p) {
  return {Bytes(p.data, p.data + p.size), p.original_size, p.time_ns, p.offset, p.interface, p.link_type, p.direction};
}

// Reads every packet of `file` (a path or "-"); throws util::Error as the reader does.
inline std::vector<ReadPacket> read_all(util::InputFile& file, std::vector<pcap::Interface>* interfaces = nullptr) {
  auto reader = pcap::CaptureReader::open(file);
  std::vector<ReadPacket> out;
  if (!reader) return out;
  aio::Packet p;
  for (;;) {
    const auto r = reader->next(p);
    if (r == pcap::CaptureReader::Next::End) break;
    if (r == pcap::CaptureReader::Next::ReleaseNeeded) {
      reader->release();
      continue;
    }
    out.push_back(copy_packet(p));
  }
  if (interfaces) *interfaces = reader->interfaces();
  return out;
}
inline std::vector<ReadPacket> read_bytes(const Bytes& content, std::vector<pcap::Interface>* interfaces = nullptr) {
  TempFile f(content);
  auto file = util::InputFile::open(f.path);
  return read_all(file, interfaces);
}

// `content` read as replay reads it: a batch of up to `batch` packets through
// next_well_formed, then one next(), until the end or a fault.
struct BatchRead {
  std::vector<ReadPacket> packets;
  std::vector<std::size_t> batch_sizes;  // what each next_well_formed call read
  std::string error;                     // the fault's message, or empty
};
inline BatchRead read_in_batches(const Bytes& content, std::size_t batch) {
  TempFile f(content);
  auto file = util::InputFile::open(f.path);
  auto reader = pcap::CaptureReader::open(file);
  BatchRead r;
  std::vector<aio::Packet> packets(batch);
  try {
    for (;;) {
      const std::size_t n = reader->next_well_formed(packets);
      r.batch_sizes.push_back(n);
      for (std::size_t i = 0; i < n; ++i) r.packets.push_back(copy_packet(packets[i]));
      aio::Packet p;
      if (reader->next(p) != pcap::CaptureReader::Next::Packet) break;
      r.packets.push_back(copy_packet(p));
    }
  } catch (const util::Error& e) {
    r.error = e.what();
  }
  return r;
}

// The reader's error message for `content`, or "no error".
inline std::string read_error(const Bytes& content) {
  try {
    read_bytes(content);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace dltdump::testing
