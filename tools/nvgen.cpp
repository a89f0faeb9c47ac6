// nvgen: the project's deterministic generator of FIBEX catalogues and of the non-verbose
// DLT logs that use them (issue #21).
//
// Writes
//   --catalogue DIR   DIR/ecu_000.xml … one FIBEX file per ECU (--ecus N, --frames N each):
//                     frames of 0-8 PDUs of every base type (static texts with entities,
//                     character references and CDATA, fixed-size numbers, raw data,
//                     strings, unknown types), namespace prefixes and quoting varied per file;
//   -o OUT            a DLT file, network or serial recording (--format) of messages that use
//                     the catalogue: hits, misses (unknown id, other application or context,
//                     another ECU), payloads that do not fit their frame, payloads shorter
//                     than a message id, both byte orders, with and without ECU, extended
//                     header, session and time stamp, and a few verbose messages;
//   --expect FILE     the exact lines `dltdump -F DIR [--nv-…] --format=<fmt> OUT` must print
//                     (TZ=UTC), computed from the values chosen here by the rules of spec §8
//                     and deviations Q1, Q2, Q16, Q20 — never by a decoder.
//
// --mode says which lookup the log is checked with and so which catalogue is valid:
//   default            (APP, CTX, id) unique over all files; an id may recur in another file
//                      with other ids (messages without extended header find the first);
//   noexthdr           ids unique over all files (dltdump --nv-noexthdr);
//   multiecu           ids unique per file; frames repeat across files (dltdump --nv-multiecu);
//   multiecu-noexthdr  the same, looked up by (ECU, id) (--nv-multiecu --nv-noexthdr).
// With two or more ECUs the catalogue always holds such a repetition: in default mode an id
// defined in two files (so --nv-noexthdr must refuse it), in the multiecu modes one frame,
// (APP, CTX, id), in two files (so dltdump without --nv-multiecu must refuse it).
// Messages whose lookup the rules leave open (a repeated frame looked up without ECU in the
// multiecu modes) are never generated.
//
// --size and the catalogue sizes are for benchmarks: the log is written as it is generated;
// --catalogue-only writes the catalogue alone. --clean PCT makes that share of the messages
// as an ECU writes them with its own catalogue (non-verbose, a frame's ids, a payload the
// frame reads exactly; the rest is the mix above, about a third of which no frame decodes):
// a benchmark's log, where the test mix's unpredictable hits and misses would measure the
// branch predictor more than the decoder. The same options always give the same bytes
// (--clean 0, the default, draws nothing more).
//
// Usage: nvgen [--mode M] [--format file|net|ser] [--count N | --size BYTES] [--seed S]
//              [--ecus N] [--frames N] [--clean PCT] --catalogue DIR [--catalogue-only]
//              [--expect FILE] -o OUT
#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <sys/stat.h>

#include "rng.hpp"
#include "size_arg.hpp"

namespace {

using dltdump::tools::Rng;

using Bytes = std::vector<std::uint8_t>;

void put_uint(Bytes& b, std::uint64_t v, unsigned width, bool be) {
  for (unsigned i = 0; i < width; ++i) {
    unsigned shift = be ? 8 * (width - 1 - i) : 8 * i;
    b.push_back(static_cast<std::uint8_t>(v >> shift));
  }
}

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  int n = std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) s += ' ';
    s += kHex[p[i] >> 4];
    s += kHex[p[i] & 15];
  }
  return s;
}

// Spec §3.3: the remainder after the message id as ASCII-or-dash, `|`, hex.
std::string byte_dump(const std::uint8_t* p, std::size_t n) {
  if (!n) return "";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (p[i] >= 0x20 && p[i] < 0x7F) ? static_cast<char>(p[i]) : '-';
  return s + "|" + hex_bytes(p, n);
}

void append_utf8(std::string& s, std::uint32_t cp) {
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// "ASCII" strings are ISO-8859-15 (spec §3.2); controls print as `.`.
std::string iso8859_15_text(const std::uint8_t* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t b = p[i];
    std::uint32_t cp = b;
    switch (b) {
      case 0xA0: cp = ' '; break;
      case 0xA4: cp = 0x20AC; break;
      case 0xA6: cp = 0x160; break;
      case 0xA8: cp = 0x161; break;
      case 0xB4: cp = 0x17D; break;
      case 0xB8: cp = 0x17E; break;
      case 0xBC: cp = 0x152; break;
      case 0xBD: cp = 0x153; break;
      case 0xBE: cp = 0x178; break;
      default:
        if (b < 0x20 || (b >= 0x7F && b < 0xA0)) cp = '.';
    }
    append_utf8(s, cp);
  }
  return s;
}

// Valid UTF-8 as it prints (Q20): C0 controls, DEL and C1 controls (U+0080-U+009F) as `.`.
std::string utf8_text(const std::string& in) {
  std::string s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto b = static_cast<std::uint8_t>(in[i]);
    if (b < 0x20 || b == 0x7F) {
      s += '.';
    } else if (b == 0xC2 && i + 1 < in.size() && static_cast<std::uint8_t>(in[i + 1]) < 0xA0) {
      s += '.';
      ++i;
    } else {
      s += in[i];
    }
  }
  return s;
}

// ---- the catalogue model ----
enum class Kind { Text, Bool, Sint, Uint, Float, Hex, Bin, Raw, Ascii, Utf8, Unknown };

struct Pdu {
  Kind kind = Kind::Text;
  unsigned width = 0;        // fixed-size kinds: bytes of the type
  unsigned byte_length = 0;  // fx:BYTE-LENGTH
  bool write_length = true;  // static texts may omit fx:BYTE-LENGTH
  std::string type_ref;      // the SIGNAL-REF ID-REF (the base type)
  std::string text;          // static text as printed
  std::string desc_xml;      // static text as written
};

struct FrameDef {
  std::uint32_t id = 0;
  std::string app, ctx;
  const char* message_type = "";
  const char* message_info = "";
  const char* type_text = "";
  std::vector<std::uint32_t> pdus;  // indexes into the file's PDUs
  bool fits = true;                 // false: a fixed PDU shorter than its type
};

struct EcuFile {
  std::string ecu, name;
  std::vector<Pdu> pdus;
  std::vector<FrameDef> frames;
  std::unordered_map<std::uint32_t, std::uint32_t> by_id;  // id -> frame index
};

struct FrameRef {
  std::uint32_t file, frame;
};

const char* const kApps[] = {"NAV", "HMI", "DIAG", "SYS", "MEDI", "A", "CAM1", "LOG"};
const char* const kCtxs[] = {"MAIN", "GPS", "CTX1", "NET", "TEST", "C", "IO", "RX"};
const char* const kEcuNames[] = {"TCB", "HU", "ECU1", "GW", "ADAS", "BCM", "E7", "TCU2"};
const char* const kWords[] = {"speed",      "timeout", "engine", "brake",       "door",    "lane",  "radar", "camera",
                              "Navigation", "route",   "fuel",   "temperature", "voltage", "error", "ok",    "ready"};

struct TypeName {
  const char* type;
  const char* info;
  const char* text;
};
const TypeName kFrameTypes[] = {
    {"DLT_TYPE_LOG", "DLT_LOG_FATAL", "log fatal"},
    {"DLT_TYPE_LOG", "DLT_LOG_ERROR", "log error"},
    {"DLT_TYPE_LOG", "DLT_LOG_WARN", "log warn"},
    {"DLT_TYPE_LOG", "DLT_LOG_INFO", "log info"},
    {"DLT_TYPE_LOG", "DLT_LOG_DEBUG", "log debug"},
    {"DLT_TYPE_LOG", "DLT_LOG_VERBOSE", "log verbose"},
    {"DLT_TYPE_APP_TRACE", "DLT_TRACE_VARIABLE", "app_trace variable"},
    {"DLT_TYPE_APP_TRACE", "DLT_TRACE_FUNCTION_IN", "app_trace func_in"},
    {"DLT_TYPE_APP_TRACE", "DLT_TRACE_FUNCTION_OUT", "app_trace func_out"},
    {"DLT_TYPE_APP_TRACE", "DLT_TRACE_STATE", "app_trace state"},
    {"DLT_TYPE_APP_TRACE", "DLT_TRACE_VFB", "app_trace vfb"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_IPC", "nw_trace ipc"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_CAN", "nw_trace can"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_FLEXRAY", "nw_trace flexray"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_MOST", "nw_trace most"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_ETHERNET", "nw_trace ethernet"},
    {"DLT_TYPE_NW_TRACE", "DLT_NW_TRACE_SOMEIP", "nw_trace someip"},
};
constexpr unsigned kFrameTypeCount = sizeof kFrameTypes / sizeof kFrameTypes[0];

// Header MSIN types of non-verbose messages (Q16 prints them when no frame is found; Q2 names).
const char* const kLogTypes[] = {"", "log fatal", "log error", "log warn", "log info", "log debug", "log verbose"};
const char* const kTraceTypes[] = {
    "", "app_trace variable", "app_trace func_in", "app_trace func_out", "app_trace state", "app_trace vfb"};
const char* const kNwTypes[] = {
    "", "nw_trace ipc", "nw_trace can", "nw_trace flexray", "nw_trace most", "nw_trace ethernet", "nw_trace someip"};

struct Options {
  std::string mode = "default";
  std::string format = "file";
  std::uint64_t count = 2000;
  std::uint64_t size = 0;
  std::uint64_t seed = 1;
  unsigned ecus = 3;
  unsigned frames = 40;
  unsigned clean = 0;  // percent of messages as an ECU writes them
  bool catalogue_only = false;
  std::string catalogue, out, expect;
};

// A static description: what the XML says and what the line shows.
void make_desc(Rng& r, Pdu& p) {
  unsigned pieces = 1 + r.below(5);
  std::string xml, text;
  for (unsigned i = 0; i < pieces; ++i) {
    if (i) {
      xml += ' ';
      text += ' ';
    }
    // First and last pieces are plain words: no whitespace at either end of the text.
    unsigned k = (i == 0 || i + 1 == pieces) ? 0 : r.below(14);
    // Fixed pieces: the XML and the text a line shows (entities resolved, controls as '.').
    static const std::pair<const char*, const char*> kPieces[] = {
        {"&amp;", "&"},
        {"&lt;x&gt;", "<x>"},
        {"&quot;q&apos;", "\"q'"},
        {"caf&#233;", "caf\xC3\xA9"},
        {"&#x20AC;5",
         "\xE2\x82\xAC"
         "5"},
        {"a&#9;b", "a.b"},           // tab
        {"c&#xA;d", "c.d"},          // line feed
        {"e&#x7F;&#x85;f", "e..f"},  // DEL, C1 NEL
        {"Gr\xC3\xBC\xC3\x9F"
         "e \xE2\x9C\x93",
         "Gr\xC3\xBC\xC3\x9F"
         "e \xE2\x9C\x93"},
        {"<![CDATA[a<b & c>d]]>", "a<b & c>d"},
    };
    if (k >= 1 && k <= std::size(kPieces)) {
      xml += kPieces[k - 1].first;
      text += kPieces[k - 1].second;
    } else if (k == 11) {
      const std::string n = "=" + std::to_string(r.below(100000));
      xml += n;
      text += n;
    } else {
      const char* w = kWords[r.below(16)];
      xml += w;
      text += w;
    }
  }
  if (r.chance(20)) {  // a trailing colon, as real catalogues have ("Free size:")
    xml += ':';
    text += ':';
  }
  p.desc_xml = xml;
  p.text = text;
}

Pdu make_pdu(Rng& r, bool& fits) {
  Pdu p;
  unsigned k = r.below(100);
  static const unsigned kWidths[] = {1, 2, 4, 8};
  if (k < 25) {
    p.kind = Kind::Text;
    make_desc(r, p);
    p.write_length = r.chance(70);
    return p;
  }
  if (k < 68) {  // fixed size
    unsigned t = r.below(6);
    p.kind = t == 0   ? Kind::Bool
             : t == 1 ? Kind::Sint
             : t == 2 ? Kind::Uint
             : t == 3 ? Kind::Float
             : t == 4 ? Kind::Hex
                      : Kind::Bin;
    if (p.kind == Kind::Bool) {
      p.width = 1;
      p.type_ref = "S_BOOL";
    } else if (p.kind == Kind::Float) {
      p.width = r.chance(50) ? 4 : 8;
      p.type_ref = p.width == 4 ? "S_FLOA32" : "S_FLOA64";
    } else {
      p.width = kWidths[r.below(4)];
      const char* base = p.kind == Kind::Sint   ? "S_SINT"
                         : p.kind == Kind::Uint ? "S_UINT"
                         : p.kind == Kind::Hex  ? "S_HEX"
                                                : "S_BIN";
      p.type_ref = base + std::to_string(8 * p.width);
    }
    p.byte_length = p.width;
    if (r.chance(12)) p.byte_length += 1 + r.below(3);  // longer than the type: the rest is consumed
    if (r.chance(2)) {                                  // shorter than the type: never fits
      p.byte_length = r.below(p.width);
      fits = false;
    }
    return p;
  }
  if (k < 75) {
    p.kind = Kind::Raw;
    p.type_ref = r.chance(50) ? "S_RAW" : "S_RAWD";
    return p;
  }
  if (k < 88) {
    bool ascii = r.chance(50);
    p.kind = ascii ? Kind::Ascii : Kind::Utf8;
    p.type_ref = ascii ? "S_STRG_ASCII" : r.chance(50) ? "S_STRG_UTF8" : "S_UTF8";
    if (r.chance(10)) p.byte_length = 8;  // ignored for strings
    return p;
  }
  static const char* const kUnknown[] = {"S_FLOA16", "S_FOO", "S_BLOB", "S_UINT24", "S_STRG_UTF16"};
  p.kind = Kind::Unknown;
  p.type_ref = kUnknown[r.below(5)];
  p.byte_length = r.chance(40) ? 0 : 1 + r.below(12);
  return p;
}

// One PDU's bytes in a message, and their text.
void encode_pdu(Rng& r, const Pdu& p, bool be, Bytes& b, std::string& text) {
  switch (p.kind) {
    case Kind::Text: text = p.text; return;
    case Kind::Bool:
    case Kind::Sint:
    case Kind::Uint:
    case Kind::Float:
    case Kind::Hex:
    case Kind::Bin: {
      if (p.byte_length < p.width) {  // never fits: any bytes
        for (unsigned i = 0; i < p.byte_length; ++i) b.push_back(static_cast<std::uint8_t>(r.next()));
        return;
      }
      const unsigned w = p.width;
      std::uint64_t v = r.next();
      if (r.chance(20)) v = r.below(3);  // small values and zero
      if (w < 8) v &= (1ull << (8 * w)) - 1;
      if (p.kind == Kind::Bool) v = r.chance(45) ? 0 : r.chance(80) ? 1 : v;
      if (p.kind == Kind::Float) {
        static const double kNice[] = {0.0, 1.0, -1.5, 3.14159265, 1e20, -2.5e-7, 123456.789, 1e-310, -0.0, 65504.0};
        for (;;) {
          if (w == 4) {
            float f = r.chance(50) ? static_cast<float>(kNice[r.below(10)]) : 0;
            std::uint32_t u = static_cast<std::uint32_t>(r.next());
            if (r.chance(50)) std::memcpy(&u, &f, 4);
            if (r.chance(3)) u = r.chance(50) ? 0x7F800000u : 0xFF800000u;  // +-inf
            std::memcpy(&f, &u, 4);
            if (std::isnan(f)) continue;
            v = u;
            text = fmt("%g", static_cast<double>(f));
          } else {
            double d = kNice[r.below(10)];
            std::uint64_t u = r.next();
            if (r.chance(50)) std::memcpy(&u, &d, 8);
            if (r.chance(3)) u = r.chance(50) ? 0x7FF0000000000000ull : 0xFFF0000000000000ull;
            std::memcpy(&d, &u, 8);
            if (std::isnan(d)) continue;
            v = u;
            text = fmt("%g", d);
          }
          break;
        }
      }
      put_uint(b, v, w, be);
      bool any = v != 0;
      for (unsigned i = w; i < p.byte_length; ++i) {
        std::uint8_t x = (p.kind == Kind::Bool && r.chance(70)) ? 0 : static_cast<std::uint8_t>(r.next());
        any = any || x;
        b.push_back(x);
      }
      if (p.kind == Kind::Bool) {
        text = any ? "true" : "false";
      } else if (p.kind == Kind::Sint) {
        std::int64_t s = static_cast<std::int64_t>(v << (64 - 8 * w)) >> (64 - 8 * w);
        text = fmt("%" PRId64, s);
      } else if (p.kind == Kind::Uint) {
        text = fmt("%" PRIu64, v);
      } else if (p.kind == Kind::Hex) {
        text = fmt("0x%0*" PRIx64, static_cast<int>(2 * w), v);
      } else if (p.kind == Kind::Bin) {
        text = "0b";
        for (int bit = static_cast<int>(8 * w) - 1; bit >= 0; --bit) {
          text += static_cast<char>('0' + ((v >> bit) & 1));
          if (bit % 4 == 0 && bit) text += ' ';
        }
      }
      return;
    }
    case Kind::Raw: {
      unsigned n = r.chance(10) ? 0 : r.below(20);
      put_uint(b, n, 2, be);
      std::size_t at = b.size();
      for (unsigned i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(r.next()));
      text = hex_bytes(b.data() + at, n);
      return;
    }
    case Kind::Ascii:
    case Kind::Utf8: {
      const bool ascii = p.kind == Kind::Ascii;
      std::string s;
      unsigned pieces = r.chance(5) ? 0 : 1 + r.below(5);
      for (unsigned i = 0; i < pieces; ++i) {
        if (i) s += ' ';
        unsigned k = r.below(10);
        if (k == 0) {  // a control character
          static const char kCtl[] = {'\t', '\n', '\r', '\x1b', '\x7f', '\x01'};
          s += kCtl[r.below(6)];
        } else if (k == 1 && ascii) {  // ISO-8859-15 letters, the specials and C1 controls
          static const unsigned char kHigh[] = {0xE4, 0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC,
                                                0xBD, 0xBE, 0xA0, 0xFF, 0x85, 0x9F, 0xC0};
          s += static_cast<char>(kHigh[r.below(14)]);
          s += static_cast<char>(kHigh[r.below(14)]);
        } else if (k == 1) {  // UTF-8: 2, 3 and 4 byte sequences and a C1 control
          static const char* const kUtf8[] = {"\xC3\xA9",         "\xE2\x82\xAC", "\xE2\x9C\x93",
                                              "\xF0\x9F\x98\x80", "\xC2\x85",     "\xC2\xA0"};
          s += kUtf8[r.below(6)];
        } else if (k == 2) {
          s += '\0';  // an inner NUL
        } else {
          s += kWords[r.below(16)];
        }
      }
      unsigned nuls = r.chance(75) ? 1 : r.chance(50) ? 0 : 2;
      std::string data = s + std::string(nuls, '\0');
      put_uint(b, data.size(), 2, be);
      b.insert(b.end(), data.begin(), data.end());
      // exactly one trailing NUL is dropped
      if (!data.empty() && data.back() == '\0') data.pop_back();
      text = ascii ? iso8859_15_text(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()) : utf8_text(data);
      return;
    }
    case Kind::Unknown: {
      unsigned n = p.byte_length;
      if (!n) {
        n = r.chance(15) ? 0 : r.chance(3) ? 256 + r.below(64) : r.below(17);
        put_uint(b, n, 2, be);
      }
      std::size_t at = b.size();
      for (unsigned i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(r.next()));
      text = n ? fmt("(%02x) ", n) + hex_bytes(b.data() + at, n) : "(00)";
      return;
    }
  }
}

std::string utc_time(std::int64_t us) {
  if (us < 0) return "1970/01/01 00:00:00.000000";
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt("%04d/%02d/%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
             tm.tm_sec, static_cast<int>(us % 1000000));
}

// ---- writing one FIBEX file ----
struct XmlStyle {
  std::string fx, ho;  // namespace prefixes
  char q = '"';        // attribute quote
  bool ho_on_elements = false, bom = false, declaration = true, comments = false;
};

void write_file(const EcuFile& f, const XmlStyle& s, FILE* out) {
  std::string x;
  x.reserve(1 << 16);
  const std::string& fx = s.fx;
  const std::string& ho = s.ho;
  const std::string q(1, s.q);
  auto flush = [&] {
    std::fwrite(x.data(), 1, x.size(), out);
    x.clear();
  };
  if (s.bom) x += "\xEF\xBB\xBF";
  if (s.declaration) x += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<!-- generated by nvgen -->\n";
  x += "<" + fx + ":FIBEX xmlns:" + fx + "=" + q + "http://www.asam.net/xml/fbx" + q;
  if (!s.ho_on_elements) x += " xmlns:" + ho + "=" + q + "http://www.asam.net/xml" + q;
  x += " VERSION=" + q + "3.1.0" + q + ">\n";
  x += "  <" + fx + ":PROJECT ID=" + q + "project" + f.ecu + q + ">\n";
  if (!s.ho_on_elements) x += "    <" + ho + ":SHORT-NAME>project" + f.ecu + "</" + ho + ":SHORT-NAME>\n";
  x += "  </" + fx + ":PROJECT>\n";
  x += "  <" + fx + ":ELEMENTS";
  if (s.ho_on_elements) x += " xmlns:" + ho + "=" + q + "http://www.asam.net/xml" + q;
  x += ">\n";
  x += "    <" + fx + ":ECUS>\n      <" + fx + ":ECU ID=" + q + f.ecu + q + ">\n        <" + ho + ":SHORT-NAME>" +
       f.ecu + "</" + ho + ":SHORT-NAME>\n      </" + fx + ":ECU>\n    </" + fx + ":ECUS>\n";
  x += "    <" + fx + ":PDUS>\n";
  for (std::size_t i = 0; i < f.pdus.size(); ++i) {
    const Pdu& p = f.pdus[i];
    const std::string id = "PDU_" + std::to_string(i);
    if (s.comments) x += "      <!-- PDU " + std::to_string(i) + " -->\n";
    x += "      <" + fx + ":PDU ID=" + q + id + q + ">\n";
    x += "        <" + ho + ":SHORT-NAME>" + id + "</" + ho + ":SHORT-NAME>\n";
    if (p.kind == Kind::Text) x += "        <" + ho + ":DESC>" + p.desc_xml + "</" + ho + ":DESC>\n";
    if (p.write_length)
      x += "        <" + fx + ":BYTE-LENGTH>" + std::to_string(p.byte_length) + "</" + fx + ":BYTE-LENGTH>\n";
    x += "        <" + fx + ":PDU-TYPE>OTHER</" + fx + ":PDU-TYPE>\n";
    if (p.kind != Kind::Text) {
      x += "        <" + fx + ":SIGNAL-INSTANCES>\n          <" + fx + ":SIGNAL-INSTANCE ID=" + q + "SI_" +
           std::to_string(i) + q + ">\n            <" + fx + ":SEQUENCE-NUMBER>0</" + fx + ":SEQUENCE-NUMBER>\n";
      if ((i & 3) == 1)
        x += "            <" + fx + ":SIGNAL-REF ID-REF=" + q + p.type_ref + q + "></" + fx + ":SIGNAL-REF>\n";
      else x += "            <" + fx + ":SIGNAL-REF ID-REF=" + q + p.type_ref + q + "/>\n";
      if ((i % 5) == 2)
        x += "            <" + fx + ":MANUFACTURER-EXTENSION>\n              <VARI_NAME>v" + std::to_string(i) +
             "</VARI_NAME>\n              <VARI_UNIT>km/h</VARI_UNIT>\n            </" + fx +
             ":MANUFACTURER-EXTENSION>\n";
      x += "          </" + fx + ":SIGNAL-INSTANCE>\n        </" + fx + ":SIGNAL-INSTANCES>\n";
    }
    x += "      </" + fx + ":PDU>\n";
    if (x.size() > (1u << 20)) flush();
  }
  x += "    </" + fx + ":PDUS>\n    <" + fx + ":FRAMES>\n";
  for (const FrameDef& fr : f.frames) {
    const std::string id = "ID_" + std::to_string(fr.id);
    if (s.comments) x += "      <!-- message " + std::to_string(fr.id) + " -->\n";
    x += "      <" + fx + ":FRAME ID=" + q + id + q + ">\n";
    // The short name is not the id (as in real catalogues): the loader must read the ID.
    x += "        <" + ho + ":SHORT-NAME>F" + std::to_string(fr.id % 977) + "</" + ho + ":SHORT-NAME>\n";
    x += "        <" + fx + ":BYTE-LENGTH>0</" + fx + ":BYTE-LENGTH>\n";
    x += "        <" + fx + ":FRAME-TYPE>OTHER</" + fx + ":FRAME-TYPE>\n";
    x += "        <" + fx + ":PDU-INSTANCES>\n";
    for (std::size_t k = 0; k < fr.pdus.size(); ++k) {
      x += "          <" + fx + ":PDU-INSTANCE ID=" + q + "PI_" + std::to_string(fr.id) + "_" + std::to_string(k) + q +
           ">\n";
      x += "            <" + fx + ":PDU-REF ID-REF=" + q + "PDU_" + std::to_string(fr.pdus[k]) + q + "/>\n";
      x += "            <" + fx + ":SEQUENCE-NUMBER>" + std::to_string(k) + "</" + fx + ":SEQUENCE-NUMBER>\n";
      x += "          </" + fx + ":PDU-INSTANCE>\n";
    }
    x += "        </" + fx + ":PDU-INSTANCES>\n";
    x += "        <" + fx + ":MANUFACTURER-EXTENSION>\n";
    x += std::string("          <MESSAGE_TYPE>") + fr.message_type + "</MESSAGE_TYPE>\n";
    x += std::string("          <MESSAGE_INFO>") + fr.message_info + "</MESSAGE_INFO>\n";
    x += "          <APPLICATION_ID>" + fr.app + "</APPLICATION_ID>\n";
    x += "          <CONTEXT_ID>" + fr.ctx + "</CONTEXT_ID>\n";
    x += "          <MESSAGE_SOURCE_FILE>gen.c</MESSAGE_SOURCE_FILE>\n";
    x += "          <MESSAGE_LINE_NUMBER>" + std::to_string(fr.id % 5000) + "</MESSAGE_LINE_NUMBER>\n";
    x += "        </" + fx + ":MANUFACTURER-EXTENSION>\n";
    x += "      </" + fx + ":FRAME>\n";
    if (x.size() > (1u << 20)) flush();
  }
  x += "    </" + fx + ":FRAMES>\n  </" + fx + ":ELEMENTS>\n</" + fx + ":FIBEX>\n";
  flush();
}

// ---- the generator ----
struct Generator {
  Options o;
  Rng rng{0};
  std::vector<EcuFile> files;
  std::unordered_map<std::uint32_t, std::vector<FrameRef>> by_id;  // in load order
  std::unordered_map<std::string, std::uint32_t> file_of_ecu;
  std::unordered_set<std::string> keys;  // (APP, CTX, id) of every frame (default mode)
  std::uint32_t id_space = 2000;
  FILE* out = nullptr;
  FILE* expect = nullptr;
  std::uint64_t offset = 0;
  std::int64_t time_us = 1709287200000000ll;  // 2024-03-01T10:00:00Z
  std::uint8_t counter = 0;

  bool multiecu() const { return o.mode == "multiecu" || o.mode == "multiecu-noexthdr"; }
  bool noexthdr() const { return o.mode == "noexthdr" || o.mode == "multiecu-noexthdr"; }
  static std::string key(const std::string& app, const std::string& ctx, std::uint32_t id) {
    return app + '\0' + ctx + '\0' + std::to_string(id);
  }

  std::string ecu_name(unsigned i) const {
    if (i < 8) return kEcuNames[i];
    static const char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    return std::string("X") + kDigits[(i / 1296) % 36] + kDigits[(i / 36) % 36] + kDigits[i % 36];
  }

  // A frame of file `fi`; `copy_of` (optional) gives the id, and in the multiecu modes also the
  // application and context, of a frame of an earlier file.
  bool add_frame(std::uint32_t fi, const FrameRef* copy_of) {
    EcuFile& f = files[fi];
    FrameDef fr;
    if (copy_of) {
      const FrameDef& src = files[copy_of->file].frames[copy_of->frame];
      fr.id = src.id;
      if (f.by_id.count(fr.id)) return false;
      if (multiecu()) {
        fr.app = src.app;
        fr.ctx = src.ctx;
      } else {  // default mode: the same id under other ids
        for (int tries = 0;; ++tries) {
          if (tries == 20) return false;
          fr.app = kApps[rng.below(8)];
          fr.ctx = kCtxs[rng.below(8)];
          if (!keys.count(key(fr.app, fr.ctx, fr.id))) break;
        }
      }
    } else {
      for (int tries = 0;; ++tries) {
        if (tries == 50) return false;
        fr.id = rng.chance(85) ? rng.below(id_space) : static_cast<std::uint32_t>(rng.next());
        if (f.by_id.count(fr.id)) continue;
        if (!multiecu() && by_id.count(fr.id)) continue;  // new ids are new everywhere
        break;
      }
      fr.app = kApps[rng.below(8)];
      fr.ctx = kCtxs[rng.below(8)];
    }
    const TypeName& t = kFrameTypes[rng.chance(60) ? rng.below(6) : rng.below(kFrameTypeCount)];
    fr.message_type = t.type;
    fr.message_info = t.info;
    fr.type_text = t.text;
    if (rng.chance(3)) {  // a type with another type's info: the type alone
      static const TypeName kCross[] = {{"DLT_TYPE_LOG", "DLT_TRACE_STATE", "log "},
                                        {"DLT_TYPE_APP_TRACE", "DLT_LOG_INFO", "app_trace "},
                                        {"DLT_TYPE_NW_TRACE", "DLT_TRACE_VFB", "nw_trace "}};
      const TypeName& c = kCross[rng.below(3)];
      fr.message_type = c.type;
      fr.message_info = c.info;
      fr.type_text = c.text;
    }
    unsigned n = rng.chance(8) ? 0 : 1 + rng.below(8);
    for (unsigned k = 0; k < n; ++k) {
      if (!f.pdus.empty() && rng.chance(10)) {  // PDUs are shared between frames
        std::uint32_t pi = rng.below(static_cast<std::uint32_t>(f.pdus.size()));
        const Pdu& p = f.pdus[pi];
        if (p.kind != Kind::Text && p.byte_length < p.width) fr.fits = false;
        fr.pdus.push_back(pi);
        continue;
      }
      f.pdus.push_back(make_pdu(rng, fr.fits));
      fr.pdus.push_back(static_cast<std::uint32_t>(f.pdus.size() - 1));
    }
    f.by_id[fr.id] = static_cast<std::uint32_t>(f.frames.size());
    by_id[fr.id].push_back({fi, static_cast<std::uint32_t>(f.frames.size())});
    keys.insert(key(fr.app, fr.ctx, fr.id));
    f.frames.push_back(std::move(fr));
    return true;
  }

  // A random frame of a file before `fi`.
  bool earlier_frame(std::uint32_t fi, FrameRef& ref) {
    if (fi == 0) return false;
    std::uint32_t src = rng.below(fi);
    if (files[src].frames.empty()) return false;
    ref = {src, rng.below(static_cast<std::uint32_t>(files[src].frames.size()))};
    return true;
  }

  bool build_catalogue() {
    id_space = std::max<std::uint32_t>(2000, 4 * o.frames * o.ecus);
    unsigned digits = 1;  // zero-padded to one width: name order is generation order
    for (unsigned n = o.ecus - 1; n >= 10; n /= 10) ++digits;
    digits = std::max(digits, 3u);
    for (unsigned fi = 0; fi < o.ecus; ++fi) {
      files.emplace_back();
      EcuFile& f = files.back();
      f.ecu = ecu_name(fi);
      f.name = fmt("ecu_%0*u.xml", static_cast<int>(digits), fi);
      file_of_ecu[f.ecu] = fi;
      const bool shares = o.mode != "noexthdr";
      for (unsigned k = 0; k < o.frames; ++k) {
        FrameRef ref;
        // the promised repetition: the first frame of the second file
        bool copy = shares && (fi == 1 && k == 0 ? true : rng.chance(15)) && earlier_frame(fi, ref);
        if (!add_frame(fi, copy ? &ref : nullptr)) add_frame(fi, nullptr);
      }
      XmlStyle s;
      static const char* const kFx[] = {"fx", "fibex", "f"};
      static const char* const kHo[] = {"ho", "ho", "h", "asam"};
      s.fx = fi == 0 ? "fx" : kFx[rng.below(3)];
      s.ho = fi == 0 ? "ho" : kHo[rng.below(4)];
      s.q = rng.chance(25) ? '\'' : '"';
      s.ho_on_elements = rng.chance(20);
      s.bom = rng.chance(20);
      s.declaration = rng.chance(80);
      s.comments = rng.chance(30);
      std::string path = o.catalogue + "/" + f.name;
      FILE* x = std::fopen(path.c_str(), "wb");
      if (!x) {
        std::perror(path.c_str());
        return false;
      }
      static char buf[1 << 20];
      std::setvbuf(x, buf, _IOFBF, sizeof buf);
      write_file(f, s, x);
      if (std::fclose(x) != 0) {
        std::perror(path.c_str());
        return false;
      }
      if (o.catalogue_only) {  // no message needs the PDUs: keep memory flat (frames serve later copies)
        f.pdus.clear();
        f.pdus.shrink_to_fit();
        for (FrameDef& fr : f.frames) std::vector<std::uint32_t>().swap(fr.pdus);
      }
    }
    return true;
  }

  // The frame dltdump finds (spec §8.2 as the brief states it). `open` is set when the
  // rules do not say which of several frames is meant.
  const FrameDef* lookup(const std::string* weid, const std::string* app, const std::string* ctx, std::uint32_t id,
                         std::uint32_t& file, bool& open) {
    open = false;
    auto it = by_id.find(id);
    if (it == by_id.end()) return nullptr;
    const bool scoped = multiecu() && weid;
    const bool by_id_only = noexthdr() || !app;
    std::vector<FrameRef> c;
    for (const FrameRef& r : it->second) {
      const EcuFile& f = files[r.file];
      if (scoped && f.ecu != *weid) continue;
      const FrameDef& fr = f.frames[r.frame];
      if (!by_id_only && (fr.app != *app || fr.ctx != *ctx)) continue;
      c.push_back(r);
    }
    if (c.empty()) return nullptr;
    // default rule without extended header: the first loaded wins; otherwise keys are unique
    if (c.size() > 1 && (noexthdr() || app)) open = true;
    file = c[0].file;
    return &files[c[0].file].frames[c[0].frame];
  }

  void write(const Bytes& b) {
    std::fwrite(b.data(), 1, b.size(), out);
    offset += b.size();
  }

  std::uint32_t miss_id() {
    for (;;) {
      std::uint32_t id = rng.chance(70) ? rng.below(id_space) : static_cast<std::uint32_t>(rng.next());
      if (!by_id.count(id)) return id;
    }
  }

  void message() {
    const bool be = rng.chance(40);
    bool ueh = rng.chance(60);
    const bool weid = rng.chance(75), wsid = rng.chance(50), wtms = rng.chance(70);
    const std::uint32_t session = rng.chance(10) ? 0xDEADBEEFu : rng.below(100);
    const std::uint32_t devtime = static_cast<std::uint32_t>(rng.next());
    const std::string storage_ecu = rng.chance(80) ? files[rng.below(o.ecus)].ecu : "STOR";

    Bytes payload;
    std::uint8_t msin = 0, noar = 0;
    std::string line_ecu, line_app, line_ctx, type, tail, ecu, app, ctx;

    const bool clean = o.clean > 0 && rng.below(100) < o.clean;
    const unsigned scenario = clean ? 99 : rng.below(100);
    if (scenario < 4) {  // verbose: a few plain arguments
      ueh = true;
      unsigned level = 1 + rng.below(6);
      msin = static_cast<std::uint8_t>((level << 4) | 1);
      noar = static_cast<std::uint8_t>(rng.below(4));
      std::string text;
      for (unsigned i = 0; i < noar; ++i) {
        std::string t;
        switch (rng.below(3)) {
          case 0: {
            std::uint32_t v = static_cast<std::uint32_t>(rng.next());
            put_uint(payload, 0x43, 4, be);  // UINT, 32 bit
            put_uint(payload, v, 4, be);
            t = std::to_string(v);
            break;
          }
          case 1: {
            bool v = rng.chance(50);
            put_uint(payload, 0x11, 4, be);  // BOOL, 8 bit
            payload.push_back(v);
            t = v ? "true" : "false";
            break;
          }
          default: {
            t = kWords[rng.below(16)];
            put_uint(payload, 0x200, 4, be);  // STRG, ASCII
            put_uint(payload, t.size() + 1, 2, be);
            payload.insert(payload.end(), t.begin(), t.end());
            payload.push_back(0);
          }
        }
        text += (i ? " " : "") + t;
      }
      ecu = files[rng.below(o.ecus)].ecu;
      app = kApps[rng.below(8)];
      ctx = kCtxs[rng.below(8)];
      type = kLogTypes[level];
      tail = "verbose " + std::to_string(noar) + " " + text;
      line_ecu = weid ? ecu : o.format == "file" ? storage_ecu : "";
      line_app = app;
      line_ctx = ctx;
    } else {
      // the header type of a non-verbose message (printed when no frame is found, Q16)
      const unsigned t = rng.below(100);
      std::string msin_type;
      if (t < 85) {
        unsigned level = 1 + rng.below(6);
        msin = static_cast<std::uint8_t>(level << 4);
        msin_type = kLogTypes[level];
      } else if (t < 93) {
        unsigned mtin = 1 + rng.below(5);
        msin = static_cast<std::uint8_t>((mtin << 4) | (1 << 1));
        msin_type = kTraceTypes[mtin];
      } else {
        unsigned mtin = 1 + rng.below(6);
        msin = static_cast<std::uint8_t>((mtin << 4) | (2 << 1));
        msin_type = kNwTypes[mtin];
      }
      noar = static_cast<std::uint8_t>(rng.chance(80) ? 0 : rng.below(4));

      // Which message: a frame's, a missing id, or too short for an id. Repeated until the
      // lookup is one the rules decide.
      for (;;) {
        const unsigned s = clean ? 99 : rng.below(100);
        const FrameDef* target = nullptr;
        std::uint32_t target_file = 0;
        std::uint32_t id = 0;
        const bool is_short = s < 6;
        if (is_short) {
        } else if (s < 18) {
          id = miss_id();
        } else {
          target_file = rng.below(o.ecus);
          if (files[target_file].frames.empty()) continue;
          target = &files[target_file].frames[rng.below(static_cast<std::uint32_t>(files[target_file].frames.size()))];
          id = target->id;
        }
        // ECU: in the multiecu modes mostly the target's, sometimes another or none known
        unsigned e = clean ? 0 : rng.below(100);
        if (target && multiecu() && e < 75) ecu = files[target_file].ecu;
        else if (e < 92) ecu = files[rng.below(o.ecus)].ecu;
        else ecu = rng.chance(50) ? "NOPE" : "ZZ";
        // ids: mostly the target's, sometimes others (a miss unless the id alone decides)
        if (target && (clean || rng.chance(85))) {
          app = target->app;
          ctx = target->ctx;
        } else {
          app = kApps[rng.below(8)];
          ctx = kCtxs[rng.below(8)];
          if (rng.chance(50) && target) ctx = target->ctx;
        }

        std::uint32_t file = 0;
        bool open = false;
        const FrameDef* found =
            is_short ? nullptr
                     : lookup(weid ? &ecu : nullptr, ueh ? &app : nullptr, ueh ? &ctx : nullptr, id, file, open);
        if (open || (clean && !(found && found->fits))) continue;

        payload.clear();
        if (is_short) {
          unsigned n = rng.below(4);
          for (unsigned i = 0; i < n; ++i) payload.push_back(static_cast<std::uint8_t>(rng.next()));
          tail = "non-verbose 1 [0] ";
        } else {
          put_uint(payload, id, 4, be);
        }
        if (found) {
          std::string text;
          for (std::size_t k = 0; k < found->pdus.size(); ++k) {
            std::string t;
            encode_pdu(rng, files[file].pdus[found->pdus[k]], be, payload, t);
            text += (k ? " " : "") + t;
          }
          bool fits = found->fits;
          unsigned m = clean ? 99 : rng.below(100);
          if (m < 6 && payload.size() > 4) {  // cut: some PDU runs out of bytes
            payload.resize(payload.size() - 1 - rng.below(static_cast<std::uint32_t>(payload.size() - 4)));
            fits = false;
          } else if (m < 12) {  // bytes left over after the last PDU
            unsigned n = 1 + rng.below(4);
            for (unsigned i = 0; i < n; ++i) payload.push_back(static_cast<std::uint8_t>(rng.next()));
            fits = false;
          }
          line_ecu = weid ? ecu : files[file].ecu;
          line_app = found->app;
          line_ctx = found->ctx;
          type = found->type_text;
          if (fits)
            tail = "non-verbose " + std::to_string(found->pdus.size()) + " [" + std::to_string(id) + "] " + text;
          else tail = "non-verbose 1 [" + std::to_string(id) + "] " + byte_dump(payload.data() + 4, payload.size() - 4);
        } else {
          if (!is_short) {
            unsigned n = rng.below(12);
            for (unsigned i = 0; i < n; ++i) payload.push_back(static_cast<std::uint8_t>(rng.next()));
            tail = "non-verbose 1 [" + std::to_string(id) + "] " + byte_dump(payload.data() + 4, n);
          }
          line_ecu = weid ? ecu : o.format == "file" ? storage_ecu : "";
          line_app = ueh ? app : "";
          line_ctx = ueh ? ctx : "";
          type = ueh ? msin_type : "";
        }
        break;
      }
    }

    Bytes pkt;
    std::uint8_t htyp = static_cast<std::uint8_t>(0x20 | (ueh ? 1 : 0) | (be ? 2 : 0) | (weid ? 4 : 0) |
                                                  (wsid ? 8 : 0) | (wtms ? 0x10 : 0));
    pkt.push_back(htyp);
    pkt.push_back(counter++);
    pkt.push_back(0);
    pkt.push_back(0);
    auto id4 = [&](const std::string& s) {
      for (std::size_t i = 0; i < 4; ++i) pkt.push_back(i < s.size() ? static_cast<std::uint8_t>(s[i]) : 0);
    };
    if (weid) id4(ecu);
    if (wsid) put_uint(pkt, session, 4, true);
    if (wtms) put_uint(pkt, devtime, 4, true);
    if (ueh) {
      pkt.push_back(msin);
      pkt.push_back(noar);
      id4(app);
      id4(ctx);
    }
    pkt.insert(pkt.end(), payload.begin(), payload.end());
    pkt[2] = static_cast<std::uint8_t>(pkt.size() >> 8);
    pkt[3] = static_cast<std::uint8_t>(pkt.size());

    time_us += 1 + rng.below(5000);
    Bytes whole;
    if (o.format == "file") {
      whole = {'D', 'L', 'T', 1};
      put_uint(whole, static_cast<std::uint64_t>(time_us / 1000000), 4, false);
      put_uint(whole, static_cast<std::uint64_t>(time_us % 1000000), 4, false);
      for (std::size_t i = 0; i < 4; ++i)
        whole.push_back(i < storage_ecu.size() ? static_cast<std::uint8_t>(storage_ecu[i]) : 0);
    } else if (o.format == "ser") {
      whole = {'D', 'L', 'S', 1};
    }
    whole.insert(whole.end(), pkt.begin(), pkt.end());
    write(whole);

    if (expect) {
      std::string line = utc_time(o.format == "file" ? time_us : -1) + " ";
      line += wtms ? fmt("%u.%04u", devtime / 10000, devtime % 10000) : "0.0000";  // Q1
      line += " " + std::to_string(static_cast<unsigned>(pkt[1])) + " " + line_ecu + " " + line_app + " " + line_ctx +
              " " + std::to_string(wsid ? static_cast<std::int32_t>(session) : 0) + " " + type + " " + tail + "\n";
      std::fputs(line.c_str(), expect);
    }
  }

  void run() {
    for (std::uint64_t i = 0;; ++i) {
      if (o.size ? offset >= o.size : i >= o.count) break;
      message();
    }
  }
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: nvgen [--mode default|noexthdr|multiecu|multiecu-noexthdr] [--format file|net|ser]\n"
      "             [--count N | --size BYTES] [--seed S] [--ecus N] [--frames N] [--clean PCT]\n"
      "             --catalogue DIR [--catalogue-only] [--expect FILE] -o OUT\n",
      stderr);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> const char* {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (a == "--mode") o.mode = val();
    else if (a == "--format") o.format = val();
    else if (a == "--count") o.count = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--size") o.size = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--seed") o.seed = std::strtoull(val(), nullptr, 10);
    else if (a == "--ecus") o.ecus = static_cast<unsigned>(std::strtoul(val(), nullptr, 10));
    else if (a == "--frames") o.frames = static_cast<unsigned>(std::strtoul(val(), nullptr, 10));
    else if (a == "--clean") o.clean = static_cast<unsigned>(std::strtoul(val(), nullptr, 10));
    else if (a == "--catalogue") o.catalogue = val();
    else if (a == "--catalogue-only") o.catalogue_only = true;
    else if (a == "--expect") o.expect = val();
    else if (a == "-o") o.out = val();
    else usage();
  }
  if (o.mode != "default" && o.mode != "noexthdr" && o.mode != "multiecu" && o.mode != "multiecu-noexthdr") usage();
  if (o.format != "file" && o.format != "net" && o.format != "ser") usage();
  if (o.catalogue.empty() || o.ecus == 0 || o.clean > 100 || o.ecus > 36 * 36 * 36 ||
      (!o.catalogue_only && o.out.empty()))
    usage();
  Generator g;
  g.o = o;
  g.rng = Rng{o.seed};
  ::mkdir(o.catalogue.c_str(), 0777);  // may exist; a failure shows when the first file is written
  if (!g.build_catalogue()) return 1;
  if (o.catalogue_only) return 0;
  g.out = std::fopen(o.out.c_str(), "wb");
  if (!g.out) {
    std::perror(o.out.c_str());
    return 1;
  }
  static char big[4 << 20];
  std::setvbuf(g.out, big, _IOFBF, sizeof big);
  if (!o.expect.empty() && !(g.expect = std::fopen(o.expect.c_str(), "w"))) {
    std::perror(o.expect.c_str());
    return 1;
  }
  g.run();
  if (std::fclose(g.out) != 0 || (g.expect && std::fclose(g.expect) != 0)) {
    std::perror("write");
    return 1;
  }
  return 0;
}
