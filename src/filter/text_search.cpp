#include "filter/text_search.hpp"

#include <cstring>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/error.hpp"

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
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(), options, &error,
                                   &offset, nullptr);
  if (!code)
    throw util::Error("Invalid regular expression '" + shown + "': " + pcre2_message(error) + " at offset " +
                      std::to_string(offset));
  // Without a JIT (an unsupported CPU), the interpreter runs the same pattern.
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return code;
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
  for (const auto& s : plain_) {
    if (s.empty() || memmem(text.data(), text.size(), s.data(), s.size()) != nullptr) return true;
  }
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
