#include "fibex/xml_wellformed.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#include <xmmintrin.h>
#endif

#include "util/value_text.hpp"

namespace dltdump::fibex {

namespace {

constexpr std::size_t kNpos = std::string_view::npos;

bool is_control(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

std::string code_point(std::uint32_t c) {
  char s[16];
  std::snprintf(s, sizeof s, "U+%04X", static_cast<unsigned>(c));
  return s;
}

// Whether XML 1.0 allows character `c` (its Char production).
bool xml_char(std::uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// What is wrong with the reference that the '&' at `at` starts, or nullopt if nothing.
std::optional<std::string> bad_reference(std::string_view t, std::size_t at) {
  const std::size_t end = t.find_first_of(";&<>\"' \t\r\n", at + 1);
  if (end == kNpos || t[end] != ';' || end == at + 1)
    return "a '&' that starts no reference (the character itself is written '&amp;')";
  const std::string_view name = t.substr(at + 1, end - at - 1);
  if (name[0] != '#') {
    if (name == "lt" || name == "gt" || name == "amp" || name == "quot" || name == "apos") return std::nullopt;
    return "a reference to entity " + util::quoted(name.substr(0, 40)) +
           ", which is not defined (without a DTD only amp, lt, gt, quot and apos are)";
  }
  const bool hex = name.size() > 1 && name[1] == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  std::uint32_t c = 0;
  for (const char d : digits) {
    unsigned v = 0;
    if (d >= '0' && d <= '9') v = static_cast<unsigned>(d - '0');
    else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f') v = static_cast<unsigned>((d | 0x20) - 'a' + 10);
    else return "a character reference " + util::quoted(name.substr(0, 40)) + " that is no number";
    c = std::min<std::uint32_t>(c * (hex ? 16 : 10) + v, 0x110000);  // past U+10FFFF is past
  }
  if (digits.empty()) return "a character reference without digits";
  if (c > 0x10FFFF) return "a character reference past U+10FFFF";
  if (!xml_char(c)) return "a character reference to " + code_point(c) + ", which XML does not allow";
  return std::nullopt;
}

// The first "<!" or "<?" of `t` at or after `from`, or kNpos: 16 positions at a time.
std::size_t next_opener(std::string_view t, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i lt = _mm_set1_epi8('<'), bang = _mm_set1_epi8('!'), query = _mm_set1_epi8('?');
  for (; i + 17 <= t.size(); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data() + i + 1));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpeq_epi8(a, lt), _mm_or_si128(_mm_cmpeq_epi8(b, bang), _mm_cmpeq_epi8(b, query)))));
    if (mask) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i + 1 < t.size(); ++i)
    if (t[i] == '<' && (t[i + 1] == '!' || t[i + 1] == '?')) return i;
  return kNpos;
}

// Where in the text a '&' is literal: in a comment, a CDATA section or a processing
// instruction. Asked for ascending offsets, it reads the text once, from region to region:
// it looks for their openers only and passes over the tags between (a '<' in an attribute
// value, which could hide an opener, is not XML either). A DOCTYPE ends the reading (the
// reader refuses it, with its own message).
class Literals {
 public:
  explicit Literals(std::string_view t) : t_(t) {}

  bool at(std::size_t offset) {
    while (offset >= end_) {
      if (doctype_) return true;
      if (open_ == kUnknown || (open_ != kNpos && open_ < end_)) open_ = next_opener(t_, end_);
      if (open_ == kNpos || open_ > offset) return false;
      const std::string_view rest = t_.substr(open_);
      std::string_view close;
      if (rest.starts_with("<!--")) close = "-->";
      else if (rest.starts_with("<![CDATA[")) close = "]]>";
      else if (rest.starts_with("<?")) close = "?>";
      else if (rest.starts_with("<!DOCTYPE")) doctype_ = true;
      start_ = open_;
      if (close.empty()) {
        end_ = open_ + 2;  // (another "<!": no region; a DOCTYPE: everything after it)
        continue;
      }
      const std::size_t c = t_.find(close, open_ + 2);
      end_ = c == kNpos ? t_.size() : c + close.size();
    }
    return offset >= start_;
  }

 private:
  static constexpr std::size_t kUnknown = kNpos - 1;
  std::string_view t_;
  std::size_t start_ = 0, end_ = 0;  // the last region read: [start_, end_)
  std::size_t open_ = kUnknown;      // the next opener at or after end_ (kNpos: none)
  bool doctype_ = false;
};

}  // namespace

std::optional<XmlFault> first_character_fault(std::string_view text) {
  Literals literals(text);
  std::vector<std::pair<std::string_view, std::size_t>> names;  // a tag's attributes, and where
  std::size_t tags_to = 0;                                      // the tags before are read
  std::size_t searched_to = 0;  // for a tag's '<' (a long text with quotes is searched once)
  // Byte k is a quote before white space: if it closes an attribute value, the tag it is
  // in has two attributes at least; their names are compared.
  auto repeated_attribute = [&](std::size_t k) -> std::optional<XmlFault> {
    if (k < tags_to) return std::nullopt;
    const std::size_t from = std::min(searched_to, k);
    const std::size_t found = text.substr(from, k - from).rfind('<');
    searched_to = k;
    if (found == kNpos) return std::nullopt;  // in a text after the last tag read
    const std::size_t lt = from + found;
    const auto name_end = [&](std::size_t at) {
      while (at < text.size() && std::string_view(" \t\r\n=/>\"'<").find(text[at]) == kNpos) ++at;
      return at;
    };
    const auto space_end = [&](std::size_t at) {
      while (at < text.size() && std::string_view(" \t\r\n").find(text[at]) != kNpos) ++at;
      return at;
    };
    std::size_t p = name_end(lt + 1);  // "</" has none
    if (p == lt + 1 || text[lt + 1] == '!' || text[lt + 1] == '?') return std::nullopt;
    names.clear();
    bool closes_one = false;
    for (;;) {
      p = space_end(p);
      if (p >= text.size() || text[p] == '>' || text[p] == '/') break;
      const std::size_t name = p;
      p = name_end(p);
      if (p == name) return std::nullopt;
      names.emplace_back(text.substr(name, p - name), name);
      p = space_end(p);
      if (p >= text.size() || text[p] != '=') return std::nullopt;
      p = space_end(p + 1);
      if (p >= text.size() || (text[p] != '"' && text[p] != '\'')) return std::nullopt;
      const std::size_t close = text.find(text[p], p + 1);
      if (close == kNpos) return std::nullopt;
      closes_one = closes_one || close == k;
      p = close + 1;
    }
    tags_to = p;
    // Not a tag's quote (one in a text), or a tag in a comment or CDATA section.
    if (!closes_one || literals.at(lt)) return std::nullopt;
    // Pairwise for the few attributes elements have; sorted (stably: the second of two is
    // named) for many, which would make pairs a cost.
    if (names.size() > 16) {
      std::stable_sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::size_t second = kNpos;
      for (std::size_t i = 1; i < names.size(); ++i)
        if (names[i].first == names[i - 1].first) second = std::min(second, names[i].second);
      if (second == kNpos) return std::nullopt;
      return XmlFault{second, "attribute " + util::quoted(text.substr(second, name_end(second) - second)) +
                                  " given twice in one element"};
    }
    for (std::size_t i = 1; i < names.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (names[i].first == names[j].first)
          return XmlFault{names[i].second, "attribute " + util::quoted(names[i].first) + " given twice in one element"};
    return std::nullopt;
  };
  // Byte k is a control, a '&', or a quote before white space: its fault, if it is one.
  auto judge = [&](std::size_t k) -> std::optional<XmlFault> {
    const auto c = static_cast<unsigned char>(text[k]);
    if (c == '"' || c == '\'') return repeated_attribute(k);
    if (c != '&') return XmlFault{k, "a control character " + code_point(c) + ", which XML does not allow"};
    auto why = bad_reference(text, k);
    if (!why || literals.at(k)) return std::nullopt;
    return XmlFault{k, std::move(*why)};
  };
  // UTF-8 is checked in the same pass, where a block holds a byte past ASCII: from a
  // sequence start (`utf8_to`, or the block's, after ASCII blocks) to the next ASCII byte
  // after the block (one too).
  std::size_t utf8_to = 0;
  auto utf8_fault = [&](std::size_t from, std::size_t block_end) -> std::size_t {
    from = std::max(from, utf8_to);
    std::size_t to = std::min(block_end, text.size());
    while (to < text.size() && static_cast<unsigned char>(text[to]) >= 0x80) ++to;
    utf8_to = to;
    if (from >= to) return kNpos;
    const std::size_t bad = util::invalid_utf8_at(text.substr(from, to - from));
    return bad == kNpos ? kNpos : from + bad;
  };
  // The first fault of the bytes from `from` flagged in `mask` (bit k: byte from + k), or
  // of `utf8` (a UTF-8 fault's offset, or kNpos) if it comes first.
  auto first = [&](std::size_t from, std::uint64_t mask, std::size_t utf8) -> std::optional<XmlFault> {
    for (; mask; mask &= mask - 1) {
      const std::size_t k = from + static_cast<std::size_t>(__builtin_ctzll(mask));
      if (k > utf8) break;
      if (auto f = judge(k)) return f;
    }
    if (utf8 != kNpos) return XmlFault{utf8, "", true};
    return std::nullopt;
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  // Most 64-byte blocks hold no byte to look at, and cost a few instructions per 16 bytes.
  const __m128i max_control = _mm_set1_epi8(0x1F), tab = _mm_set1_epi8('\t'), lf = _mm_set1_epi8('\n'),
                cr = _mm_set1_epi8('\r'), amp = _mm_set1_epi8('&');
  const __m128i space = _mm_set1_epi8(' '), quote = _mm_set1_epi8('"'), apostrophe = _mm_set1_epi8('\'');
  // Bit k: byte k of the 16 at `p` is a control other than tab, LF and CR, a '&', or a
  // quote before white space (or a control).
  auto flagged = [&](const char* p, __m128i& x) {
    x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, max_control), x);  // x <= 0x1F
    const __m128i allowed =
        _mm_or_si128(_mm_cmpeq_epi8(x, tab), _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr)));
    const __m128i quoted = _mm_and_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, apostrophe)),
                                         _mm_cmpeq_epi8(_mm_min_epu8(next, space), next));  // next <= ' '
    return static_cast<std::uint64_t>(static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_andnot_si128(allowed, low), _mm_cmpeq_epi8(x, amp)), quoted))));
  };
  for (; i + 65 <= text.size(); i += 64) {              // (a byte past the 64 is read: the one after a quote)
    _mm_prefetch(text.data() + i + 1024, _MM_HINT_T0);  // (past the end is harmless: a hint)
    __m128i x0, x1, x2, x3;
    const std::uint64_t mask = flagged(text.data() + i, x0) | flagged(text.data() + i + 16, x1) << 16 |
                               flagged(text.data() + i + 32, x2) << 32 | flagged(text.data() + i + 48, x3) << 48;
    const bool past_ascii =
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(x0, x1), _mm_or_si128(x2, x3))) != 0 && i + 64 > utf8_to;
    if (mask == 0 && !past_ascii) continue;
    if (auto f = first(i, mask, past_ascii ? utf8_fault(i, i + 64) : kNpos)) return f;
  }
#endif
  for (; i < text.size(); i += 64) {  // the rest (fewer than 64 bytes with SSE2), alike
    const std::size_t end = std::min(i + 64, text.size());
    std::uint64_t mask = 0;
    bool high = false;
    for (std::size_t k = i; k < end; ++k) {
      const auto c = static_cast<unsigned char>(text[k]);
      const bool quote_before_space =
          (c == '"' || c == '\'') && k + 1 < text.size() && static_cast<unsigned char>(text[k + 1]) <= ' ';
      if (c == '&' || is_control(c) || quote_before_space) mask |= std::uint64_t{1} << (k - i);
      high = high || c >= 0x80;
    }
    const bool past_ascii = high && end > utf8_to;
    if (mask == 0 && !past_ascii) continue;
    if (auto f = first(i, mask, past_ascii ? utf8_fault(i, end) : kNpos)) return f;
  }
  return std::nullopt;
}

}  // namespace dltdump::fibex
