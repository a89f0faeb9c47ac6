#include "dlt/verbose_payload.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "dlt/text_encoding.hpp"
#include "dlt/verbose_argument.hpp"
#include "util/byte_order.hpp"
#include "util/json_number.hpp"
#include "util/number_format.hpp"

namespace dltdump::dlt {

namespace {

// Type-info bits (DLT v1, PRS_Dlt_00354).
constexpr std::uint32_t kTyle = 0x0000000F;
constexpr std::uint32_t kBool = 0x00000010;
constexpr std::uint32_t kSint = 0x00000020;
constexpr std::uint32_t kUint = 0x00000040;
constexpr std::uint32_t kFloa = 0x00000080;
constexpr std::uint32_t kAray = 0x00000100;
constexpr std::uint32_t kStrg = 0x00000200;
constexpr std::uint32_t kRawd = 0x00000400;
constexpr std::uint32_t kVari = 0x00000800;
constexpr std::uint32_t kFixp = 0x00001000;
constexpr std::uint32_t kTrai = 0x00002000;
constexpr std::uint32_t kStru = 0x00004000;
constexpr std::uint32_t kTypeMask = kBool | kSint | kUint | kFloa | kAray | kStrg | kRawd | kTrai | kStru;

constexpr std::uint32_t scod(std::uint32_t ti) { return (ti >> 15) & 7; }
constexpr unsigned kScodHex = 2, kScodBin = 3, kScodAscii = 0;

// Bytes of a numeric value for TYLE 1..5, 0 when the TYLE is invalid for the type.
constexpr unsigned int_width(std::uint32_t tyle) { return (tyle >= 1 && tyle <= 5) ? (1u << (tyle - 1)) : 0u; }
constexpr unsigned bool_width(std::uint32_t tyle) { return tyle == 0 ? 1u : int_width(tyle); }
constexpr unsigned float_width(std::uint32_t tyle) { return (tyle >= 2 && tyle <= 5) ? (1u << (tyle - 1)) : 0u; }

// The name and unit of an argument with VARI (empty spans without).
struct VariableInfo {
  bool present = false;
  std::span<const std::uint8_t> name, unit;
};

// A bounds-checked cursor over the payload.
struct Cursor {
  const std::uint8_t* p;
  const std::uint8_t* end;
  bool be;

  std::size_t left() const { return static_cast<std::size_t>(end - p); }
  bool take(std::size_t n, const std::uint8_t*& at) {
    if (left() < n) return false;
    at = p;
    p += n;
    return true;
  }
  bool skip(std::size_t n) {
    const std::uint8_t* at;
    return take(n, at);
  }
  bool u16(std::uint16_t& v) {
    const std::uint8_t* at;
    if (!take(2, at)) return false;
    v = util::load<std::uint16_t>(at, be);
    return true;
  }
  bool u32(std::uint32_t& v) {
    const std::uint8_t* at;
    if (!take(4, at)) return false;
    v = util::load<std::uint32_t>(at, be);
    return true;
  }
  // VARI: u16 name length [+ u16 unit length], then the name [and unit].
  bool variable_info(bool with_unit, VariableInfo& v) {
    std::uint16_t name_len = 0, unit_len = 0;
    if (!u16(name_len)) return false;
    if (with_unit && !u16(unit_len)) return false;
    const std::uint8_t* at;
    if (!take(static_cast<std::size_t>(name_len) + unit_len, at)) return false;
    v.name = {at, name_len};
    v.unit = {at + name_len, unit_len};
    v.present = true;
    return true;
  }
};

// Reads `width` bytes at p in the payload byte order into a 128-bit value.
unsigned __int128 load_uint(const std::uint8_t* p, unsigned width, bool be) {
  unsigned __int128 v = 0;
  for (unsigned i = 0; i < width; ++i) {
    unsigned idx = be ? i : width - 1 - i;
    v = (v << 8) | p[idx];
  }
  return v;
}

double half_to_double(std::uint16_t h) {
  int sign = h >> 15, exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
  double v;
  if (exp == 0) v = std::ldexp(static_cast<double>(mant), -24);
  else if (exp == 31) v = mant ? __builtin_nan("") : __builtin_inf();
  else v = std::ldexp(static_cast<double>(mant | 0x400), exp - 25);
  return sign ? -v : v;
}

long double quad_to_long_double(unsigned __int128 bits) {
  bool sign = (bits >> 127) & 1;
  int exp = static_cast<int>((bits >> 112) & 0x7FFF);
  unsigned __int128 mant = bits & ((static_cast<unsigned __int128>(1) << 112) - 1);
  long double v;
  // The top 64 mantissa bits carry all the precision long double (x87) can hold.
  long double m = static_cast<long double>(static_cast<std::uint64_t>(mant >> 48));
  if (exp == 0x7FFF) v = mant ? __builtin_nanl("") : __builtin_infl();
  else if (exp == 0) v = std::ldexp(m, -16382 - 64);
  else v = std::ldexp(m + 18446744073709551616.0L, exp - 16383 - 64);
  return sign ? -v : v;
}

template <class Out>
void put_float(Out& out, const std::uint8_t* d, unsigned w, bool be) {
  if (w == 2) {
    util::append_float_g(out, half_to_double(static_cast<std::uint16_t>(util::load_width(d, 2, be))));
  } else if (w == 4) {
    float f;
    const std::uint32_t u = static_cast<std::uint32_t>(util::load_width(d, 4, be));
    std::memcpy(&f, &u, 4);
    util::append_float_g(out, static_cast<double>(f));
  } else if (w == 8) {
    double f;
    const std::uint64_t u = util::load_width(d, 8, be);
    std::memcpy(&f, &u, 8);
    util::append_float_g(out, f);
  } else {
    util::append_float_g(out, quad_to_long_double(load_uint(d, 16, be)));
  }
}

template <class Out>
void put_number(Out& out, std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
  if constexpr (Out::kFormats) {
    if (base == kBool) {
      bool any = false;
      for (unsigned i = 0; i < w; ++i) any |= d[i] != 0;
      out.append(any ? std::string_view("true") : std::string_view("false"));
    } else if (base == kFloa) {
      put_float(out, d, w, be);
    } else if (w == 16) {  // 128-bit integers
      const unsigned __int128 v = load_uint(d, 16, be);
      if (base == kSint) util::append_i128(out, static_cast<__int128>(v));
      else if (scod(ti) == kScodHex) util::append_hex_value(out, v, 16);
      else if (scod(ti) == kScodBin) util::append_bin_value(out, v, 16);
      else util::append_u128(out, v);
    } else {  // up to 64 bits: no 128-bit arithmetic
      const std::uint64_t v = util::load_width(d, w, be);
      if (base == kSint) {
        const unsigned shift = 64 - 8 * w;
        util::append_int(out, static_cast<std::int64_t>(v << shift) >> shift);
      } else if (scod(ti) == kScodHex) {
        util::append_hex_value(out, v, w);
      } else if (scod(ti) == kScodBin) {
        util::append_bin_value(out, v, w);
      } else {
        util::append_int(out, v);
      }
    }
  } else {
    (void)out, (void)ti, (void)base, (void)d, (void)w, (void)be;
  }
}

// Text of a STRG or TRAI argument: one trailing NUL dropped.
template <class Out>
void put_string(Out& out, const std::uint8_t* d, std::size_t n, bool utf8) {
  if (n > 0 && d[n - 1] == 0) --n;
  if (utf8) append_utf8(out, d, n);
  else append_iso8859_15(out, d, n);
}

// What the decoder tells its writer W (the text of a line, nothing, or typed JSON: see
// ArgWriter in verbose_payload.hpp): TextArgs writes the line's text into a TextBuffer (or
// nothing into a NullText).
template <class Out>
struct TextArgs {
  Out& out;
  void separator() { out.put(' '); }
  void variable(const VariableInfo&) {}  // names and units are not shown in a line
  void number(std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    put_number(out, ti, base, d, w, be);
  }
  void array_begin(std::uint32_t, std::uint32_t, unsigned) { out.put('['); }
  void array_item(std::uint64_t i, std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    if (i) out.put(' ');
    put_number(out, ti, base, d, w, be);
  }
  void array_end() { out.put(']'); }
  void bytes(std::uint32_t type, std::uint32_t ti, const std::uint8_t* d, std::size_t n) {
    if (type == kRawd) append_hex_bytes(out, d, n);
    else put_string(out, d, n, type == kStrg && scod(ti) != kScodAscii);
  }
  void struct_begin() { out.put('{'); }
  void struct_end() { out.put('}'); }
};

// Result of decoding one argument: failed, a complete value, or a struct opened with
// `entries` members still to decode.
struct Step {
  bool ok;
  bool opened_struct;
  std::uint16_t entries;
};

template <class W>
Step decode_one(Cursor& c, W& out) {
  std::uint32_t ti;
  if (!c.u32(ti)) return {false, false, 0};
  const std::uint32_t type = ti & kTypeMask;
  const std::uint32_t tyle = ti & kTyle;
  const std::uint8_t* d = nullptr;

  switch (type) {
    case kBool:
    case kSint:
    case kUint:
    case kFloa: {
      unsigned w = type == kBool ? bool_width(tyle) : type == kFloa ? float_width(tyle) : int_width(tyle);
      if (w == 0) return {false, false, 0};
      VariableInfo v;
      if ((ti & kVari) && !c.variable_info(type != kBool, v)) return {false, false, 0};
      if ((ti & kFixp) && (type == kSint || type == kUint)) {
        // quantisation (float32) and offset (32 bit up to TYLE 3, else the value width)
        if (!c.skip(4 + (tyle <= 3 ? 4u : w))) return {false, false, 0};
      }
      if (!c.take(w, d)) return {false, false, 0};
      out.variable(v);
      out.number(ti, type, d, w, c.be);
      return {true, false, 0};
    }
    case kAray | kBool:
    case kAray | kSint:
    case kAray | kUint:
    case kAray | kFloa: {
      const std::uint32_t base = type & ~kAray;
      unsigned w = base == kBool ? bool_width(tyle) : base == kFloa ? float_width(tyle) : int_width(tyle);
      if (w == 0) return {false, false, 0};
      std::uint16_t dims;
      if (!c.u16(dims)) return {false, false, 0};
      std::uint64_t count = 1;
      for (unsigned i = 0; i < dims; ++i) {
        std::uint16_t n;
        if (!c.u16(n)) return {false, false, 0};
        count *= n;
        if (count > c.left()) count = c.left() + 1;  // cannot fit; keeps count bounded
      }
      VariableInfo v;
      if ((ti & kVari) && !c.variable_info(base != kBool, v)) return {false, false, 0};
      if ((ti & kFixp) && (base == kSint || base == kUint)) {
        if (!c.skip(4 + (tyle <= 3 ? 4u : w))) return {false, false, 0};
      }
      if (count * w > c.left()) return {false, false, 0};
      out.variable(v);
      out.array_begin(ti, base, w);
      for (std::uint64_t i = 0; i < count; ++i) {
        c.take(w, d);
        out.array_item(i, ti, base, d, w, c.be);
      }
      out.array_end();
      return {true, false, 0};
    }
    case kStrg:
    case kRawd:
    case kTrai: {
      std::uint16_t len;
      if (!c.u16(len)) return {false, false, 0};
      VariableInfo v;
      if ((ti & kVari) && !c.variable_info(false, v)) return {false, false, 0};
      if (!c.take(len, d)) return {false, false, 0};
      out.variable(v);
      out.bytes(type, ti, d, len);
      return {true, false, 0};
    }
    case kStru: {
      std::uint16_t entries;
      if (!c.u16(entries)) return {false, false, 0};
      VariableInfo v;
      if ((ti & kVari) && !c.variable_info(false, v)) return {false, false, 0};
      out.variable(v);
      out.struct_begin();
      return {true, true, entries};
    }
    default: return {false, false, 0};
  }
}

// A fixed text in a zero-padded slot: written with one fixed-size copy (the slot, into
// space reserved with kPieceBytes to spare), the end set by its size.
constexpr std::size_t kPieceBytes = 48;
struct Piece {
  char text[kPieceBytes] = {};
  std::uint8_t size = 0;
};
constexpr Piece piece(std::string_view s) {
  Piece p;
  for (std::size_t i = 0; i < s.size(); ++i) p.text[i] = s[i];
  p.size = static_cast<std::uint8_t>(s.size());
  return p;
}
inline char* put_piece(char* p, const Piece& x) {
  std::memcpy(p, x.text, kPieceBytes);
  return p + x.size;
}

// Index of the numeric base types (kBool, kSint, kUint, kFloa) and of the widths 1..16.
constexpr unsigned base_index(std::uint32_t base) {
  return base == kBool ? 0 : base == kSint ? 1 : base == kUint ? 2 : 3;
}
constexpr unsigned width_index(unsigned w) { return w == 1 ? 0 : w == 2 ? 1 : w == 4 ? 2 : w == 8 ? 3 : 4; }
// The coding a number shows: 0 none, 1 hex, 2 bin (only UINT has one).
constexpr unsigned coding_index(std::uint32_t ti, std::uint32_t base) {
  return base != kUint ? 0 : scod(ti) == kScodHex ? 1 : scod(ti) == kScodBin ? 2 : 0;
}

// `{"type":"<type>"` by base index, then `"array"`.
constexpr Piece kTypeHeads[5] = {piece("{\"type\":\"bool\""), piece("{\"type\":\"sint\""), piece("{\"type\":\"uint\""),
                                 piece("{\"type\":\"float\""), piece("{\"type\":\"array\"")};
// `,"of":"<type>"` by base index.
constexpr Piece kOf[4] = {piece(",\"of\":\"bool\""), piece(",\"of\":\"sint\""), piece(",\"of\":\"uint\""),
                          piece(",\"of\":\"float\"")};

// `,"bits":<8w>[,"coding":"hex|bin"],"value":` by width index and coding index.
struct NumberTails {
  Piece t[5][3];
};
constexpr NumberTails number_tails() {
  constexpr std::string_view kBits[5] = {",\"bits\":8", ",\"bits\":16", ",\"bits\":32", ",\"bits\":64",
                                         ",\"bits\":128"};
  constexpr std::string_view kCoding[3] = {"", ",\"coding\":\"hex\"", ",\"coding\":\"bin\""};
  constexpr std::string_view kValue = ",\"value\":";
  NumberTails n;
  for (unsigned w = 0; w < 5; ++w) {
    for (unsigned c = 0; c < 3; ++c) {
      Piece& p = n.t[w][c];
      std::size_t k = 0;
      for (char ch : kBits[w]) p.text[k++] = ch;
      for (char ch : kCoding[c]) p.text[k++] = ch;
      for (char ch : kValue) p.text[k++] = ch;
      p.size = static_cast<std::uint8_t>(k);
    }
  }
  return n;
}
constexpr NumberTails kNumberTails = number_tails();

// The other arguments' heads (`{"type":"…"`) and what follows their name and unit.
constexpr Piece kRawHead = piece("{\"type\":\"raw\""), kRawTail = piece(",\"value\":\"");
constexpr Piece kTraceHead = piece("{\"type\":\"trace\""), kTraceTail = piece(",\"value\":\"");
constexpr Piece kStringHead = piece("{\"type\":\"string\"");
constexpr Piece kAsciiTail = piece(",\"coding\":\"ascii\",\"value\":\""),
                kUtf8Tail = piece(",\"coding\":\"utf8\",\"value\":\"");
constexpr Piece kStructHead = piece("{\"type\":\"struct\""), kStructTail = piece(",\"value\":[");

// JsonArgs writes each argument as a JSON object (docs/json-records.md, "args"): its type,
// VARI name and unit, coding and value. The fixed parts of an object and a value of up to
// 64 bits go into one reservation with unchecked stores; floats and 128-bit integers take
// the general writers.
struct JsonArgs {
  util::TextBuffer& out;
  VariableInfo pending;  // the name and unit of the argument whose value comes next
  bool flagged = false;  // the object being written has its `"replaced":true` (its name's or unit's)

  // Type head, tail (48 each with their fixed copies' overhang), a value of 27, `}`.
  static constexpr std::size_t kNumberBound = 3 * kPieceBytes + 32;

  void separator() { out.put(','); }
  void variable(const VariableInfo& v) { pending = v; }
  // The pending name and unit, if any (`,"name":"…","unit":"…"`), after the type head, and
  // `,"replaced":true` when either had bytes that are not UTF-8 (the object's one flag).
  void put_pending() {
    bool replaced = put_name("name", pending.name);
    if (!pending.unit.empty()) replaced |= put_name("unit", pending.unit);
    pending = {};
    if (replaced) out.append(",\"replaced\":true");
    flagged = replaced;
  }
  // `,"<key>":"<text>"`: a VARI name or unit, its terminating NUL dropped as a string's.
  // Returns whether bytes were replaced (not UTF-8).
  bool put_name(std::string_view key, std::span<const std::uint8_t> text) {
    std::size_t n = text.size();
    if (n > 0 && text[n - 1] == 0) --n;
    out.append(",\"");
    out.append(key);
    out.append("\":\"");
    const bool replaced = append_json_utf8(out, text.data(), n);
    out.put('"');
    return replaced;
  }
  // `{"type":"<type>"[,"name"…][,"of":…],"bits":…[,"coding":…],"value":`, unchecked at
  // the returned pointer (kNumberBound reserved after it is what remains free).
  char* head(std::size_t type, const Piece* of, std::uint32_t ti, std::uint32_t base, unsigned w) {
    char* p = out.reserve(kNumberBound);
    p = put_piece(p, kTypeHeads[type]);
    flagged = false;
    if (pending.present) [[unlikely]] {
      out.advance(static_cast<std::size_t>(p - out.reserve(0)));
      put_pending();
      p = out.reserve(kNumberBound);
    }
    if (of) p = put_piece(p, *of);
    return put_piece(p, kNumberTails.t[width_index(w)][coding_index(ti, base)]);
  }
  // The value of a bool or an integer of up to 64 bits at p (at most 27 bytes); returns the
  // end.
  static char* put_small_value(char* p, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    if (base == kBool) {
      bool any = false;
      for (unsigned i = 0; i < w; ++i) any |= d[i] != 0;
      if (any) return put_literal(p, "true");
      return put_literal(p, "false");
    }
    const std::uint64_t v = util::load_width(d, w, be);
    if (base == kSint) {
      const unsigned shift = 64 - 8 * w;
      return util::put_json_int(p, static_cast<std::int64_t>(v << shift) >> shift);
    }
    return util::put_json_uint(p, v);
  }
  template <std::size_t N>
  static char* put_literal(char* p, const char (&s)[N]) {
    std::memcpy(p, s, N - 1);
    return p + N - 1;
  }
  static bool small(std::uint32_t base, unsigned w) { return base == kBool || (base != kFloa && w <= 8); }
  // Floats and 128-bit integers.
  void value(std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    if (base == kFloa) {
      if (w == 2) {
        util::append_json_float(out, half_to_double(static_cast<std::uint16_t>(util::load_width(d, 2, be))));
      } else if (w == 4) {
        util::append_json_float(out, std::bit_cast<float>(static_cast<std::uint32_t>(util::load_width(d, 4, be))));
      } else if (w == 8) {
        util::append_json_float(out, std::bit_cast<double>(util::load_width(d, 8, be)));
      } else {
        util::append_json_float(out, quad_to_long_double(load_uint(d, 16, be)));
      }
    } else if (small(base, w)) {
      char* p = out.reserve(32);
      out.advance(static_cast<std::size_t>(put_small_value(p, base, d, w, be) - p));
    } else {
      const unsigned __int128 v = load_uint(d, w, be);
      if (base == kSint) {
        const unsigned shift = 128 - 8 * w;
        util::append_json_int(out, static_cast<__int128>(v << shift) >> shift);
      } else {
        util::append_json_uint(out, v);
      }
    }
  }
  // Returns the value's text as written (a bool or an integer of up to 64 bits: in `out`,
  // valid until out grows again), or an empty view for the others.
  std::string_view number(std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    char* p = head(base_index(base), nullptr, ti, base, w);
    if (small(base, w)) [[likely]] {
      char* const value_start = p;
      p = put_small_value(p, base, d, w, be);
      const std::string_view shown(value_start, static_cast<std::size_t>(p - value_start));
      *p++ = '}';
      out.advance(static_cast<std::size_t>(p - out.reserve(0)));
      return shown;
    }
    out.advance(static_cast<std::size_t>(p - out.reserve(0)));
    value(base, d, w, be);
    out.put('}');
    return {};
  }
  void array_begin(std::uint32_t ti, std::uint32_t base, unsigned w) {
    char* p = head(4, &kOf[base_index(base)], ti, base, w);
    *p++ = '[';
    out.advance(static_cast<std::size_t>(p - out.reserve(0)));
  }
  void array_item(std::uint64_t i, std::uint32_t, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    if (small(base, w)) [[likely]] {
      char* const start = out.reserve(32);
      char* p = start;
      *p = ',';
      p += i != 0;
      p = put_small_value(p, base, d, w, be);
      out.advance(static_cast<std::size_t>(p - start));
      return;
    }
    if (i) out.put(',');
    value(base, d, w, be);
  }
  void array_end() { out.append("]}"); }
  // `{"type":"<type>"`, the pending name and unit, then `tail`, into one reservation.
  void open(const Piece& type, const Piece& tail) {
    char* p = out.reserve(2 * kPieceBytes);
    p = put_piece(p, type);
    flagged = false;
    if (pending.present) [[unlikely]] {
      out.advance(static_cast<std::size_t>(p - out.reserve(0)));
      put_pending();
      p = out.reserve(kPieceBytes);
    }
    p = put_piece(p, tail);
    out.advance(static_cast<std::size_t>(p - out.reserve(0)));
  }
  void bytes(std::uint32_t type, std::uint32_t ti, const std::uint8_t* d, std::size_t n) {
    if (type == kRawd) {
      open(kRawHead, kRawTail);
      append_hex_run(out, d, n);
      out.append("\"}");
      return;
    }
    const bool utf8 = open_string(type, ti);
    if (n > 0 && d[n - 1] == 0) --n;  // one trailing NUL, as in the line
    bool replaced = false;
    if (utf8) replaced = append_json_utf8(out, d, n);
    else append_json_iso8859_15(out, d, n);
    close_string(replaced);
  }
  // A String or Trace argument's object up to its value's contents; returns whether they
  // are UTF-8 (else ISO-8859-15).
  bool open_string(std::uint32_t type, std::uint32_t ti) {
    const bool utf8 = type == kStrg && scod(ti) != kScodAscii;
    if (type == kTrai) open(kTraceHead, kTraceTail);
    else open(kStringHead, utf8 ? kUtf8Tail : kAsciiTail);
    return utf8;
  }
  // The rest of that object after the contents (`replaced`: some bytes were not UTF-8; the
  // flag is written once, maybe already for the name).
  void close_string(bool replaced) {
    if (replaced && !flagged) out.append("\",\"replaced\":true}");
    else out.append("\"}");
  }
  void struct_begin() { open(kStructHead, kStructTail); }
  void struct_end() { out.append("]}"); }
};

// TextJsonArgs writes the line's text and the typed JSON arguments in the one walk that
// validates the payload: the JSON record then needs no walk of its own (the parsing, half
// of the typed walk's cost, is done once).
struct TextJsonArgs {
  TextArgs<util::TextBuffer> text;
  JsonArgs json;
  // The text so far is printable ASCII without `"` and `\\`: only a string can bring
  // another byte (numbers, hex bytes, brackets and spaces cannot).
  bool plain_text = true;

  void separator() {
    text.separator();
    json.separator();
  }
  void variable(const VariableInfo& v) { json.variable(v); }
  // A bool, or an integer the line shows in decimal, is written once: the line takes the
  // record's digits (those of an integer beyond 2^53 in quotes there, as JSON needs them).
  void number(std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    const std::string_view shown = json.number(ti, base, d, w, be);
    if (shown.empty() || (base == kUint && (scod(ti) == kScodHex || scod(ti) == kScodBin))) {
      text.number(ti, base, d, w, be);
      return;
    }
    if (shown.front() == '"') [[unlikely]]
      text.out.append(shown.substr(1, shown.size() - 2));
    else text.out.append(shown);
  }
  void array_begin(std::uint32_t ti, std::uint32_t base, unsigned w) {
    text.array_begin(ti, base, w);
    json.array_begin(ti, base, w);
  }
  void array_item(std::uint64_t i, std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool be) {
    text.array_item(i, ti, base, d, w, be);
    json.array_item(i, ti, base, d, w, be);
  }
  void array_end() {
    text.array_end();
    json.array_end();
  }
  void bytes(std::uint32_t type, std::uint32_t ti, const std::uint8_t* d, std::size_t n) {
    if (type == kRawd) {
      text.bytes(type, ti, d, n);
      json.bytes(type, ti, d, n);
      return;
    }
    // A string's two texts in one scan (they differ only where a byte is escaped or
    // replaced).
    const bool utf8 = json.open_string(type, ti);
    if (n > 0 && d[n - 1] == 0) --n;  // one trailing NUL, as put_string and JsonArgs drop
    json.close_string(append_text_and_json(text.out, json.out, d, n, utf8, plain_text));
  }
  void struct_begin() {
    text.struct_begin();
    json.struct_begin();
  }
  void struct_end() {
    text.struct_end();
    json.struct_end();
  }
};

template <class W>
bool decode_verbose(std::span<const std::uint8_t> payload, bool be, std::uint8_t noar, W& out) {
  // An empty payload is valid whatever NOAR says: no arguments are read.
  noar = static_cast<std::uint8_t>(verbose_argument_count(payload, noar));
  Cursor c{payload.data(), payload.data() + payload.size(), be};
  // Struct members still to decode, one entry per open struct (no recursion on input).
  std::uint16_t open[kMaxStructDepth];
  int depth = 0;
  for (unsigned arg = 0; arg < noar; ++arg) {
    if (arg) out.separator();
    Step s = decode_one(c, out);
    if (!s.ok) return false;
    if (s.opened_struct) open[depth++] = s.entries;
    bool first = true;
    while (depth > 0) {
      if (open[depth - 1] == 0) {
        out.struct_end();
        --depth;
        first = false;
        continue;
      }
      if (!first) out.separator();
      first = false;
      --open[depth - 1];
      Step m = decode_one(c, out);
      if (!m.ok) return false;
      if (m.opened_struct) {
        if (depth == kMaxStructDepth) return false;
        open[depth++] = m.entries;
        first = true;
      }
    }
  }
  return c.p == c.end;
}

// ListArgs records each argument (VerboseArgument) for programs: no text.
struct ListArgs {
  std::vector<VerboseArgument>& out;
  bool be;
  VariableInfo pending;
  std::vector<std::size_t> open_structs;  // indices in `out` of the structs being filled

  VerboseArgument& add(VerboseArgument::Type type, std::uint32_t ti) {
    if (!open_structs.empty()) ++out[open_structs.back()].count;
    VerboseArgument& a = out.emplace_back();
    a.type = type;
    a.big_endian = be;
    a.coding = static_cast<VerboseArgument::Coding>(scod(ti) & 3);
    a.depth = static_cast<std::uint8_t>(open_structs.size());
    a.name = pending.name;
    a.unit = pending.unit;
    pending = {};
    return a;
  }
  static VerboseArgument::Type number_type(std::uint32_t base) {
    return base == kBool   ? VerboseArgument::Type::Bool
           : base == kSint ? VerboseArgument::Type::Sint
           : base == kUint ? VerboseArgument::Type::Uint
                           : VerboseArgument::Type::Float;
  }
  void separator() {}
  void variable(const VariableInfo& v) { pending = v; }
  void number(std::uint32_t ti, std::uint32_t base, const std::uint8_t* d, unsigned w, bool) {
    VerboseArgument& a = add(number_type(base), ti);
    a.width = static_cast<std::uint8_t>(w);
    a.data = {d, w};
  }
  void array_begin(std::uint32_t ti, std::uint32_t base, unsigned w) {
    VerboseArgument& a = add(number_type(base), ti);
    a.array = true;
    a.width = static_cast<std::uint8_t>(w);
    a.count = 0;
  }
  void array_item(std::uint64_t i, std::uint32_t, std::uint32_t, const std::uint8_t* d, unsigned w, bool) {
    VerboseArgument& a = out.back();
    if (i == 0) a.data = {d, 0};
    a.data = {a.data.data(), a.data.size() + w};
    ++a.count;
  }
  void array_end() {}
  void bytes(std::uint32_t type, std::uint32_t ti, const std::uint8_t* d, std::size_t n) {
    const auto t = type == kRawd   ? VerboseArgument::Type::Raw
                   : type == kTrai ? VerboseArgument::Type::Trace
                                   : VerboseArgument::Type::String;
    VerboseArgument& a = add(t, ti);
    if (t != VerboseArgument::Type::Raw && n > 0 && d[n - 1] == 0) --n;  // one trailing NUL, as in the line
    if (t == VerboseArgument::Type::Trace) a.coding = VerboseArgument::Coding::Decimal;
    // A string is UTF-8 for any SCOD but ASCII, as the line and the JSON records read it
    // (scod & 3 above made SCOD 4 ASCII and SCOD 2 hexadecimal).
    if (t == VerboseArgument::Type::String)
      a.coding = scod(ti) != kScodAscii ? VerboseArgument::Coding::Utf8 : VerboseArgument::Coding::Decimal;
    a.data = {d, n};
  }
  void struct_begin() {
    VerboseArgument& a = add(VerboseArgument::Type::Struct, 0);
    a.count = 0;
    open_structs.push_back(out.size() - 1);
  }
  void struct_end() { open_structs.pop_back(); }
};
}  // namespace

bool validate_verbose(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar) {
  util::NullText sink;
  TextArgs<util::NullText> w{sink};
  return decode_verbose(payload, big_endian, noar, w);
}

bool format_verbose(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar, util::TextBuffer& out) {
  TextArgs<util::TextBuffer> w{out};
  return decode_verbose(payload, big_endian, noar, w);
}

bool format_verbose_json(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                         util::TextBuffer& out) {
  JsonArgs w{out, {}};
  return decode_verbose(payload, big_endian, noar, w);
}

bool format_verbose_with_json(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                              util::TextBuffer& text, util::TextBuffer& args, bool& plain_text) {
  TextJsonArgs w{{text}, {args, {}}};
  const bool ok = decode_verbose(payload, big_endian, noar, w);
  plain_text = w.plain_text;
  return ok;
}

}  // namespace dltdump::dlt

namespace dltdump::dlt {

bool list_verbose_arguments(std::span<const std::uint8_t> payload, bool big_endian, std::uint8_t noar,
                            std::vector<VerboseArgument>& out) {
  ListArgs w{out, big_endian, {}, {}};
  return decode_verbose(payload, big_endian, noar, w);
}

std::uint64_t argument_uint(const VerboseArgument& a, std::uint32_t i) {
  if (a.type == VerboseArgument::Type::Float) return static_cast<std::uint64_t>(argument_double(a, i));
  const std::uint8_t* d = a.data.data() + static_cast<std::size_t>(i) * a.width;
  if (a.type == VerboseArgument::Type::Bool) {
    bool any = false;
    for (unsigned k = 0; k < a.width; ++k) any |= d[k] != 0;
    return any ? 1 : 0;
  }
  if (a.width == 16) return static_cast<std::uint64_t>(load_uint(d, 16, a.big_endian));
  return util::load_width(d, a.width, a.big_endian);
}

std::int64_t argument_int(const VerboseArgument& a, std::uint32_t i) {
  if (a.type == VerboseArgument::Type::Float) return static_cast<std::int64_t>(argument_double(a, i));
  const std::uint64_t v = argument_uint(a, i);
  if (a.type != VerboseArgument::Type::Sint || a.width >= 8) return static_cast<std::int64_t>(v);
  const unsigned shift = 64 - 8u * a.width;
  return static_cast<std::int64_t>(v << shift) >> shift;  // sign-extended
}

double argument_double(const VerboseArgument& a, std::uint32_t i) {
  const std::uint8_t* d = a.data.data() + static_cast<std::size_t>(i) * a.width;
  if (a.type != VerboseArgument::Type::Float) {
    if (a.type == VerboseArgument::Type::Sint) return static_cast<double>(argument_int(a, i));
    if (a.width == 16 && a.type == VerboseArgument::Type::Uint)
      return static_cast<double>(load_uint(d, 16, a.big_endian));
    return static_cast<double>(argument_uint(a, i));
  }
  if (a.width == 2) return half_to_double(static_cast<std::uint16_t>(util::load_width(d, 2, a.big_endian)));
  if (a.width == 4) {
    const auto u = static_cast<std::uint32_t>(util::load_width(d, 4, a.big_endian));
    return static_cast<double>(std::bit_cast<float>(u));
  }
  if (a.width == 8) return std::bit_cast<double>(util::load_width(d, 8, a.big_endian));
  return static_cast<double>(quad_to_long_double(load_uint(d, 16, a.big_endian)));
}

std::string argument_string(const VerboseArgument& a) {
  util::TextBuffer text;
  if (a.type == VerboseArgument::Type::String && a.coding == VerboseArgument::Coding::Utf8)
    append_utf8(text, a.data.data(), a.data.size());
  else append_iso8859_15(text, a.data.data(), a.data.size());
  return std::string(text.view());
}

}  // namespace dltdump::dlt
