#include "filter/dlf_file.hpp"

#include <sys/stat.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <pugixml.hpp>

#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::filter {

namespace {

[[noreturn]] void fail(std::string_view name, const std::string& what) {
  throw util::option_error("", "Filter file " + util::quoted(name) + ": " + what);
}

// Line and column (1-based, columns in bytes) of byte `offset` of `text`.
std::string place(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string element_text(pugi::xml_node e) {
  std::string s;
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
  return s;
}

// Reads filter elements; collects the warnings of one file.
class Reader {
 public:
  explicit Reader(std::string_view name) : name_(name) {}

  DlfRule rule(pugi::xml_node filter, std::size_t index, std::vector<std::string>& warnings) {
    index_ = index;
    warnings_ = &warnings;
    DlfRule r;
    r.name = element_text(filter.child("name"));
    int type = 0;
    bool replace_enabled = false;
    for (pugi::xml_node e = filter.first_child(); e; e = e.next_sibling()) {
      if (e.type() != pugi::node_element) continue;
      const std::string_view tag = e.name();
      const std::string text = element_text(e);
      // Which element says what, as dlt-viewer 2.23 writes them.
      if (tag == "type") type = number(tag, text);
      else if (tag == "enablefilter") r.enabled = flag(tag, text);
      else if (tag == "ecuid") r.ecu = text;
      else if (tag == "enableecuid") r.ecu_enabled = flag(tag, text);
      else if (tag == "applicationid") r.app.text = text;
      else if (tag == "enableapplicationid") r.app.enabled = flag(tag, text);
      else if (tag == "enableregexp_Appid") r.app.regex = flag(tag, text);
      else if (tag == "contextid") r.ctx.text = text;
      else if (tag == "enablecontextid") r.ctx.enabled = flag(tag, text);
      else if (tag == "enableregexp_Context") r.ctx.regex = flag(tag, text);
      else if (tag == "headertext") r.header.text = text;
      else if (tag == "enableheadertext") r.header.enabled = flag(tag, text);
      else if (tag == "enableregexp_Header") r.header.regex = flag(tag, text);
      else if (tag == "ignoreCase_Header") r.header.ignore_case = flag(tag, text);
      else if (tag == "payloadtext") r.payload.text = text;
      else if (tag == "enablepayloadtext") r.payload.enabled = flag(tag, text);
      else if (tag == "enableregexp_Payload") r.payload.regex = flag(tag, text);
      else if (tag == "ignoreCase_Payload") r.payload.ignore_case = flag(tag, text);
      else if (tag == "enableregexp")
        r.app.regex = flag(tag, text);  // older files: dlt-viewer reads it for the APP id only
      else if (tag == "enablectrlmsgs") r.control_only = flag(tag, text);
      else if (tag == "enableLogLevelMin") r.level_min_enabled = flag(tag, text);
      else if (tag == "enableLogLevelMax") r.level_max_enabled = flag(tag, text);
      else if (tag == "logLevelMin") r.level_min = number(tag, text);
      else if (tag == "logLevelMax") r.level_max = number(tag, text);
      else if (tag == "enableMessageId") r.message_id_enabled = flag(tag, text);
      else if (tag == "messageIdMin") r.message_id_min = unsigned_number(tag, text);
      else if (tag == "messageIdMax") r.message_id_max = unsigned_number(tag, text);
      else if (tag == "enableRegexSearchReplace") replace_enabled = flag(tag, text);
      else if (tag == "name" || tag == "filterColour" || tag == "enableMarker" || tag == "regex_search" ||
               tag == "regex_replace") {
        // How dlt-viewer shows the filter or its matches.
      } else {
        warn("unknown element <" + std::string(tag) + "> ignored");
      }
    }
    if (type >= 0 && type <= 2) r.kind = static_cast<DlfRule::Kind>(type);
    else if (r.enabled) {
      warn("unknown type " + std::to_string(type) + " (0 positive, 1 negative, 2 marker): the filter is left out");
      r.enabled = false;
    }
    if (replace_enabled && r.selects())
      warn("<enableRegexSearchReplace> is not supported (it changes only what dlt-viewer shows): ignored");
    return r;
  }

  void warn(const std::string& what) const {
    warnings_->push_back("Filter file " + util::quoted(name_) + ", filter " + std::to_string(index_ + 1) + ": " + what);
  }

 private:
  // dlt-viewer's QString::toInt: a decimal integer (spaces around it allowed), else 0.
  template <class T>
  T parse(std::string_view tag, const std::string& text) const {
    std::string_view s = text;
    while (!s.empty() && std::strchr(" \t\r\n", s.front())) s.remove_prefix(1);
    while (!s.empty() && std::strchr(" \t\r\n", s.back())) s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    T value{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) {
      if (!text.empty())
        warn("<" + std::string(tag) + "> " + util::quoted(text) + " is not a whole number: taken as 0");
      return T{};
    }
    return value;
  }
  int number(std::string_view tag, const std::string& text) const { return parse<int>(tag, text); }
  std::uint32_t unsigned_number(std::string_view tag, const std::string& text) const {
    return parse<std::uint32_t>(tag, text);
  }
  bool flag(std::string_view tag, const std::string& text) const { return parse<int>(tag, text) != 0; }

  std::string_view name_;
  std::size_t index_ = 0;
  std::vector<std::string>* warnings_ = nullptr;
};

}  // namespace

DlfFile parse_dlf(std::string_view name, std::string_view text) {
  pugi::xml_document doc;
  const pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r)
    fail(name, std::string("not well-formed XML at ") + place(text, static_cast<std::size_t>(r.offset)) + ": " +
                   r.description());
  const pugi::xml_node root = doc.document_element();
  if (!root) fail(name, "no XML element in it");
  if (std::string_view(root.name()) != "dltfilter")
    fail(name,
         "the root element is <" + std::string(root.name()) + ">, not <dltfilter> (not a dlt-viewer filter file)");
  DlfFile file;
  Reader reader(name);
  std::size_t index = 0;
  for (pugi::xml_node e = root.first_child(); e; e = e.next_sibling()) {
    if (e.type() != pugi::node_element) continue;
    if (std::string_view(e.name()) != "filter") {
      file.warnings.push_back("Filter file " + util::quoted(name) + ": unknown element <" + e.name() + "> ignored");
      continue;
    }
    file.rules.push_back(reader.rule(e, index++, file.warnings));
  }
  return file;
}

DlfFile read_dlf_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) fail(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail(path, "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::strerror(errno));
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) fail(path, "read error");
  return parse_dlf(path, text);
}

}  // namespace dltdump::filter
