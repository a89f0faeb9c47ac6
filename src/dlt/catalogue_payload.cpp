#include "dlt/catalogue_payload.hpp"

#include <bit>
#include <cstring>

#include "dlt/packet.hpp"
#include "dlt/text_encoding.hpp"
#include "util/byte_order.hpp"
#include "util/json_number.hpp"
#include "util/number_format.hpp"

namespace dltdump::dlt {

namespace {

std::int64_t sign_extend(std::uint64_t v, unsigned width) {
  const unsigned shift = 64 - 8 * width;
  return static_cast<std::int64_t>(v << shift) >> shift;
}

void append_lowercase_hex_length(util::TextBuffer& out, std::size_t n) {
  std::array<char, 16> digits;
  out.append(unknown_length_text(n, digits));
}

// What the walk tells its writer W about each argument, in payload order. FrameText writes
// a line's text (into a TextBuffer, or nothing into a NullText: the walk then only checks
// that the arguments take the bytes exactly); FrameJson, typed JSON; FrameList, typed
// records (W::kLists: given each argument's bytes instead of its value).
template <class Out>
struct FrameText {
  Out& out;
  static constexpr bool kFormats = Out::kFormats;
  static constexpr bool kLists = false;
  void separator() { out.put(' '); }
  void argument(const CatalogueArg&) {}                    // a line shows no names or units
  void static_text(std::string_view t) { out.append(t); }  // made printable when the catalogue was built
  void boolean(bool v) { out.append(v ? std::string_view("true") : std::string_view("false")); }
  void sint(std::int64_t v, unsigned) { util::append_int(out, v); }
  void uint(std::uint64_t v, unsigned) { util::append_int(out, v); }
  void hex(std::uint64_t v, unsigned width) { util::append_hex_value(out, v, width); }
  void bin(std::uint64_t v, unsigned width) { util::append_bin_value(out, v, width); }
  void float32(float v) { util::append_float_g(out, static_cast<double>(v)); }
  void float64(double v) { util::append_float_g(out, v); }
  void raw(const std::uint8_t* d, std::size_t n) { append_hex_bytes(out, d, n); }
  void string(const std::uint8_t* d, std::size_t n, bool utf8) {
    if (utf8) append_utf8(out, d, n);
    else append_iso8859_15(out, d, n);
  }
  void unknown(const std::uint8_t* d, std::size_t n) {
    out.put('(');
    append_lowercase_hex_length(out, n);
    out.put(')');
    if (n > 0) out.put(' ');
    append_hex_bytes(out, d, n);
  }
};

// One walk for both questions (does the frame read the payload, and what does it say).
template <class W>
bool walk(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool be, W& out) {
  const std::uint8_t* p = args.data();
  const std::uint8_t* const end = p + args.size();
  auto left = [&] { return static_cast<std::size_t>(end - p); };
  // A u16 length in payload byte order, then that many bytes.
  auto counted = [&](const std::uint8_t*& data, std::size_t& n) {
    if (left() < 2) return false;
    n = util::load<std::uint16_t>(p, be);
    if (left() - 2 < n) return false;
    data = p + 2;
    p += 2 + n;
    return true;
  };
  // A value of BYTE-LENGTH bytes, its first `width` read.
  auto fixed = [&](const CatalogueArg& a, const std::uint8_t*& data) {
    if (a.bytes < a.width || left() < a.bytes) return false;
    data = p;
    p += a.bytes;
    return true;
  };
  for (std::uint32_t i = 0; i < f.arg_count; ++i) {
    const CatalogueArg& a = f.args[i];
    if constexpr (W::kFormats) {
      if (i > 0) out.separator();
      out.argument(a);
    }
    const std::uint8_t* data = nullptr;
    std::size_t n = 0;
    switch (a.type) {
      case SignalType::Text:
        if constexpr (W::kFormats) out.static_text(a.text);
        break;
      // One switch for type and check: its jump is mispredicted as often as the types
      // vary from argument to argument, so a second one on the type would double that.
      case SignalType::Bool:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) {
          bool any = false;
          for (std::uint32_t k = 0; k < a.bytes; ++k) any |= data[k] != 0;
          out.boolean(any);
        }
        break;
      case SignalType::Sint:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) out.sint(sign_extend(util::load_width(data, a.width, be), a.width), a.width);
        break;
      case SignalType::Uint:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) out.uint(util::load_width(data, a.width, be), a.width);
        break;
      case SignalType::Hex:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) out.hex(util::load_width(data, a.width, be), a.width);
        break;
      case SignalType::Bin:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) out.bin(util::load_width(data, a.width, be), a.width);
        break;
      case SignalType::Float:
        if (!fixed(a, data)) return false;
        if constexpr (W::kFormats) {
          const std::uint64_t v = util::load_width(data, a.width, be);
          if (a.width == 4) out.float32(std::bit_cast<float>(static_cast<std::uint32_t>(v)));
          else out.float64(std::bit_cast<double>(v));
        }
        break;
      case SignalType::Raw:
        if (!counted(data, n)) return false;
        if constexpr (W::kFormats) out.raw(data, n);
        break;
      case SignalType::Ascii:
      case SignalType::Utf8:
        if (!counted(data, n)) return false;
        if constexpr (W::kFormats) {
          if (n > 0 && data[n - 1] == 0) --n;  // exactly one terminating NUL
          out.string(data, n, a.type == SignalType::Utf8);
        }
        break;
      case SignalType::Unknown:
        if (a.bytes == 0) {
          if (!counted(data, n)) return false;
        } else {
          if (left() < a.bytes) return false;
          data = p;
          n = a.bytes;
          p += n;
        }
        if constexpr (W::kFormats) out.unknown(data, n);
        break;
    }
    if constexpr (W::kLists) out.value(a, data, n);
  }
  return p == end;
}

// Room for a value's text after its lead: a 64-bit binary value's 79 characters (and the 3
// bytes put_bin_groups stores beyond them) are the most.
constexpr std::size_t kValueRoom = 96;

// format_frame_text's walk over f.steps; kChecked: whether each value's bytes must be checked
// against the payload's end (a frame with length-prefixed arguments). Without, the payload
// holds exactly the frame's least_bytes (frame_may_fit), which the fixed-size values take.
template <bool kChecked>
bool write_plan(const CatalogueFrame& f, const std::uint8_t* p, const std::uint8_t* const end, bool be,
                util::TextBuffer& out) {
  for (const FrameStep* s = f.steps;; ++s) {
    // The lead: one fixed-size copy when it is short (kFrameLeadSlack readable bytes follow
    // every lead), so its length costs no branch of memcpy's.
    const char* const lead = f.leads + s->lead_at;
    char* start;
    char* o;
    if (s->lead_size <= kFrameLeadSlack) [[likely]] {
      start = out.reserve(kFrameLeadSlack + kValueRoom);
      std::memcpy(start, lead, kFrameLeadSlack);
      o = start + s->lead_size;
    } else {
      out.append(lead, s->lead_size);
      start = o = out.reserve(kValueRoom);
    }
    const std::uint32_t bytes = s->bytes;
    const std::uint8_t* data = p;
    std::size_t n = 0;
    // A u16 length in payload byte order, then that many bytes (always checked).
    auto counted = [&] {
      if (end - p < 2) return false;
      n = util::load<std::uint16_t>(p, be);
      if (static_cast<std::size_t>(end - p) - 2 < n) return false;
      data = p + 2;
      p += 2 + n;
      return true;
    };
    if constexpr (kChecked) {
      // A fixed-size value's BYTE-LENGTH (0 for the others, whose lengths come below).
      if (static_cast<std::size_t>(end - p) < bytes) return false;
    }
    using util::load;
    // One switch per value: its jump is what the payload's types make unpredictable.
    switch (s->op) {
      case StepOp::End: out.advance(static_cast<std::size_t>(o - start)); return p == end;
      case StepOp::Bool: {
        bool any = false;
        for (std::uint32_t k = 0; k < bytes; ++k) any |= p[k] != 0;
        std::memcpy(o, any ? "true" : "false", 5);
        o += any ? 4 : 5;
        break;
      }
      case StepOp::Sint1: o = util::put_i64(o, static_cast<std::int8_t>(p[0])); break;
      case StepOp::Sint2: o = util::put_i64(o, static_cast<std::int16_t>(load<std::uint16_t>(p, be))); break;
      case StepOp::Sint4: o = util::put_i64(o, static_cast<std::int32_t>(load<std::uint32_t>(p, be))); break;
      case StepOp::Sint8: o = util::put_i64(o, static_cast<std::int64_t>(load<std::uint64_t>(p, be))); break;
      case StepOp::Uint1: o = util::put_u8(o, p[0]); break;
      case StepOp::Uint2: o = util::put_below_1e8(o, load<std::uint16_t>(p, be)); break;
      case StepOp::Uint4: o = util::put_u64(o, load<std::uint32_t>(p, be)); break;
      case StepOp::Uint8: o = util::put_u64(o, load<std::uint64_t>(p, be)); break;
      case StepOp::Hex1: o = util::put_hex_digits<1>(o, p[0]); break;
      case StepOp::Hex2: o = util::put_hex_digits<2>(o, load<std::uint16_t>(p, be)); break;
      case StepOp::Hex4: o = util::put_hex_digits<4>(o, load<std::uint32_t>(p, be)); break;
      case StepOp::Hex8: o = util::put_hex_digits<8>(o, load<std::uint64_t>(p, be)); break;
      case StepOp::Bin1: o = util::put_bin_groups<1>(o, p[0]); break;
      case StepOp::Bin2: o = util::put_bin_groups<2>(o, load<std::uint16_t>(p, be)); break;
      case StepOp::Bin4: o = util::put_bin_groups<4>(o, load<std::uint32_t>(p, be)); break;
      case StepOp::Bin8: o = util::put_bin_groups<8>(o, load<std::uint64_t>(p, be)); break;
      // The rest are written by the TextBuffer helpers, after the lead.
      case StepOp::Float4:
        out.advance(static_cast<std::size_t>(o - start));
        util::append_float_g(out, static_cast<double>(std::bit_cast<float>(load<std::uint32_t>(p, be))));
        p += bytes;
        continue;
      case StepOp::Float8:
        out.advance(static_cast<std::size_t>(o - start));
        util::append_float_g(out, std::bit_cast<double>(load<std::uint64_t>(p, be)));
        p += bytes;
        continue;
      case StepOp::Bytes:
        out.advance(static_cast<std::size_t>(o - start));
        append_hex_bytes(out, p, bytes);
        p += bytes;
        continue;
      case StepOp::Raw:
        if (!counted()) return false;
        out.advance(static_cast<std::size_t>(o - start));
        append_hex_bytes(out, data, n);
        continue;
      case StepOp::Ascii:
      case StepOp::Utf8:
        if (!counted()) return false;
        if (n > 0 && data[n - 1] == 0) --n;  // exactly one terminating NUL
        out.advance(static_cast<std::size_t>(o - start));
        if (s->op == StepOp::Utf8) append_utf8(out, data, n);
        else append_iso8859_15(out, data, n);
        continue;
      case StepOp::Counted:
        if (!counted()) return false;
        out.advance(static_cast<std::size_t>(o - start));
        out.put('(');
        append_lowercase_hex_length(out, n);
        out.put(')');
        if (n > 0) out.put(' ');
        append_hex_bytes(out, data, n);
        continue;
    }
    // A fixed-size value written at `o`: its BYTE-LENGTH taken.
    p += bytes;
    out.advance(static_cast<std::size_t>(o - start));
  }
}

// FrameJson: each argument a JSON object, as docs/json-records.md describes ("args").
struct FrameJson {
  util::TextBuffer& out;
  const CatalogueArg* arg = nullptr;  // the argument being written
  bool flagged = false;               // its object has its `"replaced":true` (its name's or unit's)
  static constexpr bool kFormats = true;
  static constexpr bool kLists = false;
  void separator() { out.put(','); }
  void argument(const CatalogueArg& a) { arg = &a; }
  // `{"type":"<type>"` and the signal's name and unit, where the catalogue gives them (as
  // a verbose argument's VARI name and unit).
  void open_type(std::string_view type) {
    out.append("{\"type\":\"");
    out.append(type);
    out.put('"');
    bool replaced = false;
    if (const std::string_view name = arg->name(); !name.empty()) replaced |= put_name("name", name);
    if (const std::string_view unit = arg->unit(); !unit.empty()) replaced |= put_name("unit", unit);
    if (replaced) out.append(",\"replaced\":true");  // a catalogue's bytes that are not UTF-8
    flagged = replaced;
  }
  // Returns whether bytes were replaced (not UTF-8).
  bool put_name(std::string_view key, std::string_view text) {
    out.append(",\"");
    out.append(key);
    out.append("\":\"");
    const bool replaced = append_json_utf8(out, text);
    out.put('"');
    return replaced;
  }
  void open(std::string_view type) {
    open_type(type);
    out.append(",\"value\":");
  }
  // `{"type":"<type>","bits":<8·width>,` (a number's) up to its value.
  void open_number(std::string_view type, unsigned width, std::string_view coding = {}) {
    open_type(type);
    out.append(",\"bits\":");
    util::append_int(out, 8 * width);
    if (!coding.empty()) {
      out.append(",\"coding\":\"");
      out.append(coding);
      out.put('"');
    }
    out.append(",\"value\":");
  }
  void static_text(std::string_view t) {
    open("text");
    out.put('"');
    append_json_utf8(out, t);
    out.append("\"}");
  }
  void boolean(bool v) {
    open("bool");
    out.append(v ? std::string_view("true}") : std::string_view("false}"));
  }
  void sint(std::int64_t v, unsigned width) {
    open_number("sint", width);
    util::append_json_int(out, v);
    out.put('}');
  }
  void uint(std::uint64_t v, unsigned width) {
    open_number("uint", width);
    util::append_json_uint(out, v);
    out.put('}');
  }
  void hex(std::uint64_t v, unsigned width) {
    open_number("uint", width, "hex");
    util::append_json_uint(out, v);
    out.put('}');
  }
  void bin(std::uint64_t v, unsigned width) {
    open_number("uint", width, "bin");
    util::append_json_uint(out, v);
    out.put('}');
  }
  void float32(float v) {
    open_number("float", 4);
    util::append_json_float(out, v);
    out.put('}');
  }
  void float64(double v) {
    open_number("float", 8);
    util::append_json_float(out, v);
    out.put('}');
  }
  void hex_string(std::string_view type, const std::uint8_t* d, std::size_t n) {
    open(type);
    out.put('"');
    append_hex_run(out, d, n);
    out.append("\"}");
  }
  void raw(const std::uint8_t* d, std::size_t n) { hex_string("raw", d, n); }
  void unknown(const std::uint8_t* d, std::size_t n) { hex_string("unknown", d, n); }
  void string(const std::uint8_t* d, std::size_t n, bool utf8) {
    open_type("string");
    out.append(utf8 ? std::string_view(",\"coding\":\"utf8\",\"value\":")
                    : std::string_view(",\"coding\":\"ascii\",\"value\":"));
    append_json_string_value(out, d, n, utf8, flagged);
    out.put('}');
  }
};

// FrameList: each argument a VerboseArgument record, typed as a verbose argument of the
// same value would be (catalogue_payload.hpp says how).
struct FrameList {
  std::vector<VerboseArgument>& out;
  bool big_endian;
  static constexpr bool kFormats = false;
  static constexpr bool kLists = true;
  void argument(const CatalogueArg&) {}
  // `data`: the argument's bytes (a fixed-size value's BYTE-LENGTH from there, of which
  // the first `width` hold the value; `n` of a length-prefixed one; null for a text).
  void value(const CatalogueArg& a, const std::uint8_t* data, std::size_t n) {
    using T = VerboseArgument::Type;
    using C = VerboseArgument::Coding;
    VerboseArgument v;
    v.big_endian = big_endian;
    const std::string_view name = a.name(), unit = a.unit();
    v.name = {reinterpret_cast<const std::uint8_t*>(name.data()), name.size()};
    v.unit = {reinterpret_cast<const std::uint8_t*>(unit.data()), unit.size()};
    auto number = [&](T type, C coding = C::Decimal) {
      v.type = type;
      v.coding = coding;
      v.width = a.width;
      v.data = {data, a.width};
    };
    switch (a.type) {
      case SignalType::Text:
        v.type = T::String;
        v.coding = C::Utf8;  // made printable UTF-8 when the catalogue was built
        v.data = {reinterpret_cast<const std::uint8_t*>(a.text.data()), a.text.size()};
        break;
      case SignalType::Bool: number(T::Bool); break;
      case SignalType::Sint: number(T::Sint); break;
      case SignalType::Uint: number(T::Uint); break;
      case SignalType::Hex: number(T::Uint, C::Hex); break;
      case SignalType::Bin: number(T::Uint, C::Binary); break;
      case SignalType::Float: number(T::Float); break;
      case SignalType::Ascii:
      case SignalType::Utf8:
        v.type = T::String;
        v.coding = a.type == SignalType::Utf8 ? C::Utf8 : C::Decimal;
        if (n > 0 && data[n - 1] == 0) --n;  // exactly one terminating NUL, as the line
        v.data = {data, n};
        break;
      case SignalType::Raw:
      case SignalType::Unknown:
        v.type = T::Raw;
        v.data = {data, n};
        break;
    }
    out.push_back(v);
  }
};

// Verbose type-info bits (as in dlt/verbose_payload.cpp).
constexpr std::uint32_t kTiBool = 0x10, kTiSint = 0x20, kTiUint = 0x40, kTiFloa = 0x80, kTiStrg = 0x200,
                        kTiRawd = 0x400;
constexpr std::uint32_t kScodUtf8 = 1u << 15, kScodHex = 2u << 15, kScodBin = 3u << 15;
constexpr std::uint32_t tyle(unsigned width) { return static_cast<std::uint32_t>(std::countr_zero(width)) + 1; }

void store(std::uint8_t* p, std::uint64_t v, unsigned width, bool be) {
  for (unsigned i = 0; i < width; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * (be ? width - 1 - i : i)));
}

}  // namespace

std::string_view unknown_length_text(std::size_t n, std::array<char, 16>& digits) {
  std::size_t at = digits.size();  // written from the end: the least digit last
  do {
    digits[--at] = kHexDigits[n & 15];
    n >>= 4;
  } while (n != 0);
  if (at == digits.size() - 1) digits[--at] = '0';
  return {digits.data() + at, digits.size() - at};
}

bool frame_may_fit(const CatalogueFrame& f, std::size_t n) {
  return !f.never_fits && n >= f.least_bytes && (f.counted || n == f.least_bytes);
}

bool frame_fits(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian) {
  if (!frame_may_fit(f, args.size())) return false;
  if (!f.counted) return true;
  util::NullText none;
  FrameText<util::NullText> w{none};
  return walk(f, args, big_endian, w);
}

bool format_frame_args(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                       util::TextBuffer& out) {
  FrameText<util::TextBuffer> w{out};
  return frame_may_fit(f, args.size()) && walk(f, args, big_endian, w);
}

bool format_frame_text(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                       util::TextBuffer& out) {
  if (!frame_may_fit(f, args.size())) return false;
  const std::uint8_t* const p = args.data();
  return f.counted ? write_plan<true>(f, p, p + args.size(), big_endian, out)
                   : write_plan<false>(f, p, p + args.size(), big_endian, out);
}

bool format_frame_args_json(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                            util::TextBuffer& out) {
  FrameJson w{out};
  return frame_may_fit(f, args.size()) && walk(f, args, big_endian, w);
}

bool list_frame_arguments(const CatalogueFrame& f, std::span<const std::uint8_t> args, bool big_endian,
                          std::vector<VerboseArgument>& out) {
  FrameList w{out, big_endian};
  return frame_may_fit(f, args.size()) && walk(f, args, big_endian, w);
}

std::size_t write_verbose_packet(const Message& m, std::uint8_t* out) {
  const CatalogueFrame& f = *m.frame;
  const bool be = m.big_endian;
  std::uint8_t* p = out + 4;
  std::uint8_t* const end = out + kMaxPacketBytes;
  std::uint8_t htyp = htyp::kVersion1 | htyp::kUseExtendedHeader | (m.htyp & htyp::kMsbFirst);
  // A verbose message needs a type info (MTIN): a frame of type `log `, `app_trace ` or
  // `nw_trace ` alone has none it could carry.
  if ((f.msin >> 4) == 0) return 0;
  if (m.has_ecu) {
    htyp |= htyp::kWithEcuId;
    std::memcpy(p, m.packet.data() + 4, 4);
    p += 4;
  } else if (!f.ecu.empty()) {  // the ECU id the line showed: the catalogue's (deviation Q13)
    htyp |= htyp::kWithEcuId;
    for (std::size_t k = 0; k < 4; ++k) p[k] = k < f.ecu.size() ? static_cast<std::uint8_t>(f.ecu.chars[k]) : 0;
    p += 4;
  }
  if (m.has_session) {
    htyp |= htyp::kWithSessionId;
    store(p, m.session, 4, true);
    p += 4;
  }
  if (m.has_device_time) {
    htyp |= htyp::kWithTimestamp;
    store(p, m.device_time / 10 * 10, 4, true);  // whole milliseconds, as DltDump writes them
    p += 4;
  }
  if (f.arg_count > 255) return 0;  // NOAR is one byte
  *p++ = static_cast<std::uint8_t>(f.msin | 1);
  *p++ = static_cast<std::uint8_t>(f.arg_count);
  std::memcpy(p, f.app.chars, 4);
  std::memcpy(p + 4, f.ctx.chars, 4);
  for (int k = 0; k < 4; ++k) {  // the id's characters, zeros after them
    if (k >= static_cast<int>(f.app.size())) p[k] = 0;
    if (k >= static_cast<int>(f.ctx.size())) p[4 + k] = 0;
  }
  p += 8;
  const std::uint8_t* in = m.payload.data() + 4;
  auto room = [&](std::size_t n) { return static_cast<std::size_t>(end - p) >= n; };
  for (std::uint32_t i = 0; i < f.arg_count; ++i) {
    const CatalogueArg& a = f.args[i];
    std::uint32_t ti = 0;
    const std::uint8_t* data = in;
    std::size_t n = 0;  // bytes after the type info
    bool counted = false, terminate = false;
    switch (a.type) {
      case SignalType::Text:
        ti = kTiStrg | kScodUtf8;
        data = reinterpret_cast<const std::uint8_t*>(a.text.data());
        n = a.text.size();
        counted = terminate = true;
        break;
      case SignalType::Bool: ti = kTiBool | 1; break;
      case SignalType::Sint: ti = kTiSint | tyle(a.width); break;
      case SignalType::Uint: ti = kTiUint | tyle(a.width); break;
      case SignalType::Hex: ti = kTiUint | kScodHex | tyle(a.width); break;
      case SignalType::Bin: ti = kTiUint | kScodBin | tyle(a.width); break;
      case SignalType::Float: ti = kTiFloa | tyle(a.width); break;
      case SignalType::Raw: ti = kTiRawd; break;
      case SignalType::Ascii: ti = kTiStrg; break;
      case SignalType::Utf8: ti = kTiStrg | kScodUtf8; break;
      case SignalType::Unknown: return 0;
    }
    if (!room(4)) return 0;
    store(p, ti, 4, be);
    p += 4;
    switch (a.type) {
      case SignalType::Text: break;
      case SignalType::Bool:
        if (!room(1)) return 0;
        *p = 0;
        for (std::uint32_t k = 0; k < a.bytes; ++k) *p |= in[k] != 0;
        ++p;
        in += a.bytes;
        continue;
      case SignalType::Raw:
      case SignalType::Ascii:
      case SignalType::Utf8:
        // The length and bytes as they were (the same byte order).
        n = 2 + util::load<std::uint16_t>(in, be);
        in += n;
        break;
      default:  // a fixed-size value: its first `width` bytes, in the same byte order
        n = a.width;
        in += a.bytes;
        break;
    }
    if (counted) {
      if (n + 1 > 0xFFFF || !room(2 + n + 1)) return 0;
      store(p, n + terminate, 2, be);
      p += 2;
    }
    if (!room(n + terminate)) return 0;
    if (n) std::memcpy(p, data, n);
    p += n;
    if (terminate) *p++ = 0;
  }
  const auto len = static_cast<std::size_t>(p - out);
  out[0] = htyp;
  out[1] = m.counter;
  store(out + 2, len, 2, true);
  return len;
}

}  // namespace dltdump::dlt
