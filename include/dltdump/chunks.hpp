// Reading one large DLT file in pieces — on several threads, processes or machines — cut
// where the command line's parallel decoder cuts it.
//
//   const std::uint64_t bytes = 64 << 20;
//   std::vector<std::uint64_t> cuts = dltdump::chunk_points("big.dlt", bytes);
//   // chunk k, anywhere: the messages from cuts[k] on
//   dltdump::Reader r{"big.dlt", filter, {.chunk_bytes = bytes, .chunk_begin = cuts[k]}};
//   for (const dltdump::Message& m : r) use(m);
//   // r.offset() now: where chunk k's reading ended (cuts[k + 1], or a later cut)
//
// The cuts are verified packet starts (a storage header, a valid packet, and the next
// storage header right behind it: dlt/cut_points.hpp), about `chunk_bytes` apart. A chunk is
// read by a framer that starts at its cut as the whole file's framer does when it arrives
// there, and that ends at the next cut it reaches exactly, so the messages (positions
// relative to the whole file), the skipped bytes and every per-message value are those of
// the whole-file read over that range. Rarely a cut is not where the whole read arrives: a
// verified start found inside another packet's payload (a DLT record logged as a raw
// argument). The chunk before it then reads on over the packet that straddles the cut, to
// the next cut it reaches exactly, and says so: its Reader's offset() at the end is that
// later cut. So the whole read is the chain of chunks: the one at 0, then the one that
// begins where the previous one's reading ended, and so on; a chunk whose begin the chain
// passed over is no part of it (its messages start inside a packet) and is to be dropped.
// With no straddling packet (nearly always), every chunk is in the chain.
//
// Only a plain DLT file is cut: a regular file (read mapped), uncompressed, whose content
// confirms the storage-header format. Compressed inputs, recordings (serial, network),
// captures, archives, standard input and live inputs are read whole.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dltdump/export.hpp"
#include "dltdump/types.hpp"

namespace dltdump {

// The cuts of the DLT file at `path` into chunks of about `chunk_bytes` bytes: 0, the
// further chunk starts in ascending order, then the file's size — chunk k is
// [points[k], points[k + 1]) unless a packet straddles points[k + 1] (see the top). Empty
// when the input is not cut (chunk_bytes 0, an empty file, or anything but a plain DLT
// file: see the top; `format` other than automatic or file says it is none). Only the
// file's pages around each cut are read. Throws Error (input) when `path` cannot be opened.
DLTDUMP_API std::vector<std::uint64_t> chunk_points(const std::string& path, std::uint64_t chunk_bytes,
                                                    Format format = Format::automatic);

}  // namespace dltdump
