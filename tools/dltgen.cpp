// dltgen: the project's deterministic DLT test-data generator.
//
// Writes a DLT file (storage headers), a network recording (standard headers back to
// back) or a serial recording (`DLS\1` markers) of generated messages: verbose messages
// with every argument type (both byte orders, with and without variable info), non-verbose
// and control messages, several ECUs, applications, contexts and sessions. Optionally it
// inserts corruption (garbage between packets, broken headers, a truncated end).
//
// Besides the data it can write the truth:
//   --expect FILE   the exact text dltdump must print for the file (TZ=UTC, no options),
//                   derived from the values the generator chose, not from a decoder;
//   --summary FILE  counts (messages, skipped regions, per application and type, and per
//                   filter key: ecu., app_type.<app>.<type>, ctx., session., kind., msgid.).
//
// The same seed and options always give the same bytes.
//
// Usage: dltgen [--format file|net|ser] [--count N | --size BYTES] [--seed S]
//               [--corrupt PERCENT] [--truncate] [--profile mixed|verbose|nonverbose|plain]
//               [--nested PERCENT] [--expect FILE] [--summary FILE] [--rare-app ID] -o OUT
//   --rare-app ID   every 100th message is of application ID (filter benchmarks).
//   --nested PERCENT  that share of verbose messages (file format) also logs, as a raw
//                   argument, the DLT record written before it and a `DLT\1` after it: a
//                   packet start inside a payload that looks verified (a false cut point for
//                   a parallel decoder).
//
// --timeline makes a recording of ECUs that run and restart, the truth for --stats: each
// message has ECU id, session and device time (its ECU's uptime); an application's session
// is its process id, new after each restart; counters count per (ECU, session, APP, CTX)
// as COVESA's libdlt does, control messages carry 0 as dlt-daemon's do (--counter stream),
// or one per ECU as AUTOSAR's log channel (--counter ecu). With it:
//   --restart-every N   after every N messages the next ECU in turn restarts (uptime 1-2 s,
//                       counters from 0, new sessions); N must let an ECU run 10 s or more
//   --drop-every N      every Nth message is generated (its counter taken) but not written
//   --burst L/N         of every N messages, the last L are not written
//   --stats FILE        what `dltdump --stats=json` must report, as JSON: totals, kinds,
//                       types, per ECU (messages, bytes, first/last time, lifecycles,
//                       messages missing as an 8-bit counter shows them, gaps) and per
//                       ECU/APP/CTX (messages, bytes, levels)
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <vector>

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

// A 128-bit value as two 64-bit halves, in payload byte order.
void put_u128(Bytes& b, std::uint64_t hi, std::uint64_t lo, bool be) {
  put_uint(b, be ? hi : lo, 8, be);
  put_uint(b, be ? lo : hi, 8, be);
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
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt(i ? " %02x" : "%02x", p[i]);
  return s;
}

// ---- verbose arguments: bytes and the text dltdump must show ----
struct Arg {
  Bytes bytes;
  std::string text;
};

constexpr std::uint32_t BOOL = 0x10, SINT = 0x20, UINT = 0x40, FLOA = 0x80, ARAY = 0x100, STRG = 0x200, RAWD = 0x400,
                        VARI = 0x800, FIXP = 0x1000, TRAI = 0x2000, STRU = 0x4000;
constexpr std::uint32_t SCOD_UTF8 = 1u << 15, SCOD_HEX = 2u << 15, SCOD_BIN = 3u << 15;

const char* const kWords[] = {"speed",      "timeout", "engine", "brake",       "door",    "lane",  "radar", "camera",
                              "Navigation", "route",   "fuel",   "temperature", "voltage", "error", "ok",    "ready"};

void type_info(Arg& a, std::uint32_t ti, bool be) { put_uint(a.bytes, ti, 4, be); }

void vari_name_unit(Arg& a, bool be, bool unit) {
  const char* name = "value";
  const char* u = "km/h";
  put_uint(a.bytes, std::strlen(name) + 1, 2, be);
  if (unit) put_uint(a.bytes, std::strlen(u) + 1, 2, be);
  a.bytes.insert(a.bytes.end(), name, name + std::strlen(name) + 1);
  if (unit) a.bytes.insert(a.bytes.end(), u, u + std::strlen(u) + 1);
}

Arg make_int(Rng& r, bool be, bool is_signed) {
  Arg a;
  unsigned tyle = 1 + r.below(4);
  unsigned width = 1u << (tyle - 1);
  std::uint64_t raw = r.next();
  if (width < 8) raw &= (1ull << (8 * width)) - 1;
  std::uint32_t ti = (is_signed ? SINT : UINT) | tyle;
  bool vari = r.chance(20);
  if (vari) ti |= VARI;
  std::uint32_t coding = 0;
  if (!is_signed) {
    unsigned c = r.below(6);
    if (c == 0) coding = SCOD_HEX;
    else if (c == 1 && width <= 2) coding = SCOD_BIN;
  }
  ti |= coding;
  type_info(a, ti, be);
  if (vari) vari_name_unit(a, be, true);
  put_uint(a.bytes, raw, width, be);
  if (is_signed) {
    std::int64_t v = static_cast<std::int64_t>(raw << (64 - 8 * width)) >> (64 - 8 * width);
    a.text = fmt("%" PRId64, v);
  } else if (coding == SCOD_HEX) {
    a.text = fmt("0x%0*" PRIx64, static_cast<int>(2 * width), raw);
  } else if (coding == SCOD_BIN) {
    a.text = "0b";
    for (int bit = static_cast<int>(8 * width) - 1; bit >= 0; --bit) {
      a.text += static_cast<char>('0' + ((raw >> bit) & 1));
      if (bit % 4 == 0 && bit) a.text += ' ';
    }
  } else {
    a.text = fmt("%" PRIu64, raw);
  }
  return a;
}

Arg make_int128(Rng& r, bool be) {
  // Known values, so that the expected text needs no 128-bit arithmetic here.
  struct Case {
    bool is_signed;
    std::uint64_t hi, lo;
    const char* text;
  };
  static const Case kCases[] = {
      {false, 0, 42, "42"},
      {false, ~0ull, ~0ull, "340282366920938463463374607431768211455"},
      {true, ~0ull, ~0ull, "-1"},
      {true, 0x7FFFFFFFFFFFFFFFull, ~0ull, "170141183460469231731687303715884105727"},
      {true, 0x8000000000000000ull, 0, "-170141183460469231731687303715884105728"},
      {false, 1, 0, "18446744073709551616"},
  };
  const Case& c = kCases[r.below(6)];
  Arg a;
  type_info(a, (c.is_signed ? SINT : UINT) | 5, be);
  put_u128(a.bytes, c.hi, c.lo, be);
  a.text = c.text;
  return a;
}

Arg make_float(Rng& r, bool be) {
  static const double kValues[] = {0.0, 1.0, -1.5, 3.14159265, 1e20, -2.5e-7, 123456.789, 65504.0, 1.9, -1.2};
  double v = kValues[r.below(10)];
  Arg a;
  unsigned kind = r.below(5);
  if (kind <= 1) {
    float f = static_cast<float>(v);
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    type_info(a, FLOA | 3, be);
    put_uint(a.bytes, u, 4, be);
    a.text = fmt("%g", static_cast<double>(f));
  } else if (kind <= 3) {
    std::uint64_t u;
    std::memcpy(&u, &v, 8);
    type_info(a, FLOA | 4, be);
    put_uint(a.bytes, u, 8, be);
    a.text = fmt("%g", v);
  } else {
    // float16 values that are exact in half precision
    static const std::pair<std::uint16_t, const char*> kHalf[] = {
        {0x3C00, "1"}, {0xC100, "-2.5"}, {0x7BFF, "65504"}, {0x0001, "5.96046e-08"}, {0x7C00, "inf"}};
    auto h = kHalf[r.below(5)];
    type_info(a, FLOA | 2, be);
    put_uint(a.bytes, h.first, 2, be);
    a.text = h.second;
  }
  return a;
}

Arg make_float128(bool be) {
  // 1.5 in IEEE binary128: sign 0, exponent 0x3FFF, mantissa top bit set.
  Arg a;
  type_info(a, FLOA | 5, be);
  put_u128(a.bytes, 0x3FFF800000000000ull, 0, be);
  a.text = "1.5";
  return a;
}

Arg make_string(Rng& r, bool be, bool utf8) {
  std::string s;
  std::string text;
  unsigned words = 1 + r.below(6);
  for (unsigned i = 0; i < words; ++i) {
    if (i) s += ' ';
    s += kWords[r.below(16)];
  }
  if (r.chance(10)) s += "=" + std::to_string(r.below(1000));
  text = s;
  Bytes extra;
  if (utf8 && r.chance(30)) {
    const char* u =
        " Gr\xC3\xBC\xC3\x9F"
        "e \xE2\x9C\x93";  // " Grüße ✓"
    s += u;
    text += u;
  } else if (!utf8 && r.chance(30)) {
    s += " \xE4\xA4";  // ISO-8859-15 'ä' and '€'
    text += " \xC3\xA4\xE2\x82\xAC";
  }
  Arg a;
  std::uint32_t ti = STRG | (utf8 ? SCOD_UTF8 : 0);
  bool vari = r.chance(15);
  if (vari) ti |= VARI;
  type_info(a, ti, be);
  put_uint(a.bytes, s.size() + 1, 2, be);
  if (vari) {
    put_uint(a.bytes, 5, 2, be);
    a.bytes.insert(a.bytes.end(), {'n', 'a', 'm', 'e', 0});
  }
  a.bytes.insert(a.bytes.end(), s.begin(), s.end());
  a.bytes.push_back(0);
  a.text = text;
  return a;
}

Arg make_raw(Rng& r, bool be) {
  Arg a;
  unsigned n = r.below(24);
  type_info(a, RAWD, be);
  put_uint(a.bytes, n, 2, be);
  std::size_t at = a.bytes.size();
  for (unsigned i = 0; i < n; ++i) a.bytes.push_back(static_cast<std::uint8_t>(r.next()));
  a.text = hex_bytes(a.bytes.data() + at, n);
  return a;
}

Arg make_bool(Rng& r, bool be) {
  Arg a;
  bool v = r.chance(50);
  type_info(a, BOOL | 1, be);
  a.bytes.push_back(v ? 1 : 0);
  a.text = v ? "true" : "false";
  return a;
}

// Q15 types: fixed point, trace info, arrays, structs.
Arg make_extended(Rng& r, bool be) {
  Arg a;
  switch (r.below(4)) {
    case 0: {  // FIXP int32: quantisation 0.5, offset 10; the coded value is shown
      type_info(a, SINT | 3 | FIXP, be);
      float q = 0.5f;
      std::uint32_t qu;
      std::memcpy(&qu, &q, 4);
      put_uint(a.bytes, qu, 4, be);
      put_uint(a.bytes, 10, 4, be);
      std::int32_t v = static_cast<std::int32_t>(r.below(2000)) - 1000;
      put_uint(a.bytes, static_cast<std::uint32_t>(v), 4, be);
      a.text = std::to_string(v);
      break;
    }
    case 1: {  // TRAI
      const char* t = "trace point";
      type_info(a, TRAI, be);
      put_uint(a.bytes, std::strlen(t) + 1, 2, be);
      a.bytes.insert(a.bytes.end(), t, t + std::strlen(t) + 1);
      a.text = t;
      break;
    }
    case 2: {  // array of uint16, one dimension
      unsigned n = r.below(5);
      type_info(a, ARAY | UINT | 2, be);
      put_uint(a.bytes, 1, 2, be);
      put_uint(a.bytes, n, 2, be);
      a.text = "[";
      for (unsigned i = 0; i < n; ++i) {
        unsigned v = r.below(65536);
        put_uint(a.bytes, v, 2, be);
        a.text += (i ? " " : "") + std::to_string(v);
      }
      a.text += "]";
      break;
    }
    default: {  // struct { bool, string }
      type_info(a, STRU, be);
      put_uint(a.bytes, 2, 2, be);
      Arg b = make_bool(r, be);
      Arg s = make_string(r, be, false);
      a.bytes.insert(a.bytes.end(), b.bytes.begin(), b.bytes.end());
      a.bytes.insert(a.bytes.end(), s.bytes.begin(), s.bytes.end());
      a.text = "{" + b.text + " " + s.text + "}";
      break;
    }
  }
  return a;
}

// The argument types whose text dlt-viewer writes exactly as dltdump does (profile
// "plain"): ASCII strings, decimal integers up to 64 bit, bools and raw data.
bool g_plain = false;

Arg make_plain_arg(Rng& r, bool be) {
  switch (r.below(4)) {
    case 0: {
      Arg a = make_int(r, be, r.chance(50));
      if (a.text.rfind("0x", 0) != 0 && a.text.rfind("0b", 0) != 0) return a;
      return make_bool(r, be);
    }
    case 1: return make_bool(r, be);
    case 2: return make_raw(r, be);
    default: {
      Arg a = make_string(r, be, true);
      for (unsigned char ch : a.text)
        if (ch >= 0x80) return make_bool(r, be);
      return a;
    }
  }
}

Arg make_arg(Rng& r, bool be) {
  if (g_plain) return make_plain_arg(r, be);
  unsigned k = r.below(100);
  if (k < 35) return make_string(r, be, false);
  if (k < 45) return make_string(r, be, true);
  if (k < 65) return make_int(r, be, r.chance(50));
  if (k < 72) return make_float(r, be);
  if (k < 80) return make_raw(r, be);
  if (k < 86) return make_bool(r, be);
  if (k < 89) return make_int128(r, be);
  if (k < 90) return make_float128(be);
  return make_extended(r, be);
}

// ---- control messages: payload and text (spec §3.4) ----
struct Control {
  std::uint8_t mtin;
  Bytes payload;
  std::string text;
};

Control make_control(Rng& r, bool be) {
  Control c;
  auto id4 = [&](const char* s) {
    for (int i = 0; i < 4; ++i)
      c.payload.push_back(i < static_cast<int>(std::strlen(s)) ? static_cast<std::uint8_t>(s[i]) : 0);
  };
  switch (r.below(8)) {
    case 0:
      c.mtin = 1;
      put_uint(c.payload, 0x01, 4, be);
      id4("NAV");
      id4("GPS");
      c.payload.push_back(4);
      id4("eth0");
      c.text = "[set_log_level] info NAV (GPS) eth0";
      break;
    case 1:
      c.mtin = 1;
      put_uint(c.payload, 0x03, 4, be);
      c.payload.push_back(7);
      id4("");
      id4("");
      id4("");
      c.text = "[get_log_info options=7] -all-";
      break;
    case 2:
      c.mtin = 2;
      put_uint(c.payload, 0x01, 4, be);
      c.payload.push_back(0);
      c.text = "[set_log_level ok]";
      break;
    case 3: {
      c.mtin = 2;
      const char* v = "DLT Package Version: 2.18.8";
      put_uint(c.payload, 0x13, 4, be);
      c.payload.push_back(0);
      put_uint(c.payload, std::strlen(v) + 1, 4, be);
      c.payload.insert(c.payload.end(), v, v + std::strlen(v) + 1);
      c.text = std::string("[get_software_version ok] ") + v;
      break;
    }
    case 4:
      c.mtin = 2;
      put_uint(c.payload, 0x03, 4, be);
      c.payload.push_back(7);
      put_uint(c.payload, 1, 2, be);
      id4("APP1");
      put_uint(c.payload, 1, 2, be);
      id4("CTX1");
      c.payload.push_back(0xFF);
      c.payload.push_back(0xFF);
      put_uint(c.payload, 0, 2, be);
      put_uint(c.payload, 0, 2, be);
      id4("eth0");
      c.text = "[get_log_info 7] APP1 (CTX1 default default); eth0";
      break;
    case 5:
      c.mtin = 2;
      put_uint(c.payload, 0xF04, 4, be);
      c.payload.push_back(0);
      c.text = "MARKER";
      break;
    case 6:
      c.mtin = 2;
      put_uint(c.payload, 0xF03, 4, be);
      c.payload.push_back(0);
      put_uint(c.payload, static_cast<std::uint32_t>(-5400), 4, be);
      c.payload.push_back(1);
      c.text = "[timezone ok] -01:30 DST";
      break;
    default:
      c.mtin = 3;
      c.text = "[]";
      break;
  }
  return c;
}

// ---- messages ----
struct Options {
  std::string format = "file";
  std::uint64_t count = 1000;
  std::uint64_t size = 0;
  std::uint64_t seed = 1;
  unsigned corrupt = 0;
  unsigned nested = 0;
  bool truncate = false;
  std::string rare_app;
  std::string profile = "mixed";
  std::string out, expect, summary;
  // A recording of ECUs that run and restart (for --stats): device time is each ECU's
  // uptime, every message has ECU id, session and device time, and counters follow `counter`.
  bool timeline = false;
  std::string counter = "stream";                   // timeline: per "stream" (ECU, session, APP, CTX) or per "ecu"
  std::uint64_t restart_every = 0;                  // timeline: an ECU restarts every N messages (in turn)
  std::uint64_t drop_every = 0;                     // every Nth message is generated but not written
  std::uint64_t burst_every = 0, burst_length = 0;  // every N messages, L in a row are not written
  std::string stats;                                // the truth --stats must report (JSON)
};

const char* const kEcus[] = {"ECU1", "ECU2", "TCB"};
const char* const kApps[] = {"NAV", "HMI", "DIAG", "SYS", "MEDI"};
const char* const kCtxs[] = {"MAIN", "GPS", "CTX1", "NET", "TEST"};
const char* const kLogLevels[] = {"", "log fatal", "log error", "log warn", "log info", "log debug", "log verbose"};

std::string utc_time(std::int64_t us) {
  if (us < 0) return "1970/01/01 00:00:00.000000";
  std::time_t t = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt("%04d/%02d/%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
             tm.tm_sec, static_cast<int>(us % 1000000));
}

struct Generator {
  Options o;
  Rng rng{0};
  FILE* out = nullptr;
  FILE* expect = nullptr;
  std::uint64_t offset = 0;
  std::int64_t time_us = 1709287200000000ll;  // 2024-03-01T10:00:00Z
  std::int64_t last_storage_us = -1;          // of the last good packet (skip line times)
  std::uint8_t counters[3] = {0, 0, 0};
  std::uint64_t messages = 0, skips = 0;
  std::map<std::string, std::uint64_t> per_app, per_type, per_key;

  // ---- timeline mode and the --stats truth ----
  std::uint64_t seq = 0;      // messages generated (written or dropped)
  bool garbage_last = false;  // nothing but garbage written since the last message
  Bytes last_record;          // --nested: the last message's whole record
  std::int64_t boot_us[3] = {0, 0, 0};
  unsigned restarts = 0, restarts_of[3] = {0, 0, 0};
  std::uint64_t lifecycle[3] = {1, 1, 1};
  struct KeyState {  // one counter sequence
    std::uint8_t counter = 0;
    std::uint64_t lifecycle = 0;
    bool written = false;       // a message of it was written in `lifecycle`
    std::uint64_t dropped = 0;  // since the last written one
  };
  std::map<std::string, KeyState> keys;
  struct Lifecycle {
    std::int64_t start_us = -1;
    std::uint32_t start_device = 0;
    std::uint64_t messages = 0;
  };
  struct EcuTruth {
    std::uint64_t messages = 0, bytes = 0;
    std::int64_t first_us = -1, last_us = -1;
    std::map<std::uint64_t, Lifecycle> lifecycles;  // by lifecycle number
    std::uint64_t missing = 0, gaps = 0;
  };
  std::map<std::string, EcuTruth> ecu_truth;
  struct CtxTruth {
    std::uint64_t messages = 0, bytes = 0;
    std::map<std::string, std::uint64_t> levels;
  };
  std::map<std::string, CtxTruth> ctx_truth;
  std::uint64_t bytes_total = 0, skipped_bytes = 0;
  std::map<std::string, std::uint64_t> kinds, types;

  // The session (a process id) of application `app` on ECU `e` in its current lifecycle.
  std::uint32_t session_of(unsigned e, unsigned app) const { return 1000 + 1000 * e + 10 * restarts_of[e] + app; }

  bool dropped_now() const {
    if (o.drop_every && seq % o.drop_every == o.drop_every - 1) return true;
    return o.burst_every && o.burst_length && seq % o.burst_every >= o.burst_every - o.burst_length;
  }
  unsigned prefix() const { return o.format == "file" ? 16 : o.format == "ser" ? 4 : 0; }

  void write(const Bytes& b) {
    std::fwrite(b.data(), 1, b.size(), out);
    offset += b.size();
  }

  void expect_line(const std::string& s) {
    if (expect) {
      std::fputs(s.c_str(), expect);
      std::fputc('\n', expect);
    }
  }

  void skip_line(std::uint64_t n, const char* reason) {
    ++skips;
    expect_line(utc_time(last_storage_us) + " 0.0000 -1  SKIP SKIP 0 log warn verbose 4 Skipped: " + std::to_string(n) +
                " bytes; Reason: " + reason);
  }

  // Garbage that cannot be mistaken for a packet: no 'D' (marker formats) and no byte
  // whose version bits are 1 (network format).
  void garbage() {
    // Two regions with no message between (the message was dropped) would be one.
    if (garbage_last) return;
    garbage_last = true;
    unsigned n = 1 + rng.below(40);
    Bytes g;
    while (g.size() < n) {
      std::uint8_t b = static_cast<std::uint8_t>(rng.next());
      if (b == 'D' || (b & 0xE0) == 0x20) continue;
      g.push_back(b);
    }
    write(g);
    skipped_bytes += n;
    skip_line(n, o.format == "net" ? "Invalid packet standard header" : "Searching for next packet");
  }

  void message(bool last) {
    const bool be = rng.chance(30);
    const unsigned e = rng.below(3);
    const char* ecu = kEcus[e];
    const unsigned app_index = rng.below(5);
    const char* app = kApps[app_index];
    // --rare-app: every 100th message is of that application (1 %, for filter benchmarks);
    // the random sequence is the same as without it.
    if (!o.rare_app.empty() && messages % 100 == 99) app = o.rare_app.c_str();
    const char* ctx = kCtxs[rng.below(5)];
    bool weid = rng.chance(80), wsid = rng.chance(50), wtms = rng.chance(70);
    std::uint32_t session = rng.chance(10) ? 0xDEADBEEFu : rng.below(100);
    std::uint32_t devtime = static_cast<std::uint32_t>(rng.next());
    if (o.timeline) {
      weid = wsid = wtms = true;
      session = session_of(e, app_index);
      // The next message's time is decided below; its uptime is taken from it there.
    }

    unsigned kind = rng.below(100);
    if (o.profile == "verbose" || o.profile == "plain") kind = kind % 85;
    if (o.profile == "nonverbose") kind = 90;
    Bytes payload;
    std::uint8_t msin = 0, noar = 0;
    bool ueh = true;
    std::string type, tail;
    if (kind < 85) {  // verbose log
      unsigned level = 1 + rng.below(6);
      msin = static_cast<std::uint8_t>((level << 4) | 1);
      noar = static_cast<std::uint8_t>(rng.below(5));
      std::string text;
      for (unsigned i = 0; i < noar; ++i) {
        Arg a = make_arg(rng, be);
        payload.insert(payload.end(), a.bytes.begin(), a.bytes.end());
        text += (i ? " " : "") + a.text;
      }
      if (o.nested && o.format == "file" && !last_record.empty() && rng.chance(o.nested)) {
        // A record logged whole as raw bytes, a marker after it: its storage header, a
        // valid packet and the marker make a start a cut finder takes for verified.
        Bytes inner = last_record;
        inner.insert(inner.end(), {'D', 'L', 'T', 1});
        put_uint(payload, RAWD, 4, be);
        put_uint(payload, inner.size(), 2, be);
        payload.insert(payload.end(), inner.begin(), inner.end());
        text += (noar ? " " : "") + hex_bytes(inner.data(), inner.size());
        ++noar;
      }
      type = kLogLevels[level];
      tail = "verbose " + std::to_string(payload.empty() ? 0 : noar) + " " + text;
    } else if (kind < 90) {  // control
      Control c = make_control(rng, be);
      msin = static_cast<std::uint8_t>((c.mtin << 4) | (3 << 1));
      payload = c.payload;
      static const char* const kCtl[] = {"", "control request", "control response", "control time"};
      type = kCtl[c.mtin];
      tail = "non-verbose " + c.text;
    } else {  // non-verbose, with or without extended header
      ueh = rng.chance(50);
      std::uint32_t id = rng.below(5000);
      put_uint(payload, id, 4, be);
      unsigned n = rng.below(12);
      std::string ascii;
      for (unsigned i = 0; i < n; ++i) {
        std::uint8_t b = static_cast<std::uint8_t>(rng.next());
        payload.push_back(b);
        ascii += (b >= 0x20 && b < 0x7F) ? static_cast<char>(b) : '-';
      }
      if (ueh) {
        unsigned level = 1 + rng.below(6);
        msin = static_cast<std::uint8_t>(level << 4);
        type = kLogLevels[level];
      }
      tail = "non-verbose 1 [" + std::to_string(id) + "] ";
      if (n) tail += ascii + "|" + hex_bytes(payload.data() + 4, n);
    }

    Bytes pkt;
    std::uint8_t htyp = static_cast<std::uint8_t>(0x20 | (ueh ? 1 : 0) | (be ? 2 : 0) | (weid ? 4 : 0) |
                                                  (wsid ? 8 : 0) | (wtms ? 0x10 : 0));
    pkt.push_back(htyp);
    // Whose counter this message takes: the ECU's (AUTOSAR's log channel), or in the
    // timeline's stream mode its (ECU, session, APP, CTX) sequence's, as COVESA's libdlt
    // counts per context; dlt-daemon's control messages carry 0 there.
    const bool control = kind >= 85 && kind < 90;
    std::string key = o.timeline && o.counter == "stream" ? std::string(ecu) + "/" + std::to_string(session) + "/" +
                                                                (ueh ? app : "") + "/" + (ueh ? ctx : "")
                                                          : std::string(ecu);
    std::uint8_t counter;
    if (!o.timeline) {
      counter = counters[e]++;
    } else if ((control || !ueh) && o.counter == "stream") {
      // Followed by no sequence: dlt-daemon answers with 0; without an extended header the
      // sender's context is not known (dltdump's stream model leaves both out).
      counter = control ? 0 : static_cast<std::uint8_t>(rng.next());
      key.clear();
    } else {
      KeyState& k = keys[key];
      if (k.lifecycle != lifecycle[e]) k = KeyState{0, lifecycle[e], false, 0};
      counter = k.counter++;
    }
    pkt.push_back(counter);
    pkt.push_back(0);
    pkt.push_back(0);
    auto id4 = [&](const char* s) {
      for (int i = 0; i < 4; ++i)
        pkt.push_back(i < static_cast<int>(std::strlen(s)) ? static_cast<std::uint8_t>(s[i]) : 0);
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
    if (pkt.size() > 65535) return;  // cannot happen with these payloads; keeps LEN honest
    pkt[2] = static_cast<std::uint8_t>(pkt.size() >> 8);
    pkt[3] = static_cast<std::uint8_t>(pkt.size());

    time_us += 1 + rng.below(5000);
    if (o.timeline) {
      devtime = static_cast<std::uint32_t>((time_us - boot_us[e]) / 100);
      // The standard header with ECU id and session: the time stamp is at bytes 12-15.
      pkt[12] = static_cast<std::uint8_t>(devtime >> 24);
      pkt[13] = static_cast<std::uint8_t>(devtime >> 16);
      pkt[14] = static_cast<std::uint8_t>(devtime >> 8);
      pkt[15] = static_cast<std::uint8_t>(devtime);
    }
    Bytes whole;
    if (o.format == "file") {
      whole = {'D', 'L', 'T', 1};
      put_uint(whole, static_cast<std::uint64_t>(time_us / 1000000), 4, false);
      put_uint(whole, static_cast<std::uint64_t>(time_us % 1000000), 4, false);
      const char* storage_ecu = ecu;
      for (int i = 0; i < 4; ++i)
        whole.push_back(i < static_cast<int>(std::strlen(storage_ecu)) ? static_cast<std::uint8_t>(storage_ecu[i]) : 0);
    } else if (o.format == "ser") {
      whole = {'D', 'L', 'S', 1};
    }
    whole.insert(whole.end(), pkt.begin(), pkt.end());

    const bool drop = dropped_now();
    ++seq;
    if (drop) {
      if (!key.empty()) ++keys[key].dropped;
      return;
    }

    if (last && o.truncate && whole.size() > prefix() + 4 + 1) {
      // Cut the last packet: its header is valid but the bytes never complete.
      std::size_t keep = prefix() + 4 + rng.below(static_cast<std::uint32_t>(whole.size() - prefix() - 4));
      whole.resize(keep);
      write(whole);
      skipped_bytes += keep;
      skip_line(keep, keep >= prefix() + 4 ? "Flushing packets at end of stream" : "End of stream");
      return;
    }

    std::string line = utc_time(o.format == "file" ? time_us : -1) + " ";
    line += wtms ? fmt("%u.%04u", devtime / 10000, devtime % 10000) : "0.0000";
    line += " " + std::to_string((counters[e] - 1) & 0xFF) + " ";
    line += weid || o.format == "file" ? ecu : "";
    line += " " + std::string(ueh ? app : "") + " " + (ueh ? ctx : "") + " ";
    line += std::to_string(wsid ? static_cast<std::int32_t>(session) : 0) + " " + type + " " + tail;
    write(whole);
    if (o.nested) last_record = whole;
    garbage_last = false;
    if (o.format == "file") last_storage_us = time_us;
    expect_line(line);
    ++messages;
    ++per_app[ueh ? app : ""];
    ++per_type[type];
    // Keys for the filter tests: what each filter group should select.
    ++per_key[std::string("ecu.") + (weid || o.format == "file" ? ecu : "")];
    if (ueh) ++per_key[std::string("app_type.") + app + "." + type];
    if (ueh) ++per_key[std::string("ctx.") + ctx];
    if (wsid) ++per_key["session." + std::to_string(static_cast<std::int32_t>(session))];
    const bool nonverbose = tail.rfind("non-verbose 1 [", 0) == 0;
    ++per_key[tail.rfind("verbose", 0) == 0 ? "kind.verbose" : nonverbose ? "kind.nonverbose" : "kind.control"];
    if (nonverbose) ++per_key["msgid." + tail.substr(15, tail.find(']') - 15)];
    if (o.timeline)
      truth(whole.size(), key, weid || o.format == "file" ? ecu : "", ueh ? app : "", ueh ? ctx : "", type, devtime,
            nonverbose ? "non-verbose"
            : control  ? "control"
                       : "verbose",
            e);
  }

  // What --stats must report of a written message.
  void truth(std::size_t bytes, const std::string& key, const std::string& ecu, const std::string& app,
             const std::string& ctx, const std::string& type, std::uint32_t devtime, const char* kind, unsigned e) {
    bytes_total += bytes;
    ++kinds[kind];
    ++types[type];
    EcuTruth& et = ecu_truth[ecu];
    ++et.messages;
    et.bytes += bytes;
    const std::int64_t t = o.format == "file" ? time_us : -1;
    if (t >= 0 && et.first_us < 0) et.first_us = t;
    if (t >= 0) et.last_us = t;
    Lifecycle& lc = et.lifecycles[lifecycle[e]];
    if (lc.messages++ == 0) {
      lc.start_us = t;
      lc.start_device = devtime;
    }
    CtxTruth& ct = ctx_truth[ecu + "/" + app + "/" + ctx];
    ++ct.messages;
    ct.bytes += bytes;
    const std::string level = type.rfind("log ", 0) == 0 ? type.substr(4) : "other";
    ++ct.levels[level];
    if (key.empty()) return;
    KeyState& k = keys[key];
    const std::uint64_t seen = k.dropped % 256;  // what an 8-bit counter can show
    if (k.written && seen) {
      et.missing += seen;
      ++et.gaps;
    }
    k.written = true;
    k.dropped = 0;
  }

  void restart(unsigned e) {
    ++restarts_of[e];
    ++lifecycle[e];
    boot_us[e] = time_us - (10000 + rng.below(10000)) * 100;  // up for 1 to 2 s
  }

  // The truth as JSON: totals, per ECU (lifecycles, loss), per context.
  void write_stats(FILE* f) const {
    auto map_json = [&](const std::map<std::string, std::uint64_t>& m) {
      std::string j = "{";
      for (auto& [k, v] : m) j += (j.size() > 1 ? "," : "") + fmt("\"%s\":%" PRIu64, k.c_str(), v);
      return j + "}";
    };
    std::uint64_t missing = 0, gaps = 0;
    for (auto& [k, et] : ecu_truth) {
      missing += et.missing;
      gaps += et.gaps;
    }
    std::fprintf(f,
                 "{\"counter\":\"%s\",\"messages\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"skipped_regions\":%" PRIu64
                 ",\"skipped_bytes\":%" PRIu64 ",\"missing\":%" PRIu64 ",\"gaps\":%" PRIu64
                 ",\"kinds\":%s,\"types\":%s",
                 o.counter.c_str(), messages, bytes_total, skips, skipped_bytes, missing, gaps, map_json(kinds).c_str(),
                 map_json(types).c_str());
    std::fputs(",\"ecus\":{", f);
    bool first = true;
    for (auto& [name, et] : ecu_truth) {
      std::fprintf(f,
                   "%s\"%s\":{\"messages\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"missing\":%" PRIu64 ",\"gaps\":%" PRIu64,
                   first ? "" : ",", name.c_str(), et.messages, et.bytes, et.missing, et.gaps);
      if (et.first_us >= 0)
        std::fprintf(f, ",\"first_time_us\":%" PRId64 ",\"last_time_us\":%" PRId64, et.first_us, et.last_us);
      else std::fputs(",\"first_time_us\":null,\"last_time_us\":null", f);
      std::fputs(",\"lifecycles\":[", f);
      bool lf = true;
      for (auto& [n, lc] : et.lifecycles) {
        if (!lc.messages) continue;
        std::fprintf(f, "%s{\"start_time_us\":", lf ? "" : ",");
        if (lc.start_us >= 0) std::fprintf(f, "%" PRId64, lc.start_us);
        else std::fputs("null", f);
        std::fprintf(f, ",\"start_device_time\":%u,\"messages\":%" PRIu64 "}", lc.start_device, lc.messages);
        lf = false;
      }
      std::fputs("]}", f);
      first = false;
    }
    std::fputs("},\"contexts\":{", f);
    first = true;
    for (auto& [name, ct] : ctx_truth) {
      std::fprintf(f, "%s\"%s\":{\"messages\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"levels\":%s}", first ? "" : ",",
                   name.c_str(), ct.messages, ct.bytes, map_json(ct.levels).c_str());
      first = false;
    }
    std::fputs("}}\n", f);
  }

  void run() {
    if (o.timeline)
      for (auto& b : boot_us) b = time_us - static_cast<std::int64_t>(10 + rng.below(990)) * 1000000;  // up 10-1000 s
    std::uint64_t i = 0;
    for (;;) {
      if (o.timeline && o.restart_every && i > 0 && i % o.restart_every == 0) restart(restarts++ % 3);
      bool last = o.size ? false : i + 1 == o.count;
      if (o.size && offset >= o.size) break;
      if (!o.size && i >= o.count) break;
      if (o.corrupt && rng.chance(o.corrupt)) garbage();
      message(last);
      ++i;
    }
  }
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: dltgen [--format file|net|ser] [--count N | --size BYTES] [--seed S] [--corrupt PERCENT]\n"
      "              [--truncate] [--profile mixed|verbose|nonverbose|plain] [--expect FILE] [--summary FILE]\n"
      "              [--rare-app ID] [--nested PERCENT] [--timeline [--counter stream|ecu] [--restart-every N] "
      "[--drop-every N]\n"
      "              [--burst LENGTH/EVERY] [--stats FILE]] -o OUT\n",
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
    if (a == "--format") o.format = val();
    else if (a == "--count") o.count = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--size") o.size = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--seed") o.seed = std::strtoull(val(), nullptr, 10);
    else if (a == "--corrupt") o.corrupt = static_cast<unsigned>(std::atoi(val()));
    else if (a == "--truncate") o.truncate = true;
    else if (a == "--nested") o.nested = static_cast<unsigned>(std::atoi(val()));
    else if (a == "--rare-app") o.rare_app = std::string(val()).substr(0, 4);
    else if (a == "--profile") o.profile = val();
    else if (a == "--expect") o.expect = val();
    else if (a == "--summary") o.summary = val();
    else if (a == "--timeline") o.timeline = true;
    else if (a == "--counter") o.counter = val();
    else if (a == "--restart-every") o.restart_every = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--drop-every") o.drop_every = dltdump::tools::size_or_usage(val(), usage);
    else if (a == "--burst") {
      const std::string v = val();  // LENGTH/EVERY
      const std::size_t slash = v.find('/');
      if (slash == std::string::npos) usage();
      o.burst_length = dltdump::tools::size_or_usage(v.substr(0, slash).c_str(), usage);
      o.burst_every = dltdump::tools::size_or_usage(v.substr(slash + 1).c_str(), usage);
    } else if (a == "--stats") o.stats = val();
    else if (a == "-o") o.out = val();
    else usage();
  }
  if (o.out.empty() || (o.format != "file" && o.format != "net" && o.format != "ser")) usage();
  // Drops, restarts and the truth of --stats need the timeline's counters and uptimes.
  const bool timeline_only = o.restart_every || o.drop_every || o.burst_every || !o.stats.empty();
  if ((timeline_only && !o.timeline) || (o.counter != "stream" && o.counter != "ecu") ||
      (o.burst_every && o.burst_length >= o.burst_every))
    usage();
  g_plain = o.profile == "plain";
  Generator g;
  g.o = o;
  g.rng = Rng{o.seed};
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
  if (!o.stats.empty()) {
    FILE* s = std::fopen(o.stats.c_str(), "w");
    if (!s) return 1;
    g.write_stats(s);
    if (std::fclose(s) != 0) return 1;
  }
  if (!o.summary.empty()) {
    FILE* s = std::fopen(o.summary.c_str(), "w");
    if (!s) return 1;
    std::fprintf(s, "bytes=%" PRIu64 "\nmessages=%" PRIu64 "\nskipped_regions=%" PRIu64 "\n", g.offset, g.messages,
                 g.skips);
    for (auto& [k, v] : g.per_app) std::fprintf(s, "app.%s=%" PRIu64 "\n", k.c_str(), v);
    for (auto& [k, v] : g.per_type) std::fprintf(s, "type.%s=%" PRIu64 "\n", k.c_str(), v);
    for (auto& [k, v] : g.per_key) std::fprintf(s, "%s=%" PRIu64 "\n", k.c_str(), v);
    std::fclose(s);
  }
  return 0;
}
