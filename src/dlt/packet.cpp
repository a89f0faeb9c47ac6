#include "dlt/packet.hpp"

#include "dlt/control_payload.hpp"
#include "dlt/nonverbose_payload.hpp"
#include "dlt/verbose_payload.hpp"
#include "util/byte_order.hpp"

namespace dltdump::dlt {

namespace {
// Validates the payload by the rules of its kind; formats it too when `text` is given.
bool check_payload_kind(const Message& m, util::TextBuffer* text) {
  const unsigned mstp = (m.msin >> 1) & 7;
  const unsigned mtin = m.msin >> 4;
  switch (m.kind) {
    case PayloadKind::NonVerbose:
      if (text) format_nonverbose(m, *text);
      return true;
    case PayloadKind::Control:
      if (mtin < 1 || mtin > 3) return false;
      return text ? format_control(m.payload, m.big_endian, static_cast<ControlKind>(mtin), *text)
                  : validate_control(m.payload, m.big_endian, static_cast<ControlKind>(mtin));
    case PayloadKind::Verbose:
      if (mtin == 0 || mstp > 3) return false;
      return text ? format_verbose(m.payload, m.big_endian, m.noar, *text)
                  : validate_verbose(m.payload, m.big_endian, m.noar);
  }
  return false;
}
}  // namespace

namespace {

// Selects a or b by `pick` without a branch (the header flags vary from message to message,
// so a branch on them would be mispredicted often).
inline std::uint32_t select(bool pick, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t mask = 0u - static_cast<std::uint32_t>(pick);
  return (a & mask) | (b & ~mask);
}
inline Id id_or_none(bool present, const std::uint8_t* p) { return select_id(present, parse_id(p), Id{}); }

// Payload kind by [has extended header][MSTP is control][MSIN verbose bit].
constexpr PayloadKind kKinds[2][2][2] = {
    {{PayloadKind::NonVerbose, PayloadKind::NonVerbose}, {PayloadKind::NonVerbose, PayloadKind::NonVerbose}},
    {{PayloadKind::NonVerbose, PayloadKind::Verbose}, {PayloadKind::Control, PayloadKind::Control}}};

// The longest header: standard 4 + ECU 4 + session 4 + time stamp 4 + extended 10.
constexpr std::size_t kLongestHeaders = 26;

}  // namespace

void parse_headers(std::span<const std::uint8_t> packet, Message& m) {
  const std::uint8_t* p = packet.data();
  m.packet = packet;
  m.htyp = p[0];
  m.counter = p[1];
  m.big_endian = (m.htyp & htyp::kMsbFirst) != 0;
  m.has_ecu = (m.htyp & htyp::kWithEcuId) != 0;
  m.has_session = (m.htyp & htyp::kWithSessionId) != 0;
  m.has_device_time = (m.htyp & htyp::kWithTimestamp) != 0;
  m.has_extended = (m.htyp & htyp::kUseExtendedHeader) != 0;
  std::size_t at = 4;
  if (packet.size() >= kLongestHeaders) {
    // Every field read is inside the packet whatever the flags: read all, keep the present.
    m.ecu = id_or_none(m.has_ecu, p + at);
    at += 4 * m.has_ecu;
    m.session = select(m.has_session, util::load_be32(p + at), 0);
    at += 4 * m.has_session;
    m.device_time = select(m.has_device_time, util::load_be32(p + at), 0);
    at += 4 * m.has_device_time;
    m.msin = static_cast<std::uint8_t>(select(m.has_extended, p[at], 0));
    m.noar = static_cast<std::uint8_t>(select(m.has_extended, p[at + 1], 0));
    m.app = id_or_none(m.has_extended, p + at + 2);
    m.ctx = id_or_none(m.has_extended, p + at + 6);
    at += 10 * m.has_extended;
  } else {
    // A short packet (standard_header_length checked that its flagged fields fit).
    m.ecu = m.has_ecu ? parse_id(p + at) : Id{};
    at += 4 * m.has_ecu;
    m.session = m.has_session ? util::load_be32(p + at) : 0;
    at += 4 * m.has_session;
    m.device_time = m.has_device_time ? util::load_be32(p + at) : 0;
    at += 4 * m.has_device_time;
    m.msin = m.has_extended ? p[at] : 0;
    m.noar = m.has_extended ? p[at + 1] : 0;
    m.app = m.has_extended ? parse_id(p + at + 2) : Id{};
    m.ctx = m.has_extended ? parse_id(p + at + 6) : Id{};
    at += 10 * m.has_extended;
  }
  m.payload = packet.subspan(at);
  m.frame = nullptr;
  m.has_payload_args = false;
  m.kind = kKinds[m.has_extended][((m.msin >> 1) & 7) == static_cast<unsigned>(MessageType::Control)][m.msin & 1];
}

bool check_payload_into(const Message& m, util::TextBuffer& out) { return check_payload_kind(m, &out); }

bool check_payload_with_args(Message& m, util::TextBuffer& payload_text, util::TextBuffer& payload_args) {
  if (m.kind != PayloadKind::Verbose) return check_payload(m, &payload_text);
  const unsigned mstp = (m.msin >> 1) & 7;
  const unsigned mtin = m.msin >> 4;
  if (mtin == 0 || mstp > 3 ||
      !format_verbose_with_json(m.payload, m.big_endian, m.noar, payload_text, payload_args, m.payload_text_plain)) {
    m.has_payload_text = false;
    return false;
  }
  m.has_payload_text = true;
  m.payload_text = payload_text.view();
  m.has_payload_args = true;
  m.payload_args = payload_args.view();
  return true;
}

bool check_payload(Message& m, util::TextBuffer* payload_text) {
  if (m.frame) [[unlikely]] {  // a non-verbose message of a catalogue: always valid
    read_frame_payload(m, payload_text);
    m.has_payload_text = payload_text != nullptr;
    m.payload_text = payload_text ? payload_text->view() : std::string_view();
    return true;
  }
  if (!check_payload_kind(m, payload_text)) {
    m.has_payload_text = false;
    return false;
  }
  m.has_payload_text = payload_text != nullptr;
  m.payload_text = payload_text ? payload_text->view() : std::string_view();
  return true;
}

namespace {

// All type texts, each in a zero-padded slot of kTypeTextReadable bytes.
struct TypeTexts {
  char slot[4][16][kTypeTextReadable] = {};
  std::uint8_t size[4][16] = {};

  constexpr void set(unsigned mstp, unsigned mtin, std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) slot[mstp][mtin][i] = text[i];
    size[mstp][mtin] = static_cast<std::uint8_t>(text.size());
  }
  constexpr TypeTexts() {
    constexpr std::string_view kLog[] = {"log fatal", "log error", "log warn", "log info", "log debug", "log verbose"};
    constexpr std::string_view kApp[] = {"app_trace variable", "app_trace func_in", "app_trace func_out",
                                         "app_trace state", "app_trace vfb"};
    // Deviation Q2: ethernet, someip and the user types by their names.
    constexpr std::string_view kNw[] = {"nw_trace ipc",      "nw_trace can",    "nw_trace flexray", "nw_trace most",
                                        "nw_trace ethernet", "nw_trace someip", "nw_trace user1",   "nw_trace user2",
                                        "nw_trace user3",    "nw_trace user4",  "nw_trace user5",   "nw_trace user6",
                                        "nw_trace user7",    "nw_trace user8",  "nw_trace user9"};
    constexpr std::string_view kCtl[] = {"control request", "control response", "control time"};
    for (unsigned t = 0; t < 16; ++t) {
      set(0, t, t >= 1 && t <= 6 ? kLog[t - 1] : "log ");
      set(1, t, t >= 1 && t <= 5 ? kApp[t - 1] : "app_trace ");
      set(2, t, t >= 1 ? kNw[t - 1] : "nw_trace ");
      set(3, t, t >= 1 && t <= 3 ? kCtl[t - 1] : "control ");
    }
  }
};
constexpr TypeTexts kTypeTexts;
constexpr char kNoType[kTypeTextReadable] = {};

}  // namespace

std::string_view type_text(unsigned mstp, unsigned mtin) {
  return {kTypeTexts.slot[mstp & 3][mtin & 15], kTypeTexts.size[mstp & 3][mtin & 15]};
}

std::string_view type_text(const Message& m) {
  if (m.frame) [[unlikely]] {
    const unsigned f = m.frame->msin;
    return {kTypeTexts.slot[(f >> 1) & 3][f >> 4], kTypeTexts.size[(f >> 1) & 3][f >> 4]};
  }
  const unsigned mstp = (m.msin >> 1) & 7;
  // An empty view that still points at kTypeTextReadable readable bytes (callers copy that
  // many at once), hence not {}.
  if (!m.has_extended || mstp > 3) return {kNoType, 0};  // NOLINT(bugprone-string-constructor)
  const unsigned mtin = m.msin >> 4;
  return {kTypeTexts.slot[mstp][mtin], kTypeTexts.size[mstp][mtin]};
}

}  // namespace dltdump::dlt
