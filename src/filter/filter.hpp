// The compiled filter (dltdump-spec §7 with deviations Q8 and Q16): decides whether a
// message or skip line passes every option group the user gave.
//
// The groups split in two so that the costly one runs last and only when needed:
// * header groups (ids, session, type, kind, message id, time, and the exclusions and the
//   level threshold) read only decoded header fields — the framer asks them before it
//   formats a payload (dlt::PayloadGate);
// * the text group (`-s`, `-r`) searches the payload text, made once per message.
// A filter file (--filter-file, DlfFilter) is one more group: header_match asks its verdict
// from the header fields; when that needs the text, text_match judges it again with the text.
// header_match and text_match judge the groups as given; with -v (inverted()) a line is
// selected when they do NOT both hold — the caller (FilterSink) applies the inversion, since
// only it knows whether the text was judged.
// A Filter is immutable after construction and shared by all decoding threads; the
// per-thread state of the text search lives in a TextSearch::Scratch.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "dlt/message.hpp"
#include "filter/dlf_filter.hpp"
#include "filter/filter_spec.hpp"
#include "filter/text_search.hpp"

namespace dltdump::filter {

class Filter {
 public:
  // Throws util::Error (an option error) for an invalid regular expression (deviation Q3's
  // message).
  explicit Filter(const FilterSpec& spec);

  // --none: nothing passes.
  bool passes_nothing() const { return none_; }
  // True when the text group is given (or a filter file has a header- or payload-text
  // field): lines need their payload text to be judged.
  bool has_text_group() const { return !search_.empty() || dlf_needs_text_; }
  // -v: the lines the groups do not select pass.
  bool inverted() const { return invert_; }
  // -m: whether given, and the matching messages after which an input is read no further.
  bool has_max_count() const { return has_max_count_; }
  std::uint64_t max_count() const { return max_count_; }

  // Every group but the text group. Skip lines are judged as DltDump shows them: ECU
  // empty, APP and CTX `SKIP`, no session id, type `log warn`, verbose, not non-verbose.
  bool header_match(const dlt::Message& m) const;
  bool header_match(const dlt::SkipRecord& s) const;
  // True only if header_match is false for every message `packet` (LEN bytes, standard
  // header checked) can hold, judged from its raw bytes by --none and the APP and CTX
  // groups alone; false means undecided. For the framer's quick look (PayloadGate::
  // drops_unparsed): it decodes no more than the ids the groups compare.
  bool rejects_packet(std::span<const std::uint8_t> packet) const;
  // Inverted (-v), a packet is never rejected so (only --none rejects it).
  // False when rejects_packet is always false.
  bool may_reject_packets() const {
    return none_ || (!invert_ && (app_.given || ctx_.given || not_app_.given || not_ctx_.given));
  }
  // Whether some skip line (at some time) can be selected (-v applied).
  bool may_pass_skip_lines() const;

  // False when a verbose message's payload bytes prove its text cannot match the text group
  // (TextSearch::may_match_verbose_payload); true otherwise.
  bool text_may_match(const dlt::Message& m) const {
    return m.kind != dlt::PayloadKind::Verbose || search_.may_match_verbose_payload(m.payload);
  }

  // The text group alone (true when it is not given).
  bool text_match(std::string_view text, TextSearch::Scratch& scratch) const {
    return search_.empty() || search_.matches(text, scratch);
  }
  // The text group and the filter file's text fields (true when neither is given), for a
  // line whose header_match holds; `text` is its payload text. (A filter file's header-text
  // field makes the line's header string in a buffer of the calling thread's own.)
  bool text_match(const dlt::Message& m, std::string_view text, TextSearch::Scratch& scratch) const {
    return (search_.empty() || search_.matches(text, scratch)) &&
           (!dlf_needs_text_ || dlf_->judge(dlf_fields(m), text, dlf_->needs_head() ? head(m) : "", scratch));
  }
  bool text_match(const dlt::SkipRecord& s, std::string_view text, TextSearch::Scratch& scratch) const {
    return (search_.empty() || search_.matches(text, scratch)) &&
           (!dlf_needs_text_ || dlf_->judge(skip_fields(s), text, dlf_->needs_head() ? head(s, text) : "", scratch));
  }

  const TextSearch& search() const { return search_; }

 private:
  // An id group: the values as ids (longer values can never match, but the group counts).
  struct IdGroup {
    bool given = false;
    std::vector<dlt::IdMatcher> values;
    bool contains(const dlt::Id& id) const {
      for (const auto& v : values)
        if (v.matches(id)) return true;
      return false;
    }
    bool passes(const dlt::Id& id) const { return !given || contains(id); }
  };
  // The APP and CTX groups (a message without an extended header has neither id, so no
  // exclusion removes it).
  bool app_ctx_match(const dlt::Id& app, const dlt::Id& ctx, bool has_app) const {
    if (!((!app_.given || (has_app && app_.contains(app))) && (!ctx_.given || (has_app && ctx_.contains(ctx)))))
      return false;
    if (excludes_app_ctx_ && has_app &&
        ((not_app_.given && not_app_.contains(app)) || (not_ctx_.given && not_ctx_.contains(ctx))))
      return false;
    return true;
  }
  // What the filter file reads of a message or skip line.
  DlfFilter::Fields dlf_fields(const dlt::Message& m) const;
  static DlfFilter::Fields skip_fields(const dlt::SkipRecord& s);
  // The line's header string as a filter file's header text reads it (DlfHead); valid until
  // the calling thread's next call.
  static std::string_view head(const dlt::Message& m);
  static std::string_view head(const dlt::SkipRecord& s, std::string_view text);
  bool common_match(const dlt::Id& ecu, const dlt::Id& app, const dlt::Id& ctx, bool has_app, int type, unsigned kind,
                    const util::Timestamp& time) const;

  bool none_;
  bool catalogue_;  // FilterSpec::catalogue
  bool invert_;
  bool has_max_count_;
  std::uint64_t max_count_;
  IdGroup ecu_, app_, ctx_;
  IdGroup not_ecu_, not_app_, not_ctx_;  // exclusions: `given` and `values` as above
  bool excludes_app_ctx_;                // not_app_ or not_ctx_ given
  std::vector<std::int32_t> sessions_;
  // --type, --level and --not-type folded into one set: `types_` holds the MSIN & 0xFE
  // values that pass. A line without a type passes only when no positive group
  // (--type, --level) is given (`typed_only_`); none of them is checked unless
  // `types_given_`.
  bool types_given_, typed_only_;
  std::bitset<256> types_;
  unsigned kinds_;  // kKind* bits that pass (kKindAll: any)
  std::vector<std::uint32_t> message_ids_;
  bool time_given_;
  std::int64_t not_before_us_, not_after_us_;
  TextSearch search_;
  std::unique_ptr<const DlfFilter> dlf_;  // null: no filter file, or one that passes every line
  bool dlf_needs_text_ = false;           // dlf_ && dlf_->needs_text()
};

}  // namespace dltdump::filter
