#include "cli/filter_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "cli/option_table.hpp"
#include "dltdump/error.hpp"
#include "util/ascii.hpp"
#include "util/date_parse.hpp"
#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::cli {

namespace {

[[noreturn]] void fail(const std::string& message) { throw util::option_error("", message); }

using util::ascii_lower;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Every item of a list option (the tokenizer has split them at commas already). An empty
// item — `--appid=`, `-s a,`, `--type=warn,,error` — is refused: it is a slip of the comma,
// and as a search it would match every line. `blank_is_empty`: spaces alone count as empty
// (numbers, whose spaces are trimmed).
std::vector<std::string> items(const ParsedCommandLine& cl, OptionId id, bool blank_is_empty = false) {
  auto* values = cl.values(id);
  if (!values) return {};
  for (const auto& v : *values)
    if (v.empty() || (blank_is_empty && trim(v).empty()))
      fail("Option " + option_quoted(id) + " has an empty value (a comma too many?)");
  return *values;
}

// --ecuid, --appid, --ctxid: ids are 1 to 4 bytes, so a longer one can never match.
std::vector<std::string> id_items(const ParsedCommandLine& cl, OptionId id) {
  auto ids = items(cl, id);
  for (const auto& value : ids)
    if (value.size() > 4)
      fail("Option " + option_quoted(id) + " value " + util::quoted(value) +
           " is longer than 4 bytes (ids are 1-4 bytes)");
  return ids;
}

// -s, -r: a line's text is UTF-8, so a value that is not can never match (and PCRE2 refuses
// it). Nor does a text hold control characters (they are shown as '.'), so a string with
// one can never match either; a pattern may still hold one in a negated class.
std::vector<std::string> text_items(const ParsedCommandLine& cl, OptionId id) {
  auto values = items(cl, id);
  for (const auto& v : values) {
    if (!util::valid_utf8(v))
      fail("Option " + option_quoted(id) + " value " + util::quoted(v) +
           " is not UTF-8 text (line texts are), so it can never match");
    if (id == OptionId::String && util::shows_as_dot(v))
      fail("Option " + option_quoted(id) + " value " + util::quoted(v) +
           " holds a control character or line separator, which line texts show as '.', so it can never match");
  }
  return values;
}

// Whether a --type number can be the type of some line: the MSIN byte without its verbose
// bit (even, 0-254) with a message type (MSTP, bits 1-3) from 0 to 3; others have no type.
bool type_can_match(std::int32_t t) { return t >= 0 && t <= 0xFE && (t & 1) == 0 && ((t >> 1) & 7) <= 3; }

struct TypeName {
  std::string_view name;
  std::int32_t msin;  // with the verbose bit masked
};
constexpr TypeName kTypeNames[] = {
    {"fatal", 0x10},      {"error", 0x20},       {"warn", 0x30},     {"info", 0x40},    {"debug", 0x50},
    {"verbose", 0x60},    {"ipc", 0x14},         {"can", 0x24},      {"flexray", 0x34}, {"most", 0x44},
    {"ethernet", 0x54},   {"someip", 0x64},      {"user1", 0x74},    {"user2", 0x84},   {"user3", 0x94},
    {"user4", 0xA4},      {"user5", 0xB4},       {"user6", 0xC4},    {"user7", 0xD4},   {"user8", 0xE4},
    {"user9", 0xF4},      {"request", 0x16},     {"response", 0x26}, {"time", 0x36},    {"variable", 0x12},
    {"functionin", 0x22}, {"functionout", 0x32}, {"state", 0x42},    {"vfb", 0x52},
};

// A context size: a whole number from 0 to `max`.
std::uint32_t parse_context(const ParsedCommandLine& cl, OptionId id, std::uint32_t max) {
  auto* v = cl.values(id);
  if (!v) return 0;
  const auto n = parse_int32(v->front());
  if (!n || *n < 0 || static_cast<std::uint32_t>(*n) > max)
    throw util::number_range_error(option_name(id), 0, max, v->front());
  return static_cast<std::uint32_t>(*n);
}

std::optional<std::int64_t> parse_date_option(const ParsedCommandLine& cl, OptionId id) {
  auto* v = cl.values(id);
  if (!v) return std::nullopt;
  // A lower bound finer than a tick rounds up, an upper one down (the line times are whole µs).
  const auto ticks =
      util::parse_date_time(v->front(), id == OptionId::NotBefore ? util::Rounding::Up : util::Rounding::Down);
  if (!ticks)
    fail("Can't interpret date " + util::quoted(v->front()) + " for option " + option_quoted(id) + ".");  // Q4
  return ticks;
}

// Ticks to microseconds, rounding so that whole-microsecond line times compare as the ticks would.
std::int64_t floor_us(std::int64_t ticks) { return ticks / 10 - (ticks % 10 < 0 ? 1 : 0); }
std::int64_t ceil_us(std::int64_t ticks) { return -floor_us(-ticks); }

}  // namespace

std::optional<std::int32_t> parse_int32(std::string_view text) {
  text = trim(text);
  bool minus = false;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    minus = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 11) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (minus) n = -n;
  if (n < std::numeric_limits<std::int32_t>::min() || n > std::numeric_limits<std::int32_t>::max()) return std::nullopt;
  return static_cast<std::int32_t>(n);
}

std::optional<std::int32_t> parse_session_id(std::string_view text) {
  if (const auto n = parse_int32(text)) return n;
  // The unsigned form dlt-viewer shows: the same 32 bits.
  const std::string_view digits = trim(text);
  if (digits.empty() || digits.front() == '-' || digits.front() == '+') return std::nullopt;
  // Hexadecimal as the manual writes it (`0xDEADBEEF`; a new user's finding: refused).
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    std::uint32_t h = 0;
    const std::string_view hex = digits.substr(2);
    const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), h, 16);
    if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
    return static_cast<std::int32_t>(h);
  }
  const auto u = parse_message_id(digits);
  if (!u) return std::nullopt;
  return static_cast<std::int32_t>(*u);
}

std::optional<std::int32_t> parse_type(std::string_view text) {
  const std::string name = ascii_lower(trim(text));
  for (const auto& t : kTypeNames)
    if (t.name == name) return t.msin;
  // A number: sign, digits with thousands separators, an optional fraction of zeros.
  std::string_view s = trim(text);
  std::string digits;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    digits += s.front();
    s.remove_prefix(1);
  }
  bool seen_digit = false;
  while (!s.empty() && (std::isdigit(static_cast<unsigned char>(s.front())) || (s.front() == ',' && seen_digit))) {
    if (s.front() != ',') digits += s.front(), seen_digit = true;
    s.remove_prefix(1);
  }
  if (!seen_digit) return std::nullopt;
  if (!s.empty() && s.front() == '.') {
    s.remove_prefix(1);
    while (!s.empty() && s.front() == '0') s.remove_prefix(1);
  }
  if (!s.empty()) return std::nullopt;
  return parse_int32(digits);
}

std::optional<std::uint32_t> parse_message_id(std::string_view text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::optional<int> parse_level(std::string_view text) {
  const std::string name = ascii_lower(trim(text));
  constexpr std::string_view kLevels[] = {"fatal", "error", "warn", "info", "debug", "verbose"};
  for (std::size_t i = 0; i < std::size(kLevels); ++i)
    if (kLevels[i] == name) return static_cast<int>(i) + 1;
  return std::nullopt;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.size() > 19) return std::nullopt;  // at most 10^19 - 1 < 2^64
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

void parse_filter_options(const ParsedCommandLine& cl, DumpOptions& dump, std::vector<util::Diagnostic>& warnings) {
  // The values are checked here, in the options' words, before the Filter takes them (its
  // own checks then hold: it refuses what is refused here).
  Filter& f = dump.filter;
  for (const auto& id : id_items(cl, OptionId::EcuId)) f.ecuid(id);
  for (const auto& id : id_items(cl, OptionId::AppId)) f.appid(id);
  for (const auto& id : id_items(cl, OptionId::CtxId)) f.ctxid(id);
  for (const auto& id : id_items(cl, OptionId::NotEcuId)) f.not_ecuid(id);
  for (const auto& id : id_items(cl, OptionId::NotAppId)) f.not_appid(id);
  for (const auto& id : id_items(cl, OptionId::NotCtxId)) f.not_ctxid(id);
  for (const auto& v : items(cl, OptionId::SessionId, true)) {
    const auto n = parse_session_id(v);
    if (!n)
      fail("Option " + option_quoted(OptionId::SessionId) +
           " must be a whole number from -2147483648 to 4294967295 (or 0x0 to 0xFFFFFFFF), not " + util::quoted(v));
    f.session(static_cast<std::uint32_t>(*n));
  }
  for (const OptionId id : {OptionId::Type, OptionId::NotType})
    for (const auto& v : items(cl, id, true)) {
      const auto t = parse_type(v);
      if (!t) fail("Unknown filter type " + util::quoted(v) + " for option " + option_quoted(id) + ".");
      if (!type_can_match(*t))
        fail("Option " + option_quoted(id) + " value " + util::quoted(v) +
             " can never match: a number is the MSIN byte without its verbose bit (even, 0-254, message type 0-3; "
             "48 = warn)");
      // The MSIN byte: the message type in bits 1-3, its info in bits 4-7.
      const auto type = static_cast<MessageType>((*t >> 1) & 7);
      const auto info = static_cast<std::uint8_t>(*t >> 4);
      if (id == OptionId::Type) f.type(type, info);
      else f.not_type(type, info);
    }
  if (auto* v = cl.values(OptionId::Level)) {
    const auto level = parse_level(v->front());
    if (!level)
      fail("Option " + option_quoted(OptionId::Level) + " has incorrect level " + util::quoted(v->front()) +
           " (fatal, error, warn, info, debug or verbose)");
    f.level(static_cast<Level>(*level));
  }
  if (cl.has(OptionId::Verbose)) f.kind(PayloadKind::verbose);
  if (cl.has(OptionId::NonVerbose)) f.kind(PayloadKind::non_verbose);
  if (cl.has(OptionId::Control)) f.kind(PayloadKind::control);
  for (const auto& v : items(cl, OptionId::MessageId, true)) {
    const auto id = parse_message_id(v);
    if (!id)
      fail("Invalid message identifier " + util::quoted(v) + " for option " + option_quoted(OptionId::MessageId) +
           ", must be an integer from 0 to 4294967295");
    f.message_id(*id);
  }
  const auto not_before = parse_date_option(cl, OptionId::NotBefore);
  const auto not_after = parse_date_option(cl, OptionId::NotAfter);
  if (not_before && not_after && *not_before > *not_after)
    fail("Nothing to filter, " + option_quoted(OptionId::NotBefore) + " " + util::format_utc_seconds(*not_before) +
         " must be earlier than " + option_quoted(OptionId::NotAfter) + " " + util::format_utc_seconds(*not_after) +
         ".");
  if (not_before) f.not_before(Time(std::chrono::microseconds(ceil_us(*not_before))));
  if (not_after) f.not_after(Time(std::chrono::microseconds(floor_us(*not_after))));
  const auto strings = text_items(cl, OptionId::String);
  const auto regexes = text_items(cl, OptionId::Regex);
  for (const auto& text : strings) f.contains(text);
  for (const auto& pattern : regexes) f.regex(pattern);
  f.ignore_case(cl.has(OptionId::IgnoreCase));
  dump.none = cl.has(OptionId::None);
  f.invert(cl.has(OptionId::InvertMatch));
  if (auto* v = cl.values(OptionId::MaxCount)) {
    dump.max_count = parse_count(v->front());
    if (!dump.max_count)
      throw util::number_range_error(option_name(OptionId::MaxCount), 0, 9'999'999'999'999'999'999ull, v->front());
  }
  if (auto* v = cl.values(OptionId::FilterFile)) {
    // Read now, before any input: a file that cannot be read or is not a filter file (or
    // holds a bad pattern) is an option error; what it holds that dltdump cannot apply, a
    // warning each.
    std::vector<std::string> file_warnings;
    try {
      f.filter_file(v->front(), &file_warnings);
    } catch (const Error& e) {
      throw util::option_error(v->front(), e.what());
    }
    for (auto& w : file_warnings) warnings.push_back({util::Culprit::Option, v->front(), std::move(w)});
  }
  // -C n is -B n -A n; either of those given too wins for its side (as in grep).
  const std::uint32_t both = parse_context(cl, OptionId::Context, kMaxBeforeContext);
  dump.before_context =
      cl.has(OptionId::BeforeContext) ? parse_context(cl, OptionId::BeforeContext, kMaxBeforeContext) : both;
  dump.after_context = cl.has(OptionId::AfterContext)
                           ? parse_context(cl, OptionId::AfterContext, static_cast<std::uint32_t>(INT32_MAX))
                           : both;
  // (-v without a filter, or with --none: refused when the Dump is made.)
  const bool filtered = f.restricts() || dump.none;
  // As grep's context needs a pattern: without a filter every line is printed anyway. The
  // run is still what was asked for, so this is a warning, not an error (and the context
  // is dropped, so that -m alone does not take it).
  for (const OptionId id : {OptionId::BeforeContext, OptionId::AfterContext, OptionId::Context})
    if (cl.has(id) && !filtered)
      warnings.push_back({util::Culprit::Option, option_name(id),
                          "Option " + option_quoted(id) +
                              " has no effect without a filter (context surrounds the lines a filter selects)"});
  if (!filtered) dump.before_context = dump.after_context = 0;
  // (-i without -s or -r: the Dump warns.)
}

}  // namespace dltdump::cli
