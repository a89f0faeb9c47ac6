// Fuzz target: archived inputs (issue #26) on arbitrary bytes — the sniff, the
// decompression of an outer layer (x.tar.gz), libarchive's tar and zip readers and the
// member sniffing of input::ArchiveInput, as the command line reads a file. The first byte
// picks how the data is read: bit 0 from a mapped file (a zip through its central directory)
// or as a stream (a pipe). Checks:
//   * every fault is one util::Error that ends the input only (never another exception, a
//     crash or a leak); after a fault of the archive it reads nothing more, after a fault of
//     a member alone (a damaged zip member) the next members are read;
//   * a member gives no more than kMaxMemberBytes here (what lies beyond is not read) and
//     the members' bytes stay within the ratio limit of the data's size (or its floor).
// The data must also reach libarchive when it is no archive: then it goes straight to the
// reader, as a tar or zip.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "compress/archive_reader.hpp"
#include "input/archive_input.hpp"
#include "input/decompressed_input.hpp"
#include "util/byte_source.hpp"
#include "util/error.hpp"
#include "util/input_file.hpp"

using namespace dltdump;

namespace {

constexpr std::size_t kMaxMemberBytes = 8u << 20;
constexpr std::uint32_t kRatio = 50;  // a small limit, so that bombs are caught in a run

class Bytes final : public util::ByteSource {
 public:
  explicit Bytes(std::span<const std::uint8_t> data) : data_(data) {}
  std::size_t read(std::uint8_t* into, std::size_t n) override {
    const std::size_t k = std::min(n, data_.size() - at_);
    std::copy_n(data_.data() + at_, k, into);
    at_ += k;
    return k;
  }
  bool ready() const noexcept override { return true; }
  std::uint64_t input_progress() const noexcept override { return at_; }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t at_ = 0;
};

std::optional<util::InputFile> open(std::span<const std::uint8_t> data, bool mapped) {
  if (!mapped) return util::InputFile::from_source(std::make_unique<Bytes>(data), "fuzz", {});
  const int fd = ::memfd_create("fuzz", MFD_CLOEXEC);
  if (fd < 0) return std::nullopt;
  if (!data.empty() && ::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) {
    ::close(fd);
    return std::nullopt;
  }
  return util::InputFile::from_fd(fd, "fuzz", true);
}

// Reads every member to its end (or the cap); the members' total.
std::uint64_t drain(util::InputFile& member) {
  std::uint64_t got = 0;
  for (auto w = member.next_window(); !w.empty() && got <= kMaxMemberBytes; w = member.next_window()) got += w.size();
  return got;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool mapped = (data[0] & 1) != 0;
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);
  std::optional<util::InputFile> file = open(bytes, mapped);
  if (!file) return 0;
  const compress::Limits limits{.max_ratio = kRatio};
  std::uint64_t total = 0;
  try {
    input::SniffedInput opened = input::sniff_layers(std::move(*file), "fuzz", input::InputFormat::Automatic, limits);
    file.reset();
    if (!input::is_archive(opened.content)) {
      // Not an archive by its magic: libarchive reads it all the same (its bidders decide).
      compress::ArchiveReader reader(std::move(opened.file), "fuzz", "fuzz", opened.limits);
      while (auto m = reader.next()) {
        if (!m->regular) continue;
        util::InputFile member = util::InputFile::from_source(reader.member_source(), "m", {});
        try {
          total += drain(member);
        } catch (const util::Error& e) {
          if (!e.ends_input_only()) std::abort();
          if (reader.failed()) throw;
          // A zip member's data alone: the archive goes on.
        }
      }
    } else {
      input::ArchiveInput archive(std::move(opened), "fuzz", "fuzz");
      while (auto m = archive.next()) {
        if (m->fault) {
          if (!m->fault->ends_input_only()) std::abort();
          continue;
        }
        try {
          total += drain(m->input->file);
        } catch (const util::Error& e) {
          if (!e.ends_input_only()) std::abort();
          if (archive.failed()) throw;
          // The member's own compressed stream, or its data in a zip: the archive goes on.
        }
      }
    }
  } catch (const util::Error& e) {
    if (!e.ends_input_only()) std::abort();
  }
  // The ratio bound: past its floor, never more than kRatio times the data (plus a member's
  // cap and a chunk of slack for what a check lets through before it fires).
  if (total > compress::Limits::kRatioFloor + kMaxMemberBytes + (4u << 20) &&
      total / kRatio > bytes.size() + (1u << 20))
    std::abort();
  return 0;
}
