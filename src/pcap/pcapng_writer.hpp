// PCAP-NG writer: one section (SHB), interfaces (IDBs with if_tsresol = 9), packets (EPBs
// with nanosecond time stamps and the direction in epb_flags), and at close one Interface
// Statistics Block per interface.
//
// Blocks are built whole in one output buffer and the buffer is handed to write(2) only
// at block boundaries, so a block is never split across write calls and the file never
// needs seeking (pipes work: `dltdump … -o - | wireshark -k -i -`). Blocks are written
// little endian unless SectionInfo asks for big endian (the SHB's magic records which); a
// second writer on the same descriptor, after the first is flushed, starts a new section.
//
// Errors: a failed write throws util::output_error naming the output; if the descriptor is
// a regular file, it is truncated back to the end of the last whole block first, so a
// disk-full stop leaves a readable file. After a failure every further call throws the
// same error again without writing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aio/packet.hpp"

namespace dltdump::pcap {

struct SectionInfo {
  std::string hardware;     // shb_hardware; omitted when empty
  std::string os;           // shb_os
  std::string application;  // shb_userappl
  bool big_endian = false;  // the section's byte order (little endian unless asked)
};
// This machine (uname's machine and system names) and "dltdump <version>".
SectionInfo this_machine_section_info();

struct InterfaceInfo {
  std::uint16_t link_type = aio::link_type::kEthernet;
  std::string name;           // if_name; omitted when empty
  std::uint32_t snaplen = 0;  // 0 = no limit
};

class PcapngWriter {
 public:
  static constexpr std::size_t kFlushBytes = 1u << 20;

  // Starts a section on `fd` (not owned, not closed); `name` names it in errors.
  PcapngWriter(int fd, std::string name, const SectionInfo& section);
  PcapngWriter(const PcapngWriter&) = delete;
  PcapngWriter& operator=(const PcapngWriter&) = delete;
  // Does not write (a destructor cannot report errors): call close() first.
  ~PcapngWriter() = default;

  // Writes an IDB and returns the new interface's index (0, 1, …).
  std::uint32_t add_interface(const InterfaceInfo& info);
  std::uint32_t interface_count() const noexcept { return static_cast<std::uint32_t>(stats_.size()); }

  // Writes one EPB: `data` as captured, `original_size` on the wire (0 or less than
  // data.size() means data.size()), `time_ns` since the epoch (negative or kNoTime is
  // written as 0: pcapng time stamps are unsigned). epb_flags is written unless the
  // direction is unknown. Throws a util::Error that fails the input for an unknown
  // interface (Culprit::Internal) or a packet above pcapng::kMaxPacketBytes (Culprit::Output),
  // util::output_error when writing fails.
  void write_packet(std::uint32_t interface, std::int64_t time_ns, std::span<const std::uint8_t> data,
                    std::uint32_t original_size = 0, aio::Direction direction = aio::Direction::Unknown);
  // Convenience: a packet descriptor as it travels in an aio batch.
  void write_packet(std::uint32_t interface, const aio::Packet& p) {
    write_packet(interface, p.time_ns, {p.data, p.size}, p.original_size, p.direction);
  }

  // Counts packets the receiver lost before they reached the writer (isb_ifdrop) and
  // packets the operating system reported as dropped (isb_osdrop).
  void count_dropped(std::uint32_t interface, std::uint64_t n);
  void count_os_dropped(std::uint32_t interface, std::uint64_t n);

  // Hands everything buffered to write(2).
  void flush();
  // Writes one ISB per interface stamped `now_ns` (isb_starttime = first packet or
  // `now_ns`, isb_endtime = `now_ns`, isb_ifrecv = written + dropped, isb_ifdrop,
  // isb_osdrop when non-zero) and flushes. Further calls do nothing.
  void close(std::int64_t now_ns);

  // Bytes handed to the output so far plus bytes buffered: the offset of the next block.
  std::uint64_t offset() const noexcept { return written_ + used_; }
  bool failed() const noexcept { return error_ != 0; }

 private:
  struct InterfaceStats {
    std::uint64_t packets = 0, dropped = 0, os_dropped = 0;
    std::int64_t first_time_ns = aio::Packet::kNoTime;
  };
  std::uint8_t* begin_block(std::size_t total);
  void end_block();
  [[noreturn]] void fail(int err);

  int fd_;
  std::string name_;
  bool big_endian_;
  std::vector<std::uint8_t> buf_;
  std::size_t used_ = 0;
  std::uint64_t written_ = 0;  // bytes the descriptor accepted (always whole blocks)
  std::vector<InterfaceStats> stats_;
  bool closed_ = false;
  int error_ = 0;  // errno of the write that failed: every later call throws it again
};

}  // namespace dltdump::pcap
