// Which messages a Reader delivers: the command line's filter options as a value.
//
// Within one group (the ids given to appid(), say) any value matches; every group given
// must match; an exclusion (not_appid(), …) removes what matches any of its values;
// invert() selects the messages the groups do not. An empty Filter passes everything.
// Each call adds to its group and returns the Filter, so calls chain:
//   dltdump::Filter{}.appid("NAV").appid("HMI").level(dltdump::Level::warn)
// A Filter is a plain value (copy it, share copies between threads); it is checked when
// a Reader is made with it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dltdump/export.hpp"
#include "dltdump/message.hpp"
#include "dltdump/types.hpp"

namespace dltdump {

class DLTDUMP_API Filter {
 public:
  Filter();
  Filter(const Filter& other);
  Filter(Filter&& other) noexcept;
  Filter& operator=(const Filter& other);
  Filter& operator=(Filter&& other) noexcept;
  ~Filter();

  // --ecuid, --appid, --ctxid and their exclusions. Throws Error (argument) for an id
  // that is empty or longer than 4 bytes (it can never match).
  Filter& ecuid(std::string_view id);
  Filter& appid(std::string_view id);
  Filter& ctxid(std::string_view id);
  Filter& not_ecuid(std::string_view id);
  Filter& not_appid(std::string_view id);
  Filter& not_ctxid(std::string_view id);
  // --sessionid.
  Filter& session(std::uint32_t id);
  // --level: log messages of `level` or a more severe one (the last call counts).
  Filter& level(Level level);
  // --type / --not-type: messages of this type and type info (log messages: the level).
  Filter& type(MessageType type, std::uint8_t info);
  Filter& type(Level level) { return type(MessageType::log, static_cast<std::uint8_t>(level)); }
  Filter& not_type(MessageType type, std::uint8_t info);
  // --verbose, --nonverbose, --control: messages of these kinds (calls add kinds).
  Filter& kind(PayloadKind kind);
  // --msgid: non-verbose messages with this message id.
  Filter& message_id(std::uint32_t id);
  // --not-before, --not-after: times inclusive (the last call counts). A Reader refuses
  // (Error, argument) a not_before after the not_after: nothing could pass.
  Filter& not_before(Time time);
  Filter& not_after(Time time);
  // -s: the payload text contains `text`; -r: a PCRE2 pattern found in it (checked when
  // a Reader is made: Error); -i: both ignore case. Throws Error (argument), as the command
  // line refuses them, for a value that is empty or no UTF-8, or a text holding a control
  // character (a line shows it as '.'): they could never match.
  Filter& contains(std::string_view text);
  Filter& regex(std::string_view pattern);
  Filter& ignore_case(bool on = true);
  // --filter-file: the enabled positive and negative filters of a dlt-viewer filter file
  // (`.dlf`), one more group (the last call counts). Read now: throws Error (argument)
  // naming the file when it cannot be read, is no filter file or holds a pattern that does
  // not compile. What it holds that dltdump cannot apply (a marker, a disabled filter's
  // pattern, ...) is appended to `warnings` (may be null), a line each naming the file.
  Filter& filter_file(const std::string& path, std::vector<std::string>* warnings = nullptr);
  // -v: the messages the groups do not select.
  Filter& invert(bool on = true);

  // Whether any group is given (false: everything passes).
  bool restricts() const;

 private:
  friend struct detail::Access;
  struct Spec;
  Spec& spec();
  std::unique_ptr<Spec> spec_;
};

}  // namespace dltdump
