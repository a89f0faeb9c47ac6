#include "fibex/xml_text.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "fibex/xml_wellformed.hpp"
#include "util/ascii.hpp"
#include "util/scoped_fd.hpp"
#include "util/value_text.hpp"

namespace dltdump::fibex {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string at_place(std::string_view text, std::size_t offset) {
  const auto [line, column] = place(text, offset);
  return "XML Line " + std::to_string(line) + " Pos " + std::to_string(column);
}

// The encoding the first bytes show (byte order mark or the UTF-16/32 form of "<"), else
// the one the declaration names; nullopt: UTF-8.
std::optional<std::string> encoding_of(std::string_view head) {
  auto starts = [&](std::string_view p) { return head.substr(0, p.size()) == p; };
  using namespace std::string_view_literals;
  if (starts(kBom)) return std::nullopt;
  if (starts("\xFF\xFE\0\0"sv) || starts("<\0\0\0"sv)) return "UTF-32LE";
  if (starts("\0\0\xFE\xFF"sv) || starts("\0\0\0<"sv)) return "UTF-32BE";
  if (starts("\xFF\xFE"sv) || starts("<\0"sv)) return "UTF-16LE";
  if (starts("\xFE\xFF"sv) || starts("\0<"sv)) return "UTF-16BE";
  if (!starts("<?xml")) return std::nullopt;
  const std::string_view decl = head.substr(0, head.find("?>"));
  const std::size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = decl.find_first_of("\"'", at);
  if (i == std::string_view::npos) return std::nullopt;
  const std::size_t end = decl.find(decl[i], i + 1);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string name(decl.substr(i + 1, end - i - 1));
  const std::string lower = util::ascii_lower(name);
  if (lower == "utf-8" || lower == "utf8") return std::nullopt;
  return name;
}

// `raw` converted from `encoding` to UTF-8.
XmlText convert(std::string_view name, std::string_view raw, const std::string& encoding) {
  iconv_t cd = ::iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw fibex_error(std::string(name), util::printable(name) + ": encoding " + util::quoted(encoding) +
                                             " is not known (declare UTF-8, or one iconv knows)");
  std::string out(raw.size() + raw.size() / 2 + 16, '\0');
  auto* in = const_cast<char*>(raw.data());  // NOLINT(cppcoreguidelines-pro-type-const-cast): iconv's signature
  std::size_t in_left = raw.size(), done = 0;
  for (;;) {
    char* o = out.data() + done;
    std::size_t o_left = out.size() - done;
    const std::size_t r = ::iconv(cd, &in, &in_left, &o, &o_left);
    done = out.size() - o_left;
    if (r != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    ::iconv_close(cd);
    const std::string_view text(out.data(), done);
    throw fibex_error(std::string(name), util::printable(name) + ": not " + util::printable(encoding) + " text at " +
                                             at_place(text, done) + " (byte offset " +
                                             std::to_string(raw.size() - in_left) + ")");
  }
  ::iconv_close(cd);
  XmlText t;
  t.size = done;
  t.bytes = std::make_unique_for_overwrite<char[]>(done + 1);
  std::memcpy(t.bytes.get(), out.data(), done);
  return t;
}

// Refuses a UTF-8 text no XML reader takes, naming the place.
void check(std::string_view name, std::string_view text) {
  const std::size_t bom = text.starts_with(kBom) ? kBom.size() : 0;
  const std::size_t first = text.find_first_not_of(" \t\r\n", bom);
  if (first != std::string_view::npos && text[first] != '<')
    throw fibex_error(std::string(name), util::printable(name) + ": not XML (" + at_place(text, first) +
                                             " holds no '<': a FIBEX file starts with '<?xml' or an element)");
  // Controls (a NUL among them), references and UTF-8, in one pass: pugixml lets the
  // first two through.
  const auto fault = first_character_fault(text);
  if (!fault) return;
  const std::string at = at_place(text, fault->offset);
  if (fault->not_utf8)
    throw fibex_error(std::string(name), util::printable(name) + ": not UTF-8 at " + at +
                                             " (declare the file's encoding, e.g. encoding=\"ISO-8859-1\")");
  if (text[fault->offset] == '\0')
    throw fibex_error(std::string(name), util::printable(name) + ": a NUL byte at " + at + " (not allowed in XML)");
  throw fibex_error(std::string(name),
                    util::printable(name) + ": not well-formed XML at " + at + " (" + fault->reason + ")");
}

XmlText from_bytes(std::string_view name, std::unique_ptr<char[]> bytes, std::size_t size) {
  const std::string_view raw(bytes.get(), size);
  if (const auto encoding = encoding_of(raw.substr(0, 1024))) {
    XmlText t = convert(name, raw, *encoding);
    t.converted = true;
    check(name, t.view());
    return t;
  }
  check(name, raw);
  return {std::move(bytes), size, false};
}

}  // namespace

util::Error fibex_error(const std::string& name, const std::string& what) {
  return util::Error(util::ExitCode::FibexError, util::Culprit::Fibex, name,
                     "Problem when loading FIBEX files: " + what);
}

Places::Places(std::string_view text) : text_(text), offset_(text.starts_with(kBom) ? kBom.size() : 0) {}

std::pair<std::size_t, std::size_t> Places::at(std::size_t offset) {
  offset = std::min(offset, text_.size());
  if (offset < offset_) *this = Places(text_);
  for (std::size_t& i = offset_; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text_[i]);
    if (c == '\n' || (c == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n'))) {
      ++line_;
      column_ = 1;
    } else if (c != '\r' && (c & 0xC0) != 0x80) {
      ++column_;
    }
  }
  return {line_, column_};
}

std::pair<std::size_t, std::size_t> place(std::string_view text, std::size_t offset) { return Places(text).at(offset); }

XmlText read_xml_text(const std::string& path) {
  util::ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw fibex_error(path, util::with_os_reason(util::printable(path), errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw fibex_error(path, util::with_os_reason(util::printable(path), errno));
  std::size_t size = static_cast<std::size_t>(st.st_size);
  auto bytes = std::make_unique_for_overwrite<char[]>(size + 1);
  std::size_t got = 0;
  // The head first: a file that is no XML text is refused before the rest is read.
  const std::size_t head = std::min<std::size_t>(size, 4096);
  while (got < size) {
    const std::size_t want = got < head ? head - got : size - got;
    const ssize_t n = ::read(fd.get(), bytes.get() + got, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fibex_error(path, util::with_os_reason(util::printable(path), errno));
    if (n == 0) break;  // shrank meanwhile: what is there
    got += static_cast<std::size_t>(n);
    if (got == head && head < size) {
      const std::string_view h(bytes.get(), head);
      if (!encoding_of(h)) check(path, h.substr(0, h.find_last_of('\n') == std::string_view::npos ? 0 : h.size()));
    }
  }
  return from_bytes(path, std::move(bytes), got);
}

XmlText xml_text(std::string_view name, std::string_view document) {
  auto bytes = std::make_unique_for_overwrite<char[]>(document.size() + 1);
  if (!document.empty()) std::memcpy(bytes.get(), document.data(), document.size());
  return from_bytes(name, std::move(bytes), document.size());
}

}  // namespace dltdump::fibex
