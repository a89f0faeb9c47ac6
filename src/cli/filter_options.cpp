#include "cli/filter_options.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "filter/filter_sink.hpp"
#include "filter/text_search.hpp"
#include "util/ascii.hpp"
#include "util/date_parse.hpp"
#include "util/error.hpp"

namespace dltdump::cli {

namespace {

[[noreturn]] void fail(const std::string& message) { throw OptionsError{app::kExitOptionError, message}; }

using util::ascii_lower;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Every item of a list option (the tokenizer has split them at commas already).
std::vector<std::string> items(const ParsedCommandLine& cl, std::string_view name) {
  auto* values = cl.values(name);
  return values ? *values : std::vector<std::string>{};
}

struct TypeName {
  std::string_view name;
  std::int32_t msin;  // with the verbose bit masked
};
constexpr TypeName kTypeNames[] = {
    {"fatal", 0x10},    {"error", 0x20},      {"warn", 0x30},        {"info", 0x40},     {"debug", 0x50},
    {"verbose", 0x60},  {"ipc", 0x14},        {"can", 0x24},         {"flexray", 0x34},  {"most", 0x44},
    {"ethernet", 0x54}, {"someip", 0x64},     {"user1", 0x74},       {"user2", 0x84},    {"user3", 0x94},
    {"user4", 0xA4},    {"user5", 0xB4},      {"user6", 0xC4},       {"user7", 0xD4},    {"user8", 0xE4},
    {"user9", 0xF4},    {"request", 0x16},    {"response", 0x26},    {"time", 0x36},     {"variable", 0x12},
    {"functionin", 0x22}, {"functionout", 0x32}, {"state", 0x42},    {"vfb", 0x52},
};

// A context size: a whole number from 0 to `max`.
std::uint32_t parse_context(const ParsedCommandLine& cl, std::string_view name, std::uint32_t max) {
  auto* v = cl.values(name);
  if (!v) return 0;
  const auto n = parse_int32(v->front());
  if (!n) fail("Option '" + std::string(name) + "' has incorrect format");
  if (*n < 0 || static_cast<std::uint32_t>(*n) > max)
    fail("Option '" + std::string(name) + "' must be from 0 to " + std::to_string(max) + ", not " +
         std::to_string(*n));
  return static_cast<std::uint32_t>(*n);
}

std::optional<std::int64_t> parse_date_option(const ParsedCommandLine& cl, std::string_view name) {
  auto* v = cl.values(name);
  if (!v) return std::nullopt;
  const auto ticks = util::parse_date_time(v->front());
  if (!ticks) fail("Can't interpret date '" + v->front() + "' for option '" + std::string(name) + "'.");  // Q4
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
  if (n < std::numeric_limits<std::int32_t>::min() || n > std::numeric_limits<std::int32_t>::max())
    return std::nullopt;
  return static_cast<std::int32_t>(n);
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

void parse_filter_options(const ParsedCommandLine& cl, app::DumpConfig& config) {
  filter::FilterSpec& f = config.filter;
  f.ecu_ids = items(cl, "ecuid");
  f.app_ids = items(cl, "appid");
  f.ctx_ids = items(cl, "ctxid");
  for (const auto& v : items(cl, "sessionid")) {
    const auto n = parse_int32(v);
    if (!n) fail("Option 'sessionid' has incorrect format");
    f.session_ids.push_back(*n);
  }
  for (const auto& v : items(cl, "type")) {
    const auto t = parse_type(v);
    if (!t) fail("Unknown filter type '" + v + "'.");
    f.types.push_back(*t);
  }
  if (cl.has("verbose")) f.kinds |= filter::kKindVerbose;
  if (cl.has("nonverbose")) f.kinds |= filter::kKindNonVerbose;
  if (cl.has("control")) f.kinds |= filter::kKindControl;
  for (const auto& v : items(cl, "messageid")) {
    const auto id = parse_message_id(v);
    if (!id)
      fail("Invalid message identifier " + (trim(v).empty() ? std::string("<empty>") : v) + ", must be an integer");
    f.message_ids.push_back(*id);
  }
  const auto not_before = parse_date_option(cl, "not-before");
  const auto not_after = parse_date_option(cl, "not-after");
  if (not_before && not_after && *not_before > *not_after)
    fail("Nothing to filter, 'not-before' " + util::format_utc_seconds(*not_before) +
         " must be earlier than 'not-after' " + util::format_utc_seconds(*not_after) + ".");
  if (not_before) f.not_before_us = ceil_us(*not_before);
  if (not_after) f.not_after_us = floor_us(*not_after);
  f.strings = items(cl, "string");
  f.regexes = items(cl, "regex");
  f.ignore_case = cl.has("ignorecase");
  f.none = cl.has("none");
  try {
    filter::TextSearch check({}, f.regexes, f.ignore_case);  // Q3: a bad pattern is an option error
  } catch (const util::Error& e) {
    fail(e.what());
  }
  config.before_context = parse_context(cl, "before-context", filter::FilterSink::kMaxBefore);
  config.after_context = parse_context(cl, "after-context", static_cast<std::uint32_t>(INT32_MAX));
}

}  // namespace dltdump::cli
