// The filters of a dlt-viewer filter file (--filter-file) compiled for matching.
//
// Selection as dlt-viewer's: a message passes when it matches some enabled positive filter
// (or no positive filter is enabled) and no enabled negative filter. Marker and disabled
// filters select nothing. Within a filter every enabled field must match:
// * ECU id: equal to the value; APP id: equal, or with the regex flag a PCRE2 pattern found
//   in it; CTX id: the value contained in it (dlt-viewer compares CTX ids by "contains"), or
//   a pattern found in it. A message without an extended header has empty APP and CTX ids.
// * header text: contained in dlt-viewer's header string of the line (DlfHead), or a
//   pattern found in it; payload text: contained in the payload text (the text `-s`
//   searches), or a pattern found in it; each with its own ignore-case flag.
// * control messages only; log level min/max: a log message of level in range (1 fatal
//   ... 6 verbose; a message of another type fails either bound);
// * message id: dlt-viewer's: a non-verbose message's first four payload bytes, 0 for a
//   verbose one; equal to the minimum when the maximum is 0, else minimum <= id < maximum.
// Fields that need no text are judged first (judge_header); only a filter whose other
// fields hold and that also has a header-text or payload field needs the texts.
// Immutable after construction; shared by all decoding threads (each passes its own
// TextSearch::Scratch).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "dlt/id.hpp"
#include "filter/dlf_file.hpp"
#include "filter/text_search.hpp"

namespace dltdump::filter {

class DlfFilter {
 public:
  // What the filters read of a line besides its payload text.
  struct Fields {
    dlt::Id ecu, app, ctx;  // app and ctx: empty without an extended header
    int type = -1;          // MSIN & 0xFE, -1 without an extended header
    std::uint32_t message_id = 0;
  };
  enum class Verdict : std::uint8_t { Fail, Pass, NeedText };

  // Throws util::Error (option error) for a pattern PCRE2 rejects (TextSearch's message).
  explicit DlfFilter(const std::vector<DlfRule>& rules);
  ~DlfFilter();
  DlfFilter(const DlfFilter&) = delete;
  DlfFilter& operator=(const DlfFilter&) = delete;

  // True when no enabled filter can fail a line (no positive and no negative filter).
  bool passes_all() const { return rules_.empty(); }
  // True when some filter has a header- or payload-text field: some lines need their texts
  // judged.
  bool needs_text() const { return needs_text_; }
  // True when some filter has a header-text field (judge needs the line's head).
  bool needs_head() const { return needs_head_; }
  // True when some filter compares message ids (Fields::message_id must be filled).
  bool uses_message_id() const { return uses_message_id_; }

  // The decision from the fields alone: Fail or Pass when the text cannot change it.
  // (An APP or CTX pattern is searched with a scratch of the calling thread's own.)
  Verdict judge_header(const Fields& f) const;
  // The whole decision, with the line's payload text and header string (valid UTF-8; the
  // header string is read only when needs_head()).
  bool judge(const Fields& f, std::string_view text, std::string_view head, TextSearch::Scratch& scratch) const;

 private:
  struct Rule;
  // Whether rule `r`'s fields other than the payload text hold.
  static bool fields_hold(const Rule& r, const Fields& f);

  std::vector<std::unique_ptr<Rule>> rules_;  // positive ones first, then negative ones
  std::size_t positives_ = 0;
  bool needs_text_ = false;
  bool needs_head_ = false;
  bool uses_message_id_ = false;
};

}  // namespace dltdump::filter
