// What a strategy that decodes one mapped capture file in pieces on several cores needs of
// a CaptureReader (app/parallel/capture_chunks), beyond what every reader user needs
// (pcap/capture_reader.hpp): where a piece may start, a reader for each piece, where a
// reader stands and whether two read alike. Kept off CaptureReader's public surface so that
// its ordinary interface is open/next/release.
#pragma once

#include <cstdint>
#include <memory>

#include "pcap/capture_reader.hpp"

namespace dltdump::pcap {

struct CaptureReaderSplit {
  // Offset of the next record or block `r` reads.
  static std::uint64_t offset(const CaptureReader& r) noexcept { return r.in_.offset(); }
  // From now on r.next() returns Next::End (and next_well_formed reads nothing) rather
  // than read a record or block that starts at or after offset `stop`; one that starts
  // before it is read whole.
  static void stop_at(CaptureReader& r, std::uint64_t stop) noexcept { r.stop_ = stop; }
  // A reader of the same mapped file as `r`, in r's state (format, byte order,
  // interfaces), that reads from offset `start` on; the caller owns it, and the file must
  // outlive it as it must outlive `r`. It releases the pages behind it only if
  // `release_pages` (a reader that reads to the end while nobody reads before it). When
  // `start` is no record start, or the state there differs, the fork reads what it finds
  // there (or throws util::Error as next() does): its result is a guess, to be checked
  // against the reader that reaches `start` (its offset and same_state). Throws only
  // std::bad_alloc itself.
  static std::unique_ptr<CaptureReader> fork(const CaptureReader& r, std::uint64_t start, bool release_pages = false) {
    return r.clone(r.in_.view_from(start, release_pages));
  }
  // Whether `b` reads what follows as `a` would: same format, byte order and interfaces.
  // Never throws.
  static bool same_state(const CaptureReader& a, const CaptureReader& b) { return a.same_state(b); }
  // A likely record or block start at or after `from`, read in r's state: the first place
  // where several well-formed records follow each other (or end the file). The file size
  // if there is none within CaptureReader::kCutReach (1 MiB) of `from`, or if the input is
  // not mapped. A guess only (packet bytes can look like records): see fork. Reads the
  // mapping only (never throws); safe while other readers of the file read.
  static std::uint64_t next_cut(const CaptureReader& r, std::uint64_t from) { return r.next_cut(from); }
  // The size of r's mapped file (0 for a pipe).
  static std::uint64_t mapped_size(const CaptureReader& r) noexcept { return r.in_.mapped().size(); }
};

}  // namespace dltdump::pcap
