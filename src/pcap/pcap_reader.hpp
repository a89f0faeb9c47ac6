// Classic PCAP reader (see capture_reader.hpp for the common contract).
//
// The four magics: A1B2C3D4 (µs) and A1B23C4D (ns), each in either byte order. One
// interface (index 0) with the header's link type (its low 16 bits; the upper bits carry
// FCS information). Each record header is checked: a captured length above the original
// length or above the record limit (the larger of the header's snapshot length and
// kMinRecordLimit, at most pcapng::kMaxBlockBytes; that alone for a snapshot length of 0),
// and a record cut short by the end of the file are errors naming the record's offset. A
// record longer than the snapshot length but within the limit is read, as Wireshark reads
// it (writers that cut packets to a length smaller than they say exist); the capture
// decoder counts such records (CaptureDecoder::Options::snapshot_length).
#pragma once

#include "pcap/capture_reader.hpp"

namespace dltdump::pcap {

class PcapReader final : public CaptureReader {
 public:
  static bool is_magic(const std::uint8_t* first4) noexcept;
  // Records up to this captured length are read whatever the snapshot length (Wireshark's
  // limit for most link types).
  static constexpr std::uint32_t kMinRecordLimit = 256u << 10;
  explicit PcapReader(util::ContiguousInput in);

  Next next(aio::Packet& p) override;
  std::size_t next_well_formed(std::span<aio::Packet> out) noexcept override;
  const char* format_name() const noexcept override { return "PCAP"; }

 private:
  bool same_state(const CaptureReader& other) const override;
  std::uint64_t next_cut(std::uint64_t from) const override;
  PcapReader(const PcapReader& state, util::ContiguousInput in);
  std::unique_ptr<CaptureReader> clone(util::ContiguousInput in) const override;

  // Whether a record header's lengths pass next()'s checks.
  bool record_fits(std::uint32_t cap, std::uint32_t orig) const noexcept;
  // Fills p from the whole record at `record` (header and data), at file offset `at`.
  void place(aio::Packet& p, const std::uint8_t* record, std::uint64_t at) const noexcept;

  bool big_endian_ = false;
  bool nanoseconds_ = false;
  std::uint32_t record_limit_ = kMinRecordLimit;  // largest captured length read
};

}  // namespace dltdump::pcap
