#include <chrono>
#include <string>

#include "api/access.hpp"
#include "api/api_error.hpp"
#include "dltdump/filter.hpp"
#include "filter/dlf_file.hpp"
#include "filter/dlf_filter.hpp"
#include "util/value_text.hpp"

namespace dltdump {

namespace {

// An id value that can match some id: 1 to 4 bytes, none zero (as the command line
// refuses longer ones). The message shows the value escaped (util::printable): a NUL in it
// would end what() there, and a control character could break the line.
std::string checked_id(std::string_view id, const char* what) {
  if (id.empty() || id.size() > 4 || id.find('\0') != std::string_view::npos)
    throw api::argument_error(std::string("Filter: ") + what + " \"" + util::printable(id) +
                              "\" is not an id of 1-4 bytes, so it can never match");
  return std::string(id);
}

std::int32_t msin(MessageType type, std::uint8_t info) {
  if (static_cast<unsigned>(type) > 3 || info > 15)
    throw api::argument_error("Filter: type " + std::to_string(static_cast<unsigned>(type)) + " with info " +
                              std::to_string(info) + " can never match (types 0-3, infos 0-15)");
  return static_cast<std::int32_t>((static_cast<unsigned>(type) << 1) | (static_cast<unsigned>(info) << 4));
}

// -s, -r: the command line's checks (cli/filter_options.cpp): a text is UTF-8 and shows
// control characters as '.', so a value that is no UTF-8, or a search string holding a
// control character, can never match.
void check_text(std::string_view text, const char* what, bool no_controls) {
  if (!util::valid_utf8(text))
    throw api::argument_error(std::string("Filter: ") + what +
                              " is not UTF-8 text (line texts are), so it can never match");
  if (no_controls && util::shows_as_dot(text))
    throw api::argument_error(
        std::string("Filter: ") + what +
        " holds a control character or line separator, which line texts show as '.', so it can never match");
}

}  // namespace

Filter::Filter() : spec_(std::make_unique<Spec>()) {}
Filter::Filter(const Filter& other) : spec_(std::make_unique<Spec>(*other.spec_)) {}
Filter::Filter(Filter&& other) noexcept : spec_(std::move(other.spec_)) {}
Filter& Filter::operator=(const Filter& other) {
  if (this != &other) spec_ = std::make_unique<Spec>(*other.spec_);
  return *this;
}
Filter& Filter::operator=(Filter&& other) noexcept {
  spec_ = std::move(other.spec_);
  return *this;
}
Filter::~Filter() = default;

// A moved-from Filter is given a new empty spec before use, so that it stays usable.
Filter::Spec& Filter::spec() {
  if (!spec_) spec_ = std::make_unique<Spec>();
  return *spec_;
}

Filter& Filter::ecuid(std::string_view id) {
  spec().spec.ecu_ids.push_back(checked_id(id, "ECU id"));
  return *this;
}
Filter& Filter::appid(std::string_view id) {
  spec().spec.app_ids.push_back(checked_id(id, "application id"));
  return *this;
}
Filter& Filter::ctxid(std::string_view id) {
  spec().spec.ctx_ids.push_back(checked_id(id, "context id"));
  return *this;
}
Filter& Filter::not_ecuid(std::string_view id) {
  spec().spec.not_ecu_ids.push_back(checked_id(id, "ECU id"));
  return *this;
}
Filter& Filter::not_appid(std::string_view id) {
  spec().spec.not_app_ids.push_back(checked_id(id, "application id"));
  return *this;
}
Filter& Filter::not_ctxid(std::string_view id) {
  spec().spec.not_ctx_ids.push_back(checked_id(id, "context id"));
  return *this;
}
Filter& Filter::session(std::uint32_t id) {
  spec().spec.session_ids.push_back(static_cast<std::int32_t>(id));
  return *this;
}
Filter& Filter::level(Level level) {
  if (level < Level::fatal || level > Level::verbose)
    throw api::argument_error("Filter: level " + std::to_string(static_cast<unsigned>(level)) +
                              " is no log level (fatal 1 to verbose 6)");
  spec().spec.max_level = static_cast<int>(level);
  return *this;
}
Filter& Filter::type(MessageType type, std::uint8_t info) {
  spec().spec.types.push_back(msin(type, info));
  return *this;
}
Filter& Filter::not_type(MessageType type, std::uint8_t info) {
  spec().spec.not_types.push_back(msin(type, info));
  return *this;
}
Filter& Filter::kind(PayloadKind kind) {
  spec().spec.kinds |= kind == PayloadKind::verbose       ? filter::kKindVerbose
                       : kind == PayloadKind::non_verbose ? filter::kKindNonVerbose
                                                          : filter::kKindControl;
  return *this;
}
Filter& Filter::message_id(std::uint32_t id) {
  spec().spec.message_ids.push_back(id);
  return *this;
}
Filter& Filter::not_before(Time time) {
  spec().spec.not_before_us = time.time_since_epoch().count();
  return *this;
}
Filter& Filter::not_after(Time time) {
  spec().spec.not_after_us = time.time_since_epoch().count();
  return *this;
}
Filter& Filter::contains(std::string_view text) {
  if (text.empty()) throw api::argument_error("Filter: an empty text to search for would match every message");
  check_text(text, "the text to search for", true);
  spec().spec.strings.emplace_back(text);
  return *this;
}
Filter& Filter::regex(std::string_view pattern) {
  if (pattern.empty()) throw api::argument_error("Filter: an empty pattern would match every message");
  check_text(pattern, "the pattern", false);
  spec().spec.regexes.emplace_back(pattern);
  return *this;
}
Filter& Filter::ignore_case(bool on) {
  spec().spec.ignore_case = on;
  return *this;
}
Filter& Filter::filter_file(const std::string& path, std::vector<std::string>* warnings) {
  try {
    api::check_name(path, Error::Kind::argument);
    filter::DlfFile file = filter::read_dlf_file(path);
    const filter::DlfFilter compiled(file.rules);  // a bad pattern in it is refused now
    spec().spec.filter_file = std::move(file.rules);
    if (warnings)
      for (std::string& w : file.warnings) warnings->push_back(std::move(w));
  } catch (...) {
    api::rethrow_as_api_error(path, std::nullopt);
  }
  return *this;
}
Filter& Filter::invert(bool on) {
  spec().spec.invert = on;
  return *this;
}

bool Filter::restricts() const { return spec_ && spec_->spec.any(); }

}  // namespace dltdump
