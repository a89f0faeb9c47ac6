// The text group of the filter: `-s` substrings and `-r` regular expressions, one OR group
// searched in a line's text (dltdump-spec §7), with `-i` making all of them ignore case.
//
// * Case-sensitive substrings are searched byte for byte (ordinal: UTF-8 text compares like
//   DltDump's UTF-16 ordinal compare), with tables built once. With `-i`, substrings become literal
//   PCRE2 patterns with Unicode case folding.
// * Regular expressions are PCRE2 (UTF mode, JIT-compiled when the JIT is available).
//   Each search is bounded by a match limit, so a pathological pattern costs a bounded
//   time per line: a search that hits the limit counts as "no match" and is counted
//   (limit_hits), so the run can report it instead of hanging.
// * Compiled patterns are shared by all threads; each thread searches with its own
//   Scratch (PCRE2 match data and JIT stack).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/substring.hpp"

namespace dltdump::filter {

class TextSearch {
 public:
  // Per-thread search state. Made by TextSearch::scratch(); not shareable between threads.
  class Scratch {
   public:
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

   private:
    friend class TextSearch;
    Scratch();
    void* match_data_ = nullptr;  // pcre2_match_data_8
    void* context_ = nullptr;     // pcre2_match_context_8
    void* jit_stack_ = nullptr;   // pcre2_jit_stack_8
  };

  // Compiles every pattern. Throws util::Error `Invalid regular expression '<re>': <reason>`
  // (with the offset of the fault) for a pattern PCRE2 rejects: an option error (exit 1),
  // the pattern its culprit.
  TextSearch(const std::vector<std::string>& strings, const std::vector<std::string>& regexes, bool ignore_case);
  ~TextSearch();
  TextSearch(const TextSearch&) = delete;
  TextSearch& operator=(const TextSearch&) = delete;

  // True when there is nothing to search for (every text passes).
  bool empty() const { return plain_.empty() && patterns_.empty(); }

  std::unique_ptr<Scratch> scratch() const;

  // True if any substring or pattern occurs in `text` (valid UTF-8).
  bool matches(std::string_view text, Scratch& scratch) const;

  // Whether the text of a *verbose* payload can match, judged from its bytes without making
  // the text: false only when it certainly cannot. See raw_keys_ for why this is exact.
  bool may_match_verbose_payload(std::span<const std::uint8_t> payload) const {
    if (!prefilter_) return true;
    for (const auto& k : raw_keys_)
      if (util::find_substring(reinterpret_cast<const char*>(payload.data()), payload.size(), k.data(), k.size()))
        return true;
    return false;
  }
  bool has_prefilter() const { return prefilter_; }

  // Whether some skip line's text (`Skipped: <n> bytes; Reason: <reason>`) can match.
  bool may_match_skip_text() const { return may_match_skip_text_; }

  // Searches that hit the match limit (each counted as no match), over all threads.
  std::uint64_t limit_hits() const { return limit_hits_.load(std::memory_order_relaxed); }

  // Steps one search may take (PCRE2's match limit).
  static constexpr std::uint32_t kMatchLimit = 1'000'000;

 private:
  struct Pattern {
    std::string source;
    void* code;  // pcre2_code_8
  };
  std::vector<std::string> plain_;  // case-sensitive substrings (util::find_substring)
  // The prefilter. A verbose payload's text is its arguments' texts joined by spaces
  // (arrays and structs add brackets). Only string arguments copy payload bytes verbatim;
  // every other text (numbers, hex, true/false, inf/nan) uses the characters
  // "0-9 a-f x t r u l s i n + - ." alone. So if a needle holds an "anchor" character
  // outside that set, an occurrence of it in the text comes from a string argument, and
  // so does the whole run of characters around it that a string copies verbatim and that
  // never separates arguments (printable ASCII but space . [ ] { }): that run is in the
  // payload bytes. raw_keys_ holds one such run per needle; the prefilter exists only when
  // every needle has one (case-sensitive substrings, no regular expressions).
  bool prefilter_ = false;
  bool may_match_skip_text_ = false;
  std::vector<std::string> raw_keys_;
  std::vector<Pattern> patterns_;
  mutable std::atomic<std::uint64_t> limit_hits_{0};
};

}  // namespace dltdump::filter
