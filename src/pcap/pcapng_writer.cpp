#include "pcap/pcapng_writer.hpp"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "pcap/pcapng_format.hpp"
#include "util/byte_order.hpp"
#include "util/error.hpp"
#include "util/fd_writer.hpp"
#include "util/shrink_guard.hpp"
#include "util/version.hpp"

namespace dltdump::pcap {
namespace {

// Appends fixed-width values in the section's byte order, and options, to a block under
// construction.
class BlockBytes {
 public:
  BlockBytes(std::uint8_t* p, bool big_endian) : p_(p), be_(big_endian) {}
  template <typename T>
  void put(T v) {
    util::store(p_, v, be_);
    p_ += sizeof v;
  }
  void put_bytes(const void* data, std::size_t n) {
    if (n) std::memcpy(p_, data, n);
    p_ += n;
    const std::size_t pad = pcapng::pad4(n) - n;
    std::memset(p_, 0, pad);
    p_ += pad;
  }
  void put_option(std::uint16_t code, const void* data, std::size_t n) {
    put<std::uint16_t>(code);
    put<std::uint16_t>(static_cast<std::uint16_t>(n));
    put_bytes(data, n);
  }
  template <typename T>
  void put_option_value(std::uint16_t code, T v) {
    put<std::uint16_t>(code);
    put<std::uint16_t>(sizeof v);
    put(v);
    for (std::size_t i = sizeof v; i % 4; ++i) *p_++ = 0;
  }
  // A time stamp option: two u32 halves, the high one first (as in the block heads).
  void put_option_time(std::uint16_t code, std::uint64_t t) {
    put<std::uint16_t>(code);
    put<std::uint16_t>(8);
    put<std::uint32_t>(static_cast<std::uint32_t>(t >> 32));
    put<std::uint32_t>(static_cast<std::uint32_t>(t));
  }
  void put_end_of_options() { put<std::uint32_t>(0); }
  // The head that EPBs and ISBs share: type, total length, interface, time stamp (high half
  // first).
  void put_interface_block_head(std::uint32_t type, std::size_t total, std::uint32_t interface, std::uint64_t ts) {
    put<std::uint32_t>(type);
    put<std::uint32_t>(static_cast<std::uint32_t>(total));
    put<std::uint32_t>(interface);
    put<std::uint32_t>(static_cast<std::uint32_t>(ts >> 32));
    put<std::uint32_t>(static_cast<std::uint32_t>(ts));
  }

 private:
  std::uint8_t* p_;
  bool be_;
};

constexpr std::size_t option_bytes(std::size_t value_bytes) { return 4 + pcapng::pad4(value_bytes); }
std::size_t string_option_bytes(const std::string& s) { return s.empty() ? 0 : option_bytes(s.size()); }

// Option values are at most 65535 bytes (the length is a u16); longer strings are cut.
std::string capped(const std::string& s) { return s.size() > 0xFFFF ? s.substr(0, 0xFFFF) : s; }

std::uint64_t unsigned_time(std::int64_t ns) { return ns < 0 ? 0 : static_cast<std::uint64_t>(ns); }

}  // namespace

SectionInfo this_machine_section_info() {
  SectionInfo info;
  utsname u{};
  if (uname(&u) == 0) {
    info.hardware = u.machine;
    info.os = u.sysname;
  }
  info.application = std::string("dltdump ") + kVersion;
  return info;
}

PcapngWriter::PcapngWriter(int fd, std::string name, const SectionInfo& section)
    : fd_(fd), name_(std::move(name)), big_endian_(section.big_endian), buf_(kFlushBytes + (64u << 10)) {
  const std::string hardware = capped(section.hardware), os = capped(section.os),
                    application = capped(section.application);
  const std::size_t total =
      24 + string_option_bytes(hardware) + string_option_bytes(os) + string_option_bytes(application) + 4 + 4;
  BlockBytes b(begin_block(total), big_endian_);
  b.put<std::uint32_t>(pcapng::kSectionHeader);
  b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
  b.put<std::uint32_t>(pcapng::kByteOrderMagic);
  b.put<std::uint16_t>(1);  // version 1.0
  b.put<std::uint16_t>(0);
  b.put<std::int64_t>(-1);  // section length unknown (we never seek back)
  if (!hardware.empty()) b.put_option(pcapng::kShbHardware, hardware.data(), hardware.size());
  if (!os.empty()) b.put_option(pcapng::kShbOs, os.data(), os.size());
  if (!application.empty()) b.put_option(pcapng::kShbUserApplication, application.data(), application.size());
  b.put_end_of_options();
  b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
  end_block();
}

std::uint8_t* PcapngWriter::begin_block(std::size_t total) {
  if (failed()) util::throw_write_error(name_, error_);
  if (used_ + total > buf_.size()) {
    flush();
    if (total > buf_.size()) buf_.resize(total);  // one giant block, still one write
  }
  std::uint8_t* p = buf_.data() + used_;
  used_ += total;
  return p;
}

void PcapngWriter::end_block() {
  if (used_ >= kFlushBytes) flush();
}

std::uint32_t PcapngWriter::add_interface(const InterfaceInfo& info) {
  const std::string name = capped(info.name);
  const std::size_t total = 16 + option_bytes(1) + string_option_bytes(name) + 4 + 4;
  BlockBytes b(begin_block(total), big_endian_);
  b.put<std::uint32_t>(pcapng::kInterfaceDescription);
  b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
  b.put<std::uint16_t>(info.link_type);
  b.put<std::uint16_t>(0);
  b.put<std::uint32_t>(info.snaplen);
  b.put_option_value<std::uint8_t>(pcapng::kIfTsresol, 9);  // nanoseconds, always written
  if (!name.empty()) b.put_option(pcapng::kIfName, name.data(), name.size());
  b.put_end_of_options();
  b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
  stats_.emplace_back();
  end_block();
  return static_cast<std::uint32_t>(stats_.size() - 1);
}

void PcapngWriter::write_packet(std::uint32_t interface, std::int64_t time_ns, std::span<const std::uint8_t> data,
                                std::uint32_t original_size, aio::Direction direction) {
  if (interface >= stats_.size())
    throw util::Error(util::ExitCode::NoInputProcessed, util::Culprit::Internal, name_,
                      name_ + ": packet for interface " + std::to_string(interface) + ", which was never added");
  if (data.size() > pcapng::kMaxPacketBytes)
    throw util::Error(util::ExitCode::NoInputProcessed, util::Culprit::Output, name_,
                      name_ + ": packet of " + std::to_string(data.size()) + " bytes exceeds the pcapng block limit");
  const auto size = static_cast<std::uint32_t>(data.size());
  const bool flags = direction != aio::Direction::Unknown;
  const std::size_t total = 28 + pcapng::pad4(size) + (flags ? option_bytes(4) : 0) + 4 + 4;
  const std::uint64_t ts = unsigned_time(time_ns);
  BlockBytes b(begin_block(total), big_endian_);
  b.put_interface_block_head(pcapng::kEnhancedPacket, total, interface, ts);
  b.put<std::uint32_t>(size);
  b.put<std::uint32_t>(original_size > size ? original_size : size);
  b.put_bytes(data.data(), size);
  if (flags) b.put_option_value<std::uint32_t>(pcapng::kEpbFlags, static_cast<std::uint32_t>(direction));
  b.put_end_of_options();  // always, as readers of the firedancer lineage expect
  b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
  InterfaceStats& s = stats_[interface];
  ++s.packets;
  if (s.first_time_ns == aio::Packet::kNoTime) s.first_time_ns = time_ns;
  end_block();
}

void PcapngWriter::count_dropped(std::uint32_t interface, std::uint64_t n) {
  if (interface < stats_.size()) stats_[interface].dropped += n;
}
void PcapngWriter::count_os_dropped(std::uint32_t interface, std::uint64_t n) {
  if (interface < stats_.size()) stats_[interface].os_dropped += n;
}

void PcapngWriter::close(std::int64_t now_ns) {
  if (closed_) return;
  closed_ = true;
  const std::uint64_t now = unsigned_time(now_ns);
  for (std::uint32_t i = 0; i < stats_.size(); ++i) {
    const InterfaceStats& s = stats_[i];
    const bool os = s.os_dropped != 0;
    const std::size_t total = 20 + 4 * option_bytes(8) + (os ? option_bytes(8) : 0) + 4 + 4;
    const std::uint64_t start = s.first_time_ns == aio::Packet::kNoTime ? now : unsigned_time(s.first_time_ns);
    BlockBytes b(begin_block(total), big_endian_);
    b.put_interface_block_head(pcapng::kInterfaceStatistics, total, i, now);
    b.put_option_time(pcapng::kIsbStartTime, start);
    b.put_option_time(pcapng::kIsbEndTime, now);
    b.put_option_value<std::uint64_t>(pcapng::kIsbIfRecv, s.packets + s.dropped);
    b.put_option_value<std::uint64_t>(pcapng::kIsbIfDrop, s.dropped);
    if (os) b.put_option_value<std::uint64_t>(pcapng::kIsbOsDrop, s.os_dropped);
    b.put_end_of_options();
    b.put<std::uint32_t>(static_cast<std::uint32_t>(total));
    end_block();
  }
  flush();
}

void PcapngWriter::flush() {
  if (failed()) util::throw_write_error(name_, error_);
  std::size_t done = 0;
  while (done < used_) {
    const ssize_t n = ::write(fd_, buf_.data() + done, used_ - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      // Keep only whole blocks: walk the block lengths up to what the descriptor took.
      std::size_t whole = 0;
      while (whole < done) {
        const auto len = util::load<std::uint32_t>(buf_.data() + whole + 4, big_endian_);
        if (whole + len > done) break;
        whole += len;
      }
      // The part of a block the descriptor took is cut off the file's end: counted back
      // from its size, not from written_, which starts at 0 in a file reopened to append
      // to (a new user's finding: a --split or %LC% file reopened lost its older blocks).
      struct stat st {};
      const auto partial = static_cast<off_t>(done - whole);
      if (partial > 0 && fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= partial)
        util::cut_file_to(fd_, static_cast<std::uint64_t>(st.st_size - partial));
      written_ += whole;
      used_ = 0;
      fail(err);
    }
    done += static_cast<std::size_t>(n);
  }
  written_ += used_;
  used_ = 0;
  util::ShrinkGuard::poll();  // see util::FdWriter::flush
}

void PcapngWriter::fail(int err) {
  error_ = err;
  util::throw_write_error(name_, err);
}

}  // namespace dltdump::pcap
