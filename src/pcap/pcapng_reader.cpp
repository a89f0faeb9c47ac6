#include "pcap/pcapng_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "pcap/pcapng_format.hpp"
#include "util/byte_order.hpp"

namespace dltdump::pcap {

namespace {

// Walks an option list [p, end) and calls f(code, value, length) for each option until the
// end marker or fewer than 4 bytes remain. Returns false with `bad_code` set when an
// option's value runs past `end`.
template <typename F>
bool for_each_option(const std::uint8_t* p, const std::uint8_t* end, bool be, std::uint16_t& bad_code, F f) {
  while (end - p >= 4) {
    const std::uint16_t code = util::load<std::uint16_t>(p, be);
    const std::uint16_t len = util::load<std::uint16_t>(p + 2, be);
    if (code == pcapng::kOptEnd) return true;
    if (static_cast<std::size_t>(end - p - 4) < len) {
      bad_code = code;
      return false;
    }
    f(code, p + 4, len);
    p += 4 + std::min<std::size_t>(pcapng::pad4(len), static_cast<std::size_t>(end - p - 4));
  }
  return true;
}

// A block type as the PCAP-NG specification writes them (0x0A0D0D0A), not in decimal.
std::string block_type_text(std::uint32_t type) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08X", type);
  return text;
}

}  // namespace

bool PcapngReader::is_magic(const std::uint8_t* m) noexcept {
  return util::load_native<std::uint32_t>(m) == pcapng::kSectionHeader;  // a palindrome
}

PcapngReader::PcapngReader(util::ContiguousInput in) : CaptureReader(std::move(in)) {}

PcapngReader::PcapngReader(const PcapngReader& state, util::ContiguousInput in)
    : CaptureReader(state, std::move(in)), big_endian_(state.big_endian_),
      section_first_interface_(state.section_first_interface_), section_started_(state.section_started_) {}

std::unique_ptr<CaptureReader> PcapngReader::clone(util::ContiguousInput in) const {
  return std::unique_ptr<CaptureReader>(new PcapngReader(*this, std::move(in)));
}

bool PcapngReader::same_state(const CaptureReader& other) const {
  const auto* o = dynamic_cast<const PcapngReader*>(&other);
  return o && o->big_endian_ == big_endian_ && o->section_first_interface_ == section_first_interface_ &&
         o->section_started_ == section_started_ && o->interfaces_ == interfaces_;
}

std::uint64_t PcapngReader::next_cut(std::uint64_t from) const {
  const auto file = in_.mapped();
  const std::uint64_t size = file.size();
  // The length of the block at `at` read in byte order `be`, if it is well formed as far as
  // its lengths tell: valid, within the file, repeated at its end. 0 if not.
  auto block_length = [&](std::uint64_t at, bool be) -> std::uint64_t {
    if (size - at < 12) return 0;
    const std::uint32_t len = util::load<std::uint32_t>(file.data() + at + 4, be);
    if (len < 12 || len % 4 != 0 || len > pcapng::kMaxBlockBytes || len > size - at) return 0;
    return util::load<std::uint32_t>(file.data() + at + len - 4, be) == len ? len : 0;
  };
  // Blocks start at multiples of 4 (each section's header at 0 or after padded blocks). A
  // later section may have the other byte order: both are tried.
  const std::uint64_t limit = std::min(size, from + kCutReach);
  for (std::uint64_t at = (from + 3) & ~std::uint64_t{3}; at + 12 <= limit; at += 4) {
    for (const bool be : {big_endian_, !big_endian_}) {
      if (util::load<std::uint32_t>(file.data() + at, be) != pcapng::kEnhancedPacket) continue;
      std::uint64_t next = at;
      int blocks = 0;
      for (; blocks < 4 && next < size; ++blocks) {
        const std::uint64_t len = block_length(next, be);
        if (len == 0) break;
        next += len;
      }
      if (blocks == 4 || next == size) return at;
    }
  }
  return size;
}

std::uint32_t PcapngReader::u32(const std::uint8_t* p) const noexcept {
  return util::load<std::uint32_t>(p, big_endian_);
}
std::uint16_t PcapngReader::u16(const std::uint8_t* p) const noexcept {
  return util::load<std::uint16_t>(p, big_endian_);
}

std::size_t PcapngReader::next_well_formed(std::span<aio::Packet> out) noexcept {
  // Enhanced packet blocks lying whole in what the input holds, read in place without the
  // general path's two peeks. The stop applies to block starts, as in next().
  if (!section_started_ || in_.offset() >= stop_) return 0;
  const auto ready = in_.ready();
  const std::uint8_t* const base = ready.data();
  const std::size_t starts_before =
      static_cast<std::size_t>(std::min<std::uint64_t>(stop_ - in_.offset(), ready.size()));
  std::size_t at = 0, n = 0;
  Prefetch prefetch(base, base + ready.size());
  while (n < out.size() && at < starts_before && ready.size() - at >= 32) {
    const std::uint8_t* d = base + at;
    const std::size_t left = ready.size() - at;
    const std::uint32_t len = u32(d + 4);
    if (u32(d) != pcapng::kEnhancedPacket || len < 12 || len % 4 != 0 || len > pcapng::kMaxBlockBytes || len > left ||
        u32(d + len - 4) != len)
      break;
    prefetch.upto(d + len);
    if (!read_well_formed_epb({d, len}, in_.offset() + at, out[n])) break;
    at += len;
    ++n;
  }
  in_.consume(at);
  return n;
}

CaptureReader::Next PcapngReader::next(aio::Packet& p) {
  if (next_well_formed({&p, 1}) == 1) return Next::Packet;
  for (;;) {
    const std::uint64_t at = in_.offset();
    if (at >= stop_) return Next::End;
    const auto head = in_.peek(12);
    if (!head) return Next::ReleaseNeeded;
    if (head->empty()) {
      if (at == 0) malformed(0, "file is empty");
      return Next::End;
    }
    if (head->size() < 12) malformed(at, "truncated block header (" + std::to_string(head->size()) + " bytes left)");
    // The SHB's type reads the same in both byte orders; every other block's type is in
    // the byte order its section's SHB declared.
    std::uint32_t type = util::load_native<std::uint32_t>(head->data());
    if (type != pcapng::kSectionHeader) type = u32(head->data());
    if (type == pcapng::kSectionHeader) {
      const std::uint32_t magic = util::load_native<std::uint32_t>(head->data() + 8);
      if (magic == pcapng::kByteOrderMagic) big_endian_ = std::endian::native == std::endian::big;
      else if (magic == __builtin_bswap32(pcapng::kByteOrderMagic))
        big_endian_ = std::endian::native != std::endian::big;
      else malformed(at, "section header with a bad byte-order magic");
    }
    const std::uint32_t len = u32(head->data() + 4);
    const std::uint32_t cap = type == pcapng::kSectionHeader ? pcapng::kMaxSectionHeaderBytes : pcapng::kMaxBlockBytes;
    if (len < 12 || len % 4 != 0 || len > cap)
      malformed(at, "block of type " + block_type_text(type) + " with invalid length " + std::to_string(len));
    const auto block = in_.peek(len);
    if (!block) return Next::ReleaseNeeded;
    if (block->size() < len)
      malformed(at, "truncated block (" + std::to_string(len) + " bytes, " + std::to_string(block->size()) + " left)");
    if (u32(block->data() + len - 4) != len)
      malformed(at, "block whose trailing length " + std::to_string(u32(block->data() + len - 4)) +
                        " differs from its length " + std::to_string(len));
    switch (type) {
      case pcapng::kSectionHeader: start_section(*block, at); break;
      case pcapng::kInterfaceDescription: add_interface(*block, at); break;
      case pcapng::kEnhancedPacket:
      case pcapng::kSimplePacket:
      case pcapng::kObsoletePacket:
        read_packet_block(type, *block, at, p);
        in_.consume(len);
        return Next::Packet;
      default: break;  // NRB, ISB, DSB, custom and unknown blocks carry no packets for us
    }
    in_.consume(len);
  }
}

void PcapngReader::start_section(std::span<const std::uint8_t> b, std::uint64_t at) {
  if (b.size() < 28) malformed(at, "section header block shorter than 28 bytes");
  const std::uint16_t major = u16(b.data() + 12);
  if (major != 1) malformed(at, "section header of unsupported version " + std::to_string(major));
  section_first_interface_ = interfaces_.size();
  section_started_ = true;
}

void PcapngReader::add_interface(std::span<const std::uint8_t> b, std::uint64_t at) {
  if (b.size() < 20) malformed(at, "interface description block shorter than 20 bytes");
  if (interfaces_.size() >= kMaxInterfaces)
    malformed(at, "interface description beyond the limit of " + std::to_string(kMaxInterfaces) + " interfaces");
  Interface itf;
  itf.link_type = u16(b.data() + 8);
  itf.snaplen = u32(b.data() + 12);
  std::string problem;
  std::uint16_t bad_code = 0;
  const bool ok =
      for_each_option(b.data() + 16, b.data() + b.size() - 4, big_endian_, bad_code,
                      [&](std::uint16_t code, const std::uint8_t* v, std::uint16_t n) {
                        if (code == pcapng::kIfTsresol) {
                          if (n != 1) return void(problem = "if_tsresol of length " + std::to_string(n));
                          const std::uint8_t r = v[0];
                          const unsigned exp = r & 0x7F;
                          if (r & 0x80) {
                            if (exp > 63) return void(problem = "if_tsresol 2^-" + std::to_string(exp));
                            itf.units_per_second = std::uint64_t{1} << exp;
                          } else {
                            if (exp > 19) return void(problem = "if_tsresol 10^-" + std::to_string(exp));
                            std::uint64_t u = 1;
                            for (unsigned i = 0; i < exp; ++i) u *= 10;
                            itf.units_per_second = u;
                          }
                        } else if (code == pcapng::kIfTsoffset) {
                          if (n != 8) return void(problem = "if_tsoffset of length " + std::to_string(n));
                          itf.offset_seconds = util::load<std::int64_t>(v, big_endian_);
                        } else if (code == pcapng::kIfName) {
                          const auto* nul = static_cast<const std::uint8_t*>(std::memchr(v, 0, n));
                          itf.name.assign(reinterpret_cast<const char*>(v),
                                          nul ? static_cast<std::size_t>(nul - v) : std::min<std::size_t>(n, 256));
                        }
                      });
  if (!ok) malformed(at, "option " + std::to_string(bad_code) + " that runs past the end of its interface block");
  if (!problem.empty()) malformed(at, "interface description with invalid " + problem);
  interfaces_.push_back(std::move(itf));
}

void PcapngReader::place(aio::Packet& p, const std::uint8_t* block, std::uint64_t block_offset, std::size_t data_at,
                         std::uint32_t cap, std::uint32_t orig, std::size_t interface) const {
  p.data = block + data_at;
  p.size = cap;
  p.original_size = orig;
  p.interface = static_cast<std::uint32_t>(interface);
  p.link_type = interfaces_[interface].link_type;
  p.offset = block_offset + data_at;
}

bool PcapngReader::read_well_formed_epb(std::span<const std::uint8_t> b, std::uint64_t at,
                                        aio::Packet& p) const noexcept {
  const std::uint8_t* d = b.data();
  if (b.size() < 32) return false;
  const std::uint32_t local = u32(d + 8), cap = u32(d + 20), orig = u32(d + 24);
  if (cap > b.size() - 32 || orig < cap || local >= interfaces_.size() - section_first_interface_) return false;
  const std::size_t global = section_first_interface_ + local;
  const std::uint64_t units = (static_cast<std::uint64_t>(u32(d + 12)) << 32) | u32(d + 16);
  if (!to_nanoseconds(units, interfaces_[global], p.time_ns)) return false;
  place(p, d, at, 28, cap, orig, global);
  p.direction = aio::Direction::Unknown;
  std::uint16_t bad_code = 0;
  return for_each_option(d + 28 + pcapng::pad4(cap), d + b.size() - 4, big_endian_, bad_code,
                         [&](std::uint16_t code, const std::uint8_t* v, std::uint16_t n) {
                           if (code == pcapng::kEpbFlags && n == 4) {
                             const std::uint32_t dir = util::load<std::uint32_t>(v, big_endian_) & 3;
                             if (dir == 1 || dir == 2) p.direction = static_cast<aio::Direction>(dir);
                           }
                         });
}

void PcapngReader::read_packet_block(std::uint32_t type, std::span<const std::uint8_t> b, std::uint64_t at,
                                     aio::Packet& p) {
  if (type == pcapng::kEnhancedPacket && read_well_formed_epb(b, at, p)) return;
  const std::size_t section_interfaces = interfaces_.size() - section_first_interface_;
  const char* what = type == pcapng::kEnhancedPacket ? "enhanced packet block"
                     : type == pcapng::kSimplePacket ? "simple packet block"
                                                     : "packet block";
  const std::uint8_t* d = b.data();
  p = aio::Packet{};
  if (type == pcapng::kSimplePacket) {
    if (b.size() < 16) malformed(at, std::string(what) + " shorter than 16 bytes");
    if (section_interfaces == 0) malformed(at, std::string(what) + " before any interface description");
    const Interface& itf = interfaces_[section_first_interface_];
    const std::uint32_t orig = u32(d + 8);
    std::uint32_t cap = orig;
    if (itf.snaplen != 0 && itf.snaplen < cap) cap = itf.snaplen;
    if (cap > b.size() - 16)
      malformed(at, std::string(what) + " whose length " + std::to_string(cap) + " runs past the block");
    place(p, d, at, 12, cap, orig, section_first_interface_);
    return;  // an SPB has no time stamp: time_ns stays kNoTime
  }
  if (b.size() < 32) malformed(at, std::string(what) + " shorter than 32 bytes");
  const std::uint32_t local = type == pcapng::kEnhancedPacket ? u32(d + 8) : u16(d + 8);
  if (local >= section_interfaces)
    malformed(at, std::string(what) + " for interface " + std::to_string(local) + " of a section with " +
                      std::to_string(section_interfaces) + " interfaces");
  const std::uint32_t cap = u32(d + 20), orig = u32(d + 24);
  if (cap > b.size() - 32)
    malformed(at, std::string(what) + " whose captured length " + std::to_string(cap) + " runs past the block");
  if (orig < cap)
    malformed(at, std::string(what) + " whose captured length " + std::to_string(cap) +
                      " exceeds its original length " + std::to_string(orig));
  const std::size_t global = section_first_interface_ + local;
  const Interface& itf = interfaces_[global];
  const std::uint64_t units = (static_cast<std::uint64_t>(u32(d + 12)) << 32) | u32(d + 16);
  if (!to_nanoseconds(units, itf, p.time_ns)) malformed(at, std::string(what) + " with a time stamp out of range");
  place(p, d, at, 28, cap, orig, global);
  if (type == pcapng::kEnhancedPacket) {
    // read_well_formed_epb refused it for none of the reasons above: for its options.
    std::uint16_t bad_code = 0;
    for_each_option(d + 28 + pcapng::pad4(cap), d + b.size() - 4, big_endian_, bad_code,
                    [](std::uint16_t, const std::uint8_t*, std::uint16_t) {});
    malformed(at, std::string(what) + " with option " + std::to_string(bad_code) + " that runs past the block");
  }
}

}  // namespace dltdump::pcap
