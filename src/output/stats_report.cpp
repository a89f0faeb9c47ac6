#include "output/stats_report.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "dlt/record_fields.hpp"
#include "dlt/text_encoding.hpp"
#include "util/display_width.hpp"
#include "util/json_number.hpp"
#include "util/number_format.hpp"
#include "util/timestamp.hpp"
#include "util/value_text.hpp"

namespace dltdump::output {

namespace {

using Tally = StatsTally;

constexpr std::array<std::string_view, kLevelSlots> kLevelNames = {"fatal", "error",   "warn", "info",
                                                                   "debug", "verbose", "other"};
constexpr std::uint64_t kLifecyclesShown = 20;  // per ECU in the text table
constexpr std::array<std::string_view, 3> kKindNames = {"verbose", "non-verbose", "control"};

// One row per ECU, application and context, over their sessions (what the tables show).
struct ContextRow {
  std::uint32_t ecu = 0;
  dlt::Id app, ctx;
  StatsTally::Counts counts;
  std::array<std::uint64_t, kLevelSlots> levels{};
  std::uint64_t missing = 0;
};

std::string id_text(dlt::Id id) { return std::string(id.shown().view()); }

// How an input's reading ended, as the JSON report names it (docs/statistics.md).
std::string_view status_name(StatsTally::Status status) {
  switch (status) {
    case StatsTally::Status::Failed: return "failed";
    case StatsTally::Status::Stopped: return "stopped";
    case StatsTally::Status::NotRead: return "not_read";
    default: return "ok";
  }
}

// Rows sorted by ECU (first seen first), then application and context as shown (ids that
// differ only in control bytes show alike, and are one row).
std::vector<ContextRow> context_rows(const Tally& t) {
  std::vector<std::uint64_t> missing(t.contexts().size(), 0);
  for (const auto& s : t.streams()) missing[s.context] += s.counter.missing;
  std::map<std::tuple<std::uint32_t, std::string, std::string>, ContextRow> rows;
  for (std::size_t i = 0; i < t.contexts().size(); ++i) {
    const auto& c = t.contexts()[i];
    ContextRow& r = rows[{c.ecu, id_text(c.app), id_text(c.ctx)}];
    r.ecu = c.ecu;
    r.app = c.app;
    r.ctx = c.ctx;
    r.counts.messages += c.counts.messages;
    r.counts.bytes += c.counts.bytes;
    for (std::size_t l = 0; l < kLevelSlots; ++l) r.levels[l] += c.levels[l];
    r.missing += missing[i];
  }
  std::vector<ContextRow> out;
  for (auto& [k, r] : rows) out.push_back(r);
  return out;
}

// The largest gaps of all ECUs, each in its ECU's counter model, largest first.
std::vector<StatsTally::Gap> largest_gaps(const Tally& t) {
  std::vector<StatsTally::Gap> all;
  for (const auto& e : t.ecus()) all.insert(all.end(), e.largest_gaps().begin(), e.largest_gaps().end());
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.missing != b.missing) return a.missing > b.missing;
    return a.input != b.input ? a.input < b.input : a.position < b.position;
  });
  if (all.size() > t.limits().largest_gaps) all.resize(t.limits().largest_gaps);
  return all;
}

std::uint64_t total_missing(const Tally& t) {
  std::uint64_t n = 0;
  for (const auto& e : t.ecus()) n += e.missing();
  return n;
}
std::uint64_t total_gaps(const Tally& t) {
  std::uint64_t n = 0;
  for (const auto& e : t.ecus()) n += e.gaps();
  return n;
}

// Seconds between an ECU's first and last time; negative when it has no time.
double duration_s(const StatsTally::Ecu& e) {
  if (!e.first.valid) return -1;
  return static_cast<double>(e.last.us - e.first.us) / 1e6;
}

std::string fixed(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

// ---- text ----

// An aligned table: text columns left, number columns right, two spaces between.
class Table {
 public:
  explicit Table(std::vector<std::pair<std::string, bool>> header) {  // (title, right-aligned)
    std::vector<std::string> titles;
    for (auto& [title, right] : header) {
      titles.push_back(title);
      right_.push_back(right);
    }
    rows_.push_back(std::move(titles));
  }
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void write(util::TextBuffer& out) const {
    std::vector<std::size_t> width(right_.size(), 0);
    for (const auto& r : rows_)
      for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
    for (const auto& r : rows_) {
      std::string line;
      for (std::size_t i = 0; i < r.size(); ++i) {
        const std::string pad(width[i] - display_width(r[i]), ' ');
        if (i) line += "  ";
        line += right_[i] ? pad + r[i] : (i + 1 == r.size() ? r[i] : r[i] + pad);
        if (i + 1 == r.size())
          while (!line.empty() && line.back() == ' ') line.pop_back();  // an empty last cell
      }
      out.append(line);
      out.put('\n');
    }
  }

 private:
  // Terminal columns, not bytes nor characters: names may hold CJK (two columns each) and
  // combining marks (none).
  static std::size_t display_width(const std::string& s) { return util::display_width(s); }
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

class TextReport {
 public:
  TextReport(const Tally& t, util::TextBuffer& out) : t_(t), out_(out) {}

  void write() {
    inputs();
    kinds_and_types();
    skips();
    archive_skips();
    capture_losses();
    ecus();
    contexts();
    loss();
    lifecycles();
  }

 private:
  std::string time_text(util::Timestamp ts) {
    if (!ts.valid) return "-";
    char b[util::LocalTimeFormatter::kWidth];
    time_.format(ts, b);
    return std::string(b, sizeof b);
  }
  static std::string id_cell(dlt::Id id) { return id.empty() ? "-" : id_text(id); }
  std::string ecu_cell(std::uint32_t ecu) { return id_cell(t_.ecus()[ecu].id); }
  void heading(std::string_view title) {
    out_.put('\n');
    out_.append(title);
    out_.put('\n');
  }

  static std::string status_cell(const StatsTally::Input& in) {
    switch (in.status) {
      case StatsTally::Status::Failed: return "failed: " + util::printable(in.reason);
      case StatsTally::Status::Stopped: return "stopped";
      case StatsTally::Status::NotRead: return "not read";
      default: return "ok";
    }
  }

  void inputs() {
    Table table({{"input", false},
                 {"messages", true},
                 {"bytes", true},
                 {"skipped", true},
                 {"skipped bytes", true},
                 {"status", false}});
    std::uint64_t skipped = 0, skipped_bytes = 0;
    for (const auto& in : t_.inputs()) {
      table.row({util::printable(in.name), std::to_string(in.counts.messages), std::to_string(in.counts.bytes),
                 std::to_string(in.skipped_regions), std::to_string(in.skipped_bytes), status_cell(in)});
      skipped += in.skipped_regions;
      skipped_bytes += in.skipped_bytes;
    }
    if (t_.inputs().size() > 1)
      table.row({"all", std::to_string(t_.total().messages), std::to_string(t_.total().bytes), std::to_string(skipped),
                 std::to_string(skipped_bytes), ""});
    table.write(out_);
    if (t_.stopped()) out_.append("(stopped by a signal: this report covers the messages decoded before the stop)\n");
  }

  void kinds_and_types() {
    heading("Kinds and types");
    Table table({{"kind or type", false}, {"messages", true}});
    for (std::size_t k = 0; k < 3; ++k)
      if (t_.kinds()[k]) table.row({std::string(kKindNames[k]), std::to_string(t_.kinds()[k])});
    for (std::size_t slot = 0; slot < kTypeSlots; ++slot) {
      if (!t_.types()[slot]) continue;
      std::string name = slot == kNoTypeSlot ? "(no type)" : std::string(dlt::type_text(slot / 16, slot % 16));
      if (slot != kNoTypeSlot && name.back() == ' ') name += "(type info " + std::to_string(slot % 16) + ")";
      table.row({"  " + name, std::to_string(t_.types()[slot])});
    }
    table.write(out_);
  }

  void skips() {
    if (t_.skips().empty()) return;
    heading("Skipped regions");
    Table table({{"reason", false}, {"regions", true}, {"bytes", true}});
    for (const auto& s : t_.skips())
      table.row({std::string(s.reason), std::to_string(s.regions), std::to_string(s.bytes)});
    table.write(out_);
  }

  // Per archive, how many members it skipped and what they held; then those members by name.
  void archive_skips() {
    if (t_.archive_skips().empty()) return;
    heading("Skipped archive members");
    Table archives({{"archive", false}, {"skipped", true}, {"what they held", false}});
    for (const auto& a : t_.archive_skips()) {
      std::string held;
      for (const auto& [reason, members] : a.skipped.reasons)
        held += (held.empty() ? "" : ", ") + std::to_string(members) + " " + reason;
      archives.row({util::printable(a.archive), std::to_string(a.members), held});
    }
    archives.write(out_);
    out_.put('\n');
    Table members({{"member", false}, {"held", false}});
    for (const auto& a : t_.archive_skips())
      for (const auto& [member, reason] : a.skipped.listed) members.row({util::printable(member), reason});
    members.write(out_);
    for (const auto& a : t_.archive_skips())
      if (a.skipped.not_listed)
        out_.append("(" + std::to_string(a.skipped.not_listed) + " more skipped members of " +
                    util::printable(a.archive) + " not listed)\n");
  }

  void capture_losses() {
    if (t_.capture_flows().empty()) return;
    heading("Capture losses (TCP streams)");
    Table table({{"input", false},
                 {"flow", false},
                 {"missing bytes", true},
                 {"gaps", true},
                 {"retransmitted", true},
                 {"conflicting", true},
                 {"outside window", true},
                 {"jumps", true}});
    for (const auto& f : t_.capture_flows())
      table.row({util::printable(t_.capture_of(f)), f.loss.name, std::to_string(f.loss.missing),
                 std::to_string(f.loss.gaps), std::to_string(f.loss.retransmitted), std::to_string(f.loss.conflicts),
                 std::to_string(f.loss.out_of_window), std::to_string(f.loss.resyncs)});
    table.write(out_);
    if (t_.capture_flows_not_listed())
      out_.append("(" + std::to_string(t_.capture_flows_not_listed()) + " more flows with losses not listed)\n");
  }

  // Two tables, so that each fits 80 columns: counts and loss, then times.
  void ecus() {
    if (t_.ecus().empty()) return;
    heading("ECUs");
    const bool loss = t_.count_loss();
    Table counts({{"ECU", false},
                  {"messages", true},
                  {"bytes", true},
                  {"lifecycles", true},
                  {"missing", true},
                  {"gaps", true},
                  {"counted per", false}});
    for (const auto& e : t_.ecus())
      counts.row({id_cell(e.id), std::to_string(e.counts.messages), std::to_string(e.counts.bytes),
                  std::to_string(e.lifecycles), loss ? std::to_string(e.missing()) : "-",
                  loss ? std::to_string(e.gaps()) : "-",
                  !loss                            ? "-"
                  : e.model() == CounterModel::Ecu ? "ECU"
                                                   : "context"});
    counts.write(out_);
    if (t_.folded().messages)
      out_.append("(" + std::to_string(t_.folded().messages) + " messages of streams beyond the first " +
                  std::to_string(t_.limits().max_streams) + " are in these rows, not in the contexts below)\n");
    heading("ECU times");
    Table times({{"ECU", false}, {"first", false}, {"last", false}, {"seconds", true}, {"msg/s", true}});
    for (const auto& e : t_.ecus()) {
      const double d = duration_s(e);
      times.row({id_cell(e.id), time_text(e.first), time_text(e.last), d < 0 ? "-" : fixed(d, 3),
                 d > 0 ? fixed(static_cast<double>(e.counts.messages) / d, 1) : "-"});
    }
    times.write(out_);
  }

  void contexts() {
    if (t_.streams().empty()) return;
    heading("Applications and contexts");
    std::vector<std::pair<std::string, bool>> header = {
        {"ECU", false}, {"APP", false}, {"CTX", false}, {"messages", true}, {"bytes", true}};
    for (auto name : kLevelNames) header.emplace_back(std::string(name), true);
    header.emplace_back("missing", true);
    Table table(std::move(header));
    for (const auto& r : context_rows(t_)) {
      std::vector<std::string> cells = {ecu_cell(r.ecu), id_cell(r.app), id_cell(r.ctx),
                                        std::to_string(r.counts.messages), std::to_string(r.counts.bytes)};
      for (auto n : r.levels) cells.push_back(std::to_string(n));
      const bool per_context = t_.count_loss() && t_.ecus()[r.ecu].model() == CounterModel::Stream;
      cells.push_back(per_context ? std::to_string(r.missing) : "-");
      table.row(std::move(cells));
    }
    table.write(out_);
  }

  void loss() {
    heading("Loss");
    if (!t_.count_loss()) {
      out_.append("not counted: " + std::string(t_.loss_not_counted_because()) + "\n");
      return;
    }
    out_.append(std::to_string(total_missing(t_)) + " messages missing in " + std::to_string(total_gaps(t_)) +
                " gaps of the message counters\n");
    const auto gaps = largest_gaps(t_);
    if (gaps.empty()) return;
    Table table({{"missing", true},
                 {"ECU", false},
                 {"APP", false},
                 {"CTX", false},
                 {"session", true},
                 {"counter", false},
                 {"input", false},
                 {"position", true},
                 {"time", false}});
    for (const auto& g : gaps) {
      const auto& s = t_.streams()[g.stream];
      table.row({std::to_string(g.missing), ecu_cell(t_.ecu_of(s)), id_cell(s.app()), id_cell(s.ctx()),
                 s.has_session ? std::to_string(static_cast<std::int32_t>(s.session())) : "-",
                 std::to_string(g.counter_before) + "->" + std::to_string(g.counter_after),
                 util::printable(g.input_name(t_)), std::to_string(g.position), time_text(g.time)});
    }
    table.write(out_);
  }

  void lifecycles() {
    const auto all = t_.lifecycles();
    if (all.empty()) return;
    heading("Lifecycles");
    Table table({{"ECU", false}, {"#", true}, {"start", false}, {"device time", true}, {"messages", true}});
    // A table for people: an ECU's first lifecycles (random device times would list one
    // per few messages); JSON lists them all.
    std::uint64_t not_shown = t_.lifecycles_not_listed(), shown_of_ecu = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
      const auto& [ecu, lc] = all[i];
      shown_of_ecu = i > 0 && all[i - 1].first == ecu ? shown_of_ecu + 1 : 1;
      if (shown_of_ecu > kLifecyclesShown) {
        ++not_shown;
        continue;
      }
      table.row({ecu_cell(ecu), std::to_string(lc.index), time_text(lc.start_time),
                 lc.has_device_time ? util::device_time_text(lc.start_device_time) : "-", std::to_string(lc.messages)});
    }
    table.write(out_);
    if (not_shown)
      out_.append("(" + std::to_string(not_shown) + " more lifecycles not shown; --stats=json lists up to " +
                  std::to_string(t_.limits().max_lifecycles) + ")\n");
    if (t_.lifecycle_limit_reached())
      out_.append("(" + dlt::lifecycle_limit_note(t_.limits().max_lifecycle_changes) + ")\n");
  }

  const Tally& t_;
  util::TextBuffer& out_;
  util::LocalTimeFormatter time_;
};

// ---- JSON ----

class JsonReport {
 public:
  JsonReport(const Tally& t, util::TextBuffer& out) : t_(t), out_(out) {}

  void write() {
    out_.append("{\"stats_version\":");
    util::append_int(out_, kStatsVersion);
    field("messages", t_.total().messages);
    field("bytes", t_.total().bytes);
    key("stopped");
    out_.append(t_.stopped() ? "true" : "false");
    inputs();
    kinds_and_types();
    skips();
    archive_skips();
    capture_losses();
    ecus();
    contexts();
    loss();
    lifecycles();
    out_.append(",\"folded\":{\"streams_limit\":");
    util::append_int(out_, t_.limits().max_streams);
    counts(t_.folded());
    out_.append("}}\n");
  }

 private:
  void key(std::string_view k) {
    out_.append(",\"");
    out_.append(k);
    out_.append("\":");
  }
  void field(std::string_view k, std::uint64_t v) {
    key(k);
    util::append_int(out_, v);
  }
  void counts(const StatsTally::Counts& c) {
    field("messages", c.messages);
    field("bytes", c.bytes);
  }
  // `v`, or null where the loss is not counted.
  void loss_field(std::string_view k, std::uint64_t v) {
    key(k);
    if (t_.count_loss()) util::append_int(out_, v);
    else out_.append("null");
  }
  void id(std::string_view k, dlt::Id v) {
    key(k);
    char* p = out_.reserve(10);
    out_.advance(static_cast<std::size_t>(dlt::put_quoted_id<dlt::Quoting::Json>(p, v) - p));
  }
  void name(std::string_view k, std::string_view v) {
    key(k);
    out_.put('"');
    dlt::append_json_printable(out_, util::printable_in_json(v));
    out_.put('"');
  }
  void time(std::string_view k, util::Timestamp ts) {
    key(k);
    if (!ts.valid) {
      out_.append("null");
      key(std::string(k) + "_us");
      out_.append("null");
      return;
    }
    out_.put('"');
    char* p = out_.reserve(util::UtcTimeFormatter::kWidth);
    time_.format(ts, p);
    out_.advance(util::UtcTimeFormatter::kWidth);
    out_.put('"');
    key(std::string(k) + "_us");
    util::append_int(out_, ts.us);
  }
  // `,"k":` then the elements `each(i)` writes, comma-separated, in brackets.
  template <class Each>
  void array(std::string_view k, std::size_t n, Each each) {
    key(k);
    out_.put('[');
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out_.put(',');
      out_.put('{');
      const std::size_t at = out_.size();
      each(i);
      // Each element's first field was written with a leading comma: drop it.
      std::string rest(out_.view().substr(at + 1));
      out_.truncate(at);
      out_.append(rest);
      out_.put('}');
    }
    out_.put(']');
  }

  void inputs() {
    array("inputs", t_.inputs().size(), [&](std::size_t i) {
      const auto& in = t_.inputs()[i];
      name("input", in.name);
      counts(in.counts);
      field("skipped_regions", in.skipped_regions);
      field("skipped_bytes", in.skipped_bytes);
      key("status");
      out_.put('"');
      out_.append(status_name(in.status));
      out_.put('"');
      if (in.status == StatsTally::Status::Failed) {
        name("reason", in.reason);
      } else {
        key("reason");
        out_.append("null");
      }
    });
  }

  void kinds_and_types() {
    key("kinds");
    out_.put('{');
    for (std::size_t k = 0; k < 3; ++k) {
      if (k) out_.put(',');
      out_.put('"');
      out_.append(kKindNames[k]);
      out_.append("\":");
      util::append_int(out_, t_.kinds()[k]);
    }
    out_.put('}');
    std::vector<std::size_t> slots;
    for (std::size_t s = 0; s < kTypeSlots; ++s)
      if (t_.types()[s]) slots.push_back(s);
    array("types", slots.size(), [&](std::size_t i) {
      const std::size_t s = slots[i];
      if (s == kNoTypeSlot) {
        out_.append(",\"type\":null,\"subtype\":null,\"mstp\":null,\"mtin\":null");
      } else {
        const std::string_view text = dlt::type_text(s / 16, s % 16);
        const std::size_t space = text.find(' ');
        out_.append(",\"type\":\"");
        out_.append(text.substr(0, space));
        out_.append("\",\"subtype\":");
        if (space + 1 < text.size()) {
          out_.put('"');
          out_.append(text.substr(space + 1));
          out_.put('"');
        } else {
          out_.append("null");
        }
        field("mstp", s / 16);
        field("mtin", s % 16);
      }
      field("messages", t_.types()[s]);
    });
  }

  void skips() {
    std::uint64_t regions = 0, bytes = 0;
    for (const auto& s : t_.skips()) {
      regions += s.regions;
      bytes += s.bytes;
    }
    key("skipped");
    out_.append("{\"regions\":");
    util::append_int(out_, regions);
    field("bytes", bytes);
    array("reasons", t_.skips().size(), [&](std::size_t i) {
      const auto& s = t_.skips()[i];
      name("reason", s.reason);
      field("regions", s.regions);
      field("bytes", s.bytes);
    });
    out_.put('}');
  }

  // Only when an archive skipped members (a field added within version 1).
  void archive_skips() {
    if (t_.archive_skips().empty()) return;
    std::uint64_t all = 0;
    for (const auto& a : t_.archive_skips()) all += a.members;
    key("skipped_members");
    out_.append("{\"members\":");
    util::append_int(out_, all);
    array("archives", t_.archive_skips().size(), [&](std::size_t i) {
      const auto& a = t_.archive_skips()[i];
      name("input", a.archive);
      field("members", a.members);
      array("reasons", a.skipped.reasons.size(), [&](std::size_t r) {
        name("reason", a.skipped.reasons[r].first);
        field("members", a.skipped.reasons[r].second);
      });
      array("listed", a.skipped.listed.size(), [&](std::size_t m) {
        name("member", a.skipped.listed[m].first);
        name("reason", a.skipped.listed[m].second);
      });
      field("not_listed", a.skipped.not_listed);
    });
    out_.put('}');
  }

  // Only when a capture lost bytes of a TCP stream (a field added within version 1).
  void capture_losses() {
    if (t_.capture_flows().empty()) return;
    key("capture_losses");
    out_.append("{\"not_listed\":");
    util::append_int(out_, t_.capture_flows_not_listed());
    array("flows", t_.capture_flows().size(), [&](std::size_t i) {
      const auto& f = t_.capture_flows()[i];
      name("input", t_.capture_of(f));
      name("flow", f.loss.name);
      field("missing_bytes", f.loss.missing);
      field("gaps", f.loss.gaps);
      field("retransmitted_bytes", f.loss.retransmitted);
      field("conflicting_bytes", f.loss.conflicts);
      field("outside_window_bytes", f.loss.out_of_window);
      field("jumps", f.loss.resyncs);
    });
    out_.put('}');
  }

  void ecus() {
    array("ecus", t_.ecus().size(), [&](std::size_t i) {
      const auto& e = t_.ecus()[i];
      id("ecu", e.id);
      counts(e.counts);
      time("first_time", e.first);
      time("last_time", e.last);
      const double d = duration_s(e);
      key("duration_s");
      if (d < 0) out_.append("null");
      else util::append_json_float(out_, d);
      key("rate_per_s");
      if (d > 0) util::append_json_float(out_, static_cast<double>(e.counts.messages) / d);
      else out_.append("null");
      field("lifecycles", e.lifecycles);
      key("counted_per");
      out_.append(!t_.count_loss() ? "null" : e.model() == CounterModel::Ecu ? "\"ecu\"" : "\"context\"");
      loss_field("missing", e.missing());
      loss_field("gaps", e.gaps());
    });
  }

  void contexts() {
    const auto rows = context_rows(t_);
    array("contexts", rows.size(), [&](std::size_t i) {
      const auto& r = rows[i];
      id("ecu", t_.ecus()[r.ecu].id);
      id("app", r.app);
      id("ctx", r.ctx);
      counts(r.counts);
      key("levels");
      out_.put('{');
      for (std::size_t l = 0; l < kLevelSlots; ++l) {
        if (l) out_.put(',');
        out_.put('"');
        out_.append(kLevelNames[l]);
        out_.append("\":");
        util::append_int(out_, r.levels[l]);
      }
      out_.put('}');
      key("missing");
      if (t_.count_loss() && t_.ecus()[r.ecu].model() == CounterModel::Stream) util::append_int(out_, r.missing);
      else out_.append("null");
    });
  }

  void stream_ids(const StatsTally::Stream& s) {
    id("ecu", t_.ecus()[t_.ecu_of(s)].id);
    id("app", s.app());
    id("ctx", s.ctx());
    key("session");
    if (s.has_session) util::append_int(out_, static_cast<std::int32_t>(s.session()));
    else out_.append("null");
  }

  void loss() {
    key("loss");
    out_.append("{\"counted\":");
    out_.append(t_.count_loss() ? "true" : "false");
    key("reason");
    if (t_.count_loss()) {
      out_.append("null");
    } else {
      out_.put('"');
      out_.append(t_.loss_not_counted_because());
      out_.put('"');
    }
    loss_field("missing", total_missing(t_));
    loss_field("gaps", total_gaps(t_));
    const auto gaps = t_.count_loss() ? largest_gaps(t_) : std::vector<StatsTally::Gap>{};
    array("largest_gaps", gaps.size(), [&](std::size_t i) {
      const auto& g = gaps[i];
      field("missing", g.missing);
      stream_ids(t_.streams()[g.stream]);
      field("counter_before", g.counter_before);
      field("counter_after", g.counter_after);
      name("input", g.input_name(t_));
      field("position", g.position);
      time("time", g.time);
    });
    // Streams whose counters show something, in the ECUs counted per context.
    std::vector<std::size_t> shown;
    if (t_.count_loss())
      for (std::size_t i = 0; i < t_.streams().size(); ++i) {
        const auto& s = t_.streams()[i];
        if ((s.counter.gaps || s.counter.repeats || s.counter.late) &&
            t_.ecus()[t_.ecu_of(s)].model() == CounterModel::Stream)
          shown.push_back(i);
      }
    array("streams", shown.size(), [&](std::size_t i) {
      const auto& s = t_.streams()[shown[i]];
      stream_ids(s);
      field("messages", s.messages);
      field("missing", s.counter.missing);
      field("gaps", s.counter.gaps);
      field("repeats", s.counter.repeats);
      field("late", s.counter.late);
    });
    out_.put('}');
  }

  void lifecycles() {
    const auto all = t_.lifecycles();
    array("lifecycles", all.size(), [&](std::size_t i) {
      const auto& [ecu, lc] = all[i];
      id("ecu", t_.ecus()[ecu].id);
      field("index", lc.index);
      time("start_time", lc.start_time);
      key("start_device_time");
      if (lc.has_device_time) out_.append(util::device_time_text(lc.start_device_time));
      else out_.append("null");
      field("messages", lc.messages);
    });
    field("lifecycles_not_listed", t_.lifecycles_not_listed());
    key("lifecycle_changes_limit");
    out_.append("{\"changes\":");
    util::append_int(out_, t_.limits().max_lifecycle_changes);
    out_.append(t_.lifecycle_limit_reached() ? ",\"reached\":true}" : ",\"reached\":false}");
  }

  const Tally& t_;
  util::TextBuffer& out_;
  util::UtcTimeFormatter time_;
};

}  // namespace

void write_stats_report(const StatsTally& tally, StatsFormat format, util::TextBuffer& out) {
  if (format == StatsFormat::Json) JsonReport(tally, out).write();
  else TextReport(tally, out).write();
}

}  // namespace dltdump::output
