#include "pcap/pcap_reader.hpp"

#include <algorithm>

#include "pcap/pcapng_format.hpp"
#include "util/byte_order.hpp"

namespace dltdump::pcap {

namespace {
constexpr std::uint32_t kMagicMicro = 0xA1B2C3D4, kMagicNano = 0xA1B23C4D;
constexpr std::size_t kFileHeader = 24, kRecordHeader = 16;
}  // namespace

bool PcapReader::is_magic(const std::uint8_t* m) noexcept {
  const std::uint32_t be = util::load_be32(m), le = util::load_le32(m);
  return be == kMagicMicro || be == kMagicNano || le == kMagicMicro || le == kMagicNano;
}

PcapReader::PcapReader(util::ContiguousInput in) : CaptureReader(std::move(in)) {
  const auto h = in_.peek(kFileHeader);
  if (!h || h->size() < kFileHeader) malformed(0, "file header truncated");
  const std::uint32_t be = util::load_be32(h->data());
  big_endian_ = be == kMagicMicro || be == kMagicNano;
  nanoseconds_ = util::load<std::uint32_t>(h->data(), big_endian_) == kMagicNano;
  const std::uint16_t major = util::load<std::uint16_t>(h->data() + 4, big_endian_);
  if (major != 2) malformed(0, "file header of unsupported version " + std::to_string(major));
  Interface itf;
  itf.snaplen = util::load<std::uint32_t>(h->data() + 16, big_endian_);
  itf.link_type = static_cast<std::uint16_t>(util::load<std::uint32_t>(h->data() + 20, big_endian_));
  itf.units_per_second = nanoseconds_ ? 1000000000u : 1000000u;
  interfaces_.push_back(itf);
  // A snapshot length of 0 says nothing: the block limit alone applies, as before.
  record_limit_ = itf.snaplen == 0 ? pcapng::kMaxBlockBytes
                                   : std::min(std::max(itf.snaplen, kMinRecordLimit), pcapng::kMaxBlockBytes);
  in_.consume(kFileHeader);
  in_.release();
}

PcapReader::PcapReader(const PcapReader& state, util::ContiguousInput in)
    : CaptureReader(state, std::move(in)), big_endian_(state.big_endian_), nanoseconds_(state.nanoseconds_),
      record_limit_(state.record_limit_) {}

std::unique_ptr<CaptureReader> PcapReader::clone(util::ContiguousInput in) const {
  return std::unique_ptr<CaptureReader>(new PcapReader(*this, std::move(in)));
}

bool PcapReader::same_state(const CaptureReader& other) const {
  const auto* o = dynamic_cast<const PcapReader*>(&other);
  return o && o->big_endian_ == big_endian_ && o->nanoseconds_ == nanoseconds_ && o->interfaces_ == interfaces_;
}

std::uint64_t PcapReader::next_cut(std::uint64_t from) const {
  const auto file = in_.mapped();
  const std::uint64_t size = file.size();
  // The length of the record at `at` if its header is plausible and it fits in the file:
  // a fraction below one second, a captured length within the limits and the original
  // length, a time within a day of `sec0` (when given). 0 if not.
  auto record_length = [&](std::uint64_t at, const std::uint32_t* sec0) -> std::uint64_t {
    if (size - at < kRecordHeader) return 0;
    const std::uint8_t* r = file.data() + at;
    const std::uint32_t sec = util::load<std::uint32_t>(r, big_endian_);
    const std::uint32_t frac = util::load<std::uint32_t>(r + 4, big_endian_);
    const std::uint32_t cap = util::load<std::uint32_t>(r + 8, big_endian_);
    const std::uint32_t orig = util::load<std::uint32_t>(r + 12, big_endian_);
    if (frac >= (nanoseconds_ ? 1000000000u : 1000000u) || !record_fits(cap, orig) || kRecordHeader + cap > size - at)
      return 0;
    if (sec0 && (sec > *sec0 ? sec - *sec0 : *sec0 - sec) > 86400) return 0;
    return kRecordHeader + cap;
  };
  const std::uint64_t limit = std::min(size, from + kCutReach);
  for (std::uint64_t at = std::max<std::uint64_t>(from, kFileHeader); at + kRecordHeader <= limit; ++at) {
    const std::uint32_t sec0 = util::load<std::uint32_t>(file.data() + at, big_endian_);
    std::uint64_t next = at;
    int records = 0;
    for (; records < 4 && next < size; ++records) {
      const std::uint64_t len = record_length(next, &sec0);
      if (len == 0) break;
      next += len;
    }
    if (records == 4 || next == size) return at;
  }
  return size;
}

bool PcapReader::record_fits(std::uint32_t cap, std::uint32_t orig) const noexcept {
  return cap <= record_limit_ && cap <= orig;
}

void PcapReader::place(aio::Packet& p, const std::uint8_t* record, std::uint64_t at) const noexcept {
  const std::uint32_t sec = util::load<std::uint32_t>(record, big_endian_);
  const std::uint32_t frac = util::load<std::uint32_t>(record + 4, big_endian_);
  p.data = record + kRecordHeader;
  p.size = util::load<std::uint32_t>(record + 8, big_endian_);
  p.original_size = util::load<std::uint32_t>(record + 12, big_endian_);
  p.time_ns = static_cast<std::int64_t>(sec) * 1000000000 + static_cast<std::int64_t>(frac) * (nanoseconds_ ? 1 : 1000);
  p.offset = at + kRecordHeader;
  p.interface = 0;
  p.link_type = interfaces_[0].link_type;
  p.direction = aio::Direction::Unknown;
}

std::size_t PcapReader::next_well_formed(std::span<aio::Packet> out) noexcept {
  // Records lying whole in what the input holds, read in place without next()'s two
  // peeks. The stop applies to record starts, as in next().
  if (in_.offset() >= stop_) return 0;
  const auto ready = in_.ready();
  const std::size_t starts_before =
      static_cast<std::size_t>(std::min<std::uint64_t>(stop_ - in_.offset(), ready.size()));
  std::size_t at = 0, n = 0;
  Prefetch prefetch(ready.data(), ready.data() + ready.size());
  while (n < out.size() && at < starts_before && ready.size() - at >= kRecordHeader) {
    const std::uint8_t* r = ready.data() + at;
    const std::uint32_t cap = util::load<std::uint32_t>(r + 8, big_endian_);
    const std::uint32_t orig = util::load<std::uint32_t>(r + 12, big_endian_);
    const std::size_t left = ready.size() - at - kRecordHeader;
    if (!record_fits(cap, orig) || cap > left) break;
    prefetch.upto(r + kRecordHeader + cap);
    place(out[n], r, in_.offset() + at);
    at += kRecordHeader + cap;
    ++n;
  }
  in_.consume(at);
  return n;
}

CaptureReader::Next PcapReader::next(aio::Packet& p) {
  if (next_well_formed({&p, 1}) == 1) return Next::Packet;
  const std::uint64_t at = in_.offset();
  if (at >= stop_) return Next::End;
  const auto h = in_.peek(kRecordHeader);
  if (!h) return Next::ReleaseNeeded;
  if (h->empty()) return Next::End;
  if (h->size() < kRecordHeader)
    malformed(at, "record header truncated (" + std::to_string(h->size()) + " bytes left)");
  const std::uint8_t* r = h->data();
  const std::uint32_t cap = util::load<std::uint32_t>(r + 8, big_endian_);
  const std::uint32_t orig = util::load<std::uint32_t>(r + 12, big_endian_);
  if (cap > record_limit_)
    malformed(at, "record with captured length " + std::to_string(cap) + " above the limit of " +
                      std::to_string(record_limit_));
  if (cap > orig)
    malformed(at, "record whose captured length " + std::to_string(cap) + " exceeds its original length " +
                      std::to_string(orig));
  const auto rec = in_.peek(kRecordHeader + cap);
  if (!rec) return Next::ReleaseNeeded;
  if (rec->size() < kRecordHeader + cap)
    malformed(at, "record truncated (" + std::to_string(cap) + " bytes captured, " +
                      std::to_string(rec->size() - kRecordHeader) + " left)");
  place(p, rec->data(), at);
  in_.consume(kRecordHeader + cap);
  return Next::Packet;
}

}  // namespace dltdump::pcap
