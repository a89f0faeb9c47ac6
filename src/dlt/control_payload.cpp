#include "dlt/control_payload.hpp"

#include <cstdio>
#include <ctime>
#include <string_view>

#include "dlt/id.hpp"
#include "dlt/message.hpp"
#include "dlt/text_encoding.hpp"
#include "util/byte_order.hpp"
#include "util/number_format.hpp"

namespace dltdump::dlt {

namespace {

constexpr std::size_t kPaddingTolerance = 32;

std::string_view service_name(std::int32_t id) {
  switch (id) {
    case 0x01: return "set_log_level";
    case 0x02: return "set_trace_status";
    case 0x03: return "get_log_info";
    case 0x04: return "get_default_log_level";
    case 0x05: return "store_config";
    case 0x06: return "reset_to_factory_default";
    case 0x09: return "set_verbose_mode";
    case 0x0A: return "set_message_filtering";
    case 0x0B: return "set_timing_packets";
    case 0x0C: return "get_local_time";
    case 0x0D: return "use_ecu_id";
    case 0x0E: return "use_session_id";
    case 0x0F: return "use_timestamp";
    case 0x10: return "use_extended_header";
    case 0x11: return "set_default_log_level";
    case 0x12: return "set_default_trace_status";
    case 0x13: return "get_software_version";
    case 0x14: return "message_buffer_overflow";
    case 0x15: return "get_default_trace_status";
    case 0x19: return "get_verbose_mode";
    case 0x1A: return "get_message_filtering";
    case 0x1B: return "get_use_ecu_id";
    case 0x1C: return "get_use_session_id";
    case 0x1D: return "get_use_timestamp";
    case 0x1E: return "get_use_extended_header";
    case 0x1F: return "get_trace_status";
    case 0x23: return "buffer_overflow";
    case 0x24: return "sync_timestamp";
    case 0xF01: return "unregister_context";
    case 0xF02: return "connection_info";
    case 0xF03: return "timezone";
    case 0xF04: return "marker";
    default: return {};
  }
}

// Reads within the payload; every accessor returns 0 beyond the end, and `need(D)` is
// checked before any text is trusted, so a short payload never reads out of bounds.
struct Payload {
  const std::uint8_t* p;
  std::size_t n;
  bool be;

  bool has(std::size_t end) const { return n >= end; }
  std::uint8_t u8(std::size_t at) const { return at < n ? p[at] : 0; }
  std::int8_t s8(std::size_t at) const { return static_cast<std::int8_t>(u8(at)); }
  std::uint16_t u16(std::size_t at) const { return at + 2 <= n ? util::load<std::uint16_t>(p + at, be) : 0; }
  std::uint32_t u32(std::size_t at) const { return at + 4 <= n ? util::load<std::uint32_t>(p + at, be) : 0; }
  Id id(std::size_t at) const { return at + 4 <= n ? parse_id(p + at) : Id{}; }
  // Valid when the decoder consumed D bytes and at most kPaddingTolerance follow.
  bool fits(std::size_t d) const { return n >= d && n - d <= kPaddingTolerance; }
};

template <class Out>
void put_signed(Out& out, int v) {
  if constexpr (Out::kFormats) util::append_int(out, v);
}
template <class Out>
void put_unsigned(Out& out, std::uint64_t v) {
  if constexpr (Out::kFormats) util::append_int(out, v);
}

template <class Out>
void put_status(Out& out, std::uint8_t s, bool with_pending = false) {
  switch (s) {
    case 0: out.append("ok"); return;
    case 1: out.append("not_supported"); return;
    case 2: out.append("error"); return;
    case 3:
      if (with_pending) {
        out.append("pending");
        return;
      }
      break;
  }
  out.append("status=");
  put_unsigned(out, s);
}

template <class Out>
void put_level(Out& out, std::int8_t level) {
  static constexpr std::string_view kNames[] = {"block_all", "fatal", "error", "warning", "info", "debug", "verbose"};
  if (level == -1) out.append("default");
  else if (level >= 0 && level <= 6) out.append(kNames[level]);
  else {
    out.append("log_level=");
    put_signed(out, level);
  }
}

template <class Out>
void put_trace_status(Out& out, std::int8_t s) {
  if (s == -1) out.append("default");
  else if (s == 0) out.append("off");
  else if (s == 1) out.append("on");
  else {
    out.append("status=");
    put_signed(out, s);
  }
}

template <class Out>
void put_on_off(Out& out, std::uint8_t b) {
  out.append(b ? std::string_view("on") : std::string_view("off"));
}

// ` <COM>` when the communication interface id is not empty.
template <class Out>
void put_com(Out& out, const Id& com) {
  if (!com.empty()) {
    out.put(' ');
    out.append(com.shown().view());
  }
}

template <class Out>
void put_app_ctx(Out& out, const Id& app, const Id& ctx) {
  out.append(app.shown().view());
  out.append(" (");
  out.append(ctx.shown().view());
  out.put(')');
}

template <class Out>
void open_service(Out& out, std::string_view name) {
  out.put('[');
  out.append(name);
}

// Software injection (service id >= 0xFFF or negative).
template <class Out>
bool injection(const Payload& pl, ControlKind kind, Out& out) {
  if (kind == ControlKind::Request) {
    if (!pl.has(8)) return false;
    std::uint32_t len = pl.u32(4);
    if (pl.n - 8 != len) return false;
    out.append("] ");
    std::uint8_t le_len[4] = {static_cast<std::uint8_t>(len), static_cast<std::uint8_t>(len >> 8),
                              static_cast<std::uint8_t>(len >> 16), static_cast<std::uint8_t>(len >> 24)};
    append_hex_bytes(out, le_len, 4);
    if (len) {
      out.put(' ');
      append_hex_bytes(out, pl.p + 8, len);
    }
    return true;
  }
  if (!pl.fits(5)) return false;
  out.put(' ');
  put_status(out, pl.u8(4), true);
  out.put(']');
  return true;
}

template <class Out>
bool request(const Payload& pl, std::int32_t id, Out& out) {
  std::string_view name = service_name(id);
  switch (id) {
    case 0x01:
    case 0x02: {
      if (!pl.fits(17)) return false;
      Id app = pl.id(4), ctx = pl.id(8), com = pl.id(13);
      open_service(out, name);
      out.append("] ");
      if (id == 0x01) put_level(out, pl.s8(12));
      else put_trace_status(out, pl.s8(12));
      if (!app.empty() || !ctx.empty()) {
        out.put(' ');
        put_app_ctx(out, app, ctx);
      }
      put_com(out, com);
      return true;
    }
    case 0x03: {
      if (!pl.fits(17)) return false;
      Id app = pl.id(5), ctx = pl.id(9), com = pl.id(13);
      open_service(out, name);
      out.append(" options=");
      put_unsigned(out, pl.u8(4));
      out.append("] ");
      if (app.empty()) out.append("-all-");
      else put_app_ctx(out, app, ctx);
      put_com(out, com);
      return true;
    }
    case 0x04:
    case 0x05:
    case 0x06:
    case 0x0C:
    case 0x13:
    case 0x14:
    case 0x15:
    case 0x19:
    case 0x1A:
    case 0x1B:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x23:
    case 0x24:
      if (!pl.fits(4)) return false;
      open_service(out, name);
      out.put(']');
      return true;
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0D:
    case 0x0E:
    case 0x0F:
    case 0x10:
      if (!pl.fits(5)) return false;
      open_service(out, name);
      out.append("] ");
      put_on_off(out, pl.u8(4));
      return true;
    case 0x11:
    case 0x12:
      if (!pl.fits(9)) return false;
      open_service(out, name);
      out.append("] ");
      if (id == 0x11) put_level(out, pl.s8(4));
      else put_on_off(out, pl.u8(4));
      put_com(out, pl.id(5));
      return true;
    case 0x1F: {
      if (!pl.fits(12)) return false;
      Id app = pl.id(4), ctx = pl.id(8);
      open_service(out, name);
      out.put(']');
      if (!app.empty() || !ctx.empty()) {
        out.put(' ');
        put_app_ctx(out, app, ctx);
      }
      return true;
    }
    default: return false;
  }
}

// get_log_info response with status 3..7: the table of applications and contexts.
template <class Out>
bool log_info_table(const Payload& pl, std::uint8_t status, Out& out) {
  const bool with_level = status == 4 || status == 6 || status == 7;
  const bool with_trace = status == 5 || status == 6 || status == 7;
  const bool with_desc = status == 7;
  std::size_t at = 5;
  if (!pl.has(at + 2)) return false;
  std::uint16_t apps = pl.u16(at);
  at += 2;
  for (unsigned a = 0; a < apps; ++a) {
    if (!pl.has(at + 6)) return false;
    Id app = pl.id(at);
    std::uint16_t ctxs = pl.u16(at + 4);
    at += 6;
    if (app.empty()) out.put('(');
    else {
      out.put(' ');
      out.append(app.shown().view());
      out.append(" (");
    }
    for (unsigned c = 0; c < ctxs; ++c) {
      if (!pl.has(at + 4)) return false;
      if (c) out.append(", ");
      out.append(pl.id(at).shown().view());
      at += 4;
      if (with_level) {
        if (!pl.has(at + 1)) return false;
        out.put(' ');
        put_level(out, pl.s8(at));
        at += 1;
      }
      if (with_trace) {
        if (!pl.has(at + 1)) return false;
        std::int8_t ts = pl.s8(at);
        at += 1;
        if (ts != -128) {
          out.put(' ');
          if (ts == -1 || ts == 0 || ts == 1) put_trace_status(out, ts);
          else put_signed(out, ts);
        }
      }
      if (with_desc) {
        if (!pl.has(at + 2)) return false;
        at += 2 + pl.u16(at);
      }
    }
    if (with_desc) {
      if (!pl.has(at + 2)) return false;
      at += 2 + pl.u16(at);
    }
    out.append(");");
  }
  if (!pl.fits(at + 4)) return false;
  if (apps) put_com(out, pl.id(at));
  return true;
}

template <class Out>
bool sync_timestamp(const Payload& pl, Out& out) {
  if (!pl.fits(15)) return false;
  out.append(" ok] ");
  if constexpr (Out::kFormats) {
    std::uint32_t ns = pl.u32(5);
    std::uint64_t secs = (static_cast<std::uint64_t>(pl.u16(13)) << 32) | pl.u32(9);
    std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm{};
    if (!::gmtime_r(&t, &tm)) tm = std::tm{};
    char buf[64];
    int k = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%05uZ", tm.tm_year + 1900, tm.tm_mon + 1,
                          tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>((ns / 10000) % 100000));
    out.append(buf, static_cast<std::size_t>(k));
  }
  return true;
}

template <class Out>
bool response(const Payload& pl, std::int32_t id, Out& out) {
  std::string_view name = service_name(id);
  if (name.empty() || !pl.has(5)) return false;
  const std::uint8_t status = pl.u8(4);
  if (id == 0xF04) {
    if (!pl.fits(5)) return false;
    out.append("MARKER");
    return true;
  }
  open_service(out, name);
  if (id < 0xF01 && (status == 1 || status == 2)) {
    if (!pl.fits(5)) return false;
    out.put(' ');
    put_status(out, status);
    out.put(']');
    return true;
  }
  switch (id) {
    case 0x01:
    case 0x02:
    case 0x05:
    case 0x06:
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x0E:
    case 0x0F:
    case 0x10:
    case 0x11:
    case 0x12:
      if (!pl.fits(5)) return false;
      out.put(' ');
      put_status(out, status);
      out.put(']');
      return true;
    case 0x04:
    case 0x14:
    case 0x15:
    case 0x19:
    case 0x1A:
    case 0x1B:
    case 0x1C:
    case 0x1D:
    case 0x1E:
    case 0x1F:
      out.put(' ');
      put_status(out, status);
      out.put(']');
      if (status != 0) return pl.fits(5);
      if (!pl.fits(6)) return false;
      out.put(' ');
      if (id == 0x04) put_level(out, pl.s8(5));
      else if (id == 0x14) out.append(pl.u8(5) ? std::string_view("true") : std::string_view("false"));
      else put_on_off(out, pl.u8(5));
      return true;
    case 0x13: {
      out.put(' ');
      put_status(out, status);
      out.put(']');
      if (status != 0) return pl.fits(5);
      if (!pl.has(9)) return false;
      std::uint32_t len = pl.u32(5);
      if (len > kMaxPacketBytes || !pl.fits(9 + static_cast<std::size_t>(len))) return false;
      std::size_t text = len;
      if (text > 0 && pl.p[9 + text - 1] == 0) --text;
      out.put(' ');
      append_latin1(out, pl.p + 9, text);
      return true;
    }
    case 0x23:
      out.put(' ');
      put_status(out, status);
      out.put(']');
      if (status != 0) return pl.fits(5);
      if (!pl.fits(9)) return false;
      out.put(' ');
      put_unsigned(out, pl.u32(5));
      return true;
    case 0x24:
      if (status != 0) {
        out.put(' ');
        put_status(out, status);
        out.put(']');
        return pl.fits(5);
      }
      return sync_timestamp(pl, out);
    case 0x03:
      out.put(' ');
      switch (status) {
        case 0: out.append("ok]"); return pl.fits(9);
        case 8: out.append("no_matching_context_id]"); return pl.fits(9);
        case 9: out.append("overflow]"); return pl.n < 9 ? pl.fits(5) : pl.fits(9);
        case 3:
        case 4:
        case 5:
        case 6:
        case 7:
          put_unsigned(out, status);
          out.put(']');
          return log_info_table(pl, status, out);
        default: return false;
      }
    case 0xF01: {
      if (!pl.fits(17)) return false;
      Id app = pl.id(5), ctx = pl.id(9);
      out.put(' ');
      put_status(out, status);
      out.put(']');
      if (!app.empty() || !ctx.empty()) {
        out.put(' ');
        put_app_ctx(out, app, ctx);
      }
      put_com(out, pl.id(13));
      return true;
    }
    case 0xF02: {
      if (!pl.fits(10)) return false;
      out.put(' ');
      put_status(out, status);
      out.append("] ");
      std::uint8_t state = pl.u8(5);
      out.append(state == 2   ? std::string_view("connected")
                 : state == 1 ? std::string_view("disconnected")
                              : std::string_view("unknown"));
      put_com(out, pl.id(6));
      return true;
    }
    case 0xF03: {
      if (!pl.fits(10)) return false;
      out.put(' ');
      put_status(out, status);
      out.append("] ");
      std::int32_t tz = static_cast<std::int32_t>(pl.u32(5));
      std::int64_t mag = tz < 0 ? -static_cast<std::int64_t>(tz) : tz;
      out.put(tz < 0 ? '-' : '+');
      int hh = static_cast<int>(mag / 3600 % 24), mm = static_cast<int>(mag / 60 % 60);
      char hm[5] = {static_cast<char>('0' + hh / 10), static_cast<char>('0' + hh % 10), ':',
                    static_cast<char>('0' + mm / 10), static_cast<char>('0' + mm % 10)};
      out.append(hm, 5);
      if (pl.u8(9)) out.append(" DST");
      return true;
    }
    default: return false;
  }
}

template <class Out>
bool decode_control(std::span<const std::uint8_t> payload, bool be, ControlKind kind, Out& out) {
  if (kind == ControlKind::Time) {
    out.append("[]");
    return true;
  }
  Payload pl{payload.data(), payload.size(), be};
  if (!pl.has(4)) return false;
  std::int32_t id = static_cast<std::int32_t>(pl.u32(0));
  if (id >= 0xFFF || id < 0) {
    out.put('[');
    return injection(pl, kind, out);
  }
  return kind == ControlKind::Request ? request(pl, id, out) : response(pl, id, out);
}

}  // namespace

bool validate_control(std::span<const std::uint8_t> payload, bool big_endian, ControlKind kind) {
  util::NullText sink;
  return decode_control(payload, big_endian, kind, sink);
}

bool format_control(std::span<const std::uint8_t> payload, bool big_endian, ControlKind kind, util::TextBuffer& out) {
  return decode_control(payload, big_endian, kind, out);
}

}  // namespace dltdump::dlt
