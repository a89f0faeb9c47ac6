#include "fibex/fibex_reader.hpp"

#include "fibex/pdu_index.hpp"
#include "fibex/xml_text.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <unordered_set>

#include "util/error.hpp"
#include "util/file_identity.hpp"
#include "util/scoped_fd.hpp"
#include "util/value_text.hpp"

namespace dltdump::fibex {

namespace {

constexpr std::string_view kFibexNs = "http://www.asam.net/xml/fbx";

// The parser's options: the defaults, DOCTYPE nodes kept (to refuse them), and the text of
// an element stored in the element itself rather than in a node of its own: FIBEX is
// mostly leaf elements with a text (SHORT-NAME, BYTE-LENGTH, …), so this saves a third
// of the nodes — memory, and half the load time (docs/PERFORMANCE.md).
constexpr unsigned kParse = pugi::parse_default | pugi::parse_doctype | pugi::parse_embed_pcdata;
constexpr std::string_view kHoNs = "http://www.asam.net/xml";

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || (s.front() >= '\t' && s.front() <= '\r'))) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || (s.back() >= '\t' && s.back() <= '\r'))) s.remove_suffix(1);
  return s;
}

// Decimal digits only (no sign, no space), at most `max`.
std::optional<std::uint64_t> digits(std::string_view s, std::uint64_t max) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > max) return std::nullopt;
  }
  return v;
}

// The text of element `e`: its text and CDATA children joined (with parse_embed_pcdata,
// a first text child is the element's value).
std::string joined_text(pugi::xml_node e) {
  std::string s = e.value();
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) s += c.value();
  return s;
}

// An id a DLT header can carry: one to four printable ASCII characters.
bool dlt_id(std::string_view s) {
  return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

// The namespaces in scope: the prefixes bound to the two FIBEX namespaces, and whether
// unprefixed names are in no namespace (as the manufacturer extension's are).
struct Scope {
  std::vector<std::string_view> fx{}, ho{};
  bool plain_is_none = true;
};

enum class Ns { Fx, Ho, None };

// The scope inside element `e`, given the scope around it: a copy only where `e` declares
// namespaces (rare below the root).
const Scope& scope_in(pugi::xml_node e, const Scope& outer, std::vector<std::unique_ptr<Scope>>& keep) {
  Scope* inner = nullptr;
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view n = a.name();
    if (n != "xmlns" && n.substr(0, 6) != "xmlns:") continue;
    if (!inner) {
      keep.push_back(std::make_unique<Scope>(outer));
      inner = keep.back().get();
    }
    const std::string_view uri = a.value();
    if (n == "xmlns") {
      inner->plain_is_none = uri.empty();
      continue;
    }
    const std::string_view prefix = n.substr(6);
    for (auto* list : {&inner->fx, &inner->ho}) std::erase(*list, prefix);
    if (uri == kFibexNs) inner->fx.push_back(prefix);
    else if (uri == kHoNs) inner->ho.push_back(prefix);
  }
  return inner ? *inner : outer;
}

// Whether element `e` is `local` in namespace `ns` (unprefixed names in the FIBEX
// namespaces need a default namespace declaration, which FIBEX files do not use).
bool is(pugi::xml_node e, const Scope& s, Ns ns, std::string_view local) {
  const std::string_view name = e.name();
  const std::size_t colon = name.find(':');
  if (colon == std::string_view::npos) return ns == Ns::None && s.plain_is_none && name == local;
  if (ns == Ns::None || name.substr(colon + 1) != local) return false;
  const std::string_view prefix = name.substr(0, colon);
  const auto& list = ns == Ns::Fx ? s.fx : s.ho;
  return std::find(list.begin(), list.end(), prefix) != list.end();
}

// Calls f(child, scope) for each child element of `e` that is `local` in `ns`.
template <class F>
void each(pugi::xml_node e, const Scope& s, Ns ns, std::string_view local, std::vector<std::unique_ptr<Scope>>& keep,
          F&& f) {
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const Scope& inner = scope_in(c, s, keep);
    if (is(c, inner, ns, local)) f(c, inner);
  }
}

// The base types by the signal reference's id (§8.1); others are unknown.
std::pair<dlt::SignalType, std::uint8_t> signal_type(std::string_view id) {
  using T = dlt::SignalType;
  struct Named {
    std::string_view name;
    T type;
    std::uint8_t width;
  };
  static constexpr Named kTypes[] = {
      {"S_BOOL", T::Bool, 1},   {"S_SINT8", T::Sint, 1},       {"S_SINT16", T::Sint, 2},    {"S_SINT32", T::Sint, 4},
      {"S_SINT64", T::Sint, 8}, {"S_UINT8", T::Uint, 1},       {"S_UINT16", T::Uint, 2},    {"S_UINT32", T::Uint, 4},
      {"S_UINT64", T::Uint, 8}, {"S_FLOA32", T::Float, 4},     {"S_FLOA64", T::Float, 8},   {"S_HEX8", T::Hex, 1},
      {"S_HEX16", T::Hex, 2},   {"S_HEX32", T::Hex, 4},        {"S_HEX64", T::Hex, 8},      {"S_BIN8", T::Bin, 1},
      {"S_BIN16", T::Bin, 2},   {"S_BIN32", T::Bin, 4},        {"S_BIN64", T::Bin, 8},      {"S_RAW", T::Raw, 0},
      {"S_RAWD", T::Raw, 0},    {"S_STRG_ASCII", T::Ascii, 0}, {"S_STRG_UTF8", T::Utf8, 0}, {"S_UTF8", T::Utf8, 0},
  };
  for (const Named& n : kTypes)
    if (n.name == id) return {n.type, n.width};
  return {T::Unknown, 0};
}

// MESSAGE_TYPE and MESSAGE_INFO as an MSIN byte (verbose bit clear); nullopt for a type
// that is none of the three.
std::optional<std::uint8_t> message_type(std::string_view type, std::string_view info) {
  static constexpr std::string_view kLog[] = {"DLT_LOG_FATAL", "DLT_LOG_ERROR", "DLT_LOG_WARN",
                                              "DLT_LOG_INFO",  "DLT_LOG_DEBUG", "DLT_LOG_VERBOSE"};
  static constexpr std::string_view kApp[] = {"DLT_TRACE_VARIABLE", "DLT_TRACE_FUNCTION_IN", "DLT_TRACE_FUNCTION_OUT",
                                              "DLT_TRACE_STATE", "DLT_TRACE_VFB"};
  static constexpr std::string_view kNw[] = {"DLT_NW_TRACE_IPC",  "DLT_NW_TRACE_CAN",      "DLT_NW_TRACE_FLEXRAY",
                                             "DLT_NW_TRACE_MOST", "DLT_NW_TRACE_ETHERNET", "DLT_NW_TRACE_SOMEIP"};
  auto msin = [&](unsigned mstp, std::span<const std::string_view> infos) {
    unsigned mtin = 0;
    for (std::size_t i = 0; i < infos.size(); ++i)
      if (infos[i] == info) mtin = static_cast<unsigned>(i + 1);
    return static_cast<std::uint8_t>(mtin << 4 | mstp << 1);
  };
  if (type == "DLT_TYPE_LOG") return msin(0, kLog);
  if (type == "DLT_TYPE_APP_TRACE") return msin(1, kApp);
  if (type == "DLT_TYPE_NW_TRACE") return msin(2, kNw);
  return std::nullopt;
}

// The document as it was before it was parsed in place: bytes [from, to) of it (to npos:
// to its end). Asked only for what needs the original (a place, a text split in pieces).
using Original = std::function<std::string(std::size_t from, std::size_t to)>;

// A warning whose place is known as a parse-buffer offset; line and column are found
// afterwards, from the document as it was (parsing in place changes the buffer).
struct PendingWarning {
  std::string_view name;
  std::ptrdiff_t offset;  // of the element's name (in its start or end tag)
};

class DocumentReader {
 public:
  // `parsed`: the buffer parsed in place; `original` gives parts of it as they were.
  DocumentReader(dlt::CatalogueBuilder& builder, std::string_view parsed, const Original& original)
      : builder_(builder), parsed_(parsed), original_(original) {}

  void read(pugi::xml_node root) {
    const Scope outer;
    // A document that is not FIBEX (another XML file given by mistake) would add nothing
    // without a word.
    const pugi::xml_node top = root.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
    if (!is(top, scope_in(top, outer, keep_), Ns::Fx, "FIBEX")) warn("FibexRootMissing", top);
    each(root, outer, Ns::Fx, "FIBEX", keep_, [&](pugi::xml_node fibex, const Scope& s) {
      each(fibex, s, Ns::Fx, "ELEMENTS", keep_, [&](pugi::xml_node elements, const Scope& s2) {
        for (pugi::xml_node c = elements.first_child(); c; c = c.next_sibling()) {
          if (c.type() != pugi::node_element) continue;
          const Scope& in = scope_in(c, s2, keep_);
          if (is(c, in, Ns::Fx, "ECUS"))
            each(c, in, Ns::Fx, "ECU", keep_, [&](pugi::xml_node e, const Scope&) { ecu(e); });
          else if (is(c, in, Ns::Fx, "PDUS") && reserve_pdus(c))
            each(c, in, Ns::Fx, "PDU", keep_, [&](pugi::xml_node e, const Scope& s3) { pdu(e, s3); });
          else if (is(c, in, Ns::Fx, "FRAMES"))
            each(c, in, Ns::Fx, "FRAME", keep_, [&](pugi::xml_node e, const Scope& s3) { frame(e, s3); });
        }
      });
    });
  }

  const std::vector<PendingWarning>& warnings() const { return warnings_; }

  // Sizes the PDU index for the PDUs of `pdus` once (rehashing a large one as it grows
  // cost more than the lookups). Returns true.
  bool reserve_pdus(pugi::xml_node pdus) {
    std::size_t n = pdus_.size();
    for (pugi::xml_node c = pdus.first_child(); c; c = c.next_sibling()) ++n;
    pdus_.reserve(n);
    return true;
  }
  dlt::Id ecu_id() const { return ecu_ ? dlt::Id::from_text(*ecu_) : dlt::Id{}; }

 private:
  void warn(std::string_view name, pugi::xml_node at) { warnings_.push_back({name, at.offset_debug()}); }
  // At the end tag of `e` (what DltDump reports for what it finds there); at its start tag
  // if it has none (`<a/>`).
  void warn_at_end(std::string_view name, pugi::xml_node e) {
    const std::size_t at = end_tag_name(e);
    warnings_.push_back({name, at == std::string_view::npos ? e.offset_debug() : static_cast<std::ptrdiff_t>(at)});
  }

  // The offset of the name in the end tag of `e` in the parsed buffer, or npos if it has
  // none. Parsing in place may have written over the end tag's '<', not over its name.
  std::size_t end_tag_name(pugi::xml_node e) const {
    pugi::xml_node last = e;
    while (last.last_child()) last = last.last_child();
    const std::string tag = "/" + std::string(e.name());
    std::size_t at = static_cast<std::size_t>(std::max<std::ptrdiff_t>(last.offset_debug(), 0));
    while ((at = parsed_.find(tag, at)) != std::string_view::npos) {
      const std::size_t after = at + tag.size();
      if (after < parsed_.size() && std::string_view(">\t\n\r ").find(parsed_[after]) != std::string_view::npos)
        return at + 1;
      at = after;
    }
    return std::string_view::npos;
  }

  // The text of element `e`, as an XML reader gives it: its text and CDATA joined. One
  // piece (nearly always) is taken as parsed. Several pieces (text split by a comment or
  // CDATA) may have had whitespace-only text between them, which the parser drops (it
  // keeps it only for the whole document, which would double its nodes): the element is
  // read again from the original with that text kept.
  std::string text_of(pugi::xml_node e) {
    std::size_t pieces = *e.value() != 0;
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling())
      pieces += c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata;
    if (pieces <= 1) return joined_text(e);
    // The element's extent: from its '<' to the '>' of its end tag.
    const auto at = static_cast<std::size_t>(std::max<std::ptrdiff_t>(e.offset_debug() - 1, 0));
    const std::size_t end_tag = end_tag_name(e);
    const std::size_t close = end_tag == std::string_view::npos ? end_tag : parsed_.find('>', end_tag);
    if (at >= parsed_.size() || close == std::string_view::npos) return joined_text(e);
    const std::string element = original_(at, close + 1);
    pugi::xml_document fragment;
    if (!fragment.load_buffer(element.data(), element.size(), pugi::parse_default | pugi::parse_ws_pcdata,
                              pugi::encoding_utf8))
      return joined_text(e);
    return joined_text(fragment.first_child());
  }

  void ecu(pugi::xml_node e) {
    if (ecu_) {
      warn("EcusMultipleDefined", e);
      return;
    }
    if (frames_ > 0) warn("EcuIdMustBeBeforeFrames", e);
    const std::string_view id = e.attribute("ID").value();
    if (blank(id)) {
      warn("EcuIdMissing", e);
      return;
    }
    if (!dlt_id(id)) warn("EcuIdInvalid", e);
    ecu_ = id;
  }

  void pdu(pugi::xml_node e, const Scope& s) {
    const std::string_view key = e.attribute("ID").value();
    if (blank(key)) {
      warn("PduIdMissing", e);
      return;
    }
    // One lookup both finds a duplicate and makes the entry (its value is set at the end).
    const auto [entry, added] = pdus_.try_emplace(key, 0);
    if (!added) {
      warn("PduIdDuplicate", e);
      return;
    }
    std::uint32_t bytes = 0;
    std::optional<std::string> text;
    std::optional<std::string_view> type;
    std::string name, unit;  // of the signal instance that gave the type
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const Scope& in = scope_in(c, s, keep_);
      if (is(c, in, Ns::Fx, "BYTE-LENGTH")) {
        const std::string t = text_of(c);
        const auto v = digits(trimmed(t), 0x7FFFFFFF);
        if (!v) warn("PduInvalidByteLength", c);
        bytes = v ? static_cast<std::uint32_t>(*v) : 0;
      } else if (is(c, in, Ns::Ho, "DESC")) {
        text = text_of(c);
      } else if (is(c, in, Ns::Fx, "SIGNAL-INSTANCES")) {
        each(c, in, Ns::Fx, "SIGNAL-INSTANCE", keep_, [&](pugi::xml_node si, const Scope& s2) {
          const bool had_type = type.has_value();
          each(si, s2, Ns::Fx, "SIGNAL-REF", keep_, [&](pugi::xml_node ref, const Scope&) {
            const std::string_view id = ref.attribute("ID-REF").value();
            if (blank(id)) {
              warn("MissingSignalIdRef", ref);
              type = std::string_view();
              return;
            }
            if (type) {
              warn("MultipleSignalsInPduDefined", ref);
              return;
            }
            type = id;
          });
          if (!had_type && type && !type->empty()) variable_info(si, s2, name, unit);
        });
      }
    }
    if (!text && !type) warn_at_end("MissingSignalIdRef", e);
    dlt::SignalType t = dlt::SignalType::Text;
    std::uint8_t width = 0;
    if (type) std::tie(t, width) = signal_type(*type);
    *entry =
        builder_.add_arg(t, width, bytes, type || !text ? std::string_view() : std::string_view(*text), name, unit);
  }

  // The variable name and unit of signal instance `si`: the VARI_NAME and VARI_UNIT of its
  // MANUFACTURER-EXTENSION (as dlt-viewer's FIBEX files give them, the names a verbose
  // argument's VARI info would carry), surrounding white space dropped; the first of each.
  void variable_info(pugi::xml_node si, const Scope& s, std::string& name, std::string& unit) {
    bool have_name = false, have_unit = false;
    each(si, s, Ns::Fx, "MANUFACTURER-EXTENSION", keep_, [&](pugi::xml_node ext, const Scope& s2) {
      for (pugi::xml_node m = ext.first_child(); m; m = m.next_sibling()) {
        if (m.type() != pugi::node_element) continue;
        const Scope& in = scope_in(m, s2, keep_);
        if (!have_name && is(m, in, Ns::None, "VARI_NAME")) {
          name = std::string(trimmed(text_of(m)));
          have_name = true;
        } else if (!have_unit && is(m, in, Ns::None, "VARI_UNIT")) {
          unit = std::string(trimmed(text_of(m)));
          have_unit = true;
        }
      }
    });
  }

  void frame(pugi::xml_node e, const Scope& s) {
    const std::string_view key = e.attribute("ID").value();
    if (blank(key)) {
      warn("FrameIdMissing", e);
      return;
    }
    const auto id = key.size() >= 4 && key.substr(0, 3) == "ID_" ? digits(key.substr(3), 0xFFFFFFFF) : std::nullopt;
    if (!id) {
      warn("FrameIdInvalid", e);
      return;
    }
    if (frame_ids_.count(static_cast<std::uint32_t>(*id))) {
      warn("FrameIdDuplicate", e);
      return;
    }
    bool valid = true;
    std::optional<std::string> app, ctx, type, info;
    pugi::xml_node app_at, ctx_at;  // where the ids are, for a warning
    args_.clear();
    for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      const Scope& in = scope_in(c, s, keep_);
      if (is(c, in, Ns::Fx, "MANUFACTURER-EXTENSION")) {
        for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
          if (m.type() != pugi::node_element) continue;
          const Scope& in2 = scope_in(m, in, keep_);
          if (is(m, in2, Ns::None, "APPLICATION_ID")) {
            app = text_of(m);
            app_at = m;
          } else if (is(m, in2, Ns::None, "CONTEXT_ID")) {
            ctx = text_of(m);
            ctx_at = m;
          } else if (is(m, in2, Ns::None, "MESSAGE_TYPE")) type = std::string(trimmed(text_of(m)));
          else if (is(m, in2, Ns::None, "MESSAGE_INFO")) info = std::string(trimmed(text_of(m)));
        }
      } else if (is(c, in, Ns::Fx, "PDU-INSTANCES")) {
        each(c, in, Ns::Fx, "PDU-INSTANCE", keep_, [&](pugi::xml_node pi, const Scope& s2) {
          each(pi, s2, Ns::Fx, "PDU-REF", keep_, [&](pugi::xml_node ref, const Scope&) {
            if (!valid) return;
            const std::string_view pdu_ref = ref.attribute("ID-REF").value();
            if (blank(pdu_ref)) {
              warn("FramePduRefIdMissing", ref);
              valid = false;
              return;
            }
            const std::uint32_t* found = pdus_.find(pdu_ref);
            if (!found) {
              warn("FramePduRefIdUnknown", ref);
              valid = false;
              return;
            }
            args_.push_back(*found);
          });
        });
      }
    }
    if (!valid) return;
    auto require = [&](const std::optional<std::string>& v, std::string_view missing) {
      if (!v) {
        warn_at_end(missing, e);
        valid = false;
      }
    };
    require(app, "FrameApplicationIdMissing");
    require(ctx, "FrameContextIdMissing");
    require(type, "FrameMessageTypeMissing");
    require(info, "FrameMessageInfoMissing");
    if (!valid) return;
    if (!dlt_id(*app)) warn("FrameApplicationIdInvalid", app_at);
    if (!dlt_id(*ctx)) warn("FrameContextIdInvalid", ctx_at);
    const std::optional<std::uint8_t> msin = message_type(*type, *info);
    if (!msin) warn_at_end("FrameMessageTypeInvalid", e);
    frame_ids_.insert(static_cast<std::uint32_t>(*id));
    ++frames_;
    builder_.add_frame(static_cast<std::uint32_t>(*id), ecu_id(), dlt::Id::from_text(*app), dlt::Id::from_text(*ctx),
                       msin.value_or(0), args_);
  }

  dlt::CatalogueBuilder& builder_;
  std::string_view parsed_;
  const Original& original_;
  std::vector<std::unique_ptr<Scope>> keep_;
  std::vector<PendingWarning> warnings_;
  std::optional<std::string_view> ecu_;
  PduIndex pdus_;
  std::unordered_set<std::uint32_t> frame_ids_;
  std::vector<std::uint32_t> args_;
  std::size_t frames_ = 0;
};

// The places of `pending`, from the document as it was; one pass over it (warnings are
// found mostly in document order).
void place_warnings(std::string_view file, std::string_view text, const std::vector<PendingWarning>& pending,
                    std::vector<Warning>& out) {
  Places places(text);
  for (const PendingWarning& p : pending) {
    const auto [line, column] = places.at(p.offset < 0 ? 0 : static_cast<std::size_t>(p.offset));
    Warning w;
    w.file = std::string(file);
    w.name = std::string(p.name);
    w.line = line;
    w.column = column;
    out.push_back(std::move(w));
  }
}

// Reads `buffer` (parsed in place) as one file; `original` gives the document as it was
// when a place must be found (a warning, a parse error).
void read_buffer(std::string_view name, char* buffer, std::size_t size, const Original& original,
                 dlt::CatalogueBuilder& builder, std::vector<Warning>& warnings) {
  pugi::xml_document doc;
  // (Offsets count from the buffer's start, a byte order mark included.)
  const pugi::xml_parse_result r = doc.load_buffer_inplace(buffer, size, kParse, pugi::encoding_utf8);
  auto fault = [&](std::ptrdiff_t offset, const std::string& what, const std::string& why) {
    const auto [line, column] =
        place(original(0, std::string_view::npos), static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0)));
    return fibex_error(std::string(name), util::printable(name) + ": " + what + " at XML Line " + std::to_string(line) +
                                              " Pos " + std::to_string(column) + " (" + why + ")");
  };
  if (!r) throw fault(r.offset, "not well-formed XML", r.description());
  // Entities a DTD declares are not expanded (nor are external ones fetched): a document
  // that has one is refused, as .NET's XML reader (DltDump's) refuses it by default.
  for (pugi::xml_node c = doc.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_doctype)
      throw fault(c.offset_debug(), "a DOCTYPE", "not allowed in a FIBEX file: its entities would not be expanded");
  builder.begin_file();
  DocumentReader reader(builder, {buffer, size}, original);
  reader.read(doc);
  if (!reader.warnings().empty())
    place_warnings(name, original(0, std::string_view::npos), reader.warnings(), warnings);
  for (const dlt::CatalogueBuilder::Duplicate& d : builder.end_file()) {
    Warning w;
    w.file = std::string(name);
    w.name = "DuplicateEntry";
    w.id = d.id;
    w.app = d.app;
    w.ctx = d.ctx;
    w.ecu = d.ecu;
    warnings.push_back(std::move(w));
  }
}

// The original of a document whose text is `whole()`, computed once when first asked.
Original cached(std::function<std::string()> whole) {
  auto text = std::make_shared<std::optional<std::string>>();
  return [text, whole = std::move(whole)](std::size_t from, std::size_t to) {
    if (!*text) *text = whole();
    const std::string& t = **text;
    return from >= t.size() ? std::string() : t.substr(from, to == std::string_view::npos ? to : to - from);
  };
}

void read_path(const std::string& path, dlt::CatalogueBuilder& builder, std::vector<Warning>& warnings) {
  XmlText text = read_xml_text(path);
  // A UTF-8 file is its own original: the parts needed are read from it again (a text in
  // pieces is a short read; a whole document only for the places of warnings).
  const Original from_file = [&path](std::size_t from, std::size_t to) {
    util::ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string part;
    if (fd.get() < 0) return part;
    if (to == std::string_view::npos) {
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0) return part;
      to = static_cast<std::size_t>(st.st_size);
    }
    part.resize(to > from ? to - from : 0);
    std::size_t got = 0;
    while (got < part.size()) {
      const ssize_t n = ::pread(fd.get(), part.data() + got, part.size() - got, static_cast<off_t>(from + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    part.resize(got);
    return part;
  };
  const Original converted = cached([&path] { return std::string(read_xml_text(path).view()); });
  read_buffer(path, text.bytes.get(), text.size, text.converted ? converted : from_file, builder, warnings);
}

bool xml_name(std::string_view n) {
  if (n.size() < 4) return false;
  std::string_view ext = n.substr(n.size() - 4);
  return ext[0] == '.' && (ext[1] | 0x20) == 'x' && (ext[2] | 0x20) == 'm' && (ext[3] | 0x20) == 'l';
}

}  // namespace

std::string Warning::text() const {
  std::string s = "[" + util::printable(file) + "] " + name + " : ";
  if (name == "DuplicateEntry") {
    s += "ID_" + std::to_string(id) + " [" + std::string(app.shown().view()) + " " + std::string(ctx.shown().view()) +
         " " + std::string(ecu.shown().view()) + "]";
  } else {
    s += "XML Line " + std::to_string(line) + " Pos " + std::to_string(column);
  }
  return s;
}

void read_document(std::string_view name, std::string_view document, dlt::CatalogueBuilder& builder,
                   std::vector<Warning>& warnings) {
  XmlText text = xml_text(name, document);
  read_buffer(name, text.bytes.get(), text.size,
              cached([name, document] { return std::string(xml_text(name, document).view()); }), builder, warnings);
}

Catalogue read_catalogue(std::span<const std::string> paths, dlt::CatalogueLookup lookup) {
  dlt::CatalogueBuilder builder(lookup);
  Catalogue result;
  // The files and directories read, by identity, and the names they were read as: one given
  // again (`-F a.xml,a.xml`, `-F dir -F dir/a.xml`) is read once, or its frames would all
  // be DuplicateEntry warnings that do not say why.
  std::vector<std::pair<util::FileIdentity, std::string>> seen;
  auto first_time = [&](const struct stat& st, const std::string& path) {
    const util::FileIdentity id{st.st_dev, st.st_ino};
    for (const auto& [known, name] : seen) {
      if (known != id) continue;
      result.notes.push_back("[" + util::printable(path) + "] given twice" +
                             (name == path ? "" : " (also as " + util::printable(name) + ")") + ": read once");
      return false;
    }
    seen.emplace_back(id, path);
    return true;
  };
  for (const std::string& path : paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw fibex_error(path, "Fibex File not Found " + util::printable(path));
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
      throw fibex_error(path, util::printable(path) + " is neither a file nor a directory");
    if (!first_time(st, path)) continue;
    if (S_ISREG(st.st_mode)) {
      read_path(path, builder, result.warnings);
      continue;
    }
    std::vector<std::pair<std::string, struct stat>> entries;
    if (DIR* d = ::opendir(path.c_str())) {
      while (const dirent* e = ::readdir(d)) {
        // Hidden files are no catalogue (an editor's `.a.xml` backup, a sync tool's copy),
        // as -R passes over them among inputs.
        if (e->d_name[0] == '.' || !xml_name(e->d_name)) continue;
        const std::string entry = path + (path.ends_with('/') ? "" : "/") + e->d_name;
        struct stat est {};
        if (::stat(entry.c_str(), &est) == 0 && S_ISREG(est.st_mode)) entries.emplace_back(entry, est);
      }
      ::closedir(d);
    } else {
      throw fibex_error(path, util::with_os_reason(util::printable(path), errno));
    }
    if (entries.empty()) throw fibex_error(path, "no *.xml file in directory " + util::printable(path));
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [entry, est] : entries)
      if (first_time(est, entry)) read_path(entry, builder, result.warnings);
  }
  result.catalogue = builder.build();
  return result;
}

}  // namespace dltdump::fibex
