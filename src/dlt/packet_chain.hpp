// Finding a place in a network-framed DLT stream (standard headers back to back) where
// packets begin, without the stream-start confirmation of dlt::Framer: for a decoder that
// only needs to reach a true packet boundary soon (the lead-in of a capture piece decoded
// apart, app/parallel/capture_chunks), and checks afterwards that it did.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace dltdump::dlt {

struct ChainSearch {
  std::optional<std::size_t> found;  // where the chain begins, if one was found
  std::size_t next;                  // the first position not tried (the search goes on there)
};

// Tries the positions of `bytes` from `from` on, in order, while at least `reach` bytes
// follow the position: the first where `packets` valid packets (standard header, headers
// and payload valid by the rules of their kind, as the framer checks them) follow each
// other, the last ending within `bytes`, is returned. A position whose chain needs bytes
// beyond `bytes` counts as no chain (the search does not wait for bytes: a true boundary
// may be found at a later packet, if `packets` packets there fit in `reach` bytes). Each position is tried once across
// calls that go on from `next`. Reads `bytes` during the call only; never throws.
ChainSearch find_packet_chain(std::span<const std::uint8_t> bytes, std::size_t from, unsigned packets,
                              std::size_t reach);

}  // namespace dltdump::dlt
