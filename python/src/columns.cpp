#include "columns.hpp"

#include "column_buffer.hpp"
#include "interrupt.hpp"
#include "populated_arenas.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <unordered_map>
#include <utility>

namespace py = pybind11;

namespace dltdump::python {

namespace {

// Messages decoded between two takings of the GIL: large enough that the switches cost
// nothing (a waiting thread may hold the GIL for its switch interval, 5 ms, before giving
// it back), small enough that a chunk's texts are a few MB.
constexpr std::size_t kChunkMessages = 64 * 1024;

// A column of ids as codes into the ids seen, in the order seen (a pandas Categorical).
class IdColumn {
 public:
  void reserve(std::size_t n) { codes_.reserve(n); }
  void add(Id id) {
    const std::uint32_t key = id.value();
    if (codes_.empty() || key != last_key_) {
      last_key_ = key;
      last_code_ = index_.try_emplace(key, static_cast<std::int32_t>(ids_.size())).first->second;
      if (static_cast<std::size_t>(last_code_) == ids_.size()) ids_.push_back(id);
    }
    codes_.push_back(last_code_);
  }
  // {"codes": array, "categories": [str]}; needs the GIL. Ids that show the same ("AP\x01"
  // and "AP\x02" both as "AP.") are one category: pandas refuses repeated categories.
  py::dict finish() {
    py::list categories;
    py::dict code_of;                               // text → code
    std::vector<std::int32_t> merged(ids_.size());  // a few ids
    for (std::size_t k = 0; k < ids_.size(); ++k) {
      const py::str text = id_text(ids_[k]);
      if (!code_of.contains(text)) {
        code_of[text] = py::int_(py::len(categories));
        categories.append(text);
      }
      merged[k] = code_of[text].cast<std::int32_t>();
    }
    if (py::len(categories) != ids_.size())
      for (std::int32_t& code : codes_) code = merged[static_cast<std::size_t>(code)];
    py::dict d;
    d["codes"] = codes_.release();
    d["categories"] = categories;
    return d;
  }

 private:
  std::unordered_map<std::uint32_t, std::int32_t> index_;
  std::vector<Id> ids_;
  Column<std::int32_t> codes_;
  std::uint32_t last_key_ = 0;
  std::int32_t last_code_ = 0;
};

// A column of the few type texts ("log error", …) as codes; "" (no type) is a category too.
class TextColumn {
 public:
  void reserve(std::size_t n) { codes_.reserve(n); }
  void add(std::string_view text) {
    if (codes_.empty() || text != texts_[static_cast<std::size_t>(last_)]) {
      std::size_t k = 0;
      while (k < texts_.size() && texts_[k] != text) ++k;
      if (k == texts_.size()) texts_.emplace_back(text);
      last_ = static_cast<std::int16_t>(k);
    }
    codes_.push_back(last_);
  }
  py::dict finish() {
    py::dict d;
    d["codes"] = codes_.release();
    d["categories"] = py::cast(texts_);
    return d;
  }

 private:
  std::vector<std::string> texts_;
  Column<std::int16_t> codes_;
  std::int16_t last_ = 0;
};

// The texts of the messages, as Python strings (owned references until handed over).
class TextObjects {
 public:
  TextObjects() = default;
  TextObjects(const TextObjects&) = delete;
  TextObjects& operator=(const TextObjects&) = delete;
  ~TextObjects() {
    for (PyObject* o : objects_) Py_XDECREF(o);
  }
  // The texts of a chunk: bytes[ends[k-1], ends[k]) is text k. Needs the GIL.
  void add(const std::string& bytes, const std::vector<std::size_t>& ends) {
    const PopulatedArenas arenas;  // the strings fill the arenas they take
    std::size_t begin = 0;
    for (const std::size_t end : ends) {
      PyObject* s = PyUnicode_DecodeUTF8(bytes.data() + begin, static_cast<Py_ssize_t>(end - begin), "replace");
      if (!s) throw py::error_already_set();
      objects_.push_back(s);
      begin = end;
    }
  }
  void reserve(std::size_t n) { objects_.reserve(n); }
  // A numpy object array over the strings, which owns them (no copy of the column).
  py::array finish() { return objects_.release_objects(); }

 private:
  Column<PyObject*> objects_;
};

struct Columns {
  Column<std::int32_t> input;
  Column<std::uint64_t> position;
  Column<std::int64_t> time_ns;  // datetime64[ns]; NaT without a time source
  Column<double> device_time;    // seconds; NaN without
  Column<std::uint8_t> counter;
  IdColumn ecu, app, ctx;
  Column<std::int32_t> session;  // signed, as a line shows it
  Column<std::uint8_t> session_missing;
  Column<std::int8_t> kind;  // PayloadKind
  TextColumn type;           // the TYPE column's text, split by the Python side
  Column<std::uint8_t> level;
  Column<std::uint32_t> message_id;
  Column<std::uint8_t> message_id_missing;  // verbose and control messages
  Column<std::uint8_t> noar;
  Column<std::uint8_t> noar_missing;  // control messages

  void reserve(std::size_t n) {
    for (auto* c : {&session_missing, &counter, &level, &message_id_missing, &noar, &noar_missing}) c->reserve(n);
    input.reserve(n);
    position.reserve(n);
    time_ns.reserve(n);
    device_time.reserve(n);
    ecu.reserve(n);
    app.reserve(n);
    ctx.reserve(n);
    session.reserve(n);
    kind.reserve(n);
    type.reserve(n);
    message_id.reserve(n);
  }

  void add(const Message& m, std::int32_t file) {
    input.push_back(file);
    position.push_back(m.position());
    time_ns.push_back(m.has_time() ? m.time().time_since_epoch().count() * 1000
                                   : std::numeric_limits<std::int64_t>::min());
    device_time.push_back(m.has_device_time() ? m.device_time() / 10000.0 : std::numeric_limits<double>::quiet_NaN());
    counter.push_back(m.counter());
    ecu.add(m.ecu());
    app.add(m.app());
    ctx.add(m.ctx());
    session.push_back(static_cast<std::int32_t>(m.session()));
    session_missing.push_back(!m.has_session());
    const PayloadKind k = m.kind();
    kind.push_back(static_cast<std::int8_t>(k));
    type.add(m.type_text());
    level.push_back(static_cast<std::uint8_t>(m.level()));
    message_id.push_back(k == PayloadKind::non_verbose ? m.message_id() : 0);
    message_id_missing.push_back(k != PayloadKind::non_verbose);
    noar.push_back(k == PayloadKind::control ? 0 : m.argument_count());
    noar_missing.push_back(k == PayloadKind::control);
  }

  py::dict finish() {
    py::dict d;
    d["input"] = input.release();
    d["position"] = position.release();
    d["time"] = time_ns.release("datetime64[ns]");
    d["device_time"] = device_time.release();
    d["counter"] = counter.release();
    d["ecu"] = ecu.finish();
    d["app"] = app.finish();
    d["ctx"] = ctx.finish();
    d["session"] = session.release();
    d["session_missing"] = session_missing.release("?");
    d["kind"] = kind.release();
    d["type"] = type.finish();
    d["level"] = level.release();
    d["message_id"] = message_id.release();
    d["message_id_missing"] = message_id_missing.release("?");
    d["noar"] = noar.release();
    d["noar_missing"] = noar_missing.release("?");
    return d;
  }
};

}  // namespace

void init_numpy() {
  try {
    py::module_::import("numpy");
    (void)py::dtype::of<std::int64_t>();  // pybind11's numpy API, set up now
  } catch (const py::error_already_set& e) {
    if (!e.matches(PyExc_ImportError)) throw;  // no numpy: read_dataframe raises ImportError then
  }
}

py::str id_text(Id id) {
  char chars[4];
  const std::size_t n = id.size();
  for (std::size_t k = 0; k < n; ++k) {
    const auto c = static_cast<unsigned char>(id.chars[k]);
    chars[k] = c < 0x20 || c == 0x7F ? '.' : id.chars[k];
  }
  PyObject* s = PyUnicode_DecodeUTF8(chars, static_cast<Py_ssize_t>(n), "replace");
  if (!s) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(s);
}

// A bound of the messages the inputs can hold, from the sizes of those that are regular
// files (a DLT file's message takes at least 20 bytes, a serial or network recording's or a
// capture's at least 4): the columns' first reservation, so that they do not move as they
// grow. A compressed input may hold more (the columns then grow); a filter keeps fewer
// (the room reserved beyond them is never touched). Capped at kMaxReserved messages.
std::size_t message_bound(const ColumnRequest& request) {
  constexpr std::uint64_t kMinMessageBytes = 4;
  constexpr std::uint64_t kMaxReserved = std::uint64_t{1} << 28;
  std::uint64_t bytes = 0;
  for (const std::string& path : request.paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    auto size = static_cast<std::uint64_t>(st.st_size);
    if (request.options.chunk_bytes > 0)  // a chunk: about chunk_bytes from its begin
      size = std::min(size - std::min(size, request.options.chunk_begin), request.options.chunk_bytes);
    bytes += size;
  }
  return static_cast<std::size_t>(std::min(bytes / kMinMessageBytes + 1, kMaxReserved));
}

py::dict read_columns(const ColumnRequest& request) {
  Columns columns;
  TextObjects texts;  // destroyed with the GIL held: declared outside the released scopes
  std::string chunk_text;
  std::vector<std::size_t> chunk_ends;
  std::uint64_t skipped = 0;
  std::vector<std::uint64_t> ends;  // where each input's reading ended (a chunk's: a cut)
  py::list warnings;                // the command line's warning lines (read_dataframe warns with them)
  // The input column's categories: the names given, each once (["a.dlt", "a.dlt"] reads a.dlt
  // twice, one category), decoded as Python decodes file names (os.fsdecode).
  py::list inputs;
  std::vector<std::int32_t> input_code;
  {
    py::dict code_of;
    for (const std::string& path : request.paths) {
      PyObject* o = PyUnicode_DecodeFSDefaultAndSize(path.data(), static_cast<Py_ssize_t>(path.size()));
      if (!o) throw py::error_already_set();
      const auto name = py::reinterpret_steal<py::str>(o);
      if (!code_of.contains(name)) {
        code_of[name] = py::int_(py::len(inputs));
        inputs.append(name);
      }
      input_code.push_back(code_of[name].cast<std::int32_t>());
    }
  }
  {
    py::gil_scoped_release released;
    const std::size_t bound = message_bound(request);
    try {
      columns.reserve(bound);
      if (request.text) texts.reserve(bound);
    } catch (const std::bad_alloc&) {
      // Address space refused (strict overcommit): the columns grow as they fill instead.
    }
  }
  for (std::size_t f = 0; f < request.paths.size(); ++f) {
    std::optional<Reader> reader;
    for (bool end = false; !end;) {
      {
        py::gil_scoped_release released;
        if (!reader) reader.emplace(request.paths[f], request.filter, request.options);
        for (std::size_t n = 0; n < kChunkMessages && !end;) {
          const std::span<const Message> batch = reader->next_batch();
          end = batch.empty();
          for (const Message& m : batch) {
            columns.add(m, input_code[f]);
            if (request.text) {
              m.append_text(chunk_text);
              chunk_ends.push_back(chunk_text.size());
            }
          }
          n += batch.size();
        }
      }
      raise_if_interrupted();  // Ctrl-C while a live input waited: the reader was cancelled
      texts.add(chunk_text, chunk_ends);
      chunk_text.clear();
      chunk_ends.clear();
      // Ctrl-C (a signal handler raising) stops the reading here, not after the last input.
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    skipped += reader->skipped_bytes();
    ends.push_back(reader->offset());
    if (const std::string w = reader->warning(); !w.empty()) {
      PyObject* s = PyUnicode_DecodeUTF8(w.data(), static_cast<Py_ssize_t>(w.size()), "replace");  // a name's bytes
      if (!s) throw py::error_already_set();
      warnings.append(py::reinterpret_steal<py::str>(s));
    }
  }
  py::dict d = columns.finish();
  if (request.text) d["text"] = texts.finish();
  d["inputs"] = inputs;
  d["skipped_bytes"] = skipped;
  d["ends"] = py::cast(ends);
  d["warnings"] = warnings;
  return d;
}

}  // namespace dltdump::python
