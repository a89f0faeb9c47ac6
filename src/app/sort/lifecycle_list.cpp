#include "app/sort/lifecycle_list.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dlt/record_fields.hpp"
#include "util/number_format.hpp"
#include "util/text_buffer.hpp"
#include "util/timestamp.hpp"

namespace dltdump::app {

namespace {

using Style = dlt::LineFormatter::Style;

std::string local_time_text(std::int64_t us) {
  if (us == kNoKey) return "-";
  char text[util::LocalTimeFormatter::kWidth];
  util::LocalTimeFormatter().format({us, true}, text);
  return {text, sizeof text};
}

std::string device_time_text(const LifecycleInfo& l, std::uint32_t t) {
  return l.facts.has_device_time ? util::device_time_text(t) : "-";
}

// The text table: each column as wide as its widest cell.
std::string table_of(const LifecycleTable& table) {
  std::vector<std::array<std::string, 7>> rows;
  rows.push_back({"LIFECYCLE", "ECU", "START", "END", "UPTIME FROM", "TO", "MESSAGES"});
  for (const LifecycleInfo* l : table.by_number())
    rows.push_back({std::to_string(l->number), l->ecu.empty() ? "-" : std::string(l->ecu.shown().view()),
                    local_time_text(l->start_us()), local_time_text(l->end_us()),
                    device_time_text(*l, l->facts.min_device_time), device_time_text(*l, l->facts.max_device_time),
                    std::to_string(l->messages)});
  std::array<std::size_t, 7> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) out.append(width[c] - row[c].size() + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

// One record's fields, for JSON (`json`) or CSV: keys before the values for JSON, none for
// CSV (its header names them); `null` or nothing for what is not known.
class RecordFields {
 public:
  RecordFields(util::TextBuffer& out, bool json) : out_(out), json_(json) {}

  void number(std::string_view key, std::uint64_t v) {
    begin(key);
    util::append_int(out_, v);
  }
  void ecu(const dlt::Id& id) {
    begin("ecu");
    if (id.empty()) return none();
    char* p = out_.reserve(10);
    out_.advance(static_cast<std::size_t>(
        (json_ ? dlt::put_quoted_id<dlt::Quoting::Json>(p, id) : dlt::put_quoted_id<dlt::Quoting::Csv>(p, id)) - p));
  }
  // `key` as RFC 3339 UTC, and for JSON `key`_us the microseconds too.
  void time(std::string_view key, std::int64_t us) {
    begin(key);
    if (us == kNoKey) {
      none();
    } else {
      if (json_) out_.put('"');
      char* p = out_.reserve(util::UtcTimeFormatter::kWidth);
      time_.format({us, true}, p);
      out_.advance(util::UtcTimeFormatter::kWidth);
      if (json_) out_.put('"');
    }
    if (!json_) return;
    begin(std::string(key) + "_us");
    if (us == kNoKey) none();
    else util::append_int(out_, us);
  }
  void uptime(std::string_view key, const LifecycleInfo& l, std::uint32_t t) {
    begin(key);
    if (l.facts.has_device_time) out_.append(util::device_time_text(t));
    else none();
  }
  void end() {
    out_.append(json_ ? "}\n" : "\n");
    first_ = true;
  }

 private:
  void begin(std::string_view key) {
    if (json_) {
      out_.append(first_ ? "{\"" : ",\"");
      out_.append(key);
      out_.append("\":");
    } else if (!first_) {
      out_.put(',');
    }
    first_ = false;
  }
  void none() {
    if (json_) out_.append("null");
  }

  util::TextBuffer& out_;
  bool json_;
  bool first_ = true;
  util::UtcTimeFormatter time_;
};

}  // namespace

std::string lifecycle_list(const LifecycleTable& table, Style style) {
  if (style == Style::Text) return table_of(table);
  const bool json = style == Style::Json;
  util::TextBuffer out;
  if (!json) out.append("lifecycle,ecu,start,end,uptime_from,uptime_to,messages\n");
  RecordFields f(out, json);
  for (const LifecycleInfo* l : table.by_number()) {
    f.number("lifecycle", l->number);
    f.ecu(l->ecu);
    f.time("start", l->start_us());
    f.time("end", l->end_us());
    f.uptime("uptime_from", *l, l->facts.min_device_time);
    f.uptime("uptime_to", *l, l->facts.max_device_time);
    f.number("messages", l->messages);
    f.end();
  }
  return std::string(out.view());
}

}  // namespace dltdump::app
