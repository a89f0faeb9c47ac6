// Texts that tell a decoder's state, for comparing the states of two decoders of one input
// (a capture decoded in pieces: dissect::CaptureDecoderSplit::continues_at): equal texts,
// equal states. Only the parts that decide what the decoder does next go in, as raw bytes.
#pragma once

#include <string>
#include <type_traits>

namespace dltdump::util {

// Appends the bytes of `v` (a number, a flag, an enum) to `out`. Throws only std::bad_alloc.
template <typename T>
void append_state(std::string& out, const T& v) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace dltdump::util
