#include "cli/man_page.hpp"

#include "cli/help.hpp"
#include "cli/option_table.hpp"
#include "util/version.hpp"

namespace dltdump::cli {

std::string roff_text(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 16);
  for (const char c : text) {
    if (c == '\\') s += "\\e";
    else if (c == '-') s += "\\-";  // a hyphen-minus that copies and searches as one
    else s += c;
  }
  if (!s.empty() && (s.front() == '.' || s.front() == '\'')) s.insert(0, "\\&");
  return s;
}

namespace {

// `\fB-o\fR, \fB\-\-output\fR=\fIfile\fR`: the option's names in bold, its value in italics.
std::string man_synopsis(const OptionEntry& e) {
  std::string s;
  for (const char c : e.short_names) s += "\\fB\\-" + roff_text(std::string_view(&c, 1)) + "\\fR, ";
  s += "\\fB\\-\\-" + roff_text(e.long_name) + "\\fR";
  const std::string value = "\\fI" + roff_text(e.value_name) + "\\fR";
  if (e.arity == Arity::Optional) s += "[=" + value + "]";
  else if (e.arity != Arity::Flag) s += "=" + value;
  return s;
}

void append_options(std::string& s, OptionSection section) {
  const auto table = option_table();
  for (std::size_t i = 0; i < table.size(); ++i) {
    const OptionEntry& first = table[i];
    if (first.section != section) continue;
    s += ".TP\n" + man_synopsis(first);
    while (i + 1 < table.size() && table[i + 1].shares_help) s += ", " + man_synopsis(table[++i]);
    s += "\n" + roff_text(first.help) + "\n";
    if (!first.details.empty()) {
      s += ".RS\n";
      for (const std::string_view detail : first.details) s += ".IP \\(bu 2\n" + roff_text(detail) + "\n";
      s += ".RE\n";
    }
  }
}

// Environment variables dltdump reads.
constexpr HelpItem kEnvironment[] = {
    {"TZ", "The time zone of the time column (local time)."},
    {"COLUMNS", "The width the help is wrapped to (else the terminal's, else 80)."},
    {"NO_COLOR", "When set and not empty, --color=auto colours nothing (https://no-color.org)."},
    {"TERM", "When dumb, --color=auto colours nothing."},
};

constexpr HelpItem kExamples[] = {
    {"dltdump trip.dlt", "Print every message of a DLT file as a line."},
    {"dltdump --appid=NAV --type=error,fatal -o nav.dlt trip.dlt drive.pcapng",
     "Write the navigation errors of a DLT file and a capture to a DLT file."},
    {"dltdump -s timeout -B 5 trip.dlt", "Lines that hold the text timeout, each with the five lines before it."},
    {"dltdump --out=json trip.dlt | jq .text", "JSON Lines, one record per message."},
    {"dltdump --stats trip.dlt", "A report: messages per ECU, application and context, losses, restarts."},
    {"dltdump -F ecu1.xml trip.dlt", "Decode non-verbose messages with a FIBEX catalogue."},
    {"dltdump -o 'rec_%CTR%.dlt' --split=100M tcp://192.168.1.10", "Record an ECU into files of 100 MiB."},
};

void append_items(std::string& s, std::span<const HelpItem> items) {
  for (const HelpItem& item : items) s += ".TP\n\\fB" + roff_text(item.term) + "\\fR\n" + roff_text(item.text) + "\n";
}

}  // namespace

std::string man_page() {
  std::string s;
  s += ".\\\" Made by dltdump --generate=man from its option table; do not edit.\n";
  s += std::string(".TH DLTDUMP 1 \"\" \"dltdump ") + kVersion + "\" \"User Commands\"\n";
  s += ".SH NAME\ndltdump \\- decode AUTOSAR DLT logs, recordings and captures\n";
  s += ".SH SYNOPSIS\n.B dltdump\n[\\fIoptions\\fR] \\fIinput\\fR...\n";
  s += ".SH DESCRIPTION\n" + roff_text(kDescription) + "\n";
  s += ".PP\nThe lines go to standard output (or the output file); every diagnostic is one line on standard "
       "error.\n";
  for (const OptionSectionInfo& section : option_sections()) {
    const bool first = section.id == option_sections().front().id;
    s += first ? ".SH OPTIONS\n" : "";
    s += ".SS \"" + roff_text(section.title) + "\"\n";
    append_options(s, section.id);
    if (!section.note.empty()) s += ".PP\n" + roff_text(section.note) + "\n";
  }
  for (const HelpTopic& topic : help_topics()) {
    std::string title(topic.title);
    for (char& c : title) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (title == "EXIT CODES") title = "EXIT STATUS";  // man-pages(7)'s name for it
    s += ".SH \"" + roff_text(title) + "\"\n";
    append_items(s, topic.items);
  }
  s += ".SH ENVIRONMENT\n";
  append_items(s, kEnvironment);
  s += ".SH EXAMPLES\n";
  append_items(s, kExamples);
  s += ".SH \"SEE ALSO\"\n\\fBdlt\\-convert\\fR(1), \\fBdlt\\-receive\\fR(1), \\fBdlt\\-viewer\\fR(1), "
       "\\fBtshark\\fR(1), \\fBjq\\fR(1)\n";
  s += ".PP\nThe manual, manual.md, describes every option, output and message in full; it is installed with "
       "the other documents (the fields of JSON records and of the statistics report, their schemas, sorting, "
       "the library) in the documentation folder, share/doc/dltdump under the installation prefix "
       "(/usr/share/doc/dltdump from the package; docs/ in the sources).\n";
  return s;
}

}  // namespace dltdump::cli
