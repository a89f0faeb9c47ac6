#include "filter/filter.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "dlt/nonverbose_payload.hpp"
#include "dlt/packet.hpp"
#include "filter/dlf_head.hpp"

namespace dltdump::filter {

namespace {

void fill(const std::vector<std::string>& values, std::vector<dlt::IdMatcher>& ids, bool& given) {
  given = !values.empty();
  std::vector<dlt::Id> seen;
  for (const auto& v : values) {
    if (v.size() > 4) continue;  // no id is longer than four characters
    const dlt::Id id = dlt::Id::from_text(v);
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    ids.emplace_back(id);
  }
}

unsigned kind_bit(dlt::PayloadKind k) {
  switch (k) {
    case dlt::PayloadKind::Verbose: return kKindVerbose;
    case dlt::PayloadKind::NonVerbose: return kKindNonVerbose;
    case dlt::PayloadKind::Control: return kKindControl;
  }
  return 0;
}

const dlt::Id kSkipId = dlt::Id::from_text("SKIP");

constexpr int kSkipType = 0x30;  // log warn

}  // namespace

Filter::Filter(const FilterSpec& spec)
    : none_(spec.none), catalogue_(spec.catalogue), invert_(spec.invert), has_max_count_(spec.max_count.has_value()),
      max_count_(spec.max_count.value_or(0)), excludes_app_ctx_(!spec.not_app_ids.empty() || !spec.not_ctx_ids.empty()),
      sessions_(spec.session_ids), types_given_(!spec.types.empty() || spec.max_level != 0 || !spec.not_types.empty()),
      typed_only_(!spec.types.empty() || spec.max_level != 0), kinds_(spec.kinds == 0 ? kKindAll : spec.kinds),
      message_ids_(spec.message_ids), time_given_(spec.not_before_us || spec.not_after_us),
      not_before_us_(spec.not_before_us.value_or(std::numeric_limits<std::int64_t>::min())),
      not_after_us_(spec.not_after_us.value_or(std::numeric_limits<std::int64_t>::max())),
      search_(spec.strings, spec.regexes, spec.ignore_case) {
  fill(spec.ecu_ids, ecu_.values, ecu_.given);
  fill(spec.app_ids, app_.values, app_.given);
  fill(spec.ctx_ids, ctx_.values, ctx_.given);
  fill(spec.not_ecu_ids, not_ecu_.values, not_ecu_.given);
  fill(spec.not_app_ids, not_app_.values, not_app_.given);
  fill(spec.not_ctx_ids, not_ctx_.values, not_ctx_.given);
  if (spec.types.empty()) types_.set();
  for (std::int32_t t : spec.types)
    if (t >= 0 && t < 256) types_.set(static_cast<std::size_t>(t));
  if (spec.max_level != 0) {  // log (MSTP 0) with MTIN 1..max_level: MSIN & 0xFE = level << 4
    std::bitset<256> levels;
    for (int level = 1; level <= spec.max_level; ++level) levels.set(static_cast<std::size_t>(level << 4));
    types_ &= levels;
  }
  for (std::int32_t t : spec.not_types)
    if (t >= 0 && t < 256) types_.reset(static_cast<std::size_t>(t));
  if (spec.filter_file) {
    auto dlf = std::make_unique<const DlfFilter>(*spec.filter_file);
    if (!dlf->passes_all()) {
      dlf_needs_text_ = dlf->needs_text();
      dlf_ = std::move(dlf);
    }
  }
}

DlfFilter::Fields Filter::dlf_fields(const dlt::Message& m) const {
  DlfFilter::Fields f;
  f.ecu = m.shown_ecu();
  if (m.has_extended) {
    f.app = m.app;
    f.ctx = m.ctx;
    f.type = m.msin & 0xFE;
  }
  // dlt-viewer's message id: a non-verbose message's first payload bytes, else 0.
  if (dlf_->uses_message_id() && !(m.has_extended && (m.msin & 1)))
    f.message_id = dlt::nonverbose_message_id(m.payload, m.big_endian);
  return f;
}

std::string_view Filter::head(const dlt::Message& m) {
  thread_local DlfHead maker;
  return maker.of(m);
}

std::string_view Filter::head(const dlt::SkipRecord& s, std::string_view text) {
  thread_local DlfHead maker;
  return maker.of(s, text);
}

DlfFilter::Fields Filter::skip_fields(const dlt::SkipRecord&) {
  DlfFilter::Fields f;
  f.app = f.ctx = kSkipId;
  f.type = kSkipType;
  return f;
}

// Inlined into both header_match overloads: it runs for every message a filter judges.
[[gnu::always_inline]] inline bool Filter::common_match(const dlt::Id& ecu, const dlt::Id& app, const dlt::Id& ctx,
                                                        bool has_app, int type, unsigned kind,
                                                        const util::Timestamp& time) const {
  if (none_) return false;
  // The id groups first: they are what usually rejects.
  if (!app_ctx_match(app, ctx, has_app)) return false;
  if (!ecu_.passes(ecu)) return false;
  if (not_ecu_.given && not_ecu_.contains(ecu)) return false;
  if (types_given_ && (type >= 0 ? !types_.test(static_cast<std::size_t>(type)) : typed_only_)) return false;
  if (!(kinds_ & kind)) return false;
  if (time_given_ && !(time.valid && time.us >= not_before_us_ && time.us <= not_after_us_)) return false;
  return true;
}

bool Filter::header_match(const dlt::Message& m) const {
  // A type exists with an extended header of a known MSTP (Q16: non-verbose ones too), or
  // a catalogue frame; so do the application and context ids.
  int type = m.has_extended && ((m.msin >> 1) & 7) <= 3 ? (m.msin & 0xFE) : -1;
  if (m.frame) [[unlikely]]
    type = m.frame->msin & 0xFE;
  if (!common_match(m.shown_ecu(), m.app, m.ctx, m.has_extended || m.frame, type, kind_bit(m.kind), m.time))
    return false;
  if (!sessions_.empty() && !(m.has_session && std::find(sessions_.begin(), sessions_.end(),
                                                         static_cast<std::int32_t>(m.session)) != sessions_.end()))
    return false;
  if (!message_ids_.empty()) {
    if (m.kind != dlt::PayloadKind::NonVerbose) return false;
    const std::uint32_t id = dlt::nonverbose_message_id(m.payload, m.big_endian);
    if (std::find(message_ids_.begin(), message_ids_.end(), id) == message_ids_.end()) return false;
  }
  return !dlf_ || dlf_->judge_header(dlf_fields(m)) != DlfFilter::Verdict::Fail;
}

bool Filter::rejects_packet(std::span<const std::uint8_t> packet) const {
  if (none_) return true;
  if (invert_ || (!app_.given && !ctx_.given && !excludes_app_ctx_)) return false;
  const std::uint8_t htyp = packet[0];
  // No ids: a positive group fails, an exclusion passes it.
  if (!(htyp & dlt::htyp::kUseExtendedHeader)) return !catalogue_ && (app_.given || ctx_.given);
  const std::uint8_t* ext = packet.data() + dlt::extended_header_at(htyp);
  // A non-verbose message may get its ids from a catalogue frame: undecided.
  if (catalogue_ && !(ext[0] & 1) && ((ext[0] >> 1) & 7) != static_cast<unsigned>(dlt::MessageType::Control))
    return false;
  return !app_ctx_match(dlt::parse_id(ext + 2), dlt::parse_id(ext + 6), true);
}

bool Filter::header_match(const dlt::SkipRecord& s) const {
  if (!sessions_.empty() || !message_ids_.empty()) return false;  // skip lines have neither
  return common_match(dlt::Id{}, kSkipId, kSkipId, true, kSkipType, kKindVerbose, s.time) &&
         (!dlf_ || dlf_->judge_header(skip_fields(s)) != DlfFilter::Verdict::Fail);
}

bool Filter::may_pass_skip_lines() const {
  if (none_) return false;
  if (invert_) {
    // Selected when the groups fail it: some skip line's text may fail the text group, or
    // its time fall outside the window; else all skip lines are judged alike.
    if (has_text_group() || time_given_) return true;
    return !header_match(dlt::SkipRecord{0, 1, dlt::kReasonSearching, {0, true}, {}});
  }
  // Only the time differs between skip lines: take one inside the time range.
  const std::int64_t t =
      time_given_ ? (not_before_us_ != std::numeric_limits<std::int64_t>::min() ? not_before_us_ : not_after_us_) : 0;
  return header_match(dlt::SkipRecord{0, 1, dlt::kReasonSearching, {t, true}, {}}) &&
         (search_.empty() || search_.may_match_skip_text());
}

}  // namespace dltdump::filter
