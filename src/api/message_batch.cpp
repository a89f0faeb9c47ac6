#include "api/message_batch.hpp"

#include <functional>

namespace dltdump::api {

namespace {

// Whether `part` lies within `whole` (compared as addresses, which std::less orders
// totally even for unrelated buffers).
bool within(std::span<const std::uint8_t> part, std::span<const std::uint8_t> whole) noexcept {
  const std::less_equal<const std::uint8_t*> le;
  return le(whole.data(), part.data()) && le(part.data() + part.size(), whole.data() + whole.size());
}

// `part` (a subspan of `from`) moved along with `from` to `to`.
std::span<const std::uint8_t> rebased(std::span<const std::uint8_t> part, std::span<const std::uint8_t> from,
                                      std::span<const std::uint8_t> to) noexcept {
  return to.subspan(static_cast<std::size_t>(part.data() - from.data()), part.size());
}

}  // namespace

bool MessageBatch::is_stable(std::span<const std::uint8_t> bytes) const noexcept {
  return !stable_.empty() && within(bytes, stable_);
}

std::span<const std::uint8_t> MessageBatch::keep(std::span<const std::uint8_t> bytes) {
  const auto& copy = copies_.emplace_back(bytes.begin(), bytes.end());
  return copy;
}

void MessageBatch::on_message(const dlt::Message& m) {
  dlt::Message& r = records_.emplace_back(m);
  r.has_payload_text = false;  // in the framer's text buffer: made again when asked
  r.payload_text = {};
  r.has_payload_args = false;  // the same
  r.payload_args = {};
  r.input = input_;
  if (is_stable(m.raw) && is_stable(m.packet)) return;
  // The payload lies in the packet, the packet mostly in the raw bytes.
  r.raw = keep(m.raw);
  r.packet = within(m.packet, m.raw) ? rebased(m.packet, m.raw, r.raw) : keep(m.packet);
  r.payload = m.payload.empty() ? std::span<const std::uint8_t>{} : rebased(m.payload, m.packet, r.packet);
}

}  // namespace dltdump::api
