// Fuzz target: the sniff and decompression layer (issue #26) on arbitrary bytes. The first
// byte picks how the data is fed; the rest is the compressed stream, whose codec is sniffed
// from its magic (compress::codec_of) or, when none matches, taken from the first byte's low
// bits (so the decoders see garbage too). Checks:
//   * a decoder's step never claims more input or output than it was given;
//   * fed in small pieces (1..64 bytes, from the first byte) or whole, it makes the same
//     bytes and the same verdict (complete, cut short, corrupt);
//   * the threaded source (compress::DecompressingSource over a memfd, read through
//     util::InputFile::from_source) gives exactly those bytes,
//     then its end or one util::Error for a fault.
// Output is capped at kMaxOutput per run (what lies beyond is not compared).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "compress/codec.hpp"
#include "compress/decompressing_source.hpp"
#include "compress/decompressor.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"

using namespace dltdump;

namespace {

constexpr std::size_t kMaxOutput = 4u << 20;

enum class Verdict { Complete, Cut, Corrupt, Capped };

struct Result {
  std::vector<std::uint8_t> bytes;
  Verdict verdict = Verdict::Complete;
};

Result decompress(compress::Codec codec, std::span<const std::uint8_t> data, std::size_t piece) {
  Result r;
  const std::unique_ptr<compress::Decompressor> d = compress::make_decompressor(codec);
  std::vector<std::uint8_t> out(piece == 0 ? 65536 : piece * 3);
  std::size_t at = 0;
  for (;;) {
    const std::size_t n = piece == 0 ? data.size() - at : std::min(piece, data.size() - at);
    const bool last = at == data.size();
    compress::Decompressor::Step step;
    try {
      step = d->run(data.subspan(at, n), out, last);
    } catch (const compress::CorruptData&) {
      r.verdict = Verdict::Corrupt;
      return r;
    }
    if (step.consumed > n || step.produced > out.size()) std::abort();
    at += step.consumed;
    r.bytes.insert(r.bytes.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(step.produced));
    if (r.bytes.size() > kMaxOutput) {
      r.verdict = Verdict::Capped;
      return r;
    }
    if (step.done) return r;
    if (last && step.consumed == 0 && step.produced == 0) {
      r.verdict = Verdict::Cut;
      return r;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::span<const std::uint8_t> stream(data + 1, size - 1);
  const std::optional<compress::Codec> sniffed = compress::codec_of(stream);
  const auto codec = sniffed ? *sniffed : static_cast<compress::Codec>(mode & 3);

  const Result whole = decompress(codec, stream, 0);
  const Result pieces = decompress(codec, stream, 1 + (mode >> 2));
  if (whole.verdict != Verdict::Capped && pieces.verdict != Verdict::Capped) {
    // A corrupt stream may be found corrupt after different amounts of output; what was
    // made before it must still agree.
    const bool corrupt = whole.verdict == Verdict::Corrupt || pieces.verdict == Verdict::Corrupt;
    if (!corrupt && (whole.verdict != pieces.verdict || whole.bytes != pieces.bytes)) std::abort();
    if (corrupt && whole.verdict != pieces.verdict) std::abort();
  }

  // The threaded source over the same bytes as a file.
  const int fd = ::memfd_create("fuzz", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (!stream.empty() && ::write(fd, stream.data(), stream.size()) != static_cast<ssize_t>(stream.size())) {
    ::close(fd);
    return 0;
  }
  util::InputFile raw = util::InputFile::from_fd(fd, "fuzz", true);
  const util::InputFile::Identity identity = raw.identity();
  util::InputFile file = util::InputFile::from_source(
      std::make_unique<compress::DecompressingSource>(std::move(raw), codec, "fuzz", compress::Limits{}), "fuzz",
      identity);
  std::vector<std::uint8_t> got;
  bool failed = false;
  try {
    for (;;) {
      const std::span<const std::uint8_t> w = file.next_window();
      if (w.empty()) break;
      got.insert(got.end(), w.begin(), w.end());
      if (got.size() > kMaxOutput) break;
    }
  } catch (const util::Error& e) {
    failed = true;
    if (!e.ends_input_only()) std::abort();
  }
  if (got.size() <= kMaxOutput && whole.verdict != Verdict::Capped) {
    const std::size_t common = std::min(got.size(), whole.bytes.size());
    if (!std::equal(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(common), whole.bytes.begin())) std::abort();
    if (whole.verdict == Verdict::Complete && (failed || got.size() != whole.bytes.size())) std::abort();
    if (whole.verdict != Verdict::Complete && !failed) std::abort();
  }
  return 0;
}
