#include "cli/command_line.hpp"

#include <algorithm>
#include <cctype>

#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/value_text.hpp"

namespace dltdump::cli {

namespace {

using util::ascii_lower;

const OptionEntry* find_long(std::span<const OptionEntry> table, std::string_view name) {
  std::string key = ascii_lower(name);
  for (const auto& e : table)
    if (e.long_name == key) return &e;
  return nullptr;
}

const OptionEntry* find_short(std::span<const OptionEntry> table, char c) {
  for (const auto& e : table)
    if (e.short_names.find(c) != std::string_view::npos) return &e;
  return nullptr;
}

void add_value(ParsedCommandLine& out, const OptionEntry& entry, const std::string* value) {
  const auto at = static_cast<std::size_t>(entry.id);
  if (out.given[at] && entry.arity != Arity::List)
    throw util::option_error(std::string(entry.long_name),
                             "Option '" + std::string(entry.long_name) + "' provided multiple times");
  out.given[at] = true;
  auto& vals = out.option_values[at];
  if (!value) return;
  if (entry.arity == Arity::List) {
    std::vector<std::string> items;
    try {
      items = split_list(*value, entry.list_keeps_groups);
    } catch (const util::Error& e) {
      throw util::option_error(std::string(entry.long_name), "Option '" + std::string(entry.long_name) + "' value " +
                                                                 util::quoted(*value) + ": " + e.what());
    }
    for (auto& v : items) vals.push_back(std::move(v));
  } else {
    vals.push_back(*value);
  }
}

bool can_be_value(const std::string& arg) { return arg == "-" || arg.empty() || arg[0] != '-'; }

}  // namespace

std::vector<std::string> split_list(const std::string& value, bool keep_groups) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t i = 0;
  const std::size_t n = value.size();
  for (;;) {
    cur.clear();
    if (i < n && (value[i] == '\'' || value[i] == '"')) {
      const char q = value[i++];
      bool closed = false;
      while (i < n) {
        if (value[i] == '\\' && i + 1 < n && (value[i + 1] == '\'' || value[i + 1] == '"')) {
          cur += value[i + 1];
          i += 2;
        } else if (value[i] == q) {
          closed = true;
          ++i;
          break;
        } else {
          cur += value[i++];
        }
      }
      if (!closed) throw util::option_error("", "Missing quote in list");
      if (i < n && value[i] != ',') throw util::option_error("", "Invalid data after quoted list, expect ',' only");
    } else {
      // With keep_groups: how deep inside (…) and {…}, and whether inside a class […] (where
      // `[:alpha:]` is one item), as a regular expression nests them; `\Q…\E` is literal.
      int depth = 0;
      bool in_class = false;
      while (i < n && (value[i] != ',' || depth > 0 || in_class)) {
        if (keep_groups && value.compare(i, 2, "\\Q") == 0) {
          // Quoted to its `\E` (or the end): every character literal, commas and brackets too
          // (a new user's finding: `\Q[\E,x` was taken for a class holding the comma).
          const std::size_t end = value.find("\\E", i + 2);
          const std::size_t to = end == std::string::npos ? n : end + 2;
          cur.append(value, i, to - i);
          i = to;
          continue;
        }
        if (value[i] == '\\' && i + 1 < n) {
          if (value[i + 1] == '\'' || value[i + 1] == '"') cur += value[i + 1];
          else {
            cur += value[i];
            cur += value[i + 1];
          }
          i += 2;
          continue;
        }
        if (keep_groups) {
          const char c = value[i];
          if (in_class) {
            if (c == '[' && i + 1 < n && value[i + 1] == ':') {
              const std::size_t end = value.find(":]", i + 2);
              if (end != std::string::npos) {
                cur.append(value, i, end + 2 - i);
                i = end + 2;
                continue;
              }
            }
            in_class = c != ']';
          } else if (c == '[') {
            in_class = true;
            cur += value[i++];
            // `[]…]` and `[^]…]`: a `]` first is a member, not the end.
            if (i < n && value[i] == '^') cur += value[i++];
            if (i < n && value[i] == ']') cur += value[i++];
            continue;
          } else if (c == '(' || c == '{') {
            ++depth;
          } else if ((c == ')' || c == '}') && depth > 0) {
            --depth;
          }
        }
        cur += value[i++];
      }
    }
    out.push_back(cur);
    if (i >= n) break;
    ++i;  // the comma
  }
  return out;
}

ParsedCommandLine parse_command_line(std::span<const std::string> args, std::span<const OptionEntry> table) {
  ParsedCommandLine out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      for (++i; i < args.size(); ++i) out.inputs.push_back(args[i]);
      break;
    }
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] == '-') {
      std::string body = arg.substr(2);
      std::size_t eq = body.find('=');
      std::string name = body.substr(0, eq);
      const OptionEntry* def = find_long(table, name);
      if (!def) throw util::option_error("", "Option " + util::quoted("--" + name) + " not recognized");
      if (def->arity == Arity::Flag) {
        if (eq != std::string::npos)
          throw util::option_error(std::string(def->long_name),
                                   "Option '" + std::string(def->long_name) + "' doesn't take a value");
        add_value(out, *def, nullptr);
      } else if (eq != std::string::npos) {
        std::string v = body.substr(eq + 1);
        add_value(out, *def, &v);
      } else if (def->arity == Arity::Optional) {
        add_value(out, *def, nullptr);
      } else if (i + 1 < args.size() && can_be_value(args[i + 1])) {
        add_value(out, *def, &args[++i]);
      } else {
        throw util::option_error(std::string(def->long_name),
                                 "Option '" + std::string(def->long_name) + "' missing argument");
      }
      continue;
    }
    if (arg.size() >= 2 && arg[0] == '-') {
      const OptionEntry* first = find_short(table, arg[1]);
      if (!first) throw util::option_error("", "Option " + util::quoted(arg.substr(0, 2)) + " not recognized");
      if (first->arity != Arity::Flag) {
        if (arg.size() > 2) {
          std::string v = arg.substr(arg[2] == '=' ? 3 : 2);
          add_value(out, *first, &v);
        } else if (i + 1 < args.size() && can_be_value(args[i + 1])) {
          add_value(out, *first, &args[++i]);
        } else {
          throw util::option_error(std::string(first->long_name),
                                   "Option '" + std::string(first->long_name) + "' missing argument");
        }
        continue;
      }
      if (arg.find('=') != std::string::npos)
        throw util::option_error(
            "", "Command line option " + util::quoted(arg) + " invalid, key value pairs must be isolated");
      for (std::size_t k = 1; k < arg.size(); ++k) {
        const OptionEntry* def = find_short(table, arg[k]);
        if (!def)
          throw util::option_error("", "Option " + util::quoted("-" + std::string(1, arg[k])) + " not recognized");
        if (def->arity != Arity::Flag)
          throw util::option_error(
              "", "Command line option " + util::quoted(arg) + " invalid, options with values can't be bundled");
        add_value(out, *def, nullptr);
      }
      continue;
    }
    out.inputs.push_back(arg);
  }
  return out;
}

}  // namespace dltdump::cli
