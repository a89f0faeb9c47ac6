// The C API (include/dltdump/dltdump.h) over the C++ API: no exception crosses it.
#include "dltdump/dltdump.h"

#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "api/access.hpp"
#include "dltdump/dltdump.hpp"
#include "util/fd_writer.hpp"

struct dltdump_filter {
  dltdump::Filter filter;
};

struct dltdump_reader {
  explicit dltdump_reader(dltdump::Reader r) : reader(std::move(r)) {}
  dltdump::Reader reader;
  std::span<const dltdump::Message> batch;
  std::size_t next = 0;
};

namespace {

thread_local std::string last_error;

// Runs `f`; an exception becomes a status and the thread's last error.
template <class F>
dltdump_status guarded(F&& f) noexcept {
  try {
    f();
    return DLTDUMP_OK;
  } catch (const dltdump::Error& e) {
    last_error = e.what();
    switch (e.kind()) {
      case dltdump::Error::Kind::input: return DLTDUMP_ERROR_INPUT;
      case dltdump::Error::Kind::argument: return DLTDUMP_ERROR_ARGUMENT;
      case dltdump::Error::Kind::fibex: return DLTDUMP_ERROR_FIBEX;
      case dltdump::Error::Kind::output: return DLTDUMP_ERROR_OUTPUT;
      case dltdump::Error::Kind::internal: break;
    }
    return DLTDUMP_ERROR_INTERNAL;
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown error";
  }
  return DLTDUMP_ERROR_INTERNAL;
}

dltdump_status null_argument(const char* what) {
  last_error = std::string(what) + " is NULL";
  return DLTDUMP_ERROR_ARGUMENT;
}

// The number a C caller passed for a parameter of enum type. C lets any int through, which
// C++ may not hold in the enum — reading it is undefined (UBSan: "load of value 9, which is
// not a valid value for type 'dltdump_summary'") —, so its bytes are copied, never read as
// the enum; the caller checks the number's range.
template <class Enum>
int number_of(const Enum& value) {
  std::underlying_type_t<Enum> raw;
  static_assert(sizeof raw == sizeof value);
  std::memcpy(&raw, &value, sizeof raw);
  return static_cast<int>(raw);
}

// The message `m` points to; for NULL, an empty message (its fields 0, its text "") and the
// thread's last error says so: an accessor never dereferences NULL.
const dltdump::Message& msg(const dltdump_message* m) {
  static const dltdump::Message none;
  if (!m) {
    null_argument("m");
    return none;
  }
  return *reinterpret_cast<const dltdump::Message*>(m);
}

dltdump_status open_reader(dltdump_reader** out, dltdump::Reader (*make)(const void*), const void* args) {
  if (!out) return null_argument("out");
  *out = nullptr;
  return guarded([&] { *out = new dltdump_reader(make(args)); });
}

}  // namespace

extern "C" {

const char* dltdump_last_error(void) { return last_error.c_str(); }
const char* dltdump_version(void) { return dltdump::version().data(); }

dltdump_filter* dltdump_filter_new(void) { return new (std::nothrow) dltdump_filter{}; }
void dltdump_filter_free(dltdump_filter* filter) { delete filter; }

#define DLTDUMP_FILTER_TEXT(fn, method)                          \
  dltdump_status fn(dltdump_filter* filter, const char* value) { \
    if (!filter) return null_argument("filter");                 \
    if (!value) return null_argument("value");                   \
    return guarded([&] { filter->filter.method(value); });       \
  }
DLTDUMP_FILTER_TEXT(dltdump_filter_ecuid, ecuid)
DLTDUMP_FILTER_TEXT(dltdump_filter_appid, appid)
DLTDUMP_FILTER_TEXT(dltdump_filter_ctxid, ctxid)
DLTDUMP_FILTER_TEXT(dltdump_filter_contains, contains)
DLTDUMP_FILTER_TEXT(dltdump_filter_regex, regex)
#undef DLTDUMP_FILTER_TEXT

dltdump_status dltdump_filter_level(dltdump_filter* filter, int level) {
  if (!filter) return null_argument("filter");
  return guarded([&] { filter->filter.level(static_cast<dltdump::Level>(level < 0 || level > 255 ? 0 : level)); });
}
dltdump_status dltdump_filter_message_id(dltdump_filter* filter, uint32_t id) {
  if (!filter) return null_argument("filter");
  return guarded([&] { filter->filter.message_id(id); });
}
dltdump_status dltdump_filter_time_range(dltdump_filter* filter, int64_t not_before_us, int64_t not_after_us) {
  if (!filter) return null_argument("filter");
  if (not_before_us > not_after_us) {  // as a Reader would refuse them (nothing could pass)
    last_error = "Filter: nothing to filter, not_before " + std::to_string(not_before_us) +
                 " us must be earlier than not_after " + std::to_string(not_after_us) + " us";
    return DLTDUMP_ERROR_ARGUMENT;
  }
  return guarded([&] {
    filter->filter.not_before(dltdump::Time(std::chrono::microseconds(not_before_us)))
        .not_after(dltdump::Time(std::chrono::microseconds(not_after_us)));
  });
}

dltdump_status dltdump_reader_open(const char* path, const dltdump_filter* filter, const char* const* fibex,
                                   size_t fibex_count, dltdump_reader** out) {
  if (!path) return null_argument("path");
  if (!fibex && fibex_count) return null_argument("fibex");
  for (size_t k = 0; k < fibex_count; ++k)
    if (!fibex[k]) return null_argument(("fibex[" + std::to_string(k) + "]").c_str());
  struct Args {
    const char* path;
    const dltdump_filter* filter;
    const char* const* fibex;
    size_t fibex_count;
  } args{path, filter, fibex, fibex_count};
  return open_reader(
      out,
      [](const void* p) {
        const auto& a = *static_cast<const Args*>(p);
        dltdump::ReaderOptions options;
        if (a.fibex_count) options.catalogue.emplace(std::vector<std::string>(a.fibex, a.fibex + a.fibex_count));
        return dltdump::Reader(a.path, a.filter ? a.filter->filter : dltdump::Filter{}, std::move(options));
      },
      &args);
}

dltdump_status dltdump_reader_open_memory(const void* data, size_t size, const dltdump_filter* filter,
                                          dltdump_reader** out) {
  if (!data && size) return null_argument("data");
  struct Args {
    const void* data;
    size_t size;
    const dltdump_filter* filter;
  } args{data, size, filter};
  return open_reader(
      out,
      [](const void* p) {
        const auto& a = *static_cast<const Args*>(p);
        return dltdump::Reader::from_memory({static_cast<const std::uint8_t*>(a.data), a.size},
                                            a.filter ? a.filter->filter : dltdump::Filter{});
      },
      &args);
}

void dltdump_reader_free(dltdump_reader* reader) { delete reader; }

dltdump_status dltdump_reader_next(dltdump_reader* reader, const dltdump_message** out) {
  if (!reader) return null_argument("reader");
  if (!out) return null_argument("out");
  *out = nullptr;
  if (reader->next == reader->batch.size()) {
    const dltdump_status s = guarded([&] {
      reader->batch = reader->reader.next_batch();
      reader->next = 0;
    });
    if (s != DLTDUMP_OK) return s;
    if (reader->batch.empty()) return DLTDUMP_END;
  }
  *out = reinterpret_cast<const dltdump_message*>(&reader->batch[reader->next++]);
  return DLTDUMP_OK;
}

void dltdump_reader_cancel(dltdump_reader* reader) {
  if (reader) reader->reader.cancel();
}

uint64_t dltdump_reader_skipped_bytes(const dltdump_reader* reader) {
  return reader ? reader->reader.skipped_bytes() : 0;
}

int64_t dltdump_message_time_us(const dltdump_message* m) { return msg(m).time().time_since_epoch().count(); }
int dltdump_message_has_time(const dltdump_message* m) { return msg(m).has_time(); }
uint32_t dltdump_message_device_time(const dltdump_message* m) { return msg(m).device_time(); }
uint8_t dltdump_message_counter(const dltdump_message* m) { return msg(m).counter(); }
uint32_t dltdump_message_ecu(const dltdump_message* m) { return msg(m).ecu().value(); }
uint32_t dltdump_message_app(const dltdump_message* m) { return msg(m).app().value(); }
uint32_t dltdump_message_ctx(const dltdump_message* m) { return msg(m).ctx().value(); }
uint32_t dltdump_message_session(const dltdump_message* m) { return msg(m).session(); }
int dltdump_message_level(const dltdump_message* m) { return static_cast<int>(msg(m).level()); }
int dltdump_message_type(const dltdump_message* m) { return static_cast<int>(msg(m).type()); }
int dltdump_message_kind(const dltdump_message* m) { return static_cast<int>(msg(m).kind()); }
uint32_t dltdump_message_id(const dltdump_message* m) { return msg(m).message_id(); }
uint64_t dltdump_message_position(const dltdump_message* m) { return msg(m).position(); }

size_t dltdump_message_text(const dltdump_message* m, char* text, size_t size) {
  std::string t;
  try {
    t = msg(m).text();  // "" for NULL
  } catch (...) {
    last_error = "out of memory";
  }
  if (size > 0 && text) {
    const size_t n = t.size() < size - 1 ? t.size() : size - 1;
    std::memcpy(text, t.data(), n);
    text[n] = '\0';
  }
  return t.size();
}

void dltdump_id_text(uint32_t id, char text[5]) {
  const dltdump::Id i = dltdump::Id::from_value(id);
  std::memcpy(text, i.chars.data(), 4);
  text[4] = '\0';
}

}  // extern "C"

// Writers.

struct dltdump_writer {
  dltdump::Writer writer;
};

struct dltdump_writer_options {
  dltdump::WriterOptions options;
};

namespace {

// A setter of one field of `options` (a writer's or a dump's; null refused).
template <class Options, class Set>
dltdump_status set_option(Options* options, Set set) {
  if (!options) return null_argument("options");
  set(options->options);
  return DLTDUMP_OK;
}

// `format` as a number (number_of).
dltdump_status check_format(const char* function, int format) {
  if (format >= DLTDUMP_OUTPUT_AUTOMATIC && format <= DLTDUMP_OUTPUT_CSV) return DLTDUMP_OK;
  last_error = std::string(function) + ": format " + std::to_string(format) + " is no output format";
  return DLTDUMP_ERROR_ARGUMENT;
}

}  // namespace

static_assert(static_cast<int>(dltdump::OutputFormat::automatic) == DLTDUMP_OUTPUT_AUTOMATIC &&
              static_cast<int>(dltdump::OutputFormat::dlt) == DLTDUMP_OUTPUT_DLT &&
              static_cast<int>(dltdump::OutputFormat::pcapng) == DLTDUMP_OUTPUT_PCAPNG &&
              static_cast<int>(dltdump::OutputFormat::text) == DLTDUMP_OUTPUT_TEXT &&
              static_cast<int>(dltdump::OutputFormat::json) == DLTDUMP_OUTPUT_JSON &&
              static_cast<int>(dltdump::OutputFormat::csv) == DLTDUMP_OUTPUT_CSV);
static_assert(static_cast<int>(dltdump::TimeColumn::local) == DLTDUMP_TIME_LOCAL &&
              static_cast<int>(dltdump::TimeColumn::utc) == DLTDUMP_TIME_UTC &&
              static_cast<int>(dltdump::TimeColumn::iso) == DLTDUMP_TIME_ISO &&
              static_cast<int>(dltdump::TimeColumn::relative) == DLTDUMP_TIME_RELATIVE &&
              static_cast<int>(dltdump::TimeColumn::device) == DLTDUMP_TIME_DEVICE);

extern "C" {

dltdump_writer_options* dltdump_writer_options_new(void) { return new (std::nothrow) dltdump_writer_options{}; }
void dltdump_writer_options_free(dltdump_writer_options* options) { delete options; }

dltdump_status dltdump_writer_options_format(dltdump_writer_options* options, dltdump_output_format format) {
  if (!options) return null_argument("options");
  const int number = number_of(format);
  if (const dltdump_status s = check_format("dltdump_writer_options_format", number); s != DLTDUMP_OK) return s;
  options->options.format = static_cast<dltdump::OutputFormat>(number);  // the same order
  return DLTDUMP_OK;
}

dltdump_status dltdump_writer_options_overwrite(dltdump_writer_options* options, int overwrite) {
  return set_option(options, [&](dltdump::WriterOptions& o) { o.overwrite = overwrite != 0; });
}

dltdump_status dltdump_writer_options_input(dltdump_writer_options* options, const char* path) {
  if (!options) return null_argument("options");
  if (!path) return null_argument("path");
  return guarded([&] { options->options.inputs.emplace_back(path); });
}

dltdump_status dltdump_writer_options_name_template(dltdump_writer_options* options, int name_template) {
  return set_option(options, [&](dltdump::WriterOptions& o) { o.name_template = name_template != 0; });
}

dltdump_status dltdump_writer_options_split(dltdump_writer_options* options, uint64_t bytes) {
  return set_option(options, [&](dltdump::WriterOptions& o) { o.split_bytes = bytes; });
}

dltdump_status dltdump_writer_options_time(dltdump_writer_options* options, dltdump_time_column time) {
  if (!options) return null_argument("options");
  const int number = number_of(time);
  if (number < DLTDUMP_TIME_LOCAL || number > DLTDUMP_TIME_DEVICE) {
    last_error = "dltdump_writer_options_time: " + std::to_string(number) + " is no TIME column";
    return DLTDUMP_ERROR_ARGUMENT;
  }
  options->options.time = static_cast<dltdump::TimeColumn>(number);  // the same order
  return DLTDUMP_OK;
}

dltdump_status dltdump_writer_options_position(dltdump_writer_options* options, int position) {
  return set_option(options, [&](dltdump::WriterOptions& o) { o.position = position != 0; });
}

dltdump_status dltdump_writer_open_with(const char* path, const dltdump_writer_options* options, dltdump_writer** out) {
  if (!out) return null_argument("out");
  *out = nullptr;
  if (!path) return null_argument("path");
  return guarded(
      [&] { *out = new dltdump_writer{dltdump::Writer(path, options ? options->options : dltdump::WriterOptions{})}; });
}

dltdump_status dltdump_writer_open(const char* path, dltdump_output_format format, int overwrite,
                                   dltdump_writer** out) {
  if (!out) return null_argument("out");
  *out = nullptr;
  if (!path) return null_argument("path");
  const int number = number_of(format);
  if (const dltdump_status s = check_format("dltdump_writer_open", number); s != DLTDUMP_OK) return s;
  dltdump_writer_options options;
  options.options.format = static_cast<dltdump::OutputFormat>(number);  // the same order
  options.options.overwrite = overwrite != 0;
  return dltdump_writer_open_with(path, &options, out);
}

dltdump_status dltdump_writer_write(dltdump_writer* writer, const dltdump_message* m) {
  if (!writer) return null_argument("writer");
  if (!m) return null_argument("m");
  return guarded([&] { writer->writer.write(msg(m)); });
}

dltdump_status dltdump_writer_write_all(dltdump_writer* writer, dltdump_reader* reader, uint64_t* messages) {
  if (messages) *messages = 0;
  if (!writer) return null_argument("writer");
  if (!reader) return null_argument("reader");
  return guarded([&] {
    const std::uint64_t n =
        dltdump::detail::Access::write_rest(writer->writer, reader->reader, reader->batch, reader->next);
    reader->batch = {};  // the step in progress taken; the Reader at its end
    reader->next = 0;
    if (messages) *messages = n;
  });
}

dltdump_status dltdump_writer_close(dltdump_writer* writer) {
  if (!writer) return null_argument("writer");
  return guarded([&] { writer->writer.close(); });
}

uint64_t dltdump_writer_messages(const dltdump_writer* writer) { return writer ? writer->writer.messages() : 0; }

void dltdump_writer_free(dltdump_writer* writer) { delete writer; }

}  // extern "C"

// --- dumps

struct dltdump_dump_options {
  dltdump::DumpOptions options;
};

namespace {

dltdump_status set_output(dltdump_dump_options* options, const char* name, int records, int overwrite) {
  if (const dltdump_status s = check_format("dltdump_dump_options_output", records); s != DLTDUMP_OK) return s;
  return set_option(options, [&](dltdump::DumpOptions& o) {
    o.output = name ? name : "";
    o.records = static_cast<dltdump::OutputFormat>(records);
    o.overwrite = overwrite != 0;
  });
}

// The summary a C caller asked for, as a number (number_of).
dltdump_status set_summary(dltdump_dump_options* options, int summary) {
  if (summary < DLTDUMP_SUMMARY_NONE || summary > DLTDUMP_SUMMARY_LIFECYCLES) {
    last_error = "dltdump_dump_options_summary: " + std::to_string(summary) + " is no summary";
    return DLTDUMP_ERROR_ARGUMENT;
  }
  return set_option(options, [&](dltdump::DumpOptions& o) {
    o.count = summary == DLTDUMP_SUMMARY_COUNT;
    o.list_lifecycles = summary == DLTDUMP_SUMMARY_LIFECYCLES;
    o.stats.reset();
    if (summary == DLTDUMP_SUMMARY_STATS_TEXT) o.stats = dltdump::StatsFormat::text;
    if (summary == DLTDUMP_SUMMARY_STATS_JSON) o.stats = dltdump::StatsFormat::json;
  });
}

}  // namespace

extern "C" {

dltdump_dump_options* dltdump_dump_options_new(void) { return new (std::nothrow) dltdump_dump_options{}; }
void dltdump_dump_options_free(dltdump_dump_options* options) { delete options; }

dltdump_status dltdump_dump_options_input(dltdump_dump_options* options, const char* path) {
  if (!path) return null_argument("path");
  return guarded([&] { set_option(options, [&](dltdump::DumpOptions& o) { o.inputs.emplace_back(path); }); });
}
dltdump_status dltdump_dump_options_filter(dltdump_dump_options* options, const dltdump_filter* filter) {
  return set_option(options, [&](dltdump::DumpOptions& o) { o.filter = filter ? filter->filter : dltdump::Filter{}; });
}
dltdump_status dltdump_dump_options_fibex(dltdump_dump_options* options, const char* const* paths, size_t count) {
  if (!options) return null_argument("options");
  if (count > 0 && !paths) return null_argument("paths");
  for (size_t i = 0; i < count; ++i)
    if (!paths[i]) return null_argument("paths[i]");
  return guarded([&] {
    if (count == 0) options->options.catalogue.reset();
    else options->options.catalogue.emplace(std::vector<std::string>(paths, paths + count));
  });
}
dltdump_status dltdump_dump_options_output(dltdump_dump_options* options, const char* name,
                                           dltdump_output_format records, int overwrite) {
  return set_output(options, name, number_of(records), overwrite);
}
dltdump_status dltdump_dump_options_context(dltdump_dump_options* options, uint32_t before, uint32_t after) {
  return set_option(options, [&](dltdump::DumpOptions& o) {
    o.before_context = before;
    o.after_context = after;
  });
}
dltdump_status dltdump_dump_options_threads(dltdump_dump_options* options, unsigned threads) {
  return set_option(options, [&](dltdump::DumpOptions& o) { o.threads = threads; });
}
dltdump_status dltdump_dump_options_sort(dltdump_dump_options* options, int sort) {
  return set_option(options, [&](dltdump::DumpOptions& o) { o.sort = sort != 0; });
}
dltdump_status dltdump_dump_options_split(dltdump_dump_options* options, uint64_t bytes) {
  return set_option(options, [&](dltdump::DumpOptions& o) { o.split_bytes = bytes; });
}
dltdump_status dltdump_dump_options_summary(dltdump_dump_options* options, dltdump_summary summary) {
  return set_summary(options, number_of(summary));
}
dltdump_status dltdump_dump_run(const dltdump_dump_options* options, int out_fd, int diag_fd, int* exit_status) {
  if (!options) return null_argument("options");
  if (exit_status) *exit_status = 0;
  return guarded([&] {
    dltdump::Dump dump{options->options};
    std::string warnings;
    for (const std::string& w : dump.warnings()) warnings += "warning: " + w + "\n";
    dltdump::util::write_all(diag_fd, warnings);  // a refused write is not reported (as the run's lines)
    const int status = dump.run(out_fd, diag_fd);
    if (exit_status) *exit_status = status;
  });
}

}  // extern "C"
