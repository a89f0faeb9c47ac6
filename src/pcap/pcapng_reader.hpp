// PCAP-NG reader (see capture_reader.hpp for the common contract).
//
// Reads every section, each with its own byte order and interfaces; EPBs, SPBs and the
// obsolete Packet Block; if_tsresol (10^-n up to n = 19, 2^-n up to n = 63) and
// if_tsoffset; epb_flags direction. Other blocks (NRB, ISB, DSB, custom, unknown) are
// skipped. Limits: a block is at most pcapng::kMaxBlockBytes (an SHB at most 1 MiB); a
// file has at most kMaxInterfaces interfaces. Each violation is a util::Error naming the
// block's offset: truncation, header/trailer mismatch, lengths that run past their block,
// a captured length above the original length, unknown interfaces, bad option lengths.
#pragma once

#include "pcap/capture_reader.hpp"

namespace dltdump::pcap {

class PcapngReader final : public CaptureReader {
 public:
  static constexpr std::size_t kMaxInterfaces = 4096;

  static bool is_magic(const std::uint8_t* first4) noexcept;
  explicit PcapngReader(util::ContiguousInput in);

  Next next(aio::Packet& p) override;
  std::size_t next_well_formed(std::span<aio::Packet> out) noexcept override;
  const char* format_name() const noexcept override { return "PCAP-NG"; }

 private:
  bool same_state(const CaptureReader& other) const override;
  std::uint64_t next_cut(std::uint64_t from) const override;
  PcapngReader(const PcapngReader& state, util::ContiguousInput in);
  std::unique_ptr<CaptureReader> clone(util::ContiguousInput in) const override;

  // Reads the SHB at the current offset into the section state.
  void start_section(std::span<const std::uint8_t> block, std::uint64_t at);
  void add_interface(std::span<const std::uint8_t> block, std::uint64_t at);
  // Reads an enhanced packet block that passes every check of read_packet_block; false
  // (p unspecified) if it fails one. The common case, kept apart from naming the fault.
  bool read_well_formed_epb(std::span<const std::uint8_t> block, std::uint64_t at, aio::Packet& p) const noexcept;
  void read_packet_block(std::uint32_t type, std::span<const std::uint8_t> block, std::uint64_t at, aio::Packet& p);
  // Fills p's bytes (at data_at in the block at block_offset), lengths and interface.
  void place(aio::Packet& p, const std::uint8_t* block, std::uint64_t block_offset, std::size_t data_at,
             std::uint32_t cap, std::uint32_t orig, std::size_t interface) const;
  std::uint32_t u32(const std::uint8_t* p) const noexcept;
  std::uint16_t u16(const std::uint8_t* p) const noexcept;

  bool big_endian_ = false;
  std::size_t section_first_interface_ = 0;  // interfaces_ index of this section's interface 0
  bool section_started_ = false;             // an SHB was read (the byte order is known)
};

}  // namespace dltdump::pcap
