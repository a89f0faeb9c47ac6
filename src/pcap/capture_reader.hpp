// Reading packet captures: classic PCAP and PCAP-NG, told apart by their first bytes.
//
// A reader yields one aio::Packet per captured packet, with the capture's time stamp in
// ns, the interface index (unique across all sections of a PCAP-NG file), that interface's
// link type, the direction when the file records it, and the file offset of the packet's
// first byte. Mapped files are read in place; pipes are read in large chunks.
//
// Every input is untrusted: a malformed file throws util::Error with one line that names
// the file, what is wrong and the file offset of the block or record at fault. Nothing is
// allocated beyond a per-block size cap (pcapng::kMaxBlockBytes).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "util/contiguous_input.hpp"

namespace dltdump::pcap {

// What a reader knows about one interface (classic PCAP has exactly one).
struct Interface {
  std::uint16_t link_type = 0;
  std::uint32_t snaplen = 0;
  std::string name;  // if_name, or empty
  std::uint64_t units_per_second = 1000000;  // 10^n or 2^n from if_tsresol
  std::int64_t offset_seconds = 0;           // if_tsoffset
};

class CaptureReader {
 public:
  enum class Next { packet, end, release_needed };

  // Opens `file` as PCAP or PCAP-NG by its magic number; reads the file header. Returns
  // null for an input of fewer than 4 bytes (nothing to read); throws util::Error if it is
  // neither format or the header is malformed. `file` must outlive the reader.
  static std::unique_ptr<CaptureReader> open(util::InputFile& file);

  virtual ~CaptureReader() = default;

  // Reads the next packet into `p`. Its bytes stay valid until release(), so a caller can
  // collect a batch. Returns Next::release_needed when the next packet can only be read
  // after release() (a pipe buffer must be compacted), Next::end at the end of the file.
  // Throws util::Error on malformed input.
  virtual Next next(aio::Packet& p) = 0;
  // The packets returned so far are no longer used. Call it as soon as that is true (after
  // each batch): it lets a pipe buffer be reused and a mapped file's pages be released.
  void release() noexcept { in_.release(); }

  // Interfaces seen so far, indexed by aio::Packet::interface.
  const std::vector<Interface>& interfaces() const noexcept { return interfaces_; }
  virtual const char* format_name() const noexcept = 0;  // "PCAP" or "PCAP-NG"

 protected:
  explicit CaptureReader(util::ContiguousInput in) : in_(std::move(in)) {}
  [[noreturn]] void malformed(std::uint64_t offset, const std::string& what) const;

  util::ContiguousInput in_;
  std::vector<Interface> interfaces_;
};

// Converts a capture time stamp in interface units to ns since the epoch. Returns false
// when the result does not fit in an int64.
bool to_nanoseconds(std::uint64_t units, const Interface& itf, std::int64_t& ns) noexcept;

}  // namespace dltdump::pcap
