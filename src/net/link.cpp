#include "net/link.hpp"

#include "aio/packet.hpp"
#include "util/byte_order.hpp"

namespace dltdump::net {

namespace {
bool is_vlan_tag(std::uint16_t tpid) { return tpid == 0x8100 || tpid == 0x88A8 || tpid == 0x9100; }
}  // namespace

std::optional<LinkPayload> strip_ethernet(std::span<const std::uint8_t> f) noexcept {
  std::size_t at = 12;  // destination and source MAC
  for (int tags = 0;; ++tags) {
    if (f.size() < at + 2) return std::nullopt;
    const std::uint16_t type = util::load_be16(f.data() + at);
    if (!is_vlan_tag(type) || tags == 2) {
      if (is_vlan_tag(type)) return std::nullopt;  // a third tag: not decoded
      return LinkPayload{type, f.subspan(at + 2)};
    }
    at += 4;
  }
}

std::optional<LinkPayload> strip_link(std::uint16_t link_type, std::span<const std::uint8_t> f) noexcept {
  switch (link_type) {
    case aio::link_type::kEthernet:
      return strip_ethernet(f);
    case aio::link_type::kLinuxSll:  // packet type 2, ARPHRD 2, address length 2, address 8, protocol 2
      if (f.size() < 16) return std::nullopt;
      return LinkPayload{util::load_be16(f.data() + 14), f.subspan(16)};
    case aio::link_type::kLinuxSll2:  // protocol 2, reserved 2, ifindex 4, ARPHRD 2, type 1, len 1, address 8
      if (f.size() < 20) return std::nullopt;
      return LinkPayload{util::load_be16(f.data()), f.subspan(20)};
    case aio::link_type::kRaw:
    case aio::link_type::kIpv4:
      if (f.empty() || (f[0] >> 4) != 4) return std::nullopt;  // IPv6 or garbage
      return LinkPayload{kEtherTypeIpv4, f};
    default:
      return std::nullopt;
  }
}

}  // namespace dltdump::net
