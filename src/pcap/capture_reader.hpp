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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aio/packet.hpp"
#include "util/contiguous_input.hpp"

namespace dltdump::pcap {

// What a reader knows about one interface (classic PCAP has exactly one).
struct Interface {
  std::uint16_t link_type = 0;
  std::uint32_t snaplen = 0;
  std::string name;                          // if_name, or empty
  std::uint64_t units_per_second = 1000000;  // 10^n or 2^n from if_tsresol
  std::int64_t offset_seconds = 0;           // if_tsoffset
  bool operator==(const Interface&) const = default;
};

class CaptureReader {
 public:
  enum class Next { Packet, End, ReleaseNeeded };

  // Opens `file` as PCAP or PCAP-NG by its magic number; reads the file header. Returns
  // null for an input of fewer than 4 bytes (nothing to read); throws util::Error if it is
  // neither format or the header is malformed. `file` must outlive the reader.
  static std::unique_ptr<CaptureReader> open(util::InputFile& file);

  virtual ~CaptureReader() = default;

  // Reads the next packet into `p`. Its bytes stay valid until release(), so a caller can
  // collect a batch. Returns Next::ReleaseNeeded when the next packet can only be read
  // after release() (a pipe buffer must be compacted), Next::End at the end of the file.
  // Throws util::Error on malformed input.
  virtual Next next(aio::Packet& p) = 0;
  // Reads into `out` the packets that follow for as long as each one passes every check of
  // next() (the common blocks or records, read without naming faults), up to the stop
  // offset or until `out` is full. Returns how many; never throws: next() reads, or names
  // the fault of, what stopped it. A batch reader's fast path; the default reads none.
  virtual std::size_t next_well_formed(std::span<aio::Packet> out) noexcept {
    (void)out;
    return 0;
  }
  // The packets returned so far are no longer used. Call it as soon as that is true (after
  // each batch): it lets a pipe buffer be reused and a mapped file's pages be released.
  void release() noexcept { in_.release(); }

  // Interfaces seen so far, indexed by aio::Packet::interface.
  const std::vector<Interface>& interfaces() const noexcept { return interfaces_; }
  virtual const char* format_name() const noexcept = 0;  // "PCAP" or "PCAP-NG"

  // Reading one mapped file in pieces on several cores: pcap/capture_reader_split.hpp.
  friend struct CaptureReaderSplit;

 protected:
  // How far next_cut looks (see CaptureReaderSplit::next_cut).
  static constexpr std::uint64_t kCutReach = 1u << 20;
  // For batch loops that read records in order: asks for every cache line up to kAhead
  // bytes past the end of the record just read, each line once. The hardware prefetcher
  // loses the stream at page boundaries and does not follow a walk that reads only each
  // record's head and tail: a TCP capture's segments of up to 1.5 KiB stalled on their
  // trailing lengths with a fixed 512-704 bytes ahead (a quarter of the reading loop's
  // time; docs/PERFORMANCE.md, issue #25: 4 KiB ahead was 4 % faster on 1 GiB than 1 KiB,
  // and as fast as before on one-message datagrams). Prefetches never fault: a line of a
  // page not mapped yet is skipped.
  class Prefetch {
   public:
    static constexpr std::uintptr_t kAhead = 4096;
    // Reading [from, end): lines from kAhead past `from` on are asked for as reading goes.
    Prefetch(const std::uint8_t* from, const std::uint8_t* end) noexcept
        : next_(reinterpret_cast<std::uintptr_t>(from) + kAhead), end_(reinterpret_cast<std::uintptr_t>(end)) {}
    // Asks for the lines not asked for yet up to kAhead past `read_to`, within the end.
    // Forced inline: inlined on its own judgement, GCC 12 dropped the prefetches of the
    // helper this replaced. (Addresses as integers: the last step may pass the end.)
    [[gnu::always_inline]] void upto(const std::uint8_t* read_to) noexcept {
      const std::uintptr_t want = std::min(reinterpret_cast<std::uintptr_t>(read_to) + kAhead, end_);
      for (; next_ < want; next_ += 64) __builtin_prefetch(reinterpret_cast<const void*>(next_));
    }

   private:
    std::uintptr_t next_;
    std::uintptr_t end_;
  };
  explicit CaptureReader(util::ContiguousInput in) : in_(std::move(in)) {}
  // This reader's state, reading `in` (for fork()).
  virtual std::unique_ptr<CaptureReader> clone(util::ContiguousInput in) const = 0;
  // A fork's base: `state`'s interfaces, reading `in`.
  CaptureReader(const CaptureReader& state, util::ContiguousInput in)
      : in_(std::move(in)), interfaces_(state.interfaces_) {}
  [[noreturn]] void malformed(std::uint64_t offset, const std::string& what) const;

  util::ContiguousInput in_;
  std::vector<Interface> interfaces_;
  std::uint64_t stop_ = UINT64_MAX;  // see CaptureReaderSplit::stop_at

 private:
  // Each format's part of CaptureReaderSplit::same_state and next_cut (see there).
  virtual bool same_state(const CaptureReader& other) const = 0;
  virtual std::uint64_t next_cut(std::uint64_t from) const = 0;
};

// Converts a capture time stamp in interface units to ns since the epoch. Returns false
// when the result does not fit in an int64. Inline for micro- and nanoseconds without an
// offset (classic PCAP, most PCAP-NG writers): it runs once per packet, and those fit
// without 128-bit arithmetic below 2^63 ns (the year 2262).
bool to_nanoseconds_general(std::uint64_t units, const Interface& itf, std::int64_t& ns) noexcept;
inline bool to_nanoseconds(std::uint64_t units, const Interface& itf, std::int64_t& ns) noexcept {
  if (itf.offset_seconds == 0) {
    if (itf.units_per_second == 1000000u && units <= INT64_MAX / 1000) {
      ns = static_cast<std::int64_t>(units) * 1000;
      return true;
    }
    if (itf.units_per_second == 1000000000u && units <= INT64_MAX) {
      ns = static_cast<std::int64_t>(units);
      return true;
    }
  }
  return to_nanoseconds_general(units, itf, ns);
}

}  // namespace dltdump::pcap
