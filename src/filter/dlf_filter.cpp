#include "filter/dlf_filter.hpp"

#include <cstring>
#include <optional>
#include <string>

#include "util/substring.hpp"

namespace dltdump::filter {

namespace {

// An id as the text a pattern searches: bytes before the first zero, any that is not
// printable ASCII shown as '.' (so that the text is UTF-8, as PCRE2 needs).
struct IdText {
  char chars[4];
  std::size_t size;
  explicit IdText(const dlt::Id& id) : size(id.size()) {
    for (std::size_t k = 0; k < size; ++k) {
      const auto c = static_cast<unsigned char>(id.chars[k]);
      chars[k] = c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '.';
    }
  }
  std::string_view view() const { return {chars, size}; }
};

std::string_view id_view(const dlt::Id& id) { return {id.chars, id.size()}; }

TextSearch::Scratch& thread_scratch(const TextSearch& any) {
  thread_local std::unique_ptr<TextSearch::Scratch> scratch;
  if (!scratch) scratch = any.scratch();
  return *scratch;
}

}  // namespace

struct DlfFilter::Rule {
  // An id field: equal (APP), contained (CTX) or a pattern.
  struct IdField {
    bool enabled = false;
    std::string text;
    std::unique_ptr<TextSearch> pattern;
  };
  bool ecu_enabled = false;
  std::string ecu;
  IdField app, ctx;
  std::unique_ptr<TextSearch> header;   // null: no header field, or one every text matches
  std::unique_ptr<TextSearch> payload;  // null: no payload field, or one every text matches
  bool control_only = false;
  bool level_min_enabled = false, level_max_enabled = false;
  int level_min = 0, level_max = 6;
  bool message_id_enabled = false;
  std::uint32_t message_id_min = 0, message_id_max = 0;

  explicit Rule(const DlfRule& r)
      : ecu_enabled(r.ecu_enabled), ecu(r.ecu), control_only(r.control_only), level_min_enabled(r.level_min_enabled),
        level_max_enabled(r.level_max_enabled), level_min(r.level_min), level_max(r.level_max),
        message_id_enabled(r.message_id_enabled), message_id_min(r.message_id_min), message_id_max(r.message_id_max) {
    set(app, r.app);
    set(ctx, r.ctx);
    header = text_search(r.header);
    payload = text_search(r.payload);
  }
  bool needs_text() const { return header || payload; }
  // An empty string or pattern is found in every text: no need to make the text.
  static std::unique_ptr<TextSearch> text_search(const DlfTextField& f) {
    if (!f.enabled || f.text.empty()) return nullptr;
    std::vector<std::string> strings, patterns;
    (f.regex ? patterns : strings).push_back(f.text);
    return std::make_unique<TextSearch>(strings, patterns, f.ignore_case);
  }
  static void set(IdField& field, const DlfTextField& from) {
    field.enabled = from.enabled;
    field.text = from.text;
    if (from.enabled && from.regex)
      field.pattern =
          std::make_unique<TextSearch>(std::vector<std::string>{}, std::vector<std::string>{from.text}, false);
  }
};

DlfFilter::DlfFilter(const std::vector<DlfRule>& rules) {
  for (const auto kind : {DlfRule::Kind::Positive, DlfRule::Kind::Negative})
    for (const auto& r : rules) {
      if (!r.enabled || r.kind != kind) continue;
      rules_.push_back(std::make_unique<Rule>(r));
      if (kind == DlfRule::Kind::Positive) ++positives_;
      needs_text_ |= rules_.back()->needs_text();
      needs_head_ |= rules_.back()->header != nullptr;
      uses_message_id_ |= r.message_id_enabled;
    }
}

DlfFilter::~DlfFilter() = default;

bool DlfFilter::fields_hold(const Rule& r, const Fields& f) {
  if (r.ecu_enabled && id_view(f.ecu) != r.ecu) return false;
  if (r.app.enabled) {
    if (r.app.pattern) {
      if (!r.app.pattern->matches(IdText(f.app).view(), thread_scratch(*r.app.pattern))) return false;
    } else if (id_view(f.app) != r.app.text) {
      return false;
    }
  }
  if (r.ctx.enabled) {
    if (r.ctx.pattern) {
      if (!r.ctx.pattern->matches(IdText(f.ctx).view(), thread_scratch(*r.ctx.pattern))) return false;
    } else {
      const std::string_view id = id_view(f.ctx);
      if (!util::find_substring(id.data(), id.size(), r.ctx.text.data(), r.ctx.text.size())) return false;
    }
  }
  if (r.message_id_enabled) {
    const std::uint32_t id = f.message_id;
    if (r.message_id_max == 0 ? id != r.message_id_min : !(id >= r.message_id_min && id < r.message_id_max))
      return false;
  }
  const int mstp = f.type >= 0 ? (f.type >> 1) & 7 : -1;
  if (r.control_only && mstp != 3) return false;
  if (r.level_max_enabled || r.level_min_enabled) {
    if (mstp != 0) return false;  // log messages only
    const int level = f.type >> 4;
    if (r.level_max_enabled && level > r.level_max) return false;
    if (r.level_min_enabled && level < r.level_min) return false;
  }
  return true;
}

DlfFilter::Verdict DlfFilter::judge_header(const Fields& f) const {
  Verdict verdict = positives_ == 0 ? Verdict::Pass : Verdict::Fail;
  for (std::size_t i = 0; i < positives_; ++i) {
    const Rule& r = *rules_[i];
    if (!fields_hold(r, f)) continue;
    if (!r.needs_text()) {
      verdict = Verdict::Pass;
      break;
    }
    verdict = Verdict::NeedText;
  }
  if (verdict == Verdict::Fail) return verdict;
  for (std::size_t i = positives_; i < rules_.size(); ++i) {
    const Rule& r = *rules_[i];
    if (!fields_hold(r, f)) continue;
    if (!r.needs_text()) return Verdict::Fail;
    verdict = Verdict::NeedText;
  }
  return verdict;
}

bool DlfFilter::judge(const Fields& f, std::string_view text, std::string_view head,
                      TextSearch::Scratch& scratch) const {
  const auto holds = [&](const Rule& r) {
    return fields_hold(r, f) && (!r.header || r.header->matches(head, scratch)) &&
           (!r.payload || r.payload->matches(text, scratch));
  };
  bool selected = positives_ == 0;
  for (std::size_t i = 0; i < positives_ && !selected; ++i) selected = holds(*rules_[i]);
  if (!selected) return false;
  for (std::size_t i = positives_; i < rules_.size(); ++i)
    if (holds(*rules_[i])) return false;
  return true;
}

}  // namespace dltdump::filter
