#include "filter/text_search.hpp"

#include <algorithm>
#include <cstring>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/error.hpp"
#include "util/substring.hpp"

namespace dltdump::filter {

namespace {
constexpr std::size_t kJitStackStart = 32 * 1024, kJitStackMax = 1024 * 1024;

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(code, buf, sizeof buf) < 0) return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(buf);
}

pcre2_code* compile(const std::string& source, std::uint32_t options, const std::string& shown) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), options, &error, &offset, nullptr);
  if (!code)
    throw util::Error(
        util::ExitCode::OptionError, util::Culprit::Option, shown,
        "Invalid regular expression '" + shown + "': " + pcre2_message(error) + " at offset " + std::to_string(offset));
  // Without a JIT (an unsupported CPU), the interpreter runs the same pattern.
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return code;
}
// Characters a string argument copies verbatim and that never separate arguments.
bool verbatim_run_char(char c) {
  return c > ' ' && c < 0x7F && c != '.' && c != '[' && c != ']' && c != '{' && c != '}';
}
// Characters that text made from anything but a string argument never contains.
bool anchor_char(char c) {
  static constexpr std::string_view kSynthetic = "0123456789abcdefxtrulsin+-";
  return verbatim_run_char(c) && kSynthetic.find(c) == std::string_view::npos;
}

// The longest run of verbatim characters of `needle` that holds an anchor; empty if none.
std::string raw_key(const std::string& needle) {
  std::string best;
  for (std::size_t i = 0; i < needle.size();) {
    if (!verbatim_run_char(needle[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool anchored = false;
    for (; j < needle.size() && verbatim_run_char(needle[j]); ++j) anchored |= anchor_char(needle[j]);
    if (anchored && j - i > best.size()) best = needle.substr(i, j - i);
    i = j;
  }
  return best;
}

// Where the construct that begins at re[i] ends (the index of its last character), for
// the constructs that required_literals passes over whole.
std::size_t closing(std::string_view re, std::size_t from, char close) {
  const std::size_t at = re.find(close, from);
  return at == std::string_view::npos ? re.size() - 1 : at;
}
// An escape (re[i] == '\\'): `\x{…}` or `\xHH`, `\o{…}`, `\p{…}` or `\pL`, `\N{…}`,
// `\g{…}` `\g<…>` `\g'…'` `\g-1`, `\k{…}` `\k<…>` `\k'…'`, `\cX`, octal digits or a back
// reference, or one escaped character (PCRE2's syntax): none of it is a literal of the
// pattern's own text.
std::size_t escape_end(std::string_view re, std::size_t i) {
  const std::size_t n = re.size();
  std::size_t j = i + 1;
  if (j >= n) return i;
  const auto is = [&](std::size_t k, std::string_view set) {
    return k < n && set.find(re[k]) != std::string_view::npos;
  };
  switch (re[j]) {
    case 'x':
      if (is(j + 1, "{")) return closing(re, j + 2, '}');
      for (int d = 0; d < 2 && is(j + 1, "0123456789abcdefABCDEF"); ++d) ++j;
      return j;
    case 'o':
    case 'N': return is(j + 1, "{") ? closing(re, j + 2, '}') : j;
    case 'p':
    case 'P':
      if (is(j + 1, "{")) return closing(re, j + 2, '}');
      return j + 1 < n ? j + 1 : j;
    case 'g':
    case 'k':
      if (is(j + 1, "{")) return closing(re, j + 2, '}');
      if (is(j + 1, "<")) return closing(re, j + 2, '>');
      if (is(j + 1, "'")) return closing(re, j + 2, '\'');
      if (is(j + 1, "+-")) ++j;
      while (is(j + 1, "0123456789")) ++j;
      return j;
    case 'c': return j + 1 < n ? j + 1 : j;
    default:
      while (re[j] >= '0' && re[j] <= '9' && is(j + 1, "0123456789")) ++j;
      return j;
  }
}
// Drops the last character of `run` (UTF-8: its lead byte and continuation bytes).
void pop_character(std::string& run) {
  while (!run.empty() && (static_cast<unsigned char>(run.back()) & 0xC0) == 0x80) run.pop_back();
  if (!run.empty()) run.pop_back();
}

// The literal runs that every match of `re` contains, found conservatively at the top level
// of patterns without alternation or inline options (nothing for those): a literal run
// ends at any metacharacter, escape, class or group, and loses its last character to a
// quantifier that may repeat it zero times (`?`, `*`, `{…}`, whose digits are no literal).
// Escapes are passed over whole (`\x69` is no run `69`: a new user's `-r 't\x69meout'`
// matched nothing), and so are a class's POSIX names (`[[:alpha:]]`).
std::vector<std::string> required_literals(std::string_view re) {
  if (re.find('|') != std::string_view::npos || re.find("(?") != std::string_view::npos ||
      re.find("\\Q") != std::string_view::npos)
    return {};
  std::vector<std::string> runs;
  std::string run;
  auto end_run = [&] {
    if (!run.empty()) runs.push_back(run);
    run.clear();
  };
  int depth = 0;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {  // an escape: not collected
      end_run();
      i = escape_end(re, i);
    } else if (c == '[') {  // a class: skip to its end
      end_run();
      std::size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      for (; j < re.size() && re[j] != ']'; ++j) {
        if (re[j] == '\\') j = escape_end(re, j);
        else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') j = closing(re, j + 2, ']');
      }
      i = j;
    } else if (c == '(') {
      end_run();
      ++depth;
    } else if (c == ')') {
      end_run();
      --depth;
    } else if (c == '*' || c == '?') {
      pop_character(run);  // the character before may be absent
      end_run();
    } else if (c == '{') {  // a quantifier (or a literal brace: passed over all the same)
      pop_character(run);
      end_run();
      i = closing(re, i + 1, '}');
    } else if (c == '+' || c == '.' || c == '^' || c == '$') {
      end_run();
    } else if (depth == 0) {
      run += c;
    }
  }
  end_run();
  return runs;
}

// Every character a skip line's text can hold.
constexpr std::string_view kSkipTextChars =
    "Skipped: 0123456789 bytes; Reason: Searching for next packet Invalid packet standard header "
    "Flushing packets at end of stream End of stream Bytes missing from the TCP stream";

}  // namespace

namespace {
bool within_skip_text_chars(std::string_view s) {
  for (char c : s)
    if (kSkipTextChars.find(c) == std::string_view::npos) return false;
  return true;
}
}  // namespace

TextSearch::Scratch::Scratch() {
  match_data_ = pcre2_match_data_create(1, nullptr);  // one pair: only "is there a match" is asked
  auto* context = pcre2_match_context_create(nullptr);
  context_ = context;
  auto* stack = pcre2_jit_stack_create(kJitStackStart, kJitStackMax, nullptr);
  jit_stack_ = stack;
  if (!match_data_ || !context || !stack) throw std::bad_alloc();
  pcre2_set_match_limit(context, kMatchLimit);
  pcre2_jit_stack_assign(context, nullptr, stack);
}

TextSearch::Scratch::~Scratch() {
  pcre2_match_data_free(static_cast<pcre2_match_data*>(match_data_));
  pcre2_match_context_free(static_cast<pcre2_match_context*>(context_));
  pcre2_jit_stack_free(static_cast<pcre2_jit_stack*>(jit_stack_));
}

TextSearch::TextSearch(const std::vector<std::string>& strings, const std::vector<std::string>& regexes,
                       bool ignore_case) {
  const std::uint32_t caseless = ignore_case ? PCRE2_CASELESS : 0;
  try {
    for (const auto& s : strings) {
      if (!ignore_case) plain_.push_back(s);
      else patterns_.push_back({s, compile(s, PCRE2_LITERAL | PCRE2_UTF | caseless, s)});
    }
    for (const auto& r : regexes) patterns_.push_back({r, compile(r, PCRE2_UTF | caseless, r)});
    // The prefilter needs a key for every needle and pattern (any may match).
    prefilter_ = !ignore_case && (!plain_.empty() || !regexes.empty());
    for (const auto& s : plain_) {
      raw_keys_.push_back(raw_key(s));
      prefilter_ &= !raw_keys_.back().empty();
    }
    for (const auto& r : regexes) {
      std::string best;
      bool skip_possible = true;
      for (const auto& literal : required_literals(r)) {
        std::string key = raw_key(literal);
        if (key.size() > best.size()) best = key;
        skip_possible &= ignore_case || within_skip_text_chars(literal);
      }
      raw_keys_.push_back(best);
      prefilter_ &= !best.empty();
      may_match_skip_text_ |= skip_possible;
    }
    for (const auto& s : strings) may_match_skip_text_ |= ignore_case || within_skip_text_chars(s);
  } catch (...) {
    for (auto& p : patterns_) pcre2_code_free(static_cast<pcre2_code*>(p.code));
    throw;
  }
}

TextSearch::~TextSearch() {
  for (auto& p : patterns_) pcre2_code_free(static_cast<pcre2_code*>(p.code));
}

std::unique_ptr<TextSearch::Scratch> TextSearch::scratch() const { return std::unique_ptr<Scratch>(new Scratch()); }

bool TextSearch::matches(std::string_view text, Scratch& scratch) const {
  for (const auto& s : plain_)
    if (util::find_substring(text.data(), text.size(), s.data(), s.size())) return true;
  for (const auto& p : patterns_) {
    const int rc = pcre2_match(static_cast<const pcre2_code*>(p.code), reinterpret_cast<PCRE2_SPTR>(text.data()),
                               text.size(), 0, 0, static_cast<pcre2_match_data*>(scratch.match_data_),
                               static_cast<pcre2_match_context*>(scratch.context_));
    if (rc >= 0) return true;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT)
      limit_hits_.fetch_add(1, std::memory_order_relaxed);
  }
  return false;
}

}  // namespace dltdump::filter
